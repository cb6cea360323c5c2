#include "mapping/roster_index.h"

#include <string>

namespace rosterd::mapping::detail {

RosterIndex::RosterIndex(const Roster& roster) {
  persons.reserve(roster.persons.size());
  for (const auto& p : roster.persons) persons.emplace(p.id, &p);
  for (const auto& g : roster.groups) groups.emplace(g.id, &g);
  for (std::size_t i = 0; i < roster.enrolments.size(); ++i) {
    const auto& e = roster.enrolments[i];
    if (!persons.contains(e.person_id) || !groups.contains(e.group_id)) {
      skipped.push_back({"skipped_record", {e.person_id, e.group_id},
                         "enrolment #" + std::to_string(i) + " of person " + e.person_id +
                             " in group " + e.group_id + " points at an unknown id; left out"});
      continue;
    }
    enrolments_by_group[e.group_id].push_back(&e);
  }
  for (const auto& r : roster.relations) {
    const auto parent = persons.find(r.parent_id);
    if (parent == persons.end() || !persons.contains(r.child_id)) {
      skipped.push_back({"skipped_record", {r.parent_id, r.child_id},
                         "relation of parent " + r.parent_id + " and child " + r.child_id +
                             " points at an unknown id; left out"});
      continue;
    }
    parents_of[r.child_id].push_back(parent->second);
  }
}

const Person* RosterIndex::person(std::string_view id) const {
  const auto it = persons.find(id);
  return it == persons.end() ? nullptr : it->second;
}

}  // namespace rosterd::mapping::detail
