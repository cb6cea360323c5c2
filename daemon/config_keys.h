#pragma once
// Internal to the config loader: secrets named by file or credential, the named platform
// tokens (`platform.tokens`), and the keys that give a school its token and its time zone. The
// settings file (config_settings.h) checks its values with the same functions.

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "daemon/config.h"
#include "daemon/config_node.h"

namespace rosterd::daemon::detail {

// `token_file` (a path) or `token_credential` (a systemd credential's name), exactly one.
[[nodiscard]] SecretFile read_secret_ref(const Node& node, const std::filesystem::path& base_dir);

// `platform.tokens`: name → {token_file | token_credential, requests_per_second}.
[[nodiscard]] std::map<std::string, TokenConfig> read_tokens(const Node& node,
                                                             const std::filesystem::path& base_dir);

// Why `zone` is no time zone ("unknown time zone …"), or nullopt when it is one.
[[nodiscard]] std::optional<std::string> zone_problem(const std::string& zone);
// Why `name` names no token of `tokens`, or nullopt when it names one.
[[nodiscard]] std::optional<std::string> token_problem(const std::string& name,
                                                       const std::map<std::string, TokenConfig>& tokens);

// `timezone`, `org_kinds` and `homerooms_only` of a `oneroster` source, into `source`.
void read_oneroster_keys(const Node& node, SourceConfig& source);

// `timezone` and `platform_token` of a `schools[]` entry or of the region, into `school`.
void read_school_keys(const Node& node, const std::map<std::string, TokenConfig>& tokens,
                      SchoolConfig& school);

}  // namespace rosterd::daemon::detail
