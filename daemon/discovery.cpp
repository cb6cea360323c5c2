#include "daemon/discovery.h"

#include <algorithm>
#include <mutex>
#include <utility>
#include <stdexcept>

#include "adapters/journal_http/http_journal.h"
#include "daemon/wiring.h"

namespace rosterd::daemon {

std::vector<std::string> list_region(const Config& config, std::function<bool()> stop_requested) {
  if (!config.discovery) return {};
  const auto& source = config.discovery->school.source;
  adapters::journal_http::HttpJournalOptions options;
  options.base_url = source.base_url;
  options.token = read_secret(source.token_file);
  options.timeout_ms = source.timeout_ms;
  options.stop_requested = std::move(stop_requested);
  std::vector<std::string> ids;
  for (const auto& org : adapters::journal_http::list_organisations(options)) ids.push_back(org.id);
  return ids;
}

Config listed_config(const Config& config) {
  if (!config.discovery) return config;
  try {
    return with_listed_schools(config, list_region(config));
  } catch (const std::exception& e) {
    throw std::runtime_error(config.file.string() +
                             R"(: region.schools: "all": the journal's organisations could not be )"
                             "listed: " + e.what());
  }
}

std::string_view name(HeldReason reason) noexcept {
  switch (reason) {
    case HeldReason::vanished: return "vanished";
    case HeldReason::distrusted: return "distrusted";
  }
  return "vanished";
}

void RegionListing::drop(const std::vector<std::string>& exclude) {
  for (const auto& id : exclude) {
    scheduled_.erase(id);
    held_.erase(id);
    trusted_.erase(id);
  }
}

ListingChange RegionListing::take(const std::vector<std::string>& listed,
                                  const std::vector<std::string>& exclude, double max_drop) {
  drop(exclude);
  std::set<std::string> now(listed.begin(), listed.end());
  for (const auto& id : exclude) now.erase(id);
  ListingChange change;
  change.baseline = trusted_.size();
  change.dropped = static_cast<std::size_t>(
      std::count_if(trusted_.begin(), trusted_.end(), [&](const auto& id) { return !now.contains(id); }));
  // Like a journal answer that lost a share of its records: believed only in what it keeps.
  change.distrusted = now.empty() || static_cast<double>(change.dropped) >
                                         max_drop * static_cast<double>(change.baseline);
  for (auto it = scheduled_.begin(); it != scheduled_.end();) {
    if (now.contains(*it)) {
      ++it;
      continue;
    }
    change.vanished.push_back(*it);
    held_[*it] = change.distrusted ? HeldReason::distrusted : HeldReason::vanished;
    it = scheduled_.erase(it);
  }
  if (change.distrusted) return change;
  for (auto& [id, reason] : held_) reason = HeldReason::vanished;
  for (const auto& id : now) {
    if (scheduled_.contains(id)) continue;
    if (held_.erase(id) > 0) {
      change.returned.push_back(id);
    } else {
      change.added.push_back(id);
    }
    scheduled_.insert(id);
  }
  trusted_ = std::move(now);
  return change;
}

std::vector<std::string> RegionListing::scheduled() const {
  return {scheduled_.begin(), scheduled_.end()};
}

struct Discoverer::Shared {
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::optional<Finished> finished;
};

Discoverer::Discoverer(std::function<void()> wake)
    : wake_(std::move(wake)), shared_(std::make_shared<Shared>()) {}

Discoverer::~Discoverer() {
  shared_->stop.store(true);
  if (thread_.joinable()) thread_.join();
}

void Discoverer::start_if_due(const Config& config, clock::time_point now, bool now_please) {
  discovers_ = config.discovery.has_value();
  if (!discovers_) {
    due_.reset();
    return;
  }
  interval_s_ = config.discovery->list_interval_s;
  if (now_please) due_ = now;
  if (running_ || (due_ && now < *due_)) return;
  due_ = now + std::chrono::seconds(interval_s_);
  running_ = true;
  if (thread_.joinable()) thread_.join();  // the last listing's thread, already done
  // The thread gets its own copy: a reload may replace the config while it lists.
  thread_ = std::thread([config, wake = wake_, shared = shared_] {
    Finished finished;
    try {
      finished.ids = list_region(config, [shared] { return shared->stop.load(); });
    } catch (const std::exception& e) {
      finished.error = e.what();
    }
    {
      const std::lock_guard lock(shared->mutex);
      shared->finished = std::move(finished);
    }
    wake();
  });
}

std::optional<Discoverer::Finished> Discoverer::take_finished() {
  const std::lock_guard lock(shared_->mutex);
  if (!shared_->finished) return std::nullopt;
  running_ = false;
  return std::exchange(shared_->finished, std::nullopt);
}

void Discoverer::retry_by(clock::time_point when) {
  if (due_ && *due_ > when) due_ = when;
}

std::optional<Discoverer::clock::time_point> Discoverer::next_due() const {
  if (!discovers_ || running_) return std::nullopt;
  return due_;
}

RegionWatch::RegionWatch(EventLog& log, std::function<void()> wake)
    : log_(log), discoverer_(std::move(wake)) {}

void RegionWatch::set_loaded(std::shared_ptr<const Config> loaded, clock::time_point now) {
  loaded_ = std::move(loaded);
  if (loaded_->discovery) {
    listing_.drop(loaded_->discovery->exclude);
    current_ = std::make_shared<const Config>(with_listed_schools(*loaded_, listing_.scheduled()));
  } else {
    listing_ = RegionListing{};
    current_ = loaded_;
  }
  discoverer_.start_if_due(*loaded_, now, true);
}

std::shared_ptr<const Config> RegionWatch::poll(clock::time_point now) {
  auto finished = discoverer_.take_finished();
  discoverer_.start_if_due(*loaded_, now);
  if (!finished || !loaded_->discovery) return nullptr;
  if (!finished->ids) {
    // The last listing stays in force: a journal that cannot list now has not lost a school.
    log_.warn("discovery.listing.failed", {{"error", finished->error}});
    discoverer_.retry_by(now + std::chrono::seconds(60));
    return nullptr;
  }
  const auto& discovery = *loaded_->discovery;
  const auto change = listing_.take(*finished->ids, discovery.exclude,
                                    discovery.school.limits.max_source_drop);
  log_change(change, finished->ids->size());
  current_ = std::make_shared<const Config>(with_listed_schools(*loaded_, listing_.scheduled()));
  return current_;
}

std::map<std::string, std::string> RegionWatch::held() const {
  std::map<std::string, std::string> out;
  for (const auto& [id, reason] : listing_.held()) out.emplace(id, std::string(name(reason)));
  return out;
}

void RegionWatch::log_change(const ListingChange& change, std::size_t listed) {
  if (change.distrusted) {
    log_.warn("discovery.listing.distrusted",
              {{"listed", listed}, {"dropped", change.dropped}, {"baseline", change.baseline},
               {"message", "the listing lost too many schools at once: the missing ones are "
                           "held, nothing is added"}});
  }
  // The first listing adds the whole region: one line, not one per school.
  if (listed_once_) {
    for (const auto& id : change.added) log_.info("school.discovered", {{"school", id}});
  }
  for (const auto& id : change.vanished) {
    log_.warn("school.vanished",
              {{"school", id},
               {"reason", change.distrusted ? "distrusted" : "vanished"},
               {"message", "not in the journal's listing: held, nothing archived"}});
  }
  for (const auto& id : change.returned) log_.info("school.returned", {{"school", id}});
  log_.info("discovery.listed", {{"listed", listed},
                                 {"scheduled", listing_.scheduled().size()},
                                 {"added", change.added.size()},
                                 {"held", listing_.held().size()}});
  listed_once_ = true;
}

}  // namespace rosterd::daemon
