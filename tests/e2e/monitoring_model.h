#pragma once
// The weekly monitoring's figures of one school, counted by the test from the journal's own
// records (the export rosterd reads) and the platform as platform-sim holds it (/sim/state), by
// the definitions in docs/reports.md, without rosterd's numbers: the monitoring report is
// compared with this.

#include <nlohmann/json.hpp>
#include <string>

#include "tests/e2e/model.h"

namespace rosterd::e2e {

struct Counted {
  int total = 0;
  int in = 0;
};

struct MonitoringCount {
  int class_chats = 0, parents_chats = 0, staff_chats = 0;
  int managed = 0;  // the school's live chats on the platform
  int active = 0;   // ... with more than 3 members, rosterd's own user included
  Counted classes;  // class groups; covered: class and parents' chat, a class teacher admin in each
  Counted students, parents, staff;  // people of each chat kind, of them in their chat
};

// `day` is YYYY-MM-DD; `state` is GET /sim/state. Only the school's classes are counted (the
// generated schools have no other groups).
[[nodiscard]] MonitoringCount count_monitoring(const Journal& journal, const nlohmann::json& state,
                                               const std::string& day);

}  // namespace rosterd::e2e
