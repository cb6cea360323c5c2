#pragma once
// Internal to the config loader: the region's settings file (`region.settings_file`), the
// operator's one file of per-school settings for a region of thousands of schools: a CSV as a
// spreadsheet exports it (UTF-8, a BOM allowed, `;` or `,` between values, a header row) or a
// JSON file (a list of objects with an `id`, or an object of id → settings). The columns (the
// keys) are the same in both: docs/config.md.

#include <filesystem>
#include <map>
#include <string>

#include "daemon/config.h"
#include "daemon/config_node.h"

namespace rosterd::daemon::detail {

// Every row of `file`, by school id. Each problem is reported on `key` (the config's
// `region.settings_file`) naming the file, the line (CSV) or the entry (JSON) and the column.
[[nodiscard]] std::map<std::string, SchoolSettings> read_settings_file(
    const Node& key, const std::filesystem::path& file,
    const std::map<std::string, TokenConfig>& tokens);

}  // namespace rosterd::daemon::detail
