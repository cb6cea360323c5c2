#include "daemon/worker_pool.h"

#include <chrono>
#include <utility>

#include "adapters/platform/vk_platform.h"
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

// Which rate limiter a platform config uses: one per token, at the configured rate.
std::string limiter_key(const PlatformConfig& p) {
  return p.token_file.path.string() + "\n" + p.token_file.credential + "\n" +
         std::to_string(p.requests_per_second);
}

}  // namespace

// A worker's connections, opened for one config and reopened after a reload.
struct WorkerPool::Worker {
  std::shared_ptr<const Config> config;
  std::unique_ptr<mapping::StateStore> store;
  std::unique_ptr<adapters::platform::VkPlatform> platform;
  adapters::platform::PlatformCounters seen;
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

std::shared_ptr<adapters::platform::RateLimiter> WorkerPool::limiter_for(
    const PlatformConfig& platform) {
  std::lock_guard lock(limiter_mutex_);
  auto& limiter = limiters_[limiter_key(platform)];
  if (!limiter)
    limiter = std::make_shared<adapters::platform::RateLimiter>(platform.requests_per_second);
  return limiter;
}

namespace {

CycleDone run_cycle(const CycleJob& job, JournalCache& journals, mapping::StateStore& store,
                    mapping::Platform& platform, const StopRequested& stop, std::string& org_name) {
  CycleDone done;
  done.school_id = job.school_id;
  const SchoolConfig* school = job.config->find_school(job.school_id);
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
    try {
      if (worker.config != job.config) {  // first job, or the config was reloaded
        worker.platform.reset();
        worker.store.reset();
        worker.seen = {};
        worker.store = open_store(*job.config);
        worker.platform = open_platform(*job.config, limiter_for(*job.config->platform),
                                        [this] { return stop_.load(); });
        worker.config = job.config;
      }
      done = run_cycle(
          job, journals_, *worker.store, *worker.platform, [this] { return stop_.load(); },
          org_name);
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
    if (worker.platform) {
      const auto counters = worker.platform->counters();
      done.calls_by_method = delta(counters.calls_by_method, worker.seen.calls_by_method);
      done.errors_by_code = delta(counters.errors_by_code, worker.seen.errors_by_code);
      worker.seen = counters;
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
