#include "mapping/roster_index.h"

#include <functional>
#include <string>

namespace rosterd::mapping::detail {

void IdIndex::insert(std::uint32_t i) noexcept {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = std::hash<std::string_view>{}(ids_[i]) & mask;; s = (s + 1) & mask) {
    if (slots_[s] == 0) {
      slots_[s] = i + 1;
      return;
    }
    if (ids_[slots_[s] - 1] == ids_[i]) return;
  }
}

std::uint32_t IdIndex::find(std::string_view id) const noexcept {
  if (slots_.empty()) return npos;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = std::hash<std::string_view>{}(id) & mask;; s = (s + 1) & mask) {
    if (slots_[s] == 0) return npos;
    if (ids_[slots_[s] - 1] == id) return slots_[s] - 1;
  }
}

namespace {

// Fills compressed rows from (row, value) pairs in two passes: count, then place.
template <class Value>
void compress(std::size_t rows, const std::vector<std::pair<std::uint32_t, Value>>& pairs,
              std::vector<std::uint32_t>& begin, std::vector<Value>& values) {
  begin.assign(rows + 1, 0);
  for (const auto& [row, _] : pairs) ++begin[row + 1];
  for (std::size_t r = 0; r < rows; ++r) begin[r + 1] += begin[r];
  values.resize(pairs.size());
  std::vector<std::uint32_t> next(begin.begin(), begin.end() - 1);
  for (const auto& [row, value] : pairs) values[next[row]++] = value;
}

// Exports list records grouped (a group's enrolments together, a child's parents together):
// remembering the last id found skips most lookups.
class LastFound {
 public:
  explicit LastFound(const IdIndex& index) : index_(index) {}
  std::uint32_t find(std::string_view id) {
    if (id != last_id_ || last_ == IdIndex::npos) {
      last_id_ = id;
      last_ = index_.find(id);
    }
    return last_;
  }

 private:
  const IdIndex& index_;
  std::string_view last_id_;
  std::uint32_t last_ = IdIndex::npos;
};

}  // namespace

RosterIndex::RosterIndex(const Roster& r) : roster(r) {
  persons.build(r.persons, [](const Person& p) { return std::string_view{p.id}; });
  groups.build(r.groups, [](const Group& g) { return std::string_view{g.id}; });

  std::vector<std::pair<std::uint32_t, EnrolmentRef>> by_group;
  by_group.reserve(r.enrolments.size());
  LastFound group_of(groups);
  for (std::size_t i = 0; i < r.enrolments.size(); ++i) {
    const auto& e = r.enrolments[i];
    const auto g = group_of.find(e.group_id);
    const Person* p = person(e.person_id);
    if (g == IdIndex::npos || !p) {
      skipped.push_back({"skipped_record", {e.person_id, e.group_id},
                         "enrolment #" + std::to_string(i) + " of person " + e.person_id +
                             " in group " + e.group_id + " points at an unknown id; left out"});
      continue;
    }
    by_group.emplace_back(g, EnrolmentRef{&e, p});
  }
  compress(r.groups.size(), by_group, enrolment_begin_, enrolments_);

  std::vector<std::pair<std::uint32_t, const Person*>> by_child;
  by_child.reserve(r.relations.size());
  LastFound parent_of(persons), child_of(persons);
  for (const auto& rel : r.relations) {
    const auto parent_at = parent_of.find(rel.parent_id);
    const Person* parent = parent_at == IdIndex::npos ? nullptr : &r.persons[parent_at];
    const auto child = child_of.find(rel.child_id);
    if (!parent || child == IdIndex::npos) {
      skipped.push_back({"skipped_record", {rel.parent_id, rel.child_id},
                         "relation of parent " + rel.parent_id + " and child " + rel.child_id +
                             " points at an unknown id; left out"});
      continue;
    }
    by_child.emplace_back(child, parent);
  }
  compress(r.persons.size(), by_child, parent_begin_, parents_);
}

const Person* RosterIndex::person(std::string_view id) const noexcept {
  const auto i = persons.find(id);
  return i == IdIndex::npos ? nullptr : &roster.persons[i];
}

}  // namespace rosterd::mapping::detail
