// The academic-year rollover: successor groups linked by previous_group_id, promotion,
// graduation, new first grades, kindergarten and association groups carried on.

#include <algorithm>
#include <map>
#include <set>

#include "generator/builder.h"
#include "generator/generator.h"
#include "generator/groups.h"

namespace rosterd::generator {
namespace {

using detail::Builder;
using mapping::Date;
using mapping::Enrolment;
using mapping::EnrolmentRole;
using mapping::GroupKind;

struct Succession {
  GroupKind kind = GroupKind::class_group;
  std::optional<int> grade;
  std::optional<std::string> successor;  // nullopt: the group graduates
};

class Rollover {
 public:
  Rollover(Builder& b, Date start)
      : b_(b), start_(start), last_(start.plus_days(-1)), year_(start.academic_year()) {}

  void succeed_groups();
  void move_enrolments();
  void appoint_fifth_grade_leaders();
  void open_first_grades();
  void refill_groups();

 private:
  void succeed_group(std::size_t index);
  void move_student(std::size_t index, const Succession& s);
  void move_staff(std::size_t index, const Succession& s);
  [[nodiscard]] std::string free_teacher(const std::set<std::string>& reserved = {});
  [[nodiscard]] std::vector<std::string> members(const std::string& group_id,
                                                 EnrolmentRole role) const;
  void add_new_child(const std::string& group_id, Date birth, bool may_be_sibling);

  Builder& b_;
  Date start_;
  Date last_;
  int year_;
  std::map<std::string, Succession> succession_;  // by last year's group id
  std::vector<std::size_t> first_grade_letters_;
  std::vector<std::string> fifth_grades_;   // successors of 4th grades that had a leader
  std::vector<std::string> freed_leaders_;  // 4th- and 11th-grade class teachers
  std::set<std::string> leaders_;           // who leads a group of the new year
};

void Rollover::succeed_groups() {
  const std::size_t count = b_.roster().groups.size();
  for (std::size_t i = 0; i < count; ++i) {
    const mapping::Group& g = b_.roster().groups[i];
    if (g.active_on(last_) && !(g.opened_on && *g.opened_on > last_)) succeed_group(i);
  }
}

void Rollover::succeed_group(std::size_t index) {
  mapping::Group old = b_.roster().groups[index];
  b_.roster().groups[index].closed_on = last_;
  Succession s{old.kind, old.grade, std::nullopt};
  const bool is_class = old.kind == GroupKind::class_group && old.grade;
  if (is_class && *old.grade == 1) {
    if (const auto letter = detail::class_letter(old.name, 1))
      first_grade_letters_.push_back(*letter);
  }
  if (is_class && *old.grade >= 11) {
    succession_.emplace(old.id, s);
    return;
  }
  mapping::Group next;
  next.kind = old.kind;
  next.grade = is_class ? std::optional<int>{*old.grade + 1} : old.grade;
  const auto letter = is_class ? detail::class_letter(old.name, *old.grade) : std::nullopt;
  if (letter) {
    next.id = detail::class_group_id(b_.org_id(), *next.grade, *letter, year_);
    next.name = detail::class_name(*next.grade, *letter);
  } else {
    next.id = detail::with_year(old.id, year_);
    next.name = old.name;
  }
  next.academic_year = year_;
  next.previous_group_id = old.id;
  next.opened_on = start_;
  s.successor = next.id;
  succession_.emplace(old.id, s);
  b_.roster().groups.push_back(std::move(next));
}

void Rollover::move_enrolments() {
  const std::size_t count = b_.roster().enrolments.size();
  for (std::size_t i = 0; i < count; ++i) {
    const Enrolment& e = b_.roster().enrolments[i];
    const auto it = succession_.find(e.group_id);
    if (it == succession_.end() || (e.to && *e.to <= last_)) continue;
    if (e.from && *e.from > last_) {  // dated after the rollover: it belongs to the successor
      if (it->second.successor) b_.roster().enrolments[i].group_id = *it->second.successor;
      continue;
    }
    if (e.role == EnrolmentRole::student) {
      move_student(i, it->second);
    } else {
      move_staff(i, it->second);
    }
  }
}

void Rollover::move_student(std::size_t index, const Succession& s) {
  Enrolment& e = b_.roster().enrolments[index];
  const int age = b_.age_on(b_.person(e.person_id), start_);
  const std::optional<Date> planned_end = e.to;  // a transfer already dated into the new year
  const std::string planned_reason = e.reason;
  e.to = last_;
  if (!s.successor) {
    e.reason = "graduated";
    return;
  }
  if (s.kind == GroupKind::kindergarten_group && age >= 7) {
    e.reason = "graduated";
    return;
  }
  if (s.kind == GroupKind::association && (age >= 18 || b_.rng().chance(15))) {
    e.reason = "completed";
    return;
  }
  e.reason = "promoted";
  const std::string person = e.person_id;
  b_.enrol(person, *s.successor, EnrolmentRole::student, start_,
           planned_end ? planned_reason : "promoted");
  b_.roster().enrolments.back().to = planned_end;
}

void Rollover::move_staff(std::size_t index, const Succession& s) {
  Enrolment& e = b_.roster().enrolments[index];
  e.to = last_;
  e.reason = "year_end";
  const std::string person = e.person_id;
  const EnrolmentRole role = e.role;
  const bool primary_ends = s.kind == GroupKind::class_group && s.grade && *s.grade == 4;
  if (role == EnrolmentRole::leader && (!s.successor || primary_ends)) {
    freed_leaders_.push_back(person);  // takes a new first grade
    if (s.successor) fifth_grades_.push_back(*s.successor);
    return;
  }
  if (!s.successor || !b_.person(person).employed_on(start_)) return;
  b_.enrol(person, *s.successor, role, start_, "continued");
  if (role == EnrolmentRole::leader) leaders_.insert(person);
}

// An employed teacher who leads no group this year (and is not kept for a first grade).
std::string Rollover::free_teacher(const std::set<std::string>& reserved) {
  std::vector<std::string> free;
  for (const auto& p : b_.roster().persons) {
    if (p.employed_on(start_) && !p.employed_to && !p.positions.empty() &&
        p.positions.front() == "teacher" && !leaders_.contains(p.id) && !reserved.contains(p.id)) {
      free.push_back(p.id);
    }
  }
  std::string chosen = free.empty() ? b_.add_staff({"teacher"}, start_) : b_.rng().pick(free);
  leaders_.insert(chosen);
  return chosen;
}

void Rollover::appoint_fifth_grade_leaders() {
  // Freed primary teachers wait for the first grades; subject teachers take the fifth.
  const std::set<std::string> reserved(freed_leaders_.begin(), freed_leaders_.end());
  for (const auto& group : fifth_grades_) {
    b_.enrol(free_teacher(reserved), group, EnrolmentRole::leader, start_, "appointed");
  }
}

std::vector<std::string> Rollover::members(const std::string& group_id, EnrolmentRole role) const {
  std::vector<std::string> out;
  for (const auto& e : b_.roster().enrolments) {
    if (e.group_id == group_id && e.role == role && e.active_on(start_)) out.push_back(e.person_id);
  }
  return out;
}

void Rollover::add_new_child(const std::string& group_id, Date birth, bool may_be_sibling) {
  if (may_be_sibling && b_.rng().chance(20)) {
    std::vector<std::string> pupils;
    for (const auto& e : b_.roster().enrolments) {
      if (e.role == EnrolmentRole::student && e.active_on(start_) && e.group_id != group_id)
        pupils.push_back(e.person_id);
    }
    if (!pupils.empty()) {
      b_.enrol(b_.add_sibling(b_.rng().pick(pupils), birth), group_id, EnrolmentRole::student,
               start_, "enrolled");
      return;
    }
  }
  detail::Family family = b_.new_family();
  b_.enrol(b_.add_child(family, birth), group_id, EnrolmentRole::student, start_, "enrolled");
  if (b_.rng().chance(2)) {
    b_.enrol(b_.add_child(family, birth), group_id, EnrolmentRole::student, start_, "enrolled");
  }
}

void Rollover::open_first_grades() {
  std::sort(first_grade_letters_.begin(), first_grade_letters_.end());
  for (const std::size_t letter : first_grade_letters_) {
    mapping::Group g;
    g.id = detail::class_group_id(b_.org_id(), 1, letter, year_);
    g.name = detail::class_name(1, letter);
    g.kind = GroupKind::class_group;
    g.grade = 1;
    g.academic_year = year_;
    g.opened_on = start_;
    b_.roster().groups.push_back(g);
    std::erase_if(freed_leaders_, [&](const std::string& id) {
      return leaders_.contains(id) || !b_.person(id).employed_on(start_);
    });
    const std::string leader = freed_leaders_.empty() ? free_teacher() : freed_leaders_.back();
    if (!freed_leaders_.empty()) freed_leaders_.pop_back();
    leaders_.insert(leader);
    b_.enrol(leader, g.id, EnrolmentRole::leader, start_, "appointed");
    const int size = b_.rng().between(23, 27);
    for (int i = 0; i < size; ++i) {
      add_new_child(g.id, Date::from_ymd(year_ - 7, 9, 1).plus_days(b_.rng().between(0, 364)),
                    true);
    }
  }
}

void Rollover::refill_groups() {
  for (const auto& [old_id, s] : succession_) {
    if (!s.successor || s.kind == GroupKind::class_group) continue;
    const auto pupils = members(*s.successor, EnrolmentRole::student);
    const bool kindergarten = s.kind == GroupKind::kindergarten_group;
    const int target = kindergarten ? b_.rng().between(18, 22) : b_.rng().between(12, 15);
    for (int n = static_cast<int>(pupils.size()); n < target; ++n) {
      // Kindergartens take three-year-olds into emptied groups, else children of the group's age.
      const Date birth =
          pupils.empty() || !b_.person(pupils.front()).birth_date
              ? b_.random_birth(kindergarten ? 3 : 7, kindergarten ? 3 : 17)
              : b_.person(b_.rng().pick(pupils)).birth_date->plus_days(b_.rng().between(-90, 90));
      add_new_child(*s.successor, birth, false);
    }
  }
}

}  // namespace

mapping::Roster next_year(const mapping::Roster& roster, std::uint64_t seed, Date start) {
  Builder b(roster, mix(seed, 0x5945415200ULL + static_cast<std::uint64_t>(start.days())), start);
  Rollover r(b, start);
  r.succeed_groups();
  r.move_enrolments();
  r.appoint_fifth_grade_leaders();
  r.open_first_grades();
  r.refill_groups();
  return b.take();
}

}  // namespace rosterd::generator
