#pragma once
// The daemon wires ports to adapters from the config: which journal, which platform client,
// which state store. Only this file and the CLI know the adapters' concrete types.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/platform/vk_platform.h"
#include "daemon/config.h"
#include "daemon/sync.h"
#include "mapping/ports.h"

namespace rosterd::daemon {

// Where credentials (`token_credential`) are read from: the folder `--credentials-dir` names
// (set once, before any thread starts), else $CREDENTIALS_DIRECTORY (LoadCredential= in the
// unit), else nowhere.
void set_credentials_directory(const std::filesystem::path& dir);
[[nodiscard]] std::optional<std::filesystem::path> credentials_directory();

// Where a secret is: its path, or its credential's file in credentials_directory() (throws
// naming the key when there is none).
[[nodiscard]] std::filesystem::path secret_path(const SecretFile& file);

// The secret in a file, trimmed of surrounding white space. The one reader of every secret:
// the daemon's clients, the daemon's start and reload checks and `check-config` all use it.
// Throws naming the config key (and the file only when its value was written as a path; never
// the content) when it is missing, not a regular file, unreadable or empty.
[[nodiscard]] std::string read_secret(const SecretFile& file);

// Every secret the config names, once each; `who` says whose it is when the key alone does
// not ("school sch-1: " for a school's own http source).
struct NamedSecret {
  const SecretFile* secret;
  std::string who;
};
[[nodiscard]] std::vector<NamedSecret> config_secrets(const Config& config);

// What `check-config` says beside the problems: a credential it could not check (no
// credentials folder here), a token file every user of the machine can read.
[[nodiscard]] std::vector<std::string> secret_warnings(const Config& config);

// What load_daemon_config does with the secrets: `none`: not read; `all`: every one read
// (`rosterd run`, at start and on each reload); `visible`: every token file, and every
// credential when credentials_directory() has a folder (`check-config`; a credential it cannot
// see is a warning of secret_warnings, not a problem).
enum class SecretCheck : std::uint8_t { none, all, visible };

// load_config plus what `rosterd run` needs: a platform and a store, and the secrets as
// `check` says. The one function behind `check-config`, the first load and every reload.
// Throws ConfigError listing all problems.
[[nodiscard]] Config load_daemon_config(const std::filesystem::path& file, SecretCheck check);

// A school's journal source for one use (`plan`, `sync --once`). `stop_requested` (optional)
// keeps an HTTP journal from retrying once the daemon is stopping.
[[nodiscard]] std::unique_ptr<mapping::JournalSource> open_journal(
    const SchoolConfig& school, std::function<bool()> stop_requested = {});

// A school's journal source for each cycle. OneRoster journals are kept for the daemon's life,
// so that a folder's delta state survives from one cycle to the next and the folder is read once
// for all its schools; an HTTP or export journal is opened anew (an HTTP journal's ETag lives in
// the school's journal mark, so nothing kept grows with the schools). Thread-safe; a school's
// journal is used by one cycle at a time (the scheduler never runs a school twice at once).
// A school whose source settings change (a reload) gets a new journal.
class JournalCache {
 public:
  // `stop_requested` (optional) is handed to every journal the cache opens. A one-shot command
  // (`plan`, `sync --once`) reads each OneRoster folder once for all its schools (`one_shot`);
  // the daemon reads it again each cycle, when its bytes changed.
  explicit JournalCache(std::function<bool()> stop_requested = {}, bool one_shot = false);
  ~JournalCache();
  [[nodiscard]] std::shared_ptr<mapping::JournalSource> get(const SchoolConfig& school);
  // Keeps the state of the OneRoster folders it opens from now on in the config's state store
  // (their delta state then survives a restart), through a connection of its own opened when
  // first needed; `save` false only reads it (`plan`). A config without a store keeps nothing.
  void keep_states(std::shared_ptr<const Config> config, bool save);

 private:
  struct State;
  std::unique_ptr<State> state_;
};
[[nodiscard]] std::unique_ptr<mapping::StateStore> open_store(const Config& config);
// The "default" token's client of a one-shot command, with a rate budget of its own.
[[nodiscard]] std::unique_ptr<adapters::platform::VkPlatform> open_platform(const Config& config);
// The name of the platform token a school's writes use, which names its rate budget too: the
// school's `platform_token`, or "default" (platform.token_file). Never the secret.
inline constexpr const char* default_token_name = "default";
[[nodiscard]] std::string token_name(const SchoolConfig& school);
// The requests per second of the token named so; throws naming the school's key when no such
// token is configured.
[[nodiscard]] double token_rate(const Config& config, const std::string& token);
// The client of the token named so, sharing its requests (and rate budget) with the other
// clients of `combiner` (null: its own). `stop_requested` (optional) keeps the client from
// retrying once the daemon is stopping.
[[nodiscard]] std::unique_ptr<adapters::platform::VkPlatform> open_platform(
    const Config& config, const std::string& token,
    std::shared_ptr<adapters::platform::RequestCombiner> combiner,
    std::function<bool()> stop_requested = {});
[[nodiscard]] SyncSettings sync_settings(const Config& config, const SchoolConfig& school);

}  // namespace rosterd::daemon
