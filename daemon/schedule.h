#pragma once
// When each school runs next: every interval (plus jitter) after a success, exponential backoff
// after a failure, and quarantine (a rare retry) after repeated failures, until a success. On
// the monotonic clock; the caller passes `now`, so tests need no sleeping. Never hands out a
// school that is still running. Not thread-safe: the scheduling loop owns it.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "daemon/config.h"

namespace rosterd::daemon {

// leased: another process held the school; it is tried again when that lease runs out, so a
// school whose holder died is taken over within one lease period.
enum class CycleOutcome : std::uint8_t { success, failure, stopped, leased };

struct SchoolTiming {
  std::chrono::steady_clock::time_point due;
  std::optional<std::chrono::steady_clock::time_point> last_finished;
  std::size_t consecutive_failures = 0;
  bool quarantined = false;
  bool running = false;
  bool removed = false;  // no longer configured; forgotten when its running cycle ends
};

// What finished() decided, for the report and the log.
struct NextRun {
  std::chrono::steady_clock::time_point due;
  std::size_t consecutive_failures = 0;
  bool quarantined = false;
  bool entered_quarantine = false;  // this failure quarantined it
  bool recovered = false;           // a success after failures
};

class Schedule {
 public:
  using clock = std::chrono::steady_clock;

  Schedule(ScheduleConfig settings, std::uint64_t seed);

  struct Change {
    std::vector<std::string> added;
    std::vector<std::string> removed;
  };
  // New schools are due within jitter_s of `now`; a school no longer listed goes (at the end of
  // its cycle if it runs). With new settings, healthy schools wait the new interval from their
  // last cycle; failing ones keep their retry time.
  Change set_schools(const std::vector<std::string>& ids, const ScheduleConfig& settings,
                     clock::time_point now);

  // Up to `max` schools that are due and not running, earliest first; they are now running.
  [[nodiscard]] std::vector<std::string> take_due(clock::time_point now, std::size_t max);
  // `lease_left`: for `leased`, how long the other holder's lease had to run.
  NextRun finished(const std::string& id, CycleOutcome outcome, clock::time_point now,
                   clock::duration lease_left = {});

  // Makes a school due now, whatever its wait (a person asked for it with `rosterd retry`, or
  // its configuration changed while it was quarantined). Its failures count on: a cycle that
  // fails again keeps it quarantined. False when no such school is configured; a running
  // school is left alone (`running` tells).
  bool retry_now(const std::string& id, clock::time_point now, bool* running = nullptr);

  // The earliest due time of a school that is not running.
  [[nodiscard]] std::optional<clock::time_point> next_due() const;
  [[nodiscard]] const SchoolTiming* find(const std::string& id) const;
  [[nodiscard]] std::size_t size() const noexcept { return schools_.size(); }
  [[nodiscard]] const ScheduleConfig& settings() const noexcept { return settings_; }

 private:
  [[nodiscard]] clock::duration jitter();
  [[nodiscard]] clock::duration backoff(std::size_t failures) const;

  ScheduleConfig settings_;
  std::mt19937_64 random_;
  std::map<std::string, SchoolTiming> schools_;
};

}  // namespace rosterd::daemon
