#include "daemon/runtime.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <system_error>

#include "daemon/cli.h"
#include "daemon/discovery.h"
#include "daemon/event_log.h"
#include "daemon/membership.h"
#include "daemon/notify.h"
#include "daemon/observability.h"
#include "daemon/schedule.h"
#include "daemon/signals.h"
#include "daemon/wall_clock.h"
#include "daemon/wiring.h"
#include "daemon/worker_pool.h"

namespace rosterd::daemon {

namespace {

using steady = std::chrono::steady_clock;

std::vector<std::string> school_ids(const Config& config) {
  std::vector<std::string> ids;
  for (const auto& s : config.schools) ids.push_back(s.id);
  return ids;
}

// partial schedules as a success: its unsent writes are mostly the platform's rate limits
// (6, 9, 29), which an earlier retry would only meet again; the next interval plans them again.
CycleOutcome outcome_of(const SyncResult& r) {
  switch (r.result) {
    case mapping::CycleResult::ok:
    case mapping::CycleResult::unchanged:
    case mapping::CycleResult::partial:
    case mapping::CycleResult::held: return CycleOutcome::success;
    case mapping::CycleResult::stopped: return CycleOutcome::stopped;
    case mapping::CycleResult::leased: return CycleOutcome::leased;
    case mapping::CycleResult::source_failure:
    case mapping::CycleResult::failed: return CycleOutcome::failure;
  }
  return CycleOutcome::failure;
}

// What a reload cannot change in a running process; named in a warning.
std::string needs_restart(const Config& was, const Config& now) {
  std::string keys;
  const auto add = [&](bool changed, const char* key) {
    if (!changed) return;
    if (!keys.empty()) keys += ',';
    keys += key;
  };
  add(was.schedule.concurrency != now.schedule.concurrency, "schedule.concurrency");
  add(was.observability.address != now.observability.address ||
          was.observability.port != now.observability.port,
      "observability");
  add(was.log.format != now.log.format || was.log.level != now.log.level, "log");
  return keys;
}

// Wakes the loop's poll() when a worker finishes a cycle.
class WakeFd {
 public:
  WakeFd() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  }
  ~WakeFd() { ::close(fd_); }
  WakeFd(const WakeFd&) = delete;
  WakeFd& operator=(const WakeFd&) = delete;
  void wake() const {
    const std::uint64_t one = 1;
    (void)!::write(fd_, &one, sizeof one);
  }
  void drain() const {
    std::uint64_t n = 0;
    (void)!::read(fd_, &n, sizeof n);
  }
  [[nodiscard]] int fd() const noexcept { return fd_; }

 private:
  int fd_;
};

// `POST /schools/<id>/retry` arrives on an HTTP thread, but the schedule belongs to the
// scheduling loop: the request waits here, the loop is woken and answers it.
class RetryMailbox {
 public:
  explicit RetryMailbox(std::function<void()> wake) : wake_(std::move(wake)) {}

  // On an HTTP thread: the loop's answer, or `unavailable` when it does not come in time.
  RetryAnswer ask(const std::string& id) {
    std::future<RetryAnswer> answer;
    {
      const std::lock_guard lock(mutex_);
      if (closed_) return RetryAnswer::unavailable;
      requests_.emplace_back(id, std::promise<RetryAnswer>());
      answer = requests_.back().second.get_future();
    }
    wake_();
    if (answer.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
      return RetryAnswer::unavailable;
    return answer.get();
  }

  // On the loop: each waiting request decided by `decide`.
  template <class Decide>
  void answer(Decide decide) {
    std::deque<std::pair<std::string, std::promise<RetryAnswer>>> requests;
    {
      const std::lock_guard lock(mutex_);
      requests.swap(requests_);
    }
    for (auto& [id, promise] : requests) promise.set_value(decide(id));
  }

  // Stopping: every request, waiting or to come, is answered `unavailable`.
  void close() {
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
    }
    answer([](const std::string&) { return RetryAnswer::unavailable; });
  }

 private:
  std::function<void()> wake_;
  std::mutex mutex_;
  bool closed_ = false;
  std::deque<std::pair<std::string, std::promise<RetryAnswer>>> requests_;
};

// What a school's page reads from the store, with a connection of its own (the workers'
// connections are theirs): runs, held actions, numbers.
SchoolDetail read_school_detail(const Config& config, const std::string& id) {
  SchoolDetail detail;
  try {
    const auto store = open_store(config);
    detail.runs = store->runs(id, 10);
    detail.held = store->held(id);
    detail.numbers = store->numbers(id);
  } catch (const std::exception& e) {
    detail.error = e.what();
  }
  return detail;
}

// The language of what people read: --lang, else the config's.
void speak(const RunOptions& options, const Config& config) {
  set_language(options.language.value_or(parse_language(config.language).value_or(Language::ru)));
}

// A quarantined school is tried again at once when a reload changed what it runs with: its own
// settings, or the platform or store every school shares.
bool changed_for(const Config& was, const Config& now, const SchoolConfig& school) {
  const SchoolConfig* before = was.find_school(school.id);
  return before == nullptr || !(*before == school) || was.platform != now.platform ||
         was.store != now.store;
}

class Daemon {
 public:
  Daemon(const RunOptions& options, std::shared_ptr<const Config> config, EventLog& log,
         const SignalWatcher& signals)
      : options_(options),
        config_(std::move(config)),
        log_(log),
        signals_(signals),
        schedule_(config_->schedule, std::random_device{}()),
        pool_(static_cast<std::size_t>(config_->schedule.concurrency), [this] { wake_.wake(); }) {}

  int run() {
    start();
    while (!stopping_) {
      wait_for_event(std::chrono::duration_cast<std::chrono::milliseconds>(until_next_due()));
      handle_signals();
      discover();
      follow_region();
      collect_finished();
      answer_retries();
      if (!stopping_) dispatch_due();
      keep_watchdog();
    }
    return drain();
  }

 private:
  void start();
  void wait_for_event(std::chrono::milliseconds longest);
  void handle_signals();
  void discover();
  void show_schools(const Config& config);
  void collect_finished();
  void report(const CycleDone& done, const NextRun& next);
  void dispatch_due();
  void keep_watchdog();
  void reload();
  void retry_changed(const Config& was);
  void answer_retries();
  [[nodiscard]] StatusHooks status_hooks();
  [[nodiscard]] std::shared_ptr<const Config> current_config() const;
  void begin_stop();
  int drain();
  void join_region();
  void follow_region();
  void publish_region();
  [[nodiscard]] std::vector<std::string> own(const Config& config);
  [[nodiscard]] steady::duration until_next_due() const;

  const RunOptions& options_;
  std::shared_ptr<const Config> config_;
  EventLog& log_;
  const SignalWatcher& signals_;
  ServiceNotifier notifier_;
  WakeFd wake_;
  Observatory observatory_;
  RetryMailbox retries_{[this] { wake_.wake(); }};
  RegionWatch region_{log_, [this] { wake_.wake(); }};  // region.schools "all" (discovery.h)
  mutable std::mutex config_mutex_;                     // config_ as the HTTP threads read it
  std::unique_ptr<StatusServer> server_;
  std::unique_ptr<Membership> membership_;
  std::uint64_t region_version_ = 0;  // the membership view the schedule follows
  Schedule schedule_;
  WorkerPool pool_;
  bool stopping_ = false;
  steady::time_point last_watchdog_{};
};

void Daemon::start() {
  region_.set_loaded(config_, steady::now());
  config_ = region_.current();
  const auto ids = school_ids(*config_);
  show_schools(*config_);
  server_ = std::make_unique<StatusServer>(observatory_, config_->observability.address,
                                           config_->observability.port, status_hooks());
  log_.info("daemon.http.listening",
            {{"address", config_->observability.address}, {"port", server_->port()}});
  for (const auto& warning : config_warnings(*config_))
    log_.warn("config.warning", {{"warning", warning}});
  join_region();
  const auto mine = own(*config_);
  (void)schedule_.set_schools(mine, config_->schedule, steady::now());
  publish_region();
  log_.info("daemon.started", {{"schools", ids.size()},
                               {"owned", mine.size()},
                               {"name", lease_holder_name()},
                               {"concurrency", config_->schedule.concurrency},
                               {"interval_s", config_->schedule.interval_s}});
  notifier_.ready();
  notifier_.status(observatory_.status_line());
  if (const auto period = notifier_.watchdog_period()) {
    log_.info("daemon.watchdog.enabled",
              {{"period_ms", static_cast<long long>(period->count() / 1000)}});
  }
  keep_watchdog();
}

steady::duration Daemon::until_next_due() const {
  steady::duration wait = std::chrono::seconds(60);
  if (!stopping_) {
    for (const auto due : {schedule_.next_due(), region_.next_due()}) {
      if (due) wait = std::min(wait, std::max(steady::duration::zero(), *due - steady::now()));
    }
  }
  if (const auto period = notifier_.watchdog_period()) {
    const auto left = last_watchdog_ + *period - steady::now();
    wait = std::min(wait, std::max(steady::duration::zero(), left));
  }
  // Round up, so the loop does not spin on a due time a fraction of a millisecond away.
  return wait + std::chrono::milliseconds(1);
}

void Daemon::wait_for_event(std::chrono::milliseconds longest) {
  pollfd fds[2] = {{signals_.fd(), POLLIN, 0}, {wake_.fd(), POLLIN, 0}};
  const int timeout = static_cast<int>(std::min<long long>(longest.count(), 60'000));
  if (::poll(fds, 2, timeout) > 0 && (fds[1].revents & POLLIN) != 0) wake_.drain();
}

void Daemon::handle_signals() {
  for (auto sig = signals_.take(); sig != DaemonSignal::none; sig = signals_.take()) {
    if (sig == DaemonSignal::reload && !stopping_) {
      reload();
    } else if (sig == DaemonSignal::terminate && stopping_) {
      // The second SIGTERM: stop now. The action log makes this as safe as a crash.
      log_.warn("daemon.stopped.forced", {{"in_flight", pool_.busy()}});
      std::_Exit(exit_error);
    } else if (sig == DaemonSignal::terminate) {
      begin_stop();
    }
  }
}

// A listing of the region (discovery.h) that finished changes the schools that run.
void Daemon::discover() {
  if (stopping_) return;
  auto next = region_.poll(steady::now());
  if (!next) return;
  (void)schedule_.set_schools(own(*next), next->schedule, steady::now());
  show_schools(*next);
  {
    const std::lock_guard lock(config_mutex_);
    config_ = std::move(next);
  }
  publish_region();
}

// The status page shows the scheduled schools and the held ones (with their reason).
void Daemon::show_schools(const Config& config) {
  auto ids = school_ids(config);
  const auto held = region_.held();
  for (const auto& [id, reason] : held) ids.push_back(id);
  observatory_.set_schools(ids);
  observatory_.set_held(held);
}

std::shared_ptr<const Config> Daemon::current_config() const {
  const std::lock_guard lock(config_mutex_);
  return config_;
}

StatusHooks Daemon::status_hooks() {
  StatusHooks hooks;
  hooks.school_detail = [this](const std::string& id) {
    return read_school_detail(*current_config(), id);
  };
  hooks.retry = [this](const std::string& id) { return retries_.ask(id); };
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(options_.config_file, ec);
  hooks.config_file = (ec ? options_.config_file : absolute).lexically_normal().string();
  return hooks;
}

// `rosterd retry`: the school runs as soon as a worker is free.
void Daemon::answer_retries() {
  retries_.answer([this](const std::string& id) {
    bool running = false;
    if (stopping_) return RetryAnswer::unavailable;
    if (!schedule_.retry_now(id, steady::now(), &running)) return RetryAnswer::unknown_school;
    if (running) return RetryAnswer::running;
    const auto* timing = schedule_.find(id);
    log_.info("school.retry", {{"school", id},
                               {"reason", "asked"},
                               {"quarantined", timing != nullptr && timing->quarantined}});
    return RetryAnswer::queued;
  });
}

void Daemon::begin_stop() {
  stopping_ = true;
  // The others take this daemon's schools at their next heartbeat, not a lease period later.
  membership_->leave();
  log_.info("daemon.region.left", {{"name", lease_holder_name()}});
  retries_.close();
  pool_.request_stop();
  notifier_.stopping();
  log_.info("daemon.stopping", {{"in_flight", pool_.busy()}});
}

void Daemon::collect_finished() {
  for (const auto& done : pool_.take_done()) {
    const auto lease_left =
        done.result.held_by
            ? std::chrono::duration_cast<steady::duration>(done.result.held_by->remaining)
            : steady::duration{};
    const auto next =
        schedule_.finished(done.school_id, outcome_of(done.result), steady::now(), lease_left);
    observatory_.add_platform_calls(done.calls_by_method, done.errors_by_code);
    if (schedule_.find(done.school_id) == nullptr) continue;  // removed by a reload meanwhile
    report(done, next);
  }
}

void Daemon::report(const CycleDone& done, const NextRun& next) {
  const auto next_at =
      std::chrono::system_clock::now() +
      std::chrono::duration_cast<std::chrono::system_clock::duration>(next.due - steady::now());
  CycleReport r;
  r.school_id = done.school_id;
  r.org_name = done.org_name;
  r.result = &done.result;
  r.duration_s = done.duration_s;
  r.finished_at = done.finished_at;
  r.finished_unix = done.finished_unix;
  r.consecutive_failures = next.consecutive_failures;
  r.quarantined = next.quarantined;
  r.next_run_at = utc_iso(next_at);
  observatory_.record_cycle(r);

  const auto summary = mapping::summarize(done.result.plan);
  const auto w = done.result.writes.total();
  LogFields fields{{"school", done.school_id},
                   {"result", std::string(mapping::name(done.result.result))},
                   {"duration_s", done.duration_s},
                   {"actions", summary.total()},
                   {"held", summary.total_held()},
                   {"written", w.done},
                   {"rejected", w.rejected},
                   {"unknown", w.unknown},
                   {"not_sent", w.not_sent},
                   {"chats_read", done.result.chats_read},
                   {"failures", next.consecutive_failures},
                   {"next_in_s", std::chrono::duration<double>(next.due - steady::now()).count()}};
  if (!done.result.error.empty()) fields.emplace_back("error", done.result.error);
  if (outcome_of(done.result) == CycleOutcome::failure) {
    log_.warn("sync.cycle.finished", fields);
  } else {
    log_.info("sync.cycle.finished", fields);
  }
  for (const auto& chat : done.result.replaced_hand_outs) {
    log_.warn("sync.invite.replaced",
              {{"school", done.school_id},
               {"chat", chat},
               {"message",
                "a link handed out to families was replaced: hand out the new one "
                "(rosterd report invites)"}});
  }
  if (next.entered_quarantine) {
    log_.warn("school.quarantined", {{"school", done.school_id},
                                     {"failures", next.consecutive_failures},
                                     {"retry_s", schedule_.settings().quarantine_retry_s}});
  }
  if (next.recovered) log_.info("school.recovered", {{"school", done.school_id}});
  notifier_.status(observatory_.status_line());
}

void Daemon::dispatch_due() {
  const auto idle = pool_.size() - std::min(pool_.size(), pool_.busy());
  if (idle == 0) return;
  for (auto& id : schedule_.take_due(steady::now(), idle)) {
    log_.debug("sync.cycle.started", {{"school", id}});
    pool_.submit({config_, std::move(id), local_today(), utc_now_iso()});
  }
}

void Daemon::keep_watchdog() {
  const auto period = notifier_.watchdog_period();
  if (!period) return;
  const auto now = steady::now();
  if (now - last_watchdog_ < *period) return;
  notifier_.watchdog();
  last_watchdog_ = now;
}

// Load and check the whole new config through the same function as the first load; apply it
// only if it is valid. Cycles in flight finish under the config they started with.
void Daemon::reload() {
  notifier_.reloading();
  log_.info("daemon.reload.started");
  try {
    region_.set_loaded(
        std::make_shared<const Config>(load_daemon_config(options_.config_file, SecretCheck::all)),
        steady::now());
    auto next = region_.current();
    const auto restart = needs_restart(*config_, *next);
    membership_->set_ttl(std::chrono::seconds(next->schedule.lease_s));
    const auto change = schedule_.set_schools(own(*next), next->schedule, steady::now());
    show_schools(*next);
    const auto was = config_;
    {
      const std::lock_guard lock(config_mutex_);
      config_ = std::move(next);
    }
    publish_region();
    speak(options_, *config_);
    retry_changed(*was);
    observatory_.set_reload_result(true, utc_now_iso(), "");
    log_.info("daemon.reload.finished", {{"schools", config_->schools.size()},
                                         {"added", change.added.size()},
                                         {"removed", change.removed.size()}});
    if (!restart.empty()) log_.warn("daemon.reload.restart_needed", {{"keys", restart}});
  } catch (const std::exception& e) {
    // ConfigError lists key paths and messages; it never quotes a secret's content.
    std::string error = e.what();
    std::replace(error.begin(), error.end(), '\n', ';');
    observatory_.set_reload_result(false, utc_now_iso(), error);
    log_.error("daemon.reload.failed", {{"error", error}});
  }
  notifier_.ready();
  notifier_.status(observatory_.status_line());
}

void Daemon::retry_changed(const Config& was) {
  for (const auto& school : config_->schools) {
    const auto* timing = schedule_.find(school.id);
    if (timing == nullptr || !timing->quarantined || !changed_for(was, *config_, school)) continue;
    if (schedule_.retry_now(school.id, steady::now()))
      log_.info("school.retry", {{"school", school.id}, {"reason", "config_changed"}});
  }
}

// Registers this daemon among the region's (docs/region.md): its heartbeat runs on a thread
// of its own and wakes the loop when the members change.
void Daemon::join_region() {
  membership_ = std::make_unique<Membership>(
      lease_holder_name(), [this] { return open_store(*current_config()); },
      std::chrono::seconds(config_->schedule.lease_s), [this] { wake_.wake(); });
  region_version_ = membership_->view().version;
  const auto view = membership_->view();
  if (!view.error.empty()) log_.warn("daemon.region.heartbeat_failed", {{"error", view.error}});
  log_.info("daemon.region.joined", {{"name", view.self}, {"members", view.members.size()}});
}

// The status page's and /metrics' view of the region: who is alive, who syncs each school.
void Daemon::publish_region() {
  const auto view = membership_->view();
  const auto members = view.known ? view.names() : std::vector<std::string>{view.self};
  observatory_.set_region({view.self, view.members}, owners(school_ids(*config_), members));
}

std::vector<std::string> Daemon::own(const Config& config) {
  return own_schools(school_ids(config), membership_->view());
}

// A daemon came or went: the schools that hash to this one now are scheduled, the others left
// to their new owner (a cycle running now finishes first).
void Daemon::follow_region() {
  if (stopping_) return;
  const auto view = membership_->view();
  if (view.version == region_version_) return;
  region_version_ = view.version;
  const auto mine = own(*config_);
  const auto change = schedule_.set_schools(mine, config_->schedule, steady::now());
  publish_region();
  log_.info("daemon.region.changed", {{"members", view.members.size()},
                                      {"owned", mine.size()},
                                      {"taken", change.added.size()},
                                      {"given_up", change.removed.size()}});
}

// Cycles in flight record the batch they are sending and stop; a second SIGTERM cuts it short.
int Daemon::drain() {
  while (pool_.busy() > 0) {
    wait_for_event(std::chrono::duration_cast<std::chrono::milliseconds>(until_next_due()));
    handle_signals();
    collect_finished();
    keep_watchdog();
  }
  collect_finished();
  server_.reset();
  log_.info("daemon.stopped");
  return exit_ok;
}

}  // namespace

int run_daemon(const RunOptions& options, std::ostream& err) {
  const SignalWatcher signals;  // before any thread starts, so all of them inherit the mask
  std::shared_ptr<const Config> config;
  try {
    config =
        std::make_shared<const Config>(load_daemon_config(options.config_file, SecretCheck::all));
  } catch (const std::exception& e) {
    err << e.what() << "\n";
    return exit_error;
  }
  speak(options, *config);
  EventLog log(options.log_format.value_or(config->log.format), config->log.level);
  // What check-config warns about (a token file every user can read) is worth a line at start.
  for (const auto& warning : secret_warnings(*config))
    log.warn("config.secret", {{"warning", warning}});
  try {
    Daemon daemon(options, std::move(config), log, signals);
    return daemon.run();
  } catch (const std::exception& e) {
    log.error("daemon.failed", {{"error", e.what()}});
    return exit_error;
  }
}

}  // namespace rosterd::daemon
