#pragma once
// The daemon's configuration file (docs/config.md): which schools to sync, where their
// journal comes from, and how cautious the sync is. Check and load are one function, so
// that a check and a load can never disagree.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/rules.h"

namespace rosterd::daemon {

// A secret (a token) is only ever named by the file that holds it, never written in the
// config itself: configs get copied, logged and committed. A key that would carry a secret
// inline is refused by the loader.
struct SecretFile {
  std::filesystem::path path;
};

enum class SourceType : std::uint8_t { export_folder, http, oneroster };

struct SourceConfig {
  SourceType type = SourceType::export_folder;
  std::filesystem::path path;  // export: the organisation's folder; oneroster: the CSV folder
  std::string base_url;        // http: the journal API
  SecretFile token_file;       // http: a file holding the journal token (a regional token may
                               // serve many schools)
  int timeout_ms = 10000;      // http
  std::string platform_id_type;  // oneroster: the userIds type that carries the platform id
};

struct SchoolConfig {
  std::string id;  // the organisation id in the journal
  SourceConfig source;
  mapping::Rules rules;  // the defaults' rules with this school's fallback admin
  mapping::Policy policy;
  mapping::Limits limits;
};

// The platform all schools of this config sync to (docs/config.md).
struct PlatformConfig {
  std::string base_url;    // "https://…"; requests go to {base_url}/method/{name}
  SecretFile token_file;   // holds the access token
  double requests_per_second = 3;  // the token's budget: ~3 for a user token, ~20 a community
  int timeout_ms = 10000;
  int batch_size = 25;     // writes per execute request, 1..25
};

enum class StoreKind : std::uint8_t { sqlite, postgres };

struct StoreConfig {
  StoreKind kind = StoreKind::sqlite;
  std::filesystem::path sqlite_path;
  std::string postgres;  // a libpq connection string without a password (use a passfile)
};

struct Config {
  std::filesystem::path file;
  std::vector<SchoolConfig> schools;
  std::optional<PlatformConfig> platform;  // required by sync and run, not by plan
  std::optional<StoreConfig> store;        // required by sync, run and approve

  // nullptr when no school has this id.
  [[nodiscard]] const SchoolConfig* find_school(std::string_view id) const noexcept;
};

// Every problem of a config, each naming its key path ("schools[0].source.path: missing").
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& source_name, std::vector<std::string> problems);
  [[nodiscard]] const std::vector<std::string>& problems() const noexcept { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Parses and validates config text; relative paths are resolved against `base_dir`.
// Comments (// and /* */) are allowed. Throws ConfigError listing all problems.
[[nodiscard]] Config parse_config(std::string_view text, const std::filesystem::path& base_dir,
                                  std::string_view source_name);

// Reads, checks and loads a config file; relative paths are relative to its folder.
[[nodiscard]] Config load_config(const std::filesystem::path& file);

}  // namespace rosterd::daemon
