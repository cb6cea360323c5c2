#include "daemon/wiring.h"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "adapters/export/export_reader.h"
#include "adapters/journal_http/http_journal.h"
#include "adapters/oneroster/oneroster.h"
#include "adapters/snapshot/snapshot.h"
#include "adapters/store/store.h"
#include "daemon/wall_clock.h"

namespace rosterd::daemon {
namespace {

class ExportJournal final : public mapping::JournalSource {
 public:
  explicit ExportJournal(std::filesystem::path folder) : folder_(std::move(folder)) {}
  [[nodiscard]] mapping::JournalAnswer fetch() override {
    return {std::make_shared<const mapping::Roster>(adapters::export_folder::read_export(folder_)),
            false};
  }

 private:
  std::filesystem::path folder_;
};

// The config key an error about a secret names; its value is never quoted.
std::string secret_key(const SecretFile& file) {
  if (!file.key.empty()) return file.key;
  return file.credential.empty() ? "token_file" : "token_credential";
}

}  // namespace

namespace {
std::filesystem::path credentials_flag;  // --credentials-dir; set once, before any thread starts
}  // namespace

void set_credentials_directory(const std::filesystem::path& dir) {
  credentials_flag = dir;
}

std::optional<std::filesystem::path> credentials_directory() {
  if (!credentials_flag.empty()) return credentials_flag;
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (dir == nullptr || *dir == '\0') return std::nullopt;
  return std::filesystem::path(dir);
}

std::filesystem::path secret_path(const SecretFile& file) {
  if (file.credential.empty()) return file.path;
  const auto dir = credentials_directory();
  if (!dir) {
    throw std::runtime_error(secret_key(file) +
                             ": $CREDENTIALS_DIRECTORY is not set (LoadCredential= in the unit; "
                             "by hand: --credentials-dir DIR)");
  }
  return *dir / file.credential;
}

namespace {

// How errors and warnings name a secret's file: the path only when the value was written as one;
// a credential's file by its folder (its name is the key's value, never repeated).
std::string shown_file(const SecretFile& secret, const std::filesystem::path& path) {
  if (!secret.credential.empty()) return "the credential's file in " + path.parent_path().string();
  if (secret.show_path) return path.string();
  return "the file it names (not shown: the value does not look like a path; write it as /… or "
         "./… to see it here)";
}

// Why a file cannot be opened: missing, or the system's reason.
std::string unreadable_because(const std::filesystem::path& path, int open_errno) {
  std::error_code ec;
  if (std::filesystem::status(path, ec).type() == std::filesystem::file_type::not_found)
    return "no such file";
  return std::strerror(open_errno);
}

}  // namespace

// Errors name the config key and, when the value was written as a path, the file: a token
// pasted where its file belongs must not come back in the message.
std::string read_secret(const SecretFile& secret) {
  const auto path = secret_path(secret);
  const std::string file = shown_file(secret, path);
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw std::runtime_error(secret_key(secret) + ": cannot read " + file + ": not a regular file");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error(secret_key(secret) + ": cannot read " + file + ": " +
                             unreadable_because(path, errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string value = text.str();
  const auto first = value.find_first_not_of(" \t\r\n");
  const auto last = value.find_last_not_of(" \t\r\n");
  if (first == std::string::npos) throw std::runtime_error(secret_key(secret) + ": empty: " + file);
  return value.substr(first, last - first + 1);
}

std::vector<NamedSecret> config_secrets(const Config& config) {
  std::vector<NamedSecret> out;
  const auto add = [&out](const SecretFile& secret, std::string who) {
    for (const auto& known : out) {
      if (*known.secret == secret) return;  // a region's schools share their source's token
    }
    out.push_back({&secret, std::move(who)});
  };
  if (config.platform) {
    add(config.platform->token_file, "");
    for (const auto& [name, token] : config.platform->tokens)
      add(token.token_file, "");  // its key names the token
  }
  if (config.discovery) add(config.discovery->school.source.token_file, "");
  for (const auto& school : config.schools) {
    if (school.source.type == SourceType::http)
      add(school.source.token_file, "school " + school.id + ": ");
  }
  return out;
}

std::vector<std::string> secret_warnings(const Config& config) {
  std::vector<std::string> out;
  for (const auto& [secret, who] : config_secrets(config)) {
    if (!secret->credential.empty() && !credentials_directory()) {
      out.push_back(who + secret_key(*secret) +
                    ": not checked: the credential is read from $CREDENTIALS_DIRECTORY, which "
                    "only the service has; check it with --credentials-dir DIR (the folder of "
                    "the files the unit's LoadCredential= lines load, e.g. /etc/rosterd)");
      continue;
    }
    std::filesystem::path path;
    try {
      path = secret_path(*secret);
    } catch (const std::exception&) {
      continue;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;  // an error already
    if ((st.st_mode & S_IROTH) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
      out.push_back(who + secret_key(*secret) + ": " + shown_file(*secret, path) +
                    " is readable by every user of this machine (mode " + mode + "): chmod 0600 " +
                    (secret->credential.empty()
                         ? "it, and give it to the service as a credential (LoadCredential= "
                           "and token_credential)"
                         : "it (systemd reads it as root)"));
    }
  }
  return out;
}

Config load_daemon_config(const std::filesystem::path& file, SecretCheck check) {
  auto config = load_config(file);
  std::vector<std::string> problems;
  if (!config.platform) problems.emplace_back("platform: missing (rosterd run needs it)");
  if (!config.store) problems.emplace_back("store: missing (rosterd run needs it)");
  for (const auto& [secret, who] :
       check == SecretCheck::none ? std::vector<NamedSecret>{} : config_secrets(config)) {
    // check-config leaves a credential it cannot see to secret_warnings.
    if (check == SecretCheck::visible && !secret->credential.empty() && !credentials_directory())
      continue;
    try {
      (void)read_secret(*secret);
    } catch (const std::exception& e) {
      problems.push_back(who + e.what());  // names the key and maybe the file, never what it holds
    }
  }
  if (!problems.empty()) throw ConfigError(file.string(), std::move(problems));
  return config;
}

namespace {

adapters::journal_http::HttpJournalOptions http_options(const SchoolConfig& school,
                                                        std::function<bool()> stop_requested) {
  adapters::journal_http::HttpJournalOptions options;
  options.stop_requested = std::move(stop_requested);
  options.base_url = school.source.base_url;
  options.token = read_secret(school.source.token_file);
  options.org_id = school.id;
  options.timeout_ms = school.source.timeout_ms;
  return options;
}

adapters::oneroster::Options oneroster_options(const SchoolConfig& school) {
  adapters::oneroster::Options options;
  options.platform_id_type = school.source.platform_id_type;
  options.timezone = school.source.timezone;
  options.org_kinds = school.source.org_kinds;
  options.homerooms_only = school.source.homerooms_only;
  return options;
}

std::string org_kinds_text(const std::map<std::string, mapping::OrgKind>& kinds) {
  std::string text;
  for (const auto& [id, kind] : kinds) text += id + "=" + std::string(mapping::name(kind)) + ";";
  return text;
}

// What makes two schools' sources the same source (and a reloaded one a different one).
std::string fingerprint(const SourceConfig& s) {
  return std::to_string(static_cast<int>(s.type)) + "|" + s.path.string() + "|" + s.base_url +
         "|" + s.token_file.path.string() + "|" + s.token_file.credential + "|" +
         std::to_string(s.timeout_ms) + "|" + s.platform_id_type + "|" + s.timezone + "|" +
         (s.homerooms_only ? "homerooms" : "all") + "|" + org_kinds_text(s.org_kinds);
}

}  // namespace

std::unique_ptr<mapping::JournalSource> open_journal(const SchoolConfig& school,
                                                     std::function<bool()> stop_requested) {
  switch (school.source.type) {
    case SourceType::export_folder: return std::make_unique<ExportJournal>(school.source.path);
    case SourceType::http:
      return adapters::journal_http::open_http_journal(
          http_options(school, std::move(stop_requested)));
    case SourceType::oneroster:
      return std::make_unique<adapters::oneroster::OneRosterJournal>(
          school.source.path, school.id, oneroster_options(school));
  }
  throw std::logic_error("unknown source type");
}

namespace {

// One store connection for the source states of every folder a JournalCache opens; folders read
// from several worker threads, so it is used under a lock and reopened after a failure.
class StateKeeper {
 public:
  StateKeeper(std::shared_ptr<const Config> config, bool save)
      : config_(std::move(config)), save_(save) {}
  [[nodiscard]] bool serves(const Config& config, bool save) const {
    return config_->store == config.store && save_ == save;
  }
  adapters::oneroster::StateKeeping keeping(const std::shared_ptr<StateKeeper>& self) const {
    adapters::oneroster::StateKeeping out;
    out.load = [self](const std::string& key) { return self->load(key); };
    if (save_) {
      out.save = [self](const std::string& key, const std::string& state) {
        self->save(key, state);
      };
    }
    return out;
  }

 private:
  std::optional<std::string> load(const std::string& key) {
    std::lock_guard lock(mutex_);
    try {
      return store().source_state(key);
    } catch (...) {
      store_.reset();
      throw;
    }
  }
  void save(const std::string& key, const std::string& state) {
    std::lock_guard lock(mutex_);
    try {
      store().save_source_state(key, state);
    } catch (...) {
      store_.reset();
      throw;
    }
  }
  mapping::StateStore& store() {
    if (!store_) store_ = open_store(*config_);
    return *store_;
  }

  std::shared_ptr<const Config> config_;
  bool save_ = false;
  std::mutex mutex_;
  std::unique_ptr<mapping::StateStore> store_;
};

}  // namespace

struct JournalCache::State {
  std::function<bool()> stop_requested;
  bool one_shot = false;
  std::shared_ptr<StateKeeper> keeper;  // null: folder states live in memory only
  std::mutex mutex;
  std::map<std::string, std::pair<std::string, std::shared_ptr<mapping::JournalSource>>> schools;
  std::map<std::string, std::shared_ptr<adapters::oneroster::OneRosterFolder>> folders;
};

JournalCache::JournalCache(std::function<bool()> stop_requested, bool one_shot)
    : state_(std::make_unique<State>()) {
  state_->stop_requested = std::move(stop_requested);
  state_->one_shot = one_shot;
}
JournalCache::~JournalCache() = default;

void JournalCache::keep_states(std::shared_ptr<const Config> config, bool save) {
  std::lock_guard lock(state_->mutex);
  if (!config->store) {
    state_->keeper.reset();
    return;
  }
  if (state_->keeper && state_->keeper->serves(*config, save)) return;
  state_->keeper = std::make_shared<StateKeeper>(std::move(config), save);
}

// Only OneRoster journals are kept (their folders are read once for all the schools in them).
// An HTTP or export journal is opened for each cycle and keeps nothing between fetches: the
// HTTP ETag lives in the school's journal mark, so memory does not grow with the schools.
std::shared_ptr<mapping::JournalSource> JournalCache::get(const SchoolConfig& school) {
  if (school.source.type != SourceType::oneroster)
    return open_journal(school, state_->stop_requested);
  const std::string key = fingerprint(school.source);
  std::lock_guard lock(state_->mutex);
  auto& [known, journal] = state_->schools[school.id];
  if (journal && known == key) return journal;
  {
    auto& folder = state_->folders[key];
    if (!folder) {
      folder = std::make_shared<adapters::oneroster::OneRosterFolder>(
          school.source.path, oneroster_options(school),
          state_->keeper ? state_->keeper->keeping(state_->keeper)
                         : adapters::oneroster::StateKeeping{});
      if (state_->one_shot) folder->read_once();
    }
    journal = std::make_shared<adapters::oneroster::OneRosterJournal>(folder, school.id);
  }
  known = key;
  return journal;
}

std::unique_ptr<mapping::StateStore> open_store(const Config& config) {
  if (!config.store) throw std::runtime_error(config.file.string() + ": store: missing");
  if (config.store->kind == StoreKind::postgres)
    return adapters::store::open_postgres_store(config.store->postgres);
  adapters::snapshot::create_private_folders(config.store->sqlite_path.parent_path());
  return adapters::store::open_sqlite_store(config.store->sqlite_path);
}

std::unique_ptr<adapters::platform::VkPlatform> open_platform(const Config& config) {
  return open_platform(config, default_token_name, nullptr);
}

std::string token_name(const SchoolConfig& school) {
  return school.platform_token.empty() ? std::string{default_token_name} : school.platform_token;
}

namespace {

// The secret and budget of the token named so.
std::pair<const SecretFile*, double> named_token(const Config& config, const std::string& token) {
  if (!config.platform) throw std::runtime_error(config.file.string() + ": platform: missing");
  if (token == default_token_name)
    return {&config.platform->token_file, config.platform->requests_per_second};
  const auto it = config.platform->tokens.find(token);
  if (it == config.platform->tokens.end()) {
    throw std::runtime_error(config.file.string() + ": platform.tokens: no token named \"" +
                             token + "\" (a school's platform_token names it)");
  }
  return {&it->second.token_file, it->second.requests_per_second};
}

}  // namespace

double token_rate(const Config& config, const std::string& token) {
  return named_token(config, token).second;
}

std::unique_ptr<adapters::platform::VkPlatform> open_platform(
    const Config& config, const std::string& token,
    std::shared_ptr<adapters::platform::RequestCombiner> combiner,
    std::function<bool()> stop_requested) {
  const auto [secret, rate] = named_token(config, token);
  adapters::platform::PlatformOptions options;
  options.base_url = config.platform->base_url;
  options.token = read_secret(*secret);
  options.requests_per_second = rate;
  options.timeout_ms = config.platform->timeout_ms;
  options.batch_size = config.platform->batch_size;
  options.stop_requested = std::move(stop_requested);
  return std::make_unique<adapters::platform::VkPlatform>(std::move(options), std::move(combiner));
}

SyncSettings sync_settings(const Config& config, const SchoolConfig& school) {
  SyncSettings s;
  s.org_id = school.id;
  s.rules = school.rules;
  s.policy = school.policy;
  s.limits = school.limits;
  if (config.platform) s.batch_size = static_cast<std::size_t>(config.platform->batch_size);
  s.holder = lease_holder_name();
  s.lease_ttl = std::chrono::seconds(config.schedule.lease_s);
  s.now_iso = utc_now_iso;
  s.now_unix = unix_now;
  s.audit_period_s = config.schedule.audit_period_s;
  s.bindings = school.bindings;
  s.timezone = school.timezone;
  s.today_in = today_in_zone;  // the school's day in its zone (mapping/school_day.h)
  s.platform_token = school.platform_token;
  return s;
}

}  // namespace rosterd::daemon
