#pragma once
// Internal to the config loader: the sections only `rosterd run` reads (schedule,
// observability, log). Same rules as the rest: every problem reported with its key path.

#include "daemon/config.h"
#include "daemon/config_node.h"

namespace rosterd::daemon::detail {

[[nodiscard]] ScheduleConfig read_schedule(const Node& node);
[[nodiscard]] ObservabilityConfig read_observability(const Node& node);
[[nodiscard]] LogConfig read_log(const Node& node);

}  // namespace rosterd::daemon::detail
