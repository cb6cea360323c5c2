#include "mapping/roster_index.h"

#include <cstring>
#include <string>

#include "mapping/text.h"
#include "mapping/message.h"

namespace rosterd::mapping::detail {

namespace {

// Journal ids are short and share long prefixes ("sch-0001:p-000042"): a word at a time with a
// multiply-xorshift mix hashes them in a few cycles, where std::hash walks them byte by byte.
std::uint64_t id_hash(std::string_view id) noexcept {
  std::uint64_t h = id.size() * 0x9e3779b97f4a7c15ULL;
  const auto mix = [&h](std::uint64_t word) {
    h = (h ^ word) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  };
  const auto load = [&id](std::size_t at) {
    std::uint64_t word;
    std::memcpy(&word, id.data() + at, 8);  // a fixed size: one unaligned load, no call
    return word;
  };
  if (id.size() < 8) {
    std::uint64_t word = 0;
    for (const char c : id) word = (word << 8) | static_cast<unsigned char>(c);
    mix(word);
  } else {
    for (std::size_t i = 0; i + 8 <= id.size(); i += 8) mix(load(i));
    if (id.size() % 8 != 0) mix(load(id.size() - 8));  // the tail, overlapping the last word
  }
  h ^= h >> 33;  // murmur3's finaliser: every input bit reaches the low bits the table uses
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

// A slot holds the id's hash in its high half, so a probe compares the strings only when the
// hashes agree.
constexpr std::uint64_t tag_of(std::uint64_t hash) noexcept {
  return hash & 0xffffffff00000000ULL;
}

}  // namespace

void IdIndex::insert(std::uint32_t i) noexcept {
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t hash = id_hash(ids_[i]);
  for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
    const std::uint64_t slot = slots_[s];
    if (slot == 0) {
      slots_[s] = tag_of(hash) | (i + 1ULL);
      return;
    }
    if ((slot & ~0xffffffffULL) == tag_of(hash) && ids_[(slot & 0xffffffffU) - 1] == ids_[i])
      return;
  }
}

std::uint32_t IdIndex::find(std::string_view id) const noexcept {
  if (slots_.empty()) return npos;
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t hash = id_hash(id);
  for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
    const std::uint64_t slot = slots_[s];
    if (slot == 0) return npos;
    const auto at = static_cast<std::uint32_t>(slot & 0xffffffffU) - 1;
    if ((slot & ~0xffffffffULL) == tag_of(hash) && ids_[at] == id) return at;
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

// Finds the position of a referenced record: the reader's link when it still names the id, else
// the last one found (exports list records grouped: a group's enrolments, a child's parents),
// else a lookup in the index, built on first need: with a reader's links it is never needed.
template <class Record>
class Resolver {
 public:
  Resolver(const std::vector<Record>& records, const std::vector<std::uint32_t>& links,
           IdIndex& index)
      : records_(records), links_(links), index_(index) {}

  std::uint32_t find(std::size_t i, std::string_view id) {
    if (i < links_.size() && holds(links_[i], id)) return links_[i];
    if (holds(last_, id)) return last_;
    if (!index_.built())
      index_.build(records_, [](const Record& r) { return std::string_view{r.id}; });
    last_ = index_.find(id);
    return last_;
  }

 private:
  [[nodiscard]] bool holds(std::uint32_t at, std::string_view id) const noexcept {
    return at < records_.size() && records_[at].id == id;
  }
  const std::vector<Record>& records_;
  const std::vector<std::uint32_t>& links_;
  IdIndex& index_;
  std::uint32_t last_ = IdIndex::npos;
};

}  // namespace

RosterIndex::RosterIndex(const Roster& r) : roster(r) {
  groups.build(r.groups, [](const Group& g) { return std::string_view{g.id}; });
  IdIndex persons;  // built only if a link is missing or stale
  const auto skip = [this](const std::string& a, const std::string& b, std::string record) {
    skipped.push_back({FindingCode::skipped_record, {a, b}, std::move(record)});
  };
  // A record's end that was found is named by its name, the other by its id.
  const auto person_named = [&r](std::uint32_t at, const std::string& id) {
    return at == IdIndex::npos ? quote_id(id) : r.persons[at].display_name();
  };

  std::vector<std::pair<std::uint32_t, EnrolmentRef>> by_group;
  by_group.reserve(r.enrolments.size());
  Resolver group_of(r.groups, r.links.enrolment_group, groups);
  Resolver person_of(r.persons, r.links.enrolment_person, persons);
  for (std::size_t i = 0; i < r.enrolments.size(); ++i) {
    const auto& e = r.enrolments[i];
    const auto g = group_of.find(i, e.group_id);
    const auto p = person_of.find(i, e.person_id);
    if (g == IdIndex::npos || p == IdIndex::npos) {
      skip(e.person_id, e.group_id,
           msg("roster.skipped_enrolment",
               "enrolment #{index} of person {person} in group {group} points at an unknown id; "
               "left out",
               {{"index", std::to_string(i)},
                {"person", person_named(p, e.person_id)},
                {"group", g == IdIndex::npos ? quote_id(e.group_id) : clean_text(r.groups[g].name)}}));
      continue;
    }
    by_group.emplace_back(g, EnrolmentRef{&e, &r.persons[p]});
  }
  compress(r.groups.size(), by_group, enrolment_begin_, enrolments_);

  std::vector<std::pair<std::uint32_t, const Person*>> by_child;
  by_child.reserve(r.relations.size());
  Resolver parent_of(r.persons, r.links.relation_parent, persons);
  Resolver child_of(r.persons, r.links.relation_child, persons);
  for (std::size_t i = 0; i < r.relations.size(); ++i) {
    const auto& rel = r.relations[i];
    const auto parent = parent_of.find(i, rel.parent_id);
    const auto child = child_of.find(i, rel.child_id);
    if (parent == IdIndex::npos || child == IdIndex::npos) {
      skip(rel.parent_id, rel.child_id,
           msg("roster.skipped_relation",
               "relation of parent {parent} and child {child} points at an unknown id; left out",
               {{"parent", person_named(parent, rel.parent_id)},
                {"child", person_named(child, rel.child_id)}}));
      continue;
    }
    by_child.emplace_back(child, &r.persons[parent]);
  }
  compress(r.persons.size(), by_child, parent_begin_, parents_);
}

}  // namespace rosterd::mapping::detail
