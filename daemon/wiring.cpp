#include "daemon/wiring.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "adapters/export/export_reader.h"
#include "adapters/store/store.h"

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

}  // namespace

std::string read_secret(const SecretFile& file) {
  std::ifstream in(file.path, std::ios::binary);
  if (!in) throw std::runtime_error(file.path.string() + ": cannot read the secret file");
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  const auto first = secret.find_first_not_of(" \t\r\n");
  const auto last = secret.find_last_not_of(" \t\r\n");
  if (first == std::string::npos) throw std::runtime_error(file.path.string() + ": empty");
  return secret.substr(first, last - first + 1);
}

std::unique_ptr<mapping::JournalSource> open_journal(const SchoolConfig& school) {
  switch (school.source.type) {
    case SourceType::export_folder: return std::make_unique<ExportJournal>(school.source.path);
    case SourceType::http:
    case SourceType::oneroster: break;
  }
  throw std::runtime_error("school " + school.id + ": this source type is not built in yet");
}

std::unique_ptr<mapping::StateStore> open_store(const Config& config) {
  if (!config.store) throw std::runtime_error(config.file.string() + ": store: missing");
  if (config.store->kind == StoreKind::postgres)
    return adapters::store::open_postgres_store(config.store->postgres);
  std::filesystem::create_directories(config.store->sqlite_path.parent_path());
  return adapters::store::open_sqlite_store(config.store->sqlite_path);
}

std::unique_ptr<adapters::platform::VkPlatform> open_platform(
    const Config& config, std::shared_ptr<adapters::platform::RateLimiter> limiter) {
  if (!config.platform) throw std::runtime_error(config.file.string() + ": platform: missing");
  adapters::platform::PlatformOptions options;
  options.base_url = config.platform->base_url;
  options.token = read_secret(config.platform->token_file);
  options.requests_per_second = config.platform->requests_per_second;
  options.timeout_ms = config.platform->timeout_ms;
  options.batch_size = config.platform->batch_size;
  return std::make_unique<adapters::platform::VkPlatform>(std::move(options), std::move(limiter));
}

SyncSettings sync_settings(const Config& config, const SchoolConfig& school) {
  SyncSettings s;
  s.org_id = school.id;
  s.rules = school.rules;
  s.policy = school.policy;
  s.limits = school.limits;
  if (config.platform) s.batch_size = static_cast<std::size_t>(config.platform->batch_size);
  return s;
}

}  // namespace rosterd::daemon
