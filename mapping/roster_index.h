#pragma once
// Internal: lookups over one Roster, built once per cycle without a node allocation per
// record (the core must cost a fraction of parsing). Views point into the roster, which must
// outlive the index.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "mapping/model.h"
#include "mapping/state.h"

namespace rosterd::mapping::detail {

// Open-addressing hash from an id to its position in a vector of records.
class IdIndex {
 public:
  template <class Records, class IdOf>
  void build(const Records& records, IdOf id_of) {
    std::size_t capacity = 16;
    while (capacity < records.size() * 2) capacity *= 2;
    slots_.assign(capacity, 0);
    ids_.clear();
    ids_.reserve(records.size());
    for (const auto& r : records) ids_.push_back(id_of(r));
    for (std::uint32_t i = 0; i < ids_.size(); ++i) insert(i);
  }
  // Position of the record with this id, or npos. The first record wins on duplicates.
  [[nodiscard]] std::uint32_t find(std::string_view id) const noexcept;
  [[nodiscard]] bool built() const noexcept { return !slots_.empty(); }
  static constexpr std::uint32_t npos = UINT32_MAX;

 private:
  void insert(std::uint32_t i) noexcept;
  std::vector<std::uint64_t> slots_;  // hash tag | position + 1; 0 = empty
  std::vector<std::string_view> ids_;
};

struct EnrolmentRef {
  const Enrolment* enrolment;
  const Person* person;
};

// The roster's links (RosterLinks) spare the person lookups; each is checked against its id.
struct RosterIndex {
  const Roster& roster;
  IdIndex groups;
  std::vector<Finding> skipped;  // records that point nowhere, reported and left out

  explicit RosterIndex(const Roster& r);
  [[nodiscard]] std::uint32_t index_of(const Person& p) const noexcept {
    return static_cast<std::uint32_t>(&p - roster.persons.data());
  }
  [[nodiscard]] std::span<const EnrolmentRef> enrolments_of(std::uint32_t group) const noexcept {
    return {enrolments_.data() + enrolment_begin_[group],
            enrolments_.data() + enrolment_begin_[group + 1]};
  }
  [[nodiscard]] std::span<const Person* const> parents_of(const Person& child) const noexcept {
    const auto c = index_of(child);
    return {parents_.data() + parent_begin_[c], parents_.data() + parent_begin_[c + 1]};
  }

 private:
  // Compressed rows: the enrolments of group g are enrolments_[begin_[g] .. begin_[g+1]).
  std::vector<std::uint32_t> enrolment_begin_;
  std::vector<EnrolmentRef> enrolments_;
  std::vector<std::uint32_t> parent_begin_;
  std::vector<const Person*> parents_;
};

}  // namespace rosterd::mapping::detail
