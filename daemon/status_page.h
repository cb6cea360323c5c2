#pragma once
// Internal to the observability module: the status pages as pure functions of a snapshot,
// so that they render outside the Observatory's lock and are tested without one. The words
// come from the catalog (codes "status.*", docs/i18n.md) in the process's language.

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
  std::string query;         // the filter (`?q=`): empty shows every school
  RegionStatus region;       // empty self: a daemon not (yet) among a region's
};

// The main page: totals, the filter, the schools that need a person first (as cards, at most
// `max_cards`), then one table row per school. HTML5, inline CSS, no scripts, no external
// assets. Its size grows by a row per school (docs/observability.md states the bound).
[[nodiscard]] std::string render_status_page(const StatusPageData& data);
inline constexpr std::size_t max_cards = 50;

struct SchoolPageData {
  SchoolStatus status;
  std::optional<SchoolDetail> detail;  // nullopt: no store to read (a server without hooks)
  std::string config_file;             // for the approve commands; empty: "rosterd.json"
  std::string generated_at;
};

// One school's page (/school/<id>): its state, monitoring figures, held actions each with the
// command that approves or rejects it, the last cycle's findings and its last cycles.
[[nodiscard]] std::string render_school_page(const SchoolPageData& data);
inline constexpr std::size_t max_held_shown = 300;

// "failing" for failed and source_failure, "held", "partial", "ok", "stopped" (stopped and
// leased), "never" (nullopt).
[[nodiscard]] std::string_view result_class(std::optional<mapping::CycleResult> result) noexcept;

// Whether the filter `query` finds the school: in its id or name, ignoring case (Latin and
// Cyrillic) and the white space around the query. An empty query finds every school.
[[nodiscard]] bool school_matches(const SchoolStatus& school, std::string_view query);

// A path segment: every byte but A-Z a-z 0-9 - . _ ~ percent-encoded.
[[nodiscard]] std::string url_segment(std::string_view text);

// A word for a POSIX shell: as it is when it holds only safe characters, else in single quotes.
[[nodiscard]] std::string shell_word(std::string_view text);

}  // namespace rosterd::daemon
