#include "adapters/export/reference_checks.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "adapters/export/labels.h"
#include "mapping/text.h"

namespace rosterd::adapters::export_folder::detail {

namespace {

template <class Record>
IdIndex index_records(const std::vector<Record>& records, FileContext context) {
  IdIndex index;
  index.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string& id = records[i].id;
    if (id.empty()) continue;
    const auto [first, inserted] = index.emplace(id, i);
    if (!inserted) {
      context.problems.push_back(
          Problem{context.file, id_label(i, id), "id",
                  "duplicate id (first at [" + std::to_string(first->second) + "])"});
    }
  }
  return index;
}

// Duplicates are found by hashing the records' fields in place: building a key string per record
// would cost more than the rest of the check.
std::size_t mix(std::size_t seed, std::size_t value) noexcept {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6U) + (seed >> 2U));
}

std::size_t hash_date(const std::optional<mapping::Date>& date) noexcept {
  return date ? static_cast<std::size_t>(date->days()) : ~std::size_t{0};
}

std::size_t hash_of(const mapping::Enrolment& e) noexcept {
  const std::hash<std::string_view> text;
  std::size_t seed = mix(text(e.person_id), text(e.group_id));
  seed = mix(seed, static_cast<std::size_t>(e.role));
  seed = mix(seed, hash_date(e.from));
  seed = mix(seed, hash_date(e.to));
  return mix(seed, text(e.reason));
}

std::size_t hash_of(const mapping::Relation& r) noexcept {
  const std::hash<std::string_view> text;
  return mix(mix(text(r.parent_id), text(r.child_id)), static_cast<std::size_t>(r.kind));
}

bool same(const mapping::Enrolment& a, const mapping::Enrolment& b) noexcept {
  return a.person_id == b.person_id && a.group_id == b.group_id && a.role == b.role &&
         a.from == b.from && a.to == b.to && a.reason == b.reason;
}

bool same(const mapping::Relation& a, const mapping::Relation& b) noexcept {
  return a.parent_id == b.parent_id && a.child_id == b.child_id && a.kind == b.kind;
}

struct HashRecord {
  template <class Record>
  std::size_t operator()(const Record* record) const noexcept {
    return hash_of(*record);
  }
};

struct SameRecord {
  template <class Record>
  bool operator()(const Record* a, const Record* b) const noexcept {
    return same(*a, *b);
  }
};

std::string label(std::size_t index, const mapping::Enrolment& e) {
  return enrolment_label(index, e);
}
std::string label(std::size_t index, const mapping::Relation& r) {
  return relation_label(index, r);
}

template <class Record>
void check_unique_records(const std::vector<Record>& records, const std::vector<bool>& flawed,
                          FileContext context) {
  std::unordered_map<const Record*, std::size_t, HashRecord, SameRecord> seen;
  seen.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i < flawed.size() && flawed[i]) continue;
    const auto [first, inserted] = seen.emplace(&records[i], i);
    if (!inserted) {
      context.problems.push_back(
          Problem{context.file, label(i, records[i]), "",
                  "duplicate of [" + std::to_string(first->second) + "] (equal in every field)"});
    }
  }
}

// Where an id points; unknown also when it was not checked (no index, or an empty id, which is
// reported as missing already).
std::uint32_t position(const std::string& id, const IdIndex* index) {
  if (index == nullptr || id.empty()) return mapping::RosterLinks::unknown;
  const auto it = index->find(id);
  return it == index->end() ? mapping::RosterLinks::unknown
                            : static_cast<std::uint32_t>(it->second);
}

bool dangles(const std::string& id, const IdIndex* index, std::uint32_t at) {
  return index != nullptr && !id.empty() && at == mapping::RosterLinks::unknown;
}

Problem unknown(FileContext context, const std::string& record, std::string field,
                std::string_view what, const std::string& id, std::string_view file) {
  return Problem{context.file, record, std::move(field),
                 "unknown " + std::string(what) + " " + mapping::quote_id(id) + " (not in " +
                     std::string(file) + ")"};
}

}  // namespace

IdIndex index_ids(const std::vector<mapping::Organisation>& records, FileContext context) {
  return index_records(records, context);
}
IdIndex index_ids(const std::vector<mapping::Group>& records, FileContext context) {
  return index_records(records, context);
}
IdIndex index_ids(const std::vector<mapping::Person>& records, FileContext context) {
  return index_records(records, context);
}

void check_unique(const std::vector<mapping::Enrolment>& records, const std::vector<bool>& flawed,
                  FileContext context) {
  check_unique_records(records, flawed, context);
}
void check_unique(const std::vector<mapping::Relation>& records, const std::vector<bool>& flawed,
                  FileContext context) {
  check_unique_records(records, flawed, context);
}

void check_references(const std::vector<mapping::Enrolment>& records, const IdIndex* persons,
                      const IdIndex* groups, FileContext context, mapping::RosterLinks& links,
                      std::string_view persons_name, std::string_view groups_name) {
  links.enrolment_person.resize(records.size());
  links.enrolment_group.resize(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& e = records[i];
    const auto person = links.enrolment_person[i] = position(e.person_id, persons);
    const auto group = links.enrolment_group[i] = position(e.group_id, groups);
    const bool no_person = dangles(e.person_id, persons, person);
    const bool no_group = dangles(e.group_id, groups, group);
    if (!no_person && !no_group) continue;
    const std::string record = enrolment_label(i, e);
    if (no_person) {
      context.problems.push_back(
          unknown(context, record, "person_id", "person", e.person_id, persons_name));
    }
    if (no_group) {
      context.problems.push_back(
          unknown(context, record, "group_id", "group", e.group_id, groups_name));
    }
  }
}

void check_references(const std::vector<mapping::Relation>& records, const IdIndex* persons,
                      FileContext context, mapping::RosterLinks& links,
                      std::string_view persons_name) {
  links.relation_parent.resize(records.size());
  links.relation_child.resize(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    const auto parent = links.relation_parent[i] = position(r.parent_id, persons);
    const auto child = links.relation_child[i] = position(r.child_id, persons);
    const bool no_parent = dangles(r.parent_id, persons, parent);
    const bool no_child = dangles(r.child_id, persons, child);
    if (!no_parent && !no_child) continue;
    const std::string record = relation_label(i, r);
    if (no_parent) {
      context.problems.push_back(
          unknown(context, record, "parent_id", "person", r.parent_id, persons_name));
    }
    if (no_child) {
      context.problems.push_back(
          unknown(context, record, "child_id", "person", r.child_id, persons_name));
    }
  }
}

}  // namespace rosterd::adapters::export_folder::detail
