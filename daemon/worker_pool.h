#pragma once
// The workers of `rosterd run`: each runs one school's cycle at a time with its own state store
// connection and its own platform client per token (neither is thread-safe); clients of one
// token share one rate budget, which the store shares with the other daemons of the region
// (daemon/shared_budget.h). A job carries the config it was scheduled under, so after a reload each
// worker picks up the new settings with its next cycle. Finished cycles queue up for the
// scheduling loop, which is woken through `on_done`.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/platform/rate_limiter.h"
#include "adapters/platform/request_combiner.h"
#include "daemon/config.h"
#include "daemon/sync.h"
#include "daemon/wiring.h"

namespace rosterd::daemon {

struct CycleJob {
  std::shared_ptr<const Config> config;
  std::string school_id;  // a school of *config
  mapping::Date today;
  std::string started_at;  // ISO 8601 UTC
};

struct CycleDone {
  std::string school_id;
  std::string org_name;  // empty unless the journal answered
  SyncResult result;
  double duration_s = 0;
  std::string finished_at;
  double finished_unix = 0;
  // Platform calls and errors of this cycle (deltas of the worker's client counters).
  std::map<std::string, std::uint64_t> calls_by_method;
  std::map<std::string, std::uint64_t> errors_by_code;
};

class WorkerPool {
 public:
  WorkerPool(std::size_t workers, std::function<void()> on_done);
  ~WorkerPool();  // asks running cycles to stop, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // The caller submits no more jobs than there are idle workers.
  void submit(CycleJob job);
  [[nodiscard]] std::vector<CycleDone> take_done();
  // Cycles in flight stop after recording the platform batch they are sending; no new job
  // starts.
  void request_stop() noexcept { stop_.store(true); }
  [[nodiscard]] std::size_t busy() const;
  [[nodiscard]] std::size_t size() const noexcept { return threads_.size(); }

 private:
  struct Worker;
  void work(std::size_t index);
  // One budget per token, shared through the store with every daemon of the region, and one
  // combiner over it, so the workers' calls of one token fill each other's requests.
  [[nodiscard]] std::shared_ptr<adapters::platform::RequestCombiner> combiner_for(
      const std::shared_ptr<const Config>& config, const std::string& token);
  [[nodiscard]] adapters::platform::VkPlatform& client_for(Worker& worker,
                                                          const std::string& token);

  std::function<void()> on_done_;
  JournalCache journals_;  // an HTTP journal's ETag and a OneRoster folder outlive a cycle
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<CycleJob> jobs_;
  std::vector<CycleDone> done_;
  std::size_t busy_ = 0;
  bool closing_ = false;
  std::mutex limiter_mutex_;
  std::map<std::string, std::shared_ptr<adapters::platform::RateLimiter>> limiters_;
  std::map<std::string, std::shared_ptr<adapters::platform::RequestCombiner>> combiners_;
  std::vector<std::thread> threads_;
};

}  // namespace rosterd::daemon
