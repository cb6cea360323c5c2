#include "daemon/schedule.h"

#include <algorithm>
#include <set>

namespace rosterd::daemon {

using std::chrono::seconds;

Schedule::Schedule(ScheduleConfig settings, std::uint64_t seed)
    : settings_(settings), random_(seed) {}

Schedule::clock::duration Schedule::jitter() {
  if (settings_.jitter_s <= 0) return clock::duration::zero();
  std::uniform_int_distribution<long long> ms(0, settings_.jitter_s * 1000LL);
  return std::chrono::milliseconds(ms(random_));
}

// retry_initial_s, doubling per consecutive failure, never longer than the interval.
Schedule::clock::duration Schedule::backoff(std::size_t failures) const {
  const long long interval = settings_.interval_s;
  long long wait = settings_.retry_initial_s;
  for (std::size_t i = 1; i < failures && wait < interval; ++i) wait *= 2;
  return seconds(std::min(wait, interval));
}

Schedule::Change Schedule::set_schools(const std::vector<std::string>& ids,
                                       const ScheduleConfig& settings, clock::time_point now) {
  const bool interval_changed = settings.interval_s != settings_.interval_s;
  settings_ = settings;
  Change change;
  const std::set<std::string> wanted(ids.begin(), ids.end());
  for (auto it = schools_.begin(); it != schools_.end();) {
    if (wanted.contains(it->first)) {
      ++it;
      continue;
    }
    if (!it->second.removed) change.removed.push_back(it->first);
    if (it->second.running) {
      it->second.removed = true;
      ++it;
    } else {
      it = schools_.erase(it);
    }
  }
  for (const auto& id : ids) {
    auto [it, added] = schools_.try_emplace(id);
    SchoolTiming& t = it->second;
    if (added) {
      t.due = now + jitter();
      change.added.push_back(id);
    } else if (t.removed) {  // listed again before its last cycle ended
      t.removed = false;
    } else if (interval_changed && t.consecutive_failures == 0 && t.last_finished) {
      t.due = *t.last_finished + seconds(settings_.interval_s) + jitter();
    }
  }
  return change;
}

std::vector<std::string> Schedule::take_due(clock::time_point now, std::size_t max) {
  std::vector<std::pair<clock::time_point, std::string>> due;
  for (const auto& [id, t] : schools_) {
    if (!t.running && !t.removed && t.due <= now) due.emplace_back(t.due, id);
  }
  std::sort(due.begin(), due.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < due.size() && out.size() < max; ++i) {
    schools_[due[i].second].running = true;
    out.push_back(due[i].second);
  }
  return out;
}

NextRun Schedule::finished(const std::string& id, CycleOutcome outcome, clock::time_point now,
                           clock::duration lease_left) {
  NextRun next;
  const auto it = schools_.find(id);
  if (it == schools_.end()) return next;
  SchoolTiming& t = it->second;
  if (t.removed) {
    schools_.erase(it);
    return next;
  }
  t.running = false;
  t.last_finished = now;
  switch (outcome) {
    case CycleOutcome::success:
      next.recovered = t.consecutive_failures > 0;
      t.consecutive_failures = 0;
      t.quarantined = false;
      t.due = now + seconds(settings_.interval_s) + jitter();
      break;
    case CycleOutcome::failure:
      ++t.consecutive_failures;
      if (t.consecutive_failures >= static_cast<std::size_t>(settings_.quarantine_after)) {
        next.entered_quarantine = !t.quarantined;
        t.quarantined = true;
        t.due = now + seconds(settings_.quarantine_retry_s);
      } else {
        t.due = now + backoff(t.consecutive_failures);
      }
      break;
    case CycleOutcome::stopped:
      t.due = now;
      break;  // cut short by shutdown: first next time
    case CycleOutcome::leased:
      // Just after the holder's lease runs out (a live holder renews or releases it first).
      t.due = now + std::clamp<clock::duration>(lease_left, {}, seconds(settings_.lease_s)) +
              std::chrono::milliseconds(250);
      break;
  }
  next.due = t.due;
  next.consecutive_failures = t.consecutive_failures;
  next.quarantined = t.quarantined;
  return next;
}

bool Schedule::retry_now(const std::string& id, clock::time_point now, bool* running) {
  const auto it = schools_.find(id);
  if (it == schools_.end() || it->second.removed) return false;
  if (running) *running = it->second.running;
  if (!it->second.running) it->second.due = std::min(it->second.due, now);
  return true;
}

std::optional<Schedule::clock::time_point> Schedule::next_due() const {
  std::optional<clock::time_point> next;
  for (const auto& [id, t] : schools_) {
    if (t.running || t.removed) continue;
    if (!next || t.due < *next) next = t.due;
  }
  return next;
}

const SchoolTiming* Schedule::find(const std::string& id) const {
  const auto it = schools_.find(id);
  return it == schools_.end() ? nullptr : &it->second;
}

}  // namespace rosterd::daemon
