#include "generator/builder.h"

#include <algorithm>
#include <stdexcept>

#include "generator/names.h"

namespace rosterd::generator::detail {
namespace {

using mapping::Date;
using mapping::RelationKind;

std::string padded(std::uint64_t n, int width) {
  std::string digits = std::to_string(n);
  if (static_cast<int>(digits.size()) < width) {
    digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
  }
  return digits;
}

std::string surname_for(std::string_view masculine, Sex sex) {
  return sex == Sex::female ? names::feminine_surname(masculine) : std::string{masculine};
}

std::string first_name_for(Rng& rng, Sex sex) {
  if (sex == Sex::female) return std::string{rng.pick(names::female_names())};
  return std::string{rng.pick(names::male_names()).first};
}

std::string patronymic(std::size_t father_name, Sex sex) {
  const auto& name = names::male_names()[father_name];
  return std::string{sex == Sex::female ? name.daughter_patronymic : name.son_patronymic};
}

}  // namespace

ContactOdds child_odds(int age) noexcept {
  if (age < 7) return {0, 0, 0};
  if (age < 11) return {25, 5, 40};
  if (age < 14) return {75, 20, 75};
  return {95, 40, 85};
}

std::string person_id(std::string_view org_id, int number) {
  return std::string{org_id} + ":p-" + padded(static_cast<std::uint64_t>(number), 6);
}

int person_number(std::string_view id) noexcept {
  std::size_t start = id.size();
  while (start > 0 && id[start - 1] >= '0' && id[start - 1] <= '9') --start;
  int n = 0;
  for (std::size_t i = start; i < id.size(); ++i) n = n * 10 + (id[i] - '0');
  return n;
}

std::string two_digits(int n) {
  return padded(static_cast<std::uint64_t>(n), 2);
}

Sex sex_of_first_name(std::string_view first) {
  const auto female = names::female_names();
  return std::find(female.begin(), female.end(), first) != female.end() ? Sex::female : Sex::male;
}

Builder::Builder(mapping::Roster roster, std::uint64_t seed, Date today)
    : roster_(std::move(roster)), rng_(seed), today_(today) {
  const std::uint64_t org_hash = hash_id(roster_.org.id);
  // Platform ids: an org-specific block of a million, so ids rarely collide across orgs.
  uid_base_ = (org_hash % 999'999'999ULL + 1) * 1'000'000ULL;
  phone_offset_ = (org_hash >> 20) % 10'000'000ULL;
  for (std::size_t i = 0; i < roster_.persons.size(); ++i) {
    index_.emplace(roster_.persons[i].id, i);
    next_number_ = std::max(next_number_, person_number(roster_.persons[i].id) + 1);
  }
}

mapping::Person& Builder::person(const std::string& id) {
  const auto it = index_.find(id);
  if (it == index_.end()) throw std::logic_error("generator: unknown person " + id);
  return roster_.persons[it->second];
}

int Builder::age_on(const mapping::Person& p, Date day) const noexcept {
  if (!p.birth_date) return 30;
  const Date birth = *p.birth_date;
  int age = day.year() - birth.year();
  if (day.month() < birth.month() || (day.month() == birth.month() && day.day() < birth.day())) {
    --age;
  }
  return age;
}

mapping::PlatformUserId Builder::platform_id_for(const std::string& id) const {
  return static_cast<mapping::PlatformUserId>(uid_base_ +
                                              static_cast<std::uint64_t>(person_number(id)));
}

std::vector<std::string> Builder::parents_of(const std::string& child_id) const {
  std::vector<std::string> parents;
  for (const auto& r : roster_.relations) {
    if (r.child_id == child_id) parents.push_back(r.parent_id);
  }
  return parents;
}

Date Builder::random_birth(int min_age, int max_age) {
  const int years = rng_.between(min_age, max_age);
  return today_.plus_days(-(years * 365 + rng_.between(0, 364)));
}

std::string Builder::add_person(std::uint8_t roles, std::string last, std::string first,
                                std::string middle, Date birth, ContactOdds odds) {
  const int number = next_number_++;
  mapping::Person p;
  p.id = person_id(org_id(), number);
  p.roles = roles;
  p.last_name = std::move(last);
  p.first_name = std::move(first);
  p.middle_name = std::move(middle);
  p.birth_date = birth;
  // A permutation of the person number: unique within the org, no accidental sharing.
  const std::uint64_t digits =
      (phone_offset_ + static_cast<std::uint64_t>(number) * 7919ULL) % 10'000'000ULL;
  if (rng_.chance(odds.phone)) p.phone = "+7900" + padded(digits, 7);
  if (rng_.chance(odds.email))
    p.email = "p" + std::to_string(number) + "." + org_id() + "@example.invalid";
  if (rng_.chance(odds.linked)) p.platform_user_id = platform_id_for(p.id);
  index_.emplace(p.id, roster_.persons.size());
  roster_.persons.push_back(std::move(p));
  return roster_.persons.back().id;
}

std::string Builder::add_parent(Family& family, Sex sex, RelationKind kind) {
  const auto middle = patronymic(rng_.index(names::male_names().size()), sex);
  const std::string id = add_person(mapping::role_parent, surname_for(family.surname, sex),
                                    first_name_for(rng_, sex), middle,
                                    random_birth(kind == RelationKind::guardian ? 52 : 27,
                                                 kind == RelationKind::guardian ? 70 : 50),
                                    parent_odds);
  family.parent_ids.push_back(id);
  family.parent_kinds.push_back(kind);
  return id;
}

Family Builder::new_family() {
  Family family;
  family.surname = std::string{rng_.pick(names::surnames())};
  family.father_name = rng_.index(names::male_names().size());
  if (rng_.chance(3)) {  // raised by a grandmother
    add_parent(family, Sex::female, RelationKind::guardian);
    return family;
  }
  const bool mother = rng_.chance(95);
  const bool father = !mother || rng_.chance(55);
  if (mother) add_parent(family, Sex::female, RelationKind::mother);
  if (father) add_parent(family, Sex::male, RelationKind::father);
  return family;
}

Family Builder::family_of_staff(const std::string& staff_id) {
  mapping::Person& staff = person(staff_id);
  staff.roles |= mapping::role_parent;
  Family family;
  family.surname = staff.last_name;
  const auto males = names::male_names();
  const auto it = std::find_if(males.begin(), males.end(), [&](const names::MaleName& m) {
    return m.first == staff.first_name;
  });
  family.father_name = it == males.end() ? 0 : static_cast<std::size_t>(it - males.begin());
  family.parent_ids.push_back(staff_id);
  family.parent_kinds.push_back(RelationKind::father);
  return family;
}

void Builder::relate(const Family& family, const std::string& child_id) {
  for (std::size_t i = 0; i < family.parent_ids.size(); ++i) {
    roster_.relations.push_back({family.parent_ids[i], child_id, family.parent_kinds[i]});
  }
}

std::string Builder::add_child(Family& family, Date birth, std::optional<Sex> sex) {
  const Sex s = sex ? *sex : (rng_.chance(50) ? Sex::female : Sex::male);
  mapping::Person probe;
  probe.birth_date = birth;
  const std::string id =
      add_person(mapping::role_student, surname_for(family.surname, s), first_name_for(rng_, s),
                 patronymic(family.father_name, s), birth, child_odds(age_on(probe, today_)));
  relate(family, id);
  family.child_ids.push_back(id);
  return id;
}

std::string Builder::add_sibling(const std::string& sibling_id, Date birth) {
  const mapping::Person sibling = person(sibling_id);  // copy: add_person reallocates
  const Sex s = sex_of_first_name(sibling.first_name);
  mapping::Person probe;
  probe.birth_date = birth;
  const std::string id =
      add_person(mapping::role_student, sibling.last_name, first_name_for(rng_, s),
                 sibling.middle_name, birth, child_odds(age_on(probe, today_)));
  std::vector<mapping::Relation> added;
  for (const auto& r : roster_.relations) {
    if (r.child_id == sibling_id) added.push_back({r.parent_id, id, r.kind});
  }
  roster_.relations.insert(roster_.relations.end(), added.begin(), added.end());
  return id;
}

std::string Builder::add_staff(std::vector<std::string> positions, Date employed_from) {
  const Sex sex = rng_.chance(80) ? Sex::female : Sex::male;
  const std::string id =
      add_person(mapping::role_staff, surname_for(rng_.pick(names::surnames()), sex),
                 first_name_for(rng_, sex), patronymic(rng_.index(names::male_names().size()), sex),
                 random_birth(24, 64), staff_odds);
  mapping::Person& p = person(id);
  p.positions = std::move(positions);
  // Nobody is hired before finishing their studies.
  p.employed_from = std::max(employed_from, p.birth_date->plus_days(22 * 365));
  return id;
}

void Builder::enrol(const std::string& person_id, const std::string& group_id,
                    mapping::EnrolmentRole role, Date from, std::string reason) {
  roster_.enrolments.push_back({person_id, group_id, role, from, std::nullopt, std::move(reason)});
}

}  // namespace rosterd::generator::detail
