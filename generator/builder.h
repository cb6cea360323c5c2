#pragma once
// Internal: what the organisation makers, the daily movement and the year rollover share —
// creating people with names, contacts and families, ids and enrolments.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "generator/random.h"
#include "mapping/model.h"

namespace rosterd::generator::detail {

enum class Sex : std::uint8_t { male, female };

// A household: its parents and the names its children take.
struct Family {
  std::string surname;          // masculine form
  std::size_t father_name = 0;  // index into names::male_names(): the children's patronymic
  std::vector<std::string> parent_ids;
  std::vector<mapping::RelationKind> parent_kinds;
  std::vector<std::string> child_ids;
  std::vector<int> child_grades;  // classes: siblings go to different grades
};

// How likely a kind of person has a phone, an e-mail and a linked platform account (%).
struct ContactOdds {
  double phone = 0;
  double email = 0;
  double linked = 0;
};
inline constexpr ContactOdds parent_odds{99, 45, 75};
inline constexpr ContactOdds staff_odds{100, 100, 92};
// Kindergarten children have no contacts; school children more of them as they grow.
[[nodiscard]] ContactOdds child_odds(int age) noexcept;

class Builder {
 public:
  // Continues the numbering of persons already in `roster`. `today` dates ages and hires.
  Builder(mapping::Roster roster, std::uint64_t seed, mapping::Date today);

  [[nodiscard]] mapping::Roster& roster() noexcept { return roster_; }
  [[nodiscard]] mapping::Roster take() { return std::move(roster_); }
  [[nodiscard]] Rng& rng() noexcept { return rng_; }
  [[nodiscard]] mapping::Date today() const noexcept { return today_; }
  [[nodiscard]] const std::string& org_id() const noexcept { return roster_.org.id; }

  [[nodiscard]] mapping::Person& person(const std::string& id);
  [[nodiscard]] int age_on(const mapping::Person& p, mapping::Date day) const noexcept;
  // The account id a person gets when they link the platform profile.
  [[nodiscard]] mapping::PlatformUserId platform_id_for(const std::string& person_id) const;
  [[nodiscard]] std::vector<std::string> parents_of(const std::string& child_id) const;

  [[nodiscard]] Family new_family();
  // Makes an existing staff member the father of a new family (a teacher whose child studies here).
  [[nodiscard]] Family family_of_staff(const std::string& staff_id);
  std::string add_child(Family& family, mapping::Date birth, std::optional<Sex> sex = {});
  // A younger brother or sister of `sibling_id`: same surname, patronymic and parents.
  std::string add_sibling(const std::string& sibling_id, mapping::Date birth);
  std::string add_staff(std::vector<std::string> positions, mapping::Date employed_from);

  void enrol(const std::string& person_id, const std::string& group_id, mapping::EnrolmentRole role,
             mapping::Date from, std::string reason);
  [[nodiscard]] mapping::Date random_birth(int min_age, int max_age);

 private:
  std::string add_person(std::uint8_t roles, std::string last, std::string first,
                         std::string middle, mapping::Date birth, ContactOdds odds);
  std::string add_parent(Family& family, Sex sex, mapping::RelationKind kind);
  void relate(const Family& family, const std::string& child_id);

  mapping::Roster roster_;
  Rng rng_;
  mapping::Date today_;
  int next_number_ = 1;
  std::uint64_t uid_base_ = 0;
  std::uint64_t phone_offset_ = 0;
  std::unordered_map<std::string, std::size_t> index_;
};

// Shared phones, children on a parent's phone and a person with no contact: the data
// checks of DESIGN must have something to find. Families are not reused across cases.
void add_data_quality_cases(Builder& b, const std::vector<Family>& families);

[[nodiscard]] std::string person_id(std::string_view org_id, int number);
// The number at the end of "sch-0001:p-000123"; 0 when there is none.
[[nodiscard]] int person_number(std::string_view id) noexcept;
[[nodiscard]] std::string two_digits(int n);
// Which name table a first name comes from.
[[nodiscard]] Sex sex_of_first_name(std::string_view first);

}  // namespace rosterd::generator::detail
