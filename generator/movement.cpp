// A day of movement in the journal: everything dated, as DESIGN's sync semantics expect.

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

#include "generator/builder.h"
#include "generator/generator.h"

namespace rosterd::generator {
namespace {

using detail::Builder;
using mapping::Date;
using mapping::Enrolment;
using mapping::EnrolmentRole;

class Day {
 public:
  Day(Builder& b, Date day) : b_(b), day_(day) {
    for (std::size_t i = 0; i < b.roster().groups.size(); ++i)
      groups_.emplace(b.roster().groups[i].id, i);
  }

  void withdraw_students(int count);
  void transfer_students(int count, Date effective);
  void enrol_students(int count);
  void change_leader();
  void teacher_leaves();
  void link_accounts(int count);

 private:
  [[nodiscard]] Date yesterday() const { return day_.plus_days(-1); }
  [[nodiscard]] const mapping::Group* group(const std::string& id) const {
    const auto it = groups_.find(id);
    return it == groups_.end() ? nullptr : &b_.roster().groups[it->second];
  }
  // Open enrolments that began before today in a group that is still active: the ones a
  // movement can end. Enrolments of people already moved today are left alone.
  [[nodiscard]] std::vector<std::size_t> settled(EnrolmentRole role) const {
    std::vector<std::size_t> out;
    const auto& enrolments = b_.roster().enrolments;
    for (std::size_t i = 0; i < enrolments.size(); ++i) {
      const Enrolment& e = enrolments[i];
      if (e.role != role || e.to || (e.from && *e.from > yesterday())) continue;
      const mapping::Group* g = group(e.group_id);
      if (g != nullptr && g->active_on(day_) && !touched_.contains(e.person_id)) out.push_back(i);
    }
    return out;
  }
  [[nodiscard]] std::set<std::string> current_leaders() const;
  [[nodiscard]] std::optional<std::string> transfer_target(const Enrolment& e, Date effective);
  [[nodiscard]] std::string free_staff_like(const mapping::Person& old);

  Builder& b_;
  Date day_;
  std::unordered_map<std::string, std::size_t> groups_;
  std::set<std::string> touched_;
};

void Day::withdraw_students(int count) {
  for (int i = 0; i < count; ++i) {
    const auto candidates = settled(EnrolmentRole::student);
    if (candidates.empty()) return;
    Enrolment& e = b_.roster().enrolments[candidates[b_.rng().index(candidates.size())]];
    e.to = yesterday();
    e.reason = "withdrawn";
    touched_.insert(e.person_id);
  }
}

// Another active group of the same kind (and grade, for classes) the student is not in.
std::optional<std::string> Day::transfer_target(const Enrolment& e, Date effective) {
  const mapping::Group* from = group(e.group_id);
  std::vector<std::string> targets;
  for (const auto& g : b_.roster().groups) {
    if (g.id == e.group_id || g.kind != from->kind || g.grade != from->grade ||
        !g.active_on(effective))
      continue;
    const bool already = std::any_of(
        b_.roster().enrolments.begin(), b_.roster().enrolments.end(), [&](const Enrolment& x) {
          return x.person_id == e.person_id && x.group_id == g.id && !x.to;
        });
    if (!already) targets.push_back(g.id);
  }
  if (targets.empty()) return std::nullopt;
  return b_.rng().pick(targets);
}

void Day::transfer_students(int count, Date effective) {
  for (int i = 0; i < count; ++i) {
    const auto candidates = settled(EnrolmentRole::student);
    for (int attempt = 0; attempt < 8 && !candidates.empty(); ++attempt) {
      const std::size_t index = candidates[b_.rng().index(candidates.size())];
      const auto target = transfer_target(b_.roster().enrolments[index], effective);
      if (!target) continue;
      Enrolment& e = b_.roster().enrolments[index];
      e.to = effective.plus_days(-1);
      e.reason = "transfer";
      const std::string person = e.person_id;  // enrol() reallocates
      b_.enrol(person, *target, EnrolmentRole::student, effective, "transfer");
      touched_.insert(person);
      break;
    }
  }
}

void Day::enrol_students(int count) {
  for (int i = 0; i < count; ++i) {
    const auto candidates = settled(EnrolmentRole::student);
    if (candidates.empty()) return;
    const Enrolment classmate =
        b_.roster().enrolments[candidates[b_.rng().index(candidates.size())]];
    const auto& mate = b_.person(classmate.person_id);
    const Date birth = mate.birth_date.value_or(day_).plus_days(b_.rng().between(-120, 120));
    std::string id;
    const Enrolment sibling = b_.roster().enrolments[candidates[b_.rng().index(candidates.size())]];
    if (sibling.group_id != classmate.group_id && b_.rng().chance(30)) {
      id = b_.add_sibling(sibling.person_id, birth);
    } else {
      detail::Family family = b_.new_family();
      id = b_.add_child(family, birth);
    }
    b_.enrol(id, classmate.group_id, EnrolmentRole::student, day_, "enrolled");
    touched_.insert(id);
  }
}

std::set<std::string> Day::current_leaders() const {
  std::set<std::string> leaders;
  for (const auto& e : b_.roster().enrolments) {
    if (e.role == EnrolmentRole::leader && e.active_on(day_)) leaders.insert(e.person_id);
  }
  return leaders;
}

// An employed colleague with the same first position who leads nothing; hired if nobody is free.
std::string Day::free_staff_like(const mapping::Person& old) {
  const std::string position = old.positions.empty() ? "teacher" : old.positions.front();
  const auto leaders = current_leaders();
  std::vector<std::string> free;
  for (const auto& p : b_.roster().persons) {
    if (p.id == old.id || !p.employed_on(day_) || p.employed_to || touched_.contains(p.id))
      continue;
    if (!p.positions.empty() && p.positions.front() == position && !leaders.contains(p.id))
      free.push_back(p.id);
  }
  if (!free.empty()) return b_.rng().pick(free);
  return b_.add_staff({position}, day_);
}

void Day::change_leader() {
  const auto candidates = settled(EnrolmentRole::leader);
  if (candidates.empty()) return;
  const std::size_t index = candidates[b_.rng().index(candidates.size())];
  Enrolment& old = b_.roster().enrolments[index];
  old.to = yesterday();
  old.reason = "replaced";
  const std::string group_id = old.group_id;
  const mapping::Person old_leader = b_.person(old.person_id);
  touched_.insert(old_leader.id);
  const std::string successor = free_staff_like(old_leader);
  b_.enrol(successor, group_id, EnrolmentRole::leader, day_, "appointed");
  touched_.insert(successor);
}

// A teacher leaves: employment and enrolments end yesterday; a new hire takes over from today.
void Day::teacher_leaves() {
  std::vector<std::string> candidates;
  for (const auto& p : b_.roster().persons) {
    if (!p.employed_on(day_) || p.employed_to || touched_.contains(p.id)) continue;
    const bool teaches = !p.positions.empty() &&
                         (p.positions.front() == "teacher" || p.positions.front() == "carer");
    if (teaches) candidates.push_back(p.id);
  }
  if (candidates.empty()) return;
  mapping::Person& leaver = b_.person(b_.rng().pick(candidates));
  leaver.employed_to = yesterday();
  touched_.insert(leaver.id);
  const std::string leaver_id = leaver.id;
  const std::vector<std::string> positions = leaver.positions;
  std::vector<std::pair<std::string, EnrolmentRole>> duties;
  auto& enrolments = b_.roster().enrolments;
  std::erase_if(enrolments, [&](const Enrolment& e) {  // not yet begun: never happens
    return e.person_id == leaver_id && e.from && *e.from >= day_;
  });
  for (auto& e : enrolments) {
    if (e.person_id != leaver_id || (e.to && *e.to < day_)) continue;
    e.to = yesterday();
    e.reason = "left";
    duties.emplace_back(e.group_id, e.role);
  }
  const std::string hire = b_.add_staff(positions, day_);
  touched_.insert(hire);
  for (const auto& [group_id, role] : duties) b_.enrol(hire, group_id, role, day_, "appointed");
}

void Day::link_accounts(int count) {
  std::vector<std::string> candidates;
  for (const auto& p : b_.roster().persons) {
    if (!p.platform_user_id && (!p.phone.empty() || !p.email.empty())) candidates.push_back(p.id);
  }
  b_.rng().shuffle(candidates);
  for (int i = 0; i < count && i < static_cast<int>(candidates.size()); ++i) {
    const std::string& id = candidates[static_cast<std::size_t>(i)];
    b_.person(id).platform_user_id = b_.platform_id_for(id);
  }
}

}  // namespace

mapping::Roster next_day(const mapping::Roster& today, std::uint64_t seed, Date day) {
  Builder b(today, mix(seed, static_cast<std::uint64_t>(day.days())), day);
  Day d(b, day);
  // A school gets every kind of movement each day; a small organisation each kind now and
  // then, so that about 0.5-1 % of people move either way.
  const int unit = std::max<int>(1, static_cast<int>(today.persons.size() / 600));
  const bool small = today.persons.size() < 600;
  const auto sometimes = [&](double percent) { return !small || b.rng().chance(percent); };
  if (sometimes(50)) d.withdraw_students(b.rng().between(1, unit + 1));
  if (sometimes(30)) d.transfer_students(b.rng().between(1, unit), day);
  if (sometimes(15)) d.transfer_students(1, day.plus_days(b.rng().between(3, 6)));
  if (sometimes(50)) d.enrol_students(b.rng().between(1, unit + 1));
  if (sometimes(10)) d.change_leader();
  if (sometimes(5)) d.teacher_leaves();
  d.link_accounts(b.rng().between(1, 2 * unit));
  return b.take();
}

}  // namespace rosterd::generator
