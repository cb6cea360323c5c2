#pragma once
// Discovery (`region.schools: "all"`, docs/config.md): the region's schools are the
// organisations its http source's regional token lists. The daemon lists at start and every
// `region.list_interval_s`; a one-shot command lists once when it starts.
//
// A school that vanishes from the listing is held, never archived: a journal glitch must not
// archive a region. It is not scheduled and not forgotten, until it is listed again or the
// operator excludes it. A listing that comes back empty, or without more than
// limits.max_source_drop of the schools the last trusted one had, is distrusted like a broken
// journal answer: the missing schools are held and nothing new is added.

#include <chrono>
#include <functional>
#include <thread>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <atomic>
#include <memory>

#include "daemon/config.h"
#include "daemon/event_log.h"

namespace rosterd::daemon {

// The ids the region's http source lists, as the journal gives them. Throws (a journal error,
// an unreadable token: the message names the key or the request, never the token).
[[nodiscard]] std::vector<std::string> list_region(const Config& config,
                                                   std::function<bool()> stop_requested = {});

// For a one-shot command: the config with the listed schools (with_listed_schools); a config
// without discovery as it is. Throws a std::runtime_error saying the listing failed.
[[nodiscard]] Config listed_config(const Config& config);

// Why a school of the region is held.
enum class HeldReason : std::uint8_t {
  vanished,    // the last trusted listing does not show it
  distrusted,  // a distrusted listing did not show it
};
[[nodiscard]] std::string_view name(HeldReason reason) noexcept;

// What one listing changed.
struct ListingChange {
  std::vector<std::string> added;     // new: scheduled now
  std::vector<std::string> vanished;  // scheduled before, held now
  std::vector<std::string> returned;  // held before, scheduled again
  bool distrusted = false;
  std::size_t dropped = 0;  // schools of the last trusted listing it did not show
  std::size_t baseline = 0;  // how many the last trusted listing showed
};

// The region between listings: which listed schools are scheduled and which held. Pure: no
// I/O, no clock.
class RegionListing {
 public:
  // A listing (`listed`: ids as the journal gave them). `exclude` is dropped from everything,
  // held schools too; `max_drop` is the region's limits.max_source_drop.
  ListingChange take(const std::vector<std::string>& listed, const std::vector<std::string>& exclude,
                     double max_drop);
  // Forgets `exclude` wherever it is: an excluded school is neither scheduled nor held.
  void drop(const std::vector<std::string>& exclude);
  [[nodiscard]] std::vector<std::string> scheduled() const;  // sorted
  [[nodiscard]] const std::map<std::string, HeldReason>& held() const noexcept { return held_; }

 private:
  std::set<std::string> scheduled_;
  std::map<std::string, HeldReason> held_;
  std::set<std::string> trusted_;  // the last trusted listing, minus exclude
};

// The daemon's listings, run on a thread of their own so that a slow journal never stalls the
// scheduling loop. `wake` is called when a listing finishes.
class Discoverer {
 public:
  using clock = std::chrono::steady_clock;
  explicit Discoverer(std::function<void()> wake);
  ~Discoverer();  // waits for a listing in flight (it gives up its retries: stop_requested)
  Discoverer(const Discoverer&) = delete;
  Discoverer& operator=(const Discoverer&) = delete;

  // Starts a listing when the config discovers, one is due (or `now_please`) and none runs.
  void start_if_due(const Config& config, clock::time_point now, bool now_please = false);
  // A finished listing: its ids, or the error that ended it; nullopt while none finished.
  struct Finished {
    std::optional<std::vector<std::string>> ids;
    std::string error;
  };
  [[nodiscard]] std::optional<Finished> take_finished();
  // A failed listing is tried again by `when` (a minute, not a whole interval, later).
  void retry_by(clock::time_point when);
  // When the next listing is due; nullopt while one runs or the config does not discover.
  [[nodiscard]] std::optional<clock::time_point> next_due() const;

 private:
  // What the listing thread hands over: its result is in place before `wake` is called, so the
  // loop that wakes always finds it.
  struct Shared;
  std::function<void()> wake_;
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
  bool running_ = false;
  std::optional<clock::time_point> due_;  // nullopt: list at the first chance
  int interval_s_ = 3600;
  bool discovers_ = false;
};

// The daemon's hook: the config as loaded (start, reload) and the listings turn into the
// config the daemon runs (the loaded one with the scheduled listed schools), logged.
class RegionWatch {
 public:
  using clock = std::chrono::steady_clock;
  RegionWatch(EventLog& log, std::function<void()> wake);

  // A config as loaded: what runs at once is it with the schools listed so far; a config that
  // discovers is listed again at once.
  void set_loaded(std::shared_ptr<const Config> loaded, clock::time_point now);
  // Starts a listing when one is due; when one finished, the config to run from now on.
  [[nodiscard]] std::shared_ptr<const Config> poll(clock::time_point now);
  [[nodiscard]] std::shared_ptr<const Config> current() const { return current_; }
  // The held schools, id → reason name ("vanished", "distrusted").
  [[nodiscard]] std::map<std::string, std::string> held() const;
  [[nodiscard]] std::optional<clock::time_point> next_due() const { return discoverer_.next_due(); }

 private:
  void log_change(const ListingChange& change, std::size_t listed);

  EventLog& log_;
  Discoverer discoverer_;
  RegionListing listing_;
  std::shared_ptr<const Config> loaded_;
  std::shared_ptr<const Config> current_;
  bool listed_once_ = false;
};

}  // namespace rosterd::daemon
