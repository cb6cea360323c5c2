#include "daemon/worker_pool.h"

#include <chrono>
#include <utility>

#include "adapters/platform/vk_platform.h"
#include "daemon/shared_budget.h"
#include "daemon/wall_clock.h"
#include "daemon/wiring.h"

namespace rosterd::daemon {

namespace {

// Remembers the organisation's name from the journal's answer, for the status page.
class NamedJournal final : public mapping::JournalSource {
 public:
  explicit NamedJournal(std::shared_ptr<mapping::JournalSource> inner) : inner_(std::move(inner)) {}
  [[nodiscard]] mapping::JournalAnswer fetch() override {
    auto answer = inner_->fetch();
    if (answer.roster) name = answer.roster->org.name;
    return answer;
  }
  // Without it no cycle could skip planning: an unchanged journal answers only when asked so.
  [[nodiscard]] mapping::JournalAnswer fetch_if_changed(const std::string& etag) override {
    auto answer = inner_->fetch_if_changed(etag);
    if (answer.roster) name = answer.roster->org.name;
    return answer;
  }
  std::string name;

 private:
  std::shared_ptr<mapping::JournalSource> inner_;
};

std::map<std::string, std::uint64_t> delta(const std::map<std::string, std::uint64_t>& now,
                                           const std::map<std::string, std::uint64_t>& before) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& [key, n] : now) {
    const auto it = before.find(key);
    const auto was = it == before.end() ? 0 : it->second;
    if (n > was) out[key] = n - was;
  }
  return out;
}

// Which budget a token uses: its name, its rate and the store that shares it.
std::string limiter_key(const Config& config, const std::string& token) {
  const auto& store = *config.store;
  return token + "\n" + std::to_string(token_rate(config, token)) + "\n" +
         (store.kind == StoreKind::postgres ? store.postgres : store.sqlite_path.string());
}

// Reserves send slots through a store connection of the budget's own (one per token; the
// budget calls it under its lock). A failed connection is opened again on the next call.
SharedBudget::Reserve reserve_through_store(std::shared_ptr<const Config> config,
                                            std::string token) {
  auto store = std::make_shared<std::unique_ptr<mapping::StateStore>>();
  return [config = std::move(config), token = std::move(token), store](
             std::size_t count, std::chrono::microseconds interval) {
    try {
      if (!*store) *store = open_store(*config);
      return (*store)->reserve_sends(token, count, interval);
    } catch (...) {
      store->reset();
      throw;
    }
  };
}

}  // namespace

// A worker's connections, opened for one config and reopened after a reload: one store, and
// one platform client per token its schools use.
struct WorkerPool::Worker {
  struct Client {
    std::unique_ptr<adapters::platform::VkPlatform> platform;
    adapters::platform::PlatformCounters seen;
  };
  std::shared_ptr<const Config> config;
  std::unique_ptr<mapping::StateStore> store;
  std::map<std::string, Client> clients;
};

WorkerPool::WorkerPool(std::size_t workers, std::function<void()> on_done)
    : on_done_(std::move(on_done)), journals_([this] { return stop_.load(); }) {
  for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this, i] { work(i); });
}

WorkerPool::~WorkerPool() {
  request_stop();
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkerPool::submit(CycleJob job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
    ++busy_;
  }
  wake_.notify_one();
}

std::vector<CycleDone> WorkerPool::take_done() {
  std::lock_guard lock(mutex_);
  return std::exchange(done_, {});
}

std::size_t WorkerPool::busy() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

std::shared_ptr<adapters::platform::RequestCombiner> WorkerPool::combiner_for(
    const std::shared_ptr<const Config>& config, const std::string& token) {
  std::lock_guard lock(limiter_mutex_);
  const std::string key = limiter_key(*config, token);
  auto& limiter = limiters_[key];
  if (!limiter) {
    limiter = std::make_shared<SharedBudget>(token, token_rate(*config, token),
                                             reserve_through_store(config, token));
  }
  // A request goes to one base_url with at most batch_size calls: a reloaded config that
  // changes either gets a combiner of its own over the same budget.
  auto& combiner = combiners_[key + "\n" + config->platform->base_url + "\n" +
                              std::to_string(config->platform->batch_size)];
  if (!combiner) {
    combiner = std::make_shared<adapters::platform::RequestCombiner>(
        limiter, static_cast<std::size_t>(config->platform->batch_size));
  }
  return combiner;
}

adapters::platform::VkPlatform& WorkerPool::client_for(Worker& worker, const std::string& token) {
  auto& client = worker.clients[token];
  if (!client.platform) {
    client.platform = open_platform(*worker.config, token, combiner_for(worker.config, token),
                                    [this] { return stop_.load(); });
  }
  return *client.platform;
}

namespace {

CycleDone run_cycle(const CycleJob& job, const SchoolConfig* school, JournalCache& journals,
                    mapping::StateStore& store, mapping::Platform& platform,
                    const StopRequested& stop, std::string& org_name) {
  CycleDone done;
  done.school_id = job.school_id;
  journals.keep_states(job.config, true);  // a OneRoster delta applies after a restart too
  NamedJournal journal(journals.get(*school));
  SchoolSync sync(sync_settings(*job.config, *school), journal, platform, store);
  done.result = sync.run_once(job.today, job.started_at, stop);
  org_name = journal.name;
  return done;
}

}  // namespace

void WorkerPool::work(std::size_t /*index*/) {
  Worker worker;
  for (;;) {
    CycleJob job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return closing_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    const auto started = std::chrono::steady_clock::now();
    CycleDone done;
    std::string org_name;
    std::string token;
    try {
      if (worker.config != job.config) {  // first job, or the config was reloaded
        worker.clients.clear();
        worker.store.reset();
        worker.store = open_store(*job.config);
        worker.config = job.config;
      }
      const SchoolConfig* school = job.config->find_school(job.school_id);
      token = token_name(*school);
      done = run_cycle(
          job, school, journals_, *worker.store, client_for(worker, token),
          [this] { return stop_.load(); }, org_name);
    } catch (const std::exception& e) {
      // The store or the platform client could not be opened, or the source cannot be built.
      worker.config.reset();
      done.school_id = job.school_id;
      done.result.org_id = job.school_id;
      done.result.result = mapping::CycleResult::failed;
      done.result.error = e.what();
    }
    done.org_name = org_name;
    done.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto now = std::chrono::system_clock::now();
    done.finished_at = utc_iso(now);
    done.finished_unix = std::chrono::duration<double>(now.time_since_epoch()).count();
    if (const auto it = worker.clients.find(token);
        it != worker.clients.end() && it->second.platform) {
      auto& client = it->second;
      const auto counters = client.platform->counters();
      done.calls_by_method = delta(counters.calls_by_method, client.seen.calls_by_method);
      done.errors_by_code = delta(counters.errors_by_code, client.seen.errors_by_code);
      client.seen = counters;
    }
    {
      std::lock_guard lock(mutex_);
      done_.push_back(std::move(done));
      --busy_;
    }
    on_done_();
  }
}

}  // namespace rosterd::daemon
