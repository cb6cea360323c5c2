#include "daemon/planner.h"

#include <algorithm>
#include <exception>

#include "daemon/platform_look.h"
#include "daemon/sync.h"
#include "daemon/wall_clock.h"
#include "daemon/wiring.h"
#include "mapping/observe.h"
#include "mapping/sync.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

namespace snapshot = adapters::snapshot;

// What the roster says of each person the plan names: name, groups, roles. Only those people:
// the rest of the roster is not needed to read the plan.
class PeopleFacts {
 public:
  PeopleFacts(const mapping::Roster& roster, mapping::Date today) {
    persons_.reserve(roster.persons.size());
    for (const auto& person : roster.persons) persons_.emplace(person.id, &person);
    for (const auto& group : roster.groups) groups_.emplace(group.id, &group);
    for (const auto& e : roster.enrolments) {
      if (e.active_on(today)) enrolments_[e.person_id].push_back(&e);
    }
    for (const auto& r : roster.relations) children_[r.parent_id].push_back(&r.child_id);
  }

  void note(SchoolPlan& out, const std::string& id) const {
    if (id.empty() || out.people.count(id) != 0) return;
    const auto it = persons_.find(id);
    if (it == persons_.end()) return;
    PersonFacts facts;
    facts.name = it->second->display_name();
    facts.roles = it->second->roles;
    add_groups(facts, id, true);
    if (const auto children = children_.find(id); children != children_.end()) {
      for (const auto* child : children->second) add_groups(facts, *child, false);
    }
    out.people.emplace(id, std::move(facts));
  }

 private:
  void add_groups(PersonFacts& facts, const std::string& id, bool own) const {
    const auto it = enrolments_.find(id);
    if (it == enrolments_.end()) return;
    for (const auto* e : it->second) {
      if (!own && e->role != mapping::EnrolmentRole::student) continue;
      const auto group = groups_.find(e->group_id);
      // Cleaned as every name is: a contact put in a class's name never reaches the plan.
      const auto name =
          mapping::clean_text(group == groups_.end() ? e->group_id : group->second->name);
      if (std::find(facts.classes.begin(), facts.classes.end(), name) == facts.classes.end())
        facts.classes.push_back(name);
      if (own && e->role == mapping::EnrolmentRole::leader) facts.leader = true;
    }
  }

  std::unordered_map<std::string, const mapping::Person*> persons_;
  std::unordered_map<std::string, const mapping::Group*> groups_;
  std::unordered_map<std::string, std::vector<const mapping::Enrolment*>> enrolments_;
  std::unordered_map<std::string, std::vector<const std::string*>> children_;  // by parent
};

// The people the plan's actions, state changes and findings name, and those it invites (the
// plan only counts them; `rosterd report invites` names them).
void collect_people(SchoolPlan& out, const mapping::Roster& roster, const mapping::Plan& plan,
                    mapping::Date today) {
  const PeopleFacts facts(roster, today);
  for (const auto& action : plan.actions) facts.note(out, action.person_id);
  for (const auto& change : plan.state_changes) facts.note(out, change.person_id);
  for (const auto& finding : plan.findings) {
    for (const auto& id : finding.subject_ids) facts.note(out, id);
  }
  for (const auto& list : plan.invites) {
    for (const auto id : list.person_ids) facts.note(out, std::string(id));
  }
}

// The group each chat serves, by its name in the journal; a chat whose group the journal no
// longer has (an archived class) has none, and the plan shows it among "other chats".
void collect_groups(SchoolPlan& out, const mapping::Roster& roster,
                    const mapping::DesiredState& desired, const mapping::AppliedState& applied) {
  std::unordered_map<std::string, const mapping::Group*> groups;
  for (const auto& group : roster.groups) groups.emplace(group.id, &group);
  for (const auto& chat : applied.chats) {
    const auto group = groups.find(chat.group_id);
    if (chat.kind != mapping::ChatKind::staff && group != groups.end())
      out.chat_groups[chat.key] = {mapping::clean_text(group->second->name), group->second->kind};
  }
  for (const auto& chat : desired.chats) {
    if (chat.kind != mapping::ChatKind::staff)
      out.chat_groups[chat.key] = {chat.group_name, chat.group_kind};
  }
}

void collect_titles(SchoolPlan& out, const mapping::DesiredState& desired,
                    const mapping::AppliedState& applied) {
  for (const auto& chat : applied.chats) out.chat_titles[chat.key] = chat.title;
  for (const auto& chat : desired.chats) out.chat_titles[chat.key] = chat.title;
}

// A parent is invited to a parents' chat for the children of that group: the hand-out names them.
void collect_children(SchoolPlan& out, const mapping::DesiredState& desired,
                      const mapping::Plan& plan) {
  for (const auto& list : plan.invites) {
    const auto chat = std::lower_bound(
        desired.chats.begin(), desired.chats.end(), list.chat_key,
        [](const mapping::DesiredChat& c, const std::string& key) { return c.key < key; });
    if (chat == desired.chats.end() || chat->key != list.chat_key) continue;
    for (const auto id : list.person_ids) {
      const auto m = std::lower_bound(
          chat->members.begin(), chat->members.end(), id,
          [](const mapping::DesiredMember& d, std::string_view p) { return d.person_id < p; });
      if (m == chat->members.end() || m->person_id != id || m->children_count == 0) continue;
      auto& names = out.invitee_children[{list.chat_key, std::string(id)}];
      for (std::uint32_t i = 0; i < m->children_count; ++i)
        names.push_back(chat->children[m->children_begin + i]->display_name());
    }
  }
}

// A link survives the plan unless the plan issues a new one or annuls it.
void collect_links(SchoolPlan& out, const mapping::AppliedState& applied,
                   const mapping::Plan& plan) {
  for (const auto& chat : applied.chats) {
    for (const auto& invite : chat.invites) {
      if (invite.link.empty()) continue;
      out.invite_links[{chat.key, invite.role}] = invite.link;
      out.invite_issued_on[{chat.key, invite.role}] = invite.issued_on;
    }
  }
  for (const auto& action : plan.actions) {
    if (action.type == mapping::ActionType::issue_invite ||
        action.type == mapping::ActionType::annul_invite) {
      out.invite_links.erase({action.chat_key, action.role});
      out.invite_issued_on.erase({action.chat_key, action.role});
    }
  }
}

bool source_failed(const mapping::Plan& plan) {
  for (const auto& finding : plan.findings) {
    if (finding.code == mapping::FindingCode::source_failure) return true;
  }
  return false;
}

mapping::AppliedState describe(const std::string& school_id, const mapping::Roster& roster,
                               const mapping::DesiredState& desired,
                               const mapping::AppliedState& applied, mapping::Plan plan,
                               mapping::Date today, SchoolPlan& out);

// fetch journal → load applied state → desired → diff → guard; returns the assumed state.
// With a look at the platform, `applied` is first brought to what the platform shows and the
// plan is made as a sync would make it (adoptions included); nothing is recorded.
mapping::AppliedState plan_one(const SchoolConfig& school, JournalCache& journals,
                               mapping::AppliedState applied, std::set<std::string> approved,
                               const std::set<std::string>& rejected, mapping::Date today,
                               const mapping::TodayIn& today_in, PlatformLook* look,
                               SchoolPlan& out) {
  const auto answer = journals.get(school)->fetch();
  const mapping::Roster& roster = *answer.roster;
  const auto day = mapping::school_day(school.id, school.timezone, roster.org.timezone, today,
                                       today_in);
  today = day.today;
  mapping::DesiredState desired;
  mapping::Plan plan;
  if (look) {
    std::set<std::string> changed;
    auto planned = look->plan({school.id, school.rules, school.policy, school.limits, &rejected},
                              roster, applied, approved, today, school.bindings, changed);
    desired = std::move(planned.desired);
    plan = std::move(planned.plan);
    applied = std::move(planned.applied);
  } else {
    auto planned = plan_school(school.id, roster, applied, school.rules, school.policy,
                               school.limits, std::move(approved), today, rejected);
    desired = std::move(planned.desired);
    plan = std::move(planned.plan);
  }
  if (day.finding) plan.findings.push_back(*day.finding);
  plan.findings.insert(plan.findings.end(), answer.findings.begin(), answer.findings.end());
  return describe(school.id, roster, desired, applied, std::move(plan), today, out);
}

// What a person needs to read the plan, and the state as it would be once it is applied.
mapping::AppliedState describe(const std::string& school_id, const mapping::Roster& roster,
                               const mapping::DesiredState& desired,
                               const mapping::AppliedState& applied, mapping::Plan plan,
                               mapping::Date today, SchoolPlan& out) {
  out.org_name = mapping::clean_text(roster.org.name);
  const auto counts = mapping::count(roster);
  collect_people(out, roster, plan, today);
  collect_titles(out, desired, applied);
  collect_groups(out, roster, desired, applied);
  collect_children(out, desired, plan);
  collect_links(out, applied, plan);
  out.numbers = mapping::numbers(desired, applied);

  auto assumed = mapping::assume_applied(applied, plan);
  assumed.org_id = school_id;
  // A fetch the guard took for a source failure must not become the next baseline.
  if (!source_failed(plan)) assumed.last_good_counts = counts;
  out.plan = std::move(plan);
  return assumed;
}

// The plan a sync would apply now, recording nothing (SchoolSync::plan_dry), kept with the
// state it was made from.
mapping::AppliedState plan_as_sync(const Config& config, const SchoolConfig& school,
                                   const PlanRequest& request, JournalCache& journals,
                                   mapping::Platform& platform, mapping::StateStore& store,
                                   SchoolPlan& out) {
  auto settings = sync_settings(config, school);
  if (!request.today_in) settings.today_in = {};  // --today wins over the school's zone
  auto journal = journals.get(school);
  SchoolSync sync(settings, *journal, platform, store);
  auto dry = sync.plan_dry(request.today);
  auto assumed = describe(school.id, *dry.answer.roster, dry.desired, dry.applied,
                          dry.saved.plan, dry.saved.today, out);
  dry.saved.org_name = out.org_name;
  out.saved = std::move(dry.saved);
  return assumed;
}

std::vector<const SchoolConfig*> select_schools(const Config& config, const PlanRequest& request) {
  std::vector<const SchoolConfig*> selected;
  if (request.school) {
    const auto* school = config.find_school(*request.school);
    if (school == nullptr) {
      throw PlanError("no school " + *request.school + " in " + config.file.string());
    }
    selected.push_back(school);
  } else {
    for (const auto& school : config.schools) selected.push_back(&school);
  }
  return selected;
}

}  // namespace

std::string SchoolPlan::person_name(const std::string& id) const {
  const auto* facts = person(id);
  return facts == nullptr ? std::string{} : facts->name;
}

const PersonFacts* SchoolPlan::person(const std::string& id) const {
  const auto it = people.find(id);
  return it == people.end() ? nullptr : &it->second;
}

const ChatGroup* SchoolPlan::chat_group(const std::string& key) const {
  const auto it = chat_groups.find(key);
  return it == chat_groups.end() ? nullptr : &it->second;
}

std::string SchoolPlan::chat_title(const std::string& key) const {
  auto it = chat_titles.find(key);
  return it == chat_titles.end() ? std::string{} : it->second;
}

bool PlanRun::failed() const noexcept {
  for (const auto& school : schools) {
    if (school.failed()) return true;
  }
  return false;
}

bool PlanRun::changes() const noexcept {
  for (const auto& school : schools) {
    if (school.plan && !school.plan->empty()) return true;
  }
  return false;
}

PlanRun plan_schools(const Config& config, const PlanRequest& request) {
  const auto selected = select_schools(config, request);
  PlanRun run;
  run.today = request.today;
  run.config_file = config.file;
  try {
    if (request.applied) run.assumed = snapshot::read_snapshot(*request.applied);
  } catch (const snapshot::SnapshotError& e) {
    throw PlanError(e.what());
  }
  if (request.as_sync && (request.applied || !config.store)) {
    throw PlanError("a saved plan is made against the state store: " +
                    std::string(request.applied ? "not with a snapshot (--applied)"
                                                : "the configuration has no \"store\""));
  }
  // Without a snapshot, a config with a state store plans against what sync recorded there.
  std::unique_ptr<mapping::StateStore> store;
  if (!request.applied && config.store) store = open_store(config);
  // Schools sharing a OneRoster folder read it once for the whole run, not once each.
  JournalCache journals({}, true);  // a OneRoster folder is read once for all its schools
  // A OneRoster delta plans on the state the daemon kept; a plan does not change it.
  if (store) journals.keep_states(std::make_shared<const Config>(config), false);
  std::unique_ptr<adapters::platform::VkPlatform> platform;
  if (request.look || request.as_sync) platform = open_platform(config);
  for (const auto* school : selected) {
    SchoolPlan out;
    out.school_id = school->id;
    try {
      if (request.as_sync) {
        run.assumed.put(plan_as_sync(config, *school, request, journals, *platform, *store, out));
        run.schools.push_back(std::move(out));
        continue;
      }
      if (store) {
        auto stored = store->load(school->id);
        stored.org_id = school->id;
        run.assumed.put(std::move(stored));
      }
      std::set<std::string> approved;
      std::set<std::string> rejected;
      if (store) {
        approved = store->approved(school->id);
        rejected = store->rejected(school->id);
      }
      auto applied = run.assumed.school(school->id);
      std::optional<PlatformLook> look;
      if (platform) {
        look.emplace(*platform, school->id, unix_now);
        look->look(applied, request.today,
                   store ? store->bound_chat_ids() : std::set<mapping::ChatId>{},
                   config.schedule.audit_period_s, false);
      }
      run.assumed.put(plan_one(*school, journals, std::move(applied), std::move(approved), rejected,
                               request.today, request.today_in, look ? &*look : nullptr,
                               out));
    } catch (const std::exception& e) {
      // One school's failure never stops the others.
      out.plan.reset();
      out.error = e.what();
    }
    run.schools.push_back(std::move(out));
  }
  return run;
}

}  // namespace rosterd::daemon
