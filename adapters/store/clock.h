#pragma once
// Internal: the store's timestamps (when an intent or an outcome was recorded). The adapter takes
// them from the system clock, in UTC, so rows written by daemons on different machines compare.

#include <string>

namespace rosterd::adapters::store::detail {

// "2026-11-26T03:00:49.123Z"
[[nodiscard]] std::string utc_now_iso();

}  // namespace rosterd::adapters::store::detail
