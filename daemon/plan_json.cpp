#include <map>
#include <nlohmann/json.hpp>

#include "daemon/i18n.h"
#include "daemon/plan_output.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

using json = nlohmann::ordered_json;
using mapping::ActionType;

// A message as JSON carries it: its text in the reader's language under `key`, its stable code
// under `key`_code ("" for plain text, such as what the store kept before messages existed).
void put_message(json& out, const std::string& key, const std::string& message) {
  out[key] = text(message);
  out[key + "_code"] = std::string{mapping::message_code(message)};
}

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
  put_message(out, "reason", action.reason);
  out["held"] = action.held;
  if (action.held) put_message(out, "held_reason", action.held_reason);
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
  put_message(out, "reason", change.reason);
  return out;
}

// Who is waiting is `rosterd report invites`'s to list; the plan says how many per chat.
json invite_json(const SchoolPlan& school, const mapping::InviteList& list) {
  auto link = school.invite_links.find({list.chat_key, list.role});
  return {{"chat", list.chat_key},
          {"chat_title", school.chat_title(list.chat_key)},
          {"role", mapping::name(list.role)},
          {"link", link == school.invite_links.end() ? json() : json(link->second)},
          {"waiting", list.person_ids.size()}};
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
  return {{"managed_chats", numbers.managed_chats}, {"active_chats", numbers.active_chats},
          {"expected", numbers.expected},           {"expected_in", numbers.expected_in},
          {"coverage", numbers.coverage()},         {"chats", std::move(chats)}};
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
  out["today"] = plan.today.iso();  // the school's day, in its time zone
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
    for (const auto& id : f.subject_ids) subjects.push_back(shown_id(id));
    json finding = {{"code", mapping::name(f.code)},
                    {"title", finding_title(f.code)},
                    {"subjects", std::move(subjects)}};
    put_message(finding, "message", f.message);
    findings.push_back(std::move(finding));
  }
  out["findings"] = std::move(findings);
  json invites = json::array();
  for (const auto& list : plan.invites) invites.push_back(invite_json(school, list));
  out["invites"] = std::move(invites);
  out["waiting_for_link"] = tally_school(plan).waiting_for_link;
  out["numbers"] = numbers_json(school.numbers);
  return out;
}

json tally_json(const PlanTally& t) {
  return {{"chats_created", t.chats_created},
          {"chats_adopted", t.chats_adopted},
          {"chats_renamed", t.chats_renamed},
          {"chats_archived", t.chats_archived},
          {"members_added", t.members_added},
          {"members_removed", t.members_removed},
          {"admins_set", t.admins_set},
          {"admins_unset", t.admins_unset},
          {"links_issued", t.links_issued},
          {"links_annulled", t.links_annulled},
          {"held", t.held},
          {"state_changes", t.state_changes},
          {"findings", t.findings},
          {"waiting_for_link", t.waiting_for_link},
          {"text", tally_words(t)}};
}

// A school's summary: a tally per chat in reading order, then the school's.
json school_summary_json(const SchoolPlan& school, PlanTally& region) {
  json out = {{"school", school.school_id}};
  if (!school.plan) {
    out["error"] = school.error;
    return out;
  }
  out["name"] = school.org_name;
  out["today"] = school.plan->today.iso();  // the school's day, in its time zone
  std::map<std::string, PlanTally> tallies;
  for (const auto& action : school.plan->actions) tallies[action.chat_key].add(action);
  json chats = json::array();
  for (const auto& section : chat_sections(school)) {
    for (const auto& key : section.keys) {
      json chat = {
          {"chat", key}, {"chat_title", school.chat_title(key)}, {"section", section.heading}};
      chat.update(tally_json(tallies[key]));
      chats.push_back(std::move(chat));
    }
  }
  out["chats"] = std::move(chats);
  const auto total = tally_school(*school.plan);
  region += total;
  out["total"] = tally_json(total);
  return out;
}

}  // namespace

void write_plan_summary_json(std::ostream& out, const PlanRun& run) {
  json schools = json::array();
  PlanTally region;
  std::size_t failed = 0;
  for (const auto& school : run.schools) {
    schools.push_back(school_summary_json(school, region));
    if (school.failed()) ++failed;
  }
  json region_json = {{"schools", run.schools.size()}, {"failed", failed}};
  region_json.update(tally_json(region));
  const json document = {
      {"format", "rosterd-plan-summary/1"},
      {"today", run.today.iso()},
      {"summary", {{"schools", std::move(schools)}, {"region", std::move(region_json)}}}};
  out << document.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

void write_plan_json(std::ostream& out, const PlanRun& run) {
  json schools = json::array();
  for (const auto& school : run.schools) schools.push_back(school_json(school));
  const json document = {
      {"format", "rosterd-plan/1"}, {"today", run.today.iso()}, {"schools", std::move(schools)}};
  out << document.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace rosterd::daemon
