#pragma once
// The daemon's configuration file (docs/config.md): which schools to sync, where their
// journal comes from, and how cautious the sync is. Check and load are one function, so
// that a check and a load can never disagree.

#include <cstdint>
#include <filesystem>
#include <map>
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
// Either a path (`token_file`) or the name of a systemd credential (`token_credential`, a file
// inside $CREDENTIALS_DIRECTORY, resolved when the secret is read: the directory exists only in
// the service's environment, not where the config is checked).
struct SecretFile {
  std::filesystem::path path;
  std::string credential;
  // What errors about the secret may say: the config key that names it ("platform.token_file"),
  // and its path only when the value was written as one (a token pasted there is not shown).
  std::string key;
  bool show_path = false;
  friend bool operator==(const SecretFile&, const SecretFile&) = default;
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
  std::string timezone;          // oneroster: every organisation's zone (OneRoster has none)
  std::map<std::string, mapping::OrgKind> org_kinds;  // oneroster: by org sourcedId
  bool homerooms_only = false;   // oneroster: only classType=homeroom classes become groups
  friend bool operator==(const SourceConfig&, const SourceConfig&) = default;
};

struct SchoolConfig {
  std::string id;  // the organisation id in the journal
  SourceConfig source;
  mapping::Rules rules;  // the defaults' rules with this school's fallback admin
  mapping::Policy policy;
  mapping::Limits limits;
  // Chats an administrator bound to groups (`bindings`): chat key ("class:g-5a") → platform
  // chat id. The sync adopts the bound chat instead of looking for one or creating one.
  std::map<std::string, std::int64_t> bindings;
  // The platform token this school's writes use: a name from `platform.tokens`; empty: the
  // platform's own token (`platform.token_file`). Each token has its own rate budget.
  std::string platform_token;
  // The IANA zone of the school's day ("Asia/Kamchatka"); empty: the journal's organisation
  // record says, else the machine's zone (with a finding).
  std::string timezone;
  // Whether a reload changed the school (a quarantined school is then retried at once).
  friend bool operator==(const SchoolConfig&, const SchoolConfig&) = default;
};

// A platform token besides the platform's own, named in `platform.tokens` and chosen by a
// school's `platform_token`. The budget is the token's, shared by every daemon that uses it.
struct TokenConfig {
  SecretFile token_file;
  double requests_per_second = 3;
  friend bool operator==(const TokenConfig&, const TokenConfig&) = default;
};

// The platform all schools of this config sync to (docs/config.md).
struct PlatformConfig {
  std::string base_url;    // "https://…"; requests go to {base_url}/method/{name}
  SecretFile token_file;   // holds the access token
  double requests_per_second = 3;  // the token's budget: ~3 for a user token, ~20 a community
  int timeout_ms = 10000;
  int batch_size = 25;     // writes per execute request, 1..25
  // Named tokens (schools that have their own): name → token. The platform's own token above
  // is the one a school without `platform_token` uses; its budget's name is "default".
  std::map<std::string, TokenConfig> tokens;
  friend bool operator==(const PlatformConfig&, const PlatformConfig&) = default;
};

// One school's row of the region's settings file (`region.settings_file`): the values the
// row gives, each over the region's. Absent: the region's value stays.
struct SchoolSettings {
  std::optional<mapping::FallbackAdmin> fallback_admin;
  std::optional<int> grace_days;
  std::optional<int> invite_ttl_days;
  std::optional<bool> strict;
  std::optional<bool> restore_removed;
  std::optional<int> max_removals;
  std::optional<double> max_removal_share;
  std::optional<int> max_archives;
  std::optional<double> max_archive_share;
  std::optional<double> max_source_drop;
  std::optional<std::string> timezone;
  std::optional<std::string> platform_token;
  void apply_to(SchoolConfig& school) const;
  friend bool operator==(const SchoolSettings&, const SchoolSettings&) = default;
};

// `region.schools: "all"`: the region's schools are the organisations its http source's
// regional token lists, read at start and every `list_interval_s` (daemon/discovery.h).
struct RegionDiscovery {
  SchoolConfig school;  // what a listed school is made of: the region's settings, no id
  std::vector<std::string> exclude;  // ids never scheduled, listed or not
  int list_interval_s = 3600;
  std::map<std::string, SchoolSettings> settings;  // the settings file's rows, by school id
  friend bool operator==(const RegionDiscovery&, const RegionDiscovery&) = default;
};

enum class StoreKind : std::uint8_t { sqlite, postgres };

struct StoreConfig {
  StoreKind kind = StoreKind::sqlite;
  std::filesystem::path sqlite_path;
  std::string postgres;  // a libpq connection string without a password (use a passfile)
  friend bool operator==(const StoreConfig&, const StoreConfig&) = default;
};

// How `rosterd run` schedules the schools (docs/daemon.md). Durations in seconds.
struct ScheduleConfig {
  int interval_s = 900;          // between a school's successful cycles
  int jitter_s = 60;             // a random 0..jitter_s added to each wait, so schools spread out
  int concurrency = 2;           // workers, each with its own store connection and platform client
  int retry_initial_s = 30;      // the first wait after a failure; doubles, capped at interval_s
  int quarantine_after = 5;      // consecutive failures that quarantine a school
  int quarantine_retry_s = 21600;  // a quarantined school is tried this often until it succeeds
  // How long a school's lease lasts without renewal: a process that dies holding it gives the
  // school to another within this time. Renewed between the steps of a cycle.
  int lease_s = 60;
  // Every managed chat's members are read at least this often (`sync --once --audit` reads
  // them all at once).
  int audit_period_s = 86400;
};

// The HTTP endpoint for /metrics, /healthz and the status page.
struct ObservabilityConfig {
  std::string address = "127.0.0.1";
  int port = 9464;  // 0: pick a free port (logged as daemon.http.listening)
};

enum class LogFormat : std::uint8_t { text, json };

struct LogConfig {
  LogFormat format = LogFormat::text;
  std::string level = "info";  // trace, debug, info, warn, error
};

struct Config {
  std::filesystem::path file;
  std::vector<SchoolConfig> schools;
  std::optional<PlatformConfig> platform;  // required by sync and run, not by plan
  std::optional<StoreConfig> store;        // required by sync, run and approve
  ScheduleConfig schedule;
  ObservabilityConfig observability;
  LogConfig log;
  // The language of what people read (plans, reports, the status page): "ru" (default) or "en".
  // `--lang` overrides it for one command.
  std::string language = "ru";
  // Set when `region.schools` is "all": `schools` then holds the `schools[]` entries only,
  // until with_listed_schools adds the listed ones.
  std::optional<RegionDiscovery> discovery;
  // What the loader noticed that is no error ("a settings row for a school the region does
  // not have"); config_warnings returns them.
  std::vector<std::string> warnings;

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

// What a valid config allows but deserves a word, each line naming its key: a status server
// listening beyond this machine (`observability.address` not a loopback address).
// `check-config` prints these lines and `run` logs them at start.
[[nodiscard]] std::vector<std::string> config_warnings(const Config& config);

// The config with the region's listed schools (`region.schools: "all"`): one school per id of
// `listed` that is neither excluded nor a `schools[]` entry, made from the region's template
// and its settings row, sorted by id. A config without discovery is returned as it is.
[[nodiscard]] Config with_listed_schools(const Config& config, std::vector<std::string> listed);

// Reads, checks and loads a config file; relative paths are relative to its folder.
[[nodiscard]] Config load_config(const std::filesystem::path& file);

}  // namespace rosterd::daemon
