#pragma once
// Internal to daemon/sync.cpp and daemon/sync_marks.cpp: what one school's cycle carries from
// step to step.

#include <algorithm>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "daemon/sync.h"

namespace rosterd::daemon {

struct SchoolSync::Cycle {
  explicit Cycle(PlatformLook platform) : look(std::move(platform)) {}
  mapping::Date today;
  std::int64_t run_id = 0;
  mapping::AppliedState applied;
  mapping::Plan plan;
  WriteCounts counts;
  std::vector<mapping::Action> done;  // applied this cycle, for the approvals it consumes
  StopRequested stop;
  bool stopped = false;
  // A dry cycle (`plan --out`) records nothing: what the look and the look-ups find stays here.
  bool dry = false;
  // Chats changed since the last save, by key, and keys that no longer exist.
  std::set<std::string> changed;
  std::vector<std::string> removed;
  // Chat creations the look-up could not settle (mapping/lookup.h), by chat key: their
  // intents stay open (looked up again next cycle), and nothing is planned for their chats.
  std::map<std::string, mapping::Finding> unclear;
  // What this cycle saw on the platform.
  PlatformLook look;
  // Links handed out to families (`rosterd report invites`), read when a link is replaced.
  std::optional<std::vector<mapping::HandOut>> hand_outs;
  std::vector<std::string> replaced_hand_outs;  // chat keys
  // The school's journal mark as the cycle read it, and what asking the journal with it gave
  // when the journal changed (the answer, or the error, for the journal step).
  mapping::JournalMark mark;
  std::optional<mapping::JournalAnswer> prefetched;
  std::exception_ptr prefetch_error;
  std::string zone;  // the zone whose day the cycle used; empty: the day it was given
  std::optional<mapping::Finding> day_finding;  // no zone, or one this machine does not know

  mapping::AppliedChat* chat(const std::string& key) {
    const auto it = std::lower_bound(
        applied.chats.begin(), applied.chats.end(), key,
        [](const mapping::AppliedChat& c, const std::string& k) { return c.key < k; });
    return it != applied.chats.end() && it->key == key ? &*it : nullptr;
  }
  // The changed chats as they are now; clears the change set.
  std::vector<mapping::AppliedChat> take_changes() {
    std::vector<mapping::AppliedChat> out;
    for (const auto& key : changed) {
      if (const mapping::AppliedChat* c = chat(key)) out.push_back(*c);
    }
    changed.clear();
    return out;
  }
  std::vector<std::string> take_removed() { return std::exchange(removed, {}); }
  // While a creation's look-up is unclear, nothing is done to its chat (the plan would make
  // it again, beside the chat that may be ours); the findings tell an administrator.
  void hold_back_unclear() {
    for (const auto& [key, finding] : unclear) {
      std::erase_if(plan.actions, [&](const mapping::Action& a) { return a.chat_key == key; });
      plan.findings.push_back(finding);
    }
  }
};

}  // namespace rosterd::daemon
