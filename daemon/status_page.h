#pragma once
// Internal to the observability module: the status page as a pure function of a snapshot,
// so that it renders outside the Observatory's lock and is tested without one.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/observability.h"
#include "daemon/report_output.h"

namespace rosterd::daemon {

struct StatusPageData {
  std::vector<SchoolStatus> schools;
  bool reload_ok = true;
  std::string reload_at;  // empty: the config in force is the one loaded at start
  std::string reload_error;
  std::string generated_at;  // ISO 8601 UTC
};

// The whole page: HTML5, inline CSS, no scripts, no external assets.
[[nodiscard]] std::string render_status_page(const StatusPageData& data);

// "failing" for failed and source_failure, "held", "partial", "ok", "stopped" (stopped and
// leased), "never" (nullopt).
[[nodiscard]] std::string_view result_class(std::optional<mapping::CycleResult> result) noexcept;

}  // namespace rosterd::daemon
