// A school: classes 1-11, families, staff, and the data-quality cases DESIGN's checks report.

#include <algorithm>

#include "generator/builder.h"
#include "generator/generator.h"
#include "generator/groups.h"
#include "generator/names.h"

namespace rosterd::generator {
namespace {

using detail::Builder;
using detail::Family;
using mapping::Date;
using mapping::EnrolmentRole;

constexpr int max_letters = 10;

struct ClassSlot {
  std::string group_id;
  int grade = 1;
};

std::vector<ClassSlot> add_classes(Builder& b, const SchoolShape& shape, Date start) {
  const int classes = std::clamp(shape.classes, 1, 11 * max_letters);
  std::vector<ClassSlot> slots;
  for (int grade = 1; grade <= 11; ++grade) {
    const int count = classes / 11 + (grade - 1 < classes % 11 ? 1 : 0);
    for (int letter = 0; letter < count; ++letter) {
      const auto l = static_cast<std::size_t>(letter);
      mapping::Group g;
      g.id = detail::class_group_id(b.org_id(), grade, l, start.academic_year());
      g.name = detail::class_name(grade, l);
      g.kind = mapping::GroupKind::class_group;
      g.grade = grade;
      g.academic_year = start.academic_year();
      g.opened_on = start;
      b.roster().groups.push_back(g);
      slots.push_back({g.id, grade});
    }
  }
  return slots;
}

Date hire_date(Builder& b, Date start) {
  return start.plus_days(-b.rng().between(0, 25 * 365));
}

std::vector<std::string> add_staff(Builder& b, std::size_t classes, Date start) {
  (void)b.add_staff({"director"}, hire_date(b, start));
  (void)b.add_staff({"deputy_director", "teacher"}, hire_date(b, start));
  (void)b.add_staff({"deputy_director"}, hire_date(b, start));
  (void)b.add_staff({"methodologist"}, hire_date(b, start));
  std::vector<std::string> teachers;
  const std::size_t count = classes + classes * 2 / 3 + 1;
  for (std::size_t i = 0; i < count; ++i)
    teachers.push_back(b.add_staff({"teacher"}, hire_date(b, start)));
  return teachers;
}

// Class teachers (one class is left without one, a finding) and subject teachers.
void assign_teachers(Builder& b, const std::vector<ClassSlot>& slots,
                     const std::vector<std::string>& teachers, Date start) {
  const std::size_t leaderless = slots.size() >= 4 ? b.rng().index(slots.size()) : slots.size();
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const std::string& leader = teachers[i % teachers.size()];
    if (i != leaderless)
      b.enrol(leader, slots[i].group_id, EnrolmentRole::leader, start, "appointed");
    // Distinct subject teachers: a teacher is enrolled in a class once.
    std::vector<std::string> others;
    for (const auto& t : teachers) {
      if (t != leader) others.push_back(t);
    }
    b.rng().shuffle(others);
    const std::size_t subjects = std::min<std::size_t>(slots[i].grade <= 4 ? 2 : 4, others.size());
    for (std::size_t s = 0; s < subjects; ++s) {
      b.enrol(others[s], slots[i].group_id, EnrolmentRole::teacher, start, "appointed");
    }
  }
}

Date birth_for_grade(Builder& b, int grade, Date start) {
  return Date::from_ymd(start.academic_year() - 6 - grade, 9, 1).plus_days(b.rng().between(0, 364));
}

bool has_grade(const Family& f, int grade) {
  return std::find(f.child_grades.begin(), f.child_grades.end(), grade) != f.child_grades.end();
}

// An existing family with no child in this grade and room for one more, if a few draws find one.
Family* sibling_family(Builder& b, std::vector<Family>& families, int grade) {
  if (families.empty()) return nullptr;
  for (int attempt = 0; attempt < 4; ++attempt) {
    Family& f = families[b.rng().index(families.size())];
    if (!has_grade(f, grade) && f.child_ids.size() < 3 && !f.parent_ids.empty()) return &f;
  }
  return nullptr;
}

void add_student(Builder& b, Family& f, const ClassSlot& slot, Date birth, Date start) {
  const std::string id = b.add_child(f, birth);
  f.child_grades.push_back(slot.grade);
  b.enrol(id, slot.group_id, EnrolmentRole::student, start, "enrolled");
}

void fill_class(Builder& b, std::vector<Family>& families, const ClassSlot& slot, int size,
                Date start) {
  int placed = 0;
  while (placed < size) {
    const Date birth = birth_for_grade(b, slot.grade, start);
    if (placed + 2 <= size && b.rng().chance(2)) {  // twins: one family, one birthday, one class
      Family f = b.new_family();
      add_student(b, f, slot, birth, start);
      add_student(b, f, slot, birth, start);
      families.push_back(std::move(f));
      placed += 2;
      continue;
    }
    if (Family* f = b.rng().chance(18) ? sibling_family(b, families, slot.grade) : nullptr) {
      add_student(b, *f, slot, birth, start);
    } else {
      Family fresh = b.new_family();
      add_student(b, fresh, slot, birth, start);
      families.push_back(std::move(fresh));
    }
    ++placed;
  }
}

// Two teachers whose own children study here: staff who are parents too.
void add_teacher_families(Builder& b, std::vector<Family>& families,
                          const std::vector<ClassSlot>& slots,
                          const std::vector<std::string>& teachers, Date start) {
  int made = 0;
  for (const auto& t : teachers) {
    if (made == 2 || slots.size() < 2) return;
    if (detail::sex_of_first_name(b.person(t).first_name) != detail::Sex::male) continue;
    Family f = b.family_of_staff(t);
    const ClassSlot& slot = slots[b.rng().index(slots.size())];
    add_student(b, f, slot, birth_for_grade(b, slot.grade, start), start);
    families.push_back(std::move(f));
    ++made;
  }
}

}  // namespace

mapping::Roster make_school(std::string org_id, std::uint64_t seed, Date start, SchoolShape shape) {
  mapping::Roster roster;
  roster.org.id = std::move(org_id);
  Builder b(std::move(roster), seed, start);
  const int number = b.rng().between(1, 199);
  b.roster().org.name = "МБОУ «Средняя общеобразовательная школа № " + std::to_string(number) + "»";
  b.roster().org.short_name = "СОШ № " + std::to_string(number);
  b.roster().org.kind = mapping::OrgKind::school;
  b.roster().org.timezone = "Europe/Moscow";

  const auto slots = add_classes(b, shape, start);
  const auto teachers = add_staff(b, slots.size(), start);
  assign_teachers(b, slots, teachers, start);
  std::vector<Family> families;
  add_teacher_families(b, families, slots, teachers, start);
  const int per_class = std::max(1, shape.students_per_class);
  for (const auto& slot : slots) {
    const int size = std::max(1, per_class + b.rng().between(-2, 2));
    fill_class(b, families, slot, size, start);
  }
  detail::add_data_quality_cases(b, families);
  return b.take();
}

}  // namespace rosterd::generator
