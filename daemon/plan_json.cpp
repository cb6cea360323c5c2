#include <nlohmann/json.hpp>

#include "daemon/plan_output.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

using json = nlohmann::ordered_json;
using mapping::ActionType;

json counts(const std::array<std::size_t, mapping::action_type_count>& values) {
  json out = json::object();
  for (std::size_t i = 0; i < mapping::action_type_count; ++i) {
    out[std::string{mapping::name(static_cast<ActionType>(i))}] = values[i];
  }
  return out;
}

bool is_member_action(ActionType type) {
  return type == ActionType::add_member || type == ActionType::remove_member ||
         type == ActionType::set_admin || type == ActionType::unset_admin;
}

// A person id as the JSON shows it: as it is, unless it looks like a contact (a phone number
// put in an id column), which is never printed.
std::string shown_id(const std::string& id) {
  return mapping::looks_like_contact(id) ? mapping::quote_id(id) : id;
}

std::string shown_action_id(const mapping::Action& action) {
  if (!mapping::looks_like_contact(action.person_id)) return mapping::action_id(action);
  mapping::Action masked = action;
  masked.person_id = mapping::quote_id(action.person_id);
  return mapping::action_id(masked);
}

json action_json(const SchoolPlan& school, const mapping::Action& action) {
  json out = {{"type", mapping::name(action.type)},
              {"id", shown_action_id(action)},
              {"chat", action.chat_key},
              {"chat_kind", mapping::name(action.chat_kind)},
              {"chat_title", school.chat_title(action.chat_key)}};
  if (action.type == ActionType::create_chat || action.type == ActionType::adopt_chat)
    out["group_id"] = action.group_id;
  if (action.type == ActionType::create_chat || action.type == ActionType::rename_chat ||
      action.type == ActionType::adopt_chat) {
    out["title"] = action.title;
  }
  if (action.type == ActionType::adopt_chat && action.chat_id) out["chat_id"] = *action.chat_id;
  if (is_member_action(action.type)) {
    out["person_id"] = shown_id(action.person_id);
    out["person_name"] = school.person_name(action.person_id);
    out["platform_user_id"] = action.platform_user_id ? json(*action.platform_user_id) : json();
    out["role"] = mapping::name(action.role);
  }
  if (action.type == ActionType::issue_invite || action.type == ActionType::annul_invite) {
    out["role"] = mapping::name(action.role);
  }
  out["reason"] = action.reason;
  out["held"] = action.held;
  if (action.held) out["held_reason"] = action.held_reason;
  return out;
}

json state_change_json(const mapping::StateChange& change) {
  json out = {{"type", mapping::name(change.type)}, {"chat", change.chat_key}};
  if (!change.person_id.empty()) out["person_id"] = shown_id(change.person_id);
  if (change.type == mapping::StateChangeType::mark_missing) out["since"] = change.since.iso();
  if (change.type == mapping::StateChangeType::rebind_chat) {
    out["new_chat"] = change.new_key;
    out["new_group_id"] = change.new_group_id;
  }
  out["reason"] = change.reason;
  return out;
}

json invite_json(const SchoolPlan& school, const mapping::InviteList& list) {
  json persons = json::array();
  for (const auto view : list.person_ids) {
    const std::string id(view);
    persons.push_back({{"person_id", shown_id(id)}, {"name", school.person_name(id)}});
  }
  auto link = school.invite_links.find({list.chat_key, list.role});
  return {{"chat", list.chat_key},
          {"chat_title", school.chat_title(list.chat_key)},
          {"role", mapping::name(list.role)},
          {"link", link == school.invite_links.end() ? json() : json(link->second)},
          {"persons", std::move(persons)}};
}

json numbers_json(const mapping::SchoolNumbers& numbers) {
  json chats = json::array();
  for (const auto& c : numbers.chats) {
    chats.push_back({{"chat", c.key},
                     {"members_seen", c.members_seen},
                     {"expected", c.expected},
                     {"expected_in", c.expected_in},
                     {"missing", c.missing},
                     {"active", c.active}});
  }
  return {{"managed_chats", numbers.managed_chats},
          {"active_chats", numbers.active_chats},
          {"expected", numbers.expected},
          {"expected_in", numbers.expected_in},
          {"coverage", numbers.coverage()},
          {"chats", std::move(chats)}};
}

json school_json(const SchoolPlan& school) {
  json out = {{"school", school.school_id}};
  if (!school.plan) {
    out["error"] = school.error;
    return out;
  }
  const auto& plan = *school.plan;
  const auto summary = mapping::summarize(plan);
  out["name"] = school.org_name;
  out["summary"] = counts(summary.actions);
  out["held"] = counts(summary.held);
  json actions = json::array();
  for (const auto& action : plan.actions) actions.push_back(action_json(school, action));
  out["actions"] = std::move(actions);
  json changes = json::array();
  for (const auto& change : plan.state_changes) changes.push_back(state_change_json(change));
  out["state_changes"] = std::move(changes);
  json findings = json::array();
  for (const auto& f : plan.findings) {
    // Subjects are ids, never contacts: an id that looks like one is masked as messages mask it.
    json subjects = json::array();
    for (const auto& id : f.subject_ids)
      subjects.push_back(shown_id(id));
    findings.push_back({{"code", mapping::name(f.code)},
                        {"subjects", std::move(subjects)},
                        {"message", f.message}});
  }
  out["findings"] = std::move(findings);
  json invites = json::array();
  for (const auto& list : plan.invites) invites.push_back(invite_json(school, list));
  out["invites"] = std::move(invites);
  out["numbers"] = numbers_json(school.numbers);
  return out;
}

}  // namespace

void write_plan_json(std::ostream& out, const PlanRun& run) {
  json schools = json::array();
  for (const auto& school : run.schools) schools.push_back(school_json(school));
  const json document = {
      {"format", "rosterd-plan/1"}, {"today", run.today.iso()}, {"schools", std::move(schools)}};
  out << document.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace rosterd::daemon
