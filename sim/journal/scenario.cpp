#include "sim/journal/scenario.h"

#include <algorithm>
#include <functional>

#include "sim/journal/roster_json.h"

namespace rosterd::sim::journal {
namespace {

using mapping::Date;
using mapping::Enrolment;
using mapping::EnrolmentRole;
using mapping::Roster;
using nlohmann::json;

// One event being applied: its JSON, its name in errors, and the rosters it may touch.
class EventContext {
 public:
  EventContext(const json& event, std::size_t index, const std::map<std::string, Roster>& base,
               std::map<std::string, Roster>& touched, Date today)
      : event_(event),
        where_("scenario[" + std::to_string(index) + "]"),
        base_(base),
        touched_(touched),
        today_(today) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw DataError(where_ + ": " + message);
  }
  [[nodiscard]] const std::string& where() const noexcept { return where_; }
  [[nodiscard]] const json& event() const noexcept { return event_; }

  [[nodiscard]] std::string text(const char* name) const {
    const auto it = event_.find(name);
    if (it == event_.end() || !it->is_string() || it->get<std::string>().empty()) {
      fail(std::string(name) + ": required string is missing");
    }
    return it->get<std::string>();
  }
  // A date field; `fallback` when absent or null.
  [[nodiscard]] Date date(const char* name, Date fallback) const {
    const auto it = event_.find(name);
    if (it == event_.end() || it->is_null()) return fallback;
    const auto parsed = it->is_string() ? Date::parse(it->get<std::string>()) : std::nullopt;
    if (!parsed) fail(std::string(name) + ": not a valid date (expected YYYY-MM-DD)");
    return *parsed;
  }
  [[nodiscard]] Date first_day() const { return date("from", today_); }
  [[nodiscard]] Date last_day() const { return date("last_day", today_.plus_days(-1)); }

  // The roster holding this group (or person), copied into the touched set on first use.
  [[nodiscard]] Roster& roster_with_group(const std::string& group_id) {
    return roster_where(
        [&](const Roster& r) {
          return std::any_of(r.groups.begin(), r.groups.end(),
                             [&](const auto& g) { return g.id == group_id; });
        },
        "group " + group_id);
  }
  [[nodiscard]] Roster& roster_with_person(const std::string& person_id) {
    return roster_where([&](const Roster& r) { return find_person(r, person_id) != nullptr; },
                        "person " + person_id);
  }

  [[nodiscard]] static const mapping::Person* find_person(const Roster& r, const std::string& id) {
    for (const auto& p : r.persons) {
      if (p.id == id) return &p;
    }
    return nullptr;
  }
  [[nodiscard]] mapping::Person& person(Roster& r, const std::string& id) const {
    for (auto& p : r.persons) {
      if (p.id == id) return p;
    }
    fail("unknown person " + id + " in organisation " + r.org.id);
  }
  void require_group(const Roster& r, const std::string& id) const {
    const bool known =
        std::any_of(r.groups.begin(), r.groups.end(), [&](const auto& g) { return g.id == id; });
    if (!known) fail("unknown group " + id + " in organisation " + r.org.id);
  }

 private:
  // "org_id" names the organisation; without it, the one whose roster matches (current state,
  // so an event may refer to a person an earlier event added).
  Roster& roster_where(const std::function<bool(const Roster&)>& holds, const std::string& what) {
    if (event_.contains("org_id")) {
      const auto id = text("org_id");
      if (!touched_.contains(id) && !base_.contains(id)) fail("unknown organisation " + id);
      return touch(id);
    }
    for (auto& [id, roster] : touched_) {
      if (holds(roster)) return roster;
    }
    for (const auto& [id, roster] : base_) {
      if (!touched_.contains(id) && holds(roster)) return touch(id);
    }
    fail(what + " is in no organisation");
  }
  Roster& touch(const std::string& id) {
    auto it = touched_.find(id);
    if (it == touched_.end()) it = touched_.emplace(id, base_.at(id)).first;
    return it->second;
  }

  const json& event_;
  std::string where_;
  const std::map<std::string, Roster>& base_;
  std::map<std::string, Roster>& touched_;
  Date today_;
};

// The membership of `person` in `group` with `role` that is still running on `day`
// (open, or ending on or after it); nullptr when there is none.
Enrolment* running(Roster& r, const std::string& person, const std::string& group,
                   EnrolmentRole role, Date day) {
  for (auto& e : r.enrolments) {
    if (e.person_id == person && e.group_id == group && e.role == role && (!e.to || *e.to >= day))
      return &e;
  }
  return nullptr;
}

void end_membership(EventContext& c, Roster& r, const std::string& person, const std::string& group,
                    Date last_day, const char* reason) {
  Enrolment* e = running(r, person, group, EnrolmentRole::student, last_day);
  if (e == nullptr) c.fail("person " + person + " has no running student enrolment in " + group);
  e->to = last_day;
  e->reason = reason;
}

// A person given in full is added (or replaces the record with its id); by id it must exist.
std::string person_of(EventContext& c, Roster& r, const json& spec, const std::string& where) {
  if (spec.contains("person")) {
    auto p = person_from_json(spec["person"], where + ".person");
    const std::string id = p.id;
    const auto it =
        std::find_if(r.persons.begin(), r.persons.end(), [&](const auto& x) { return x.id == id; });
    if (it == r.persons.end()) {
      r.persons.push_back(std::move(p));
    } else {
      *it = std::move(p);
    }
    return id;
  }
  const auto it = spec.find("person_id");
  if (it == spec.end() || !it->is_string()) c.fail("needs person or person_id");
  const std::string id = it->get<std::string>();
  (void)c.person(r, id);
  return id;
}

void enrol(EventContext& c) {
  const std::string group = c.text("group_id");
  Roster& r = c.roster_with_group(group);
  const std::string person = person_of(c, r, c.event(), c.where());
  auto role = EnrolmentRole::student;
  if (c.event().contains("role")) {
    const auto parsed = mapping::parse_enrolment_role(c.text("role"));
    if (!parsed) c.fail("role: unknown value");
    role = *parsed;
  }
  const Date from = c.first_day();
  if (running(r, person, group, role, from) != nullptr) c.fail("person " + person + " is in it");
  const std::string reason = c.event().contains("reason") ? c.text("reason") : "enrolled";
  r.enrolments.push_back({person, group, role, from, std::nullopt, reason});
  const auto parents = c.event().find("parents");
  if (parents == c.event().end()) return;
  if (!parents->is_array()) c.fail("parents: expected an array");
  for (std::size_t i = 0; i < parents->size(); ++i) {
    const json& spec = (*parents)[i];
    const auto where = c.where() + ".parents[" + std::to_string(i) + "]";
    if (!spec.is_object()) c.fail("parents: expected objects");
    const std::string parent = person_of(c, r, spec, where);
    const auto kind = spec.contains("kind") && spec["kind"].is_string()
                          ? mapping::parse_relation_kind(spec["kind"].get<std::string>())
                          : std::nullopt;
    if (!kind) c.fail("parents: kind must be mother, father or guardian");
    r.relations.push_back({parent, person, *kind});
  }
}

void withdraw(EventContext& c) {
  const std::string person = c.text("person_id");
  const std::string group = c.text("group_id");
  Roster& r = c.roster_with_group(group);
  end_membership(c, r, person, group, c.last_day(), "withdrawn");
}

void transfer(EventContext& c) {
  const std::string person = c.text("person_id");
  const std::string from_group = c.text("from_group_id");
  const std::string to_group = c.text("to_group_id");
  Roster& r = c.roster_with_group(from_group);
  c.require_group(r, to_group);
  const Date last_day = c.last_day();
  end_membership(c, r, person, from_group, last_day, "transfer");
  r.enrolments.push_back(
      {person, to_group, EnrolmentRole::student, last_day.plus_days(1), std::nullopt, "transfer"});
}

void class_teacher(EventContext& c) {
  const std::string group = c.text("group_id");
  const std::string person = c.text("person_id");
  Roster& r = c.roster_with_group(group);
  if (!c.person(r, person).has_role(mapping::role_staff)) c.fail(person + " is not staff");
  const Date from = c.first_day();
  // Leaderships not yet begun by then are dropped; running ones end the day before.
  std::erase_if(r.enrolments, [&](const Enrolment& e) {
    return e.group_id == group && e.role == EnrolmentRole::leader && e.person_id != person &&
           e.from && *e.from >= from;
  });
  for (auto& e : r.enrolments) {
    if (e.group_id != group || e.role != EnrolmentRole::leader || e.person_id == person) continue;
    if (e.to && *e.to < from) continue;
    e.to = from.plus_days(-1);
    e.reason = "replaced";
  }
  if (running(r, person, group, EnrolmentRole::leader, from) == nullptr) {
    r.enrolments.push_back({person, group, EnrolmentRole::leader, from, std::nullopt, "appointed"});
  }
}

void teacher_leaves(EventContext& c) {
  const std::string person = c.text("person_id");
  Roster& r = c.roster_with_person(person);
  const Date last_day = c.last_day();
  c.person(r, person).employed_to = last_day;
  std::vector<std::pair<std::string, EnrolmentRole>> duties;
  std::erase_if(r.enrolments, [&](const Enrolment& e) {
    return e.person_id == person && e.from && *e.from > last_day;
  });
  for (auto& e : r.enrolments) {
    if (e.person_id != person || (e.to && *e.to <= last_day)) continue;
    e.to = last_day;
    e.reason = "left";
    duties.emplace_back(e.group_id, e.role);
  }
  if (!c.event().contains("successor_id")) return;
  const std::string successor = c.text("successor_id");
  (void)c.person(r, successor);
  for (const auto& [group, role] : duties) {
    r.enrolments.push_back(
        {successor, group, role, last_day.plus_days(1), std::nullopt, "appointed"});
  }
}

void link_account(EventContext& c) {
  const std::string person = c.text("person_id");
  Roster& r = c.roster_with_person(person);
  const auto it = c.event().find("platform_user_id");
  if (it == c.event().end()) c.fail("platform_user_id: required field is missing");
  if (it->is_null()) {
    c.person(r, person).platform_user_id.reset();
    return;
  }
  if (!it->is_number_integer() || it->get<std::int64_t>() <= 0) {
    c.fail("platform_user_id: expected a positive integer");
  }
  c.person(r, person).platform_user_id = it->get<std::int64_t>();
}

using Handler = void (*)(EventContext&);
const std::map<std::string, Handler, std::less<>>& handlers() {
  static const std::map<std::string, Handler, std::less<>> table = {
      {"enrol", enrol},
      {"withdraw", withdraw},
      {"transfer", transfer},
      {"class_teacher", class_teacher},
      {"teacher_leaves", teacher_leaves},
      {"link_account", link_account},
  };
  return table;
}

}  // namespace

std::map<std::string, Roster> apply_events(const json& events,
                                           const std::map<std::string, Roster>& rosters,
                                           Date today) {
  if (!events.is_array()) throw DataError("scenario: expected an array of events");
  std::map<std::string, Roster> touched;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json& event = events[i];
    EventContext context(event, i, rosters, touched, today);
    if (!event.is_object()) context.fail("expected an object");
    const auto type = context.text("type");
    const auto handler = handlers().find(type);
    if (handler == handlers().end()) context.fail("type: unknown event type");
    handler->second(context);
  }
  return touched;
}

}  // namespace rosterd::sim::journal
