#pragma once
// Internal: lookups over one Roster, built once per cycle. Views point into the roster,
// which must outlive the index.

#include <string_view>
#include <unordered_map>
#include <vector>

#include "mapping/model.h"
#include "mapping/state.h"

namespace rosterd::mapping::detail {

struct RosterIndex {
  std::unordered_map<std::string_view, const Person*> persons;
  std::unordered_map<std::string_view, const Group*> groups;
  std::unordered_map<std::string_view, std::vector<const Enrolment*>> enrolments_by_group;
  std::unordered_map<std::string_view, std::vector<const Person*>> parents_of;  // by child id
  std::vector<Finding> skipped;  // records that point nowhere, reported and left out

  explicit RosterIndex(const Roster& roster);
  [[nodiscard]] const Person* person(std::string_view id) const;
};

}  // namespace rosterd::mapping::detail
