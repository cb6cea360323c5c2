#include "daemon/membership.h"

#include <algorithm>
#include <utility>

namespace rosterd::daemon {

namespace {

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash) {
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// SplitMix64's finaliser: FNV-1a alone leaves nearby names' weights correlated.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::uint64_t rendezvous_weight(std::string_view school, std::string_view member) {
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  const auto h = fnv1a(member, fnv1a("\n", fnv1a(school, 0xcbf29ce484222325ULL)));
  return mix(h);
}

std::string owner_of(std::string_view school, std::span<const std::string> members) {
  const std::string* best = nullptr;
  std::uint64_t best_weight = 0;
  for (const auto& member : members) {
    const auto weight = rendezvous_weight(school, member);
    // Ties (astronomically rare) go to the smaller name, so every daemon decides alike.
    if (best == nullptr || weight > best_weight || (weight == best_weight && member < *best)) {
      best = &member;
      best_weight = weight;
    }
  }
  return best == nullptr ? std::string{} : *best;
}

std::map<std::string, std::string> owners(std::span<const std::string> schools,
                                          std::span<const std::string> members) {
  std::map<std::string, std::string> out;
  for (const auto& school : schools) out[school] = owner_of(school, members);
  return out;
}

std::vector<std::string> RegionView::names() const {
  std::vector<std::string> out;
  for (const auto& m : members) out.push_back(m.name);
  return out;
}

std::vector<std::string> own_schools(const std::vector<std::string>& ids,
                                     const RegionView& view) {
  if (!view.known) return ids;
  const auto members = view.names();
  std::vector<std::string> mine;
  for (const auto& id : ids) {
    if (owner_of(id, members) == view.self) mine.push_back(id);
  }
  return mine;
}

Membership::Membership(std::string self, OpenStore open, std::chrono::milliseconds ttl,
                       std::function<void()> on_change)
    : open_(std::move(open)), on_change_(std::move(on_change)), ttl_(ttl) {
  view_.self = std::move(self);
  beat();
  thread_ = std::thread([this] { loop(); });
}

Membership::~Membership() {
  leave();
}

RegionView Membership::view() const {
  const std::lock_guard lock(mutex_);
  return view_;
}

void Membership::set_ttl(std::chrono::milliseconds ttl) {
  const std::lock_guard lock(mutex_);
  ttl_ = ttl;
}

// One heartbeat; a failure keeps the last view (the store is down or unreachable: cycles fail
// and retry anyway, and nothing is written without a lease).
void Membership::beat() {
  std::string self;
  std::chrono::milliseconds ttl{};
  {
    const std::lock_guard lock(mutex_);
    self = view_.self;
    ttl = ttl_;
  }
  std::vector<mapping::DaemonMember> members;
  std::string error;
  try {
    if (!store_) store_ = open_();
    members = store_->heartbeat(self, ttl);
  } catch (const std::exception& e) {
    store_.reset();  // a lost connection is opened again next time
    error = e.what();
  }
  bool changed = false;
  {
    const std::lock_guard lock(mutex_);
    view_.error = error;
    if (error.empty()) {
      std::vector<std::string> was = view_.names();
      view_.members = std::move(members);
      changed = !view_.known || was != view_.names();
      view_.known = true;
      if (changed) ++view_.version;
    }
  }
  if (changed && on_change_) on_change_();
}

void Membership::loop() {
  std::unique_lock lock(mutex_);
  while (!leaving_) {
    // A third of the expiry: two heartbeats may be lost before the others count us out.
    const auto period = std::max(std::chrono::milliseconds(100), ttl_ / 3);
    if (wake_.wait_for(lock, period, [this] { return leaving_; })) break;
    lock.unlock();
    beat();
    lock.lock();
  }
}

void Membership::leave() {
  {
    const std::lock_guard lock(mutex_);
    if (left_) return;
    left_ = true;
    leaving_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  try {
    if (!store_) store_ = open_();
    store_->leave(view_.self);
  } catch (const std::exception&) {
    // The heartbeat expires by itself: the others take the schools a lease period later.
  }
  store_.reset();
}

}  // namespace rosterd::daemon
