#pragma once
// Several daemons of one region share its schools through the store (docs/region.md). Each
// registers with a heartbeat that expires after schedule.lease_s (renewed every third of it,
// on the store's clock); every daemon computes from the live members which schools are its
// own by rendezvous hashing, so a member that comes or goes moves only its own share.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "mapping/ports.h"

namespace rosterd::daemon {

// Rendezvous (highest random weight) hashing: a school belongs to the member whose weight for
// it is highest. Stable across machines and builds (FNV-1a and a fixed mix, no std::hash).
[[nodiscard]] std::uint64_t rendezvous_weight(std::string_view school, std::string_view member);
// The member that owns `school`; empty when there are no members.
[[nodiscard]] std::string owner_of(std::string_view school, std::span<const std::string> members);
// Each school's owner among `members`.
[[nodiscard]] std::map<std::string, std::string> owners(std::span<const std::string> schools,
                                                        std::span<const std::string> members);

// What the daemon knows of the region: the live members as of the last heartbeat that reached
// the store. `version` grows whenever the set of members' names changes.
struct RegionView {
  std::string self;
  std::vector<mapping::DaemonMember> members;
  bool known = false;    // a heartbeat reached the store at least once
  std::string error;     // the last heartbeat's failure (names no secret); empty: it worked
  std::uint64_t version = 0;
  [[nodiscard]] std::vector<std::string> names() const;
};

// The schools of `ids` this daemon syncs: those the live members' hashing gives it; every one
// of them until the store has answered a heartbeat (the leases still keep one writer).
[[nodiscard]] std::vector<std::string> own_schools(const std::vector<std::string>& ids,
                                                   const RegionView& view);

// The heartbeat of this daemon, on a thread of its own with a store connection of its own.
// The first heartbeat is made in the constructor, so the first schedule knows the region.
class Membership {
 public:
  using OpenStore = std::function<std::unique_ptr<mapping::StateStore>()>;
  // `on_change`: called (on the heartbeat thread) when the members' names changed.
  Membership(std::string self, OpenStore open, std::chrono::milliseconds ttl,
             std::function<void()> on_change);
  ~Membership();  // leaves, if leave() was not called
  Membership(const Membership&) = delete;
  Membership& operator=(const Membership&) = delete;

  [[nodiscard]] RegionView view() const;
  // A reload may change schedule.lease_s: the next heartbeat uses the new one.
  void set_ttl(std::chrono::milliseconds ttl);
  // Stops renewing and removes this daemon from the store at once, so the others take its
  // schools at their next heartbeat instead of a lease period later. Idempotent.
  void leave();

 private:
  void beat();
  void loop();

  OpenStore open_;
  std::function<void()> on_change_;
  std::unique_ptr<mapping::StateStore> store_;  // the heartbeat thread's, once started
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  RegionView view_;
  std::chrono::milliseconds ttl_;
  bool leaving_ = false;
  bool left_ = false;
  std::thread thread_;
};

}  // namespace rosterd::daemon
