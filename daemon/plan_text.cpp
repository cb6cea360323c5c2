#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "daemon/i18n.h"
#include "daemon/plan_output.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

using mapping::ActionType;
using mapping::printable;
using mapping::quote_id;

// Everything from the journal, the store or the platform is printed through printable (or
// quote_id for an id): data cannot start a line of its own, so it cannot forge an action in the
// plan an administrator approves, nor drive their terminal. Reasons are messages worded in the
// reader's language (daemon::text) before they are made printable.

// "Иванова Анна (p-0001)", or the bare id of someone the journal does not know. The chat's
// class is the section's, so an action line names the person only.
std::string who(const SchoolPlan& school, const std::string& person_id) {
  auto name = school.person_name(person_id);
  return name.empty() ? quote_id(person_id) : printable(name) + " (" + quote_id(person_id) + ")";
}

std::string shown(const std::string& message) {
  return printable(text(message));
}

std::string describe(const SchoolPlan& school, const mapping::Action& action) {
  std::string line = action_name(action.type) + " ";
  switch (action.type) {
    case ActionType::create_chat:
    case ActionType::rename_chat:
    case ActionType::adopt_chat: line += "«" + printable(action.title) + "»"; break;
    case ActionType::archive_chat: line.pop_back(); break;
    case ActionType::add_member:
    case ActionType::remove_member:
      line += who(school, action.person_id) + ", " + role_name(action.role);
      break;
    case ActionType::set_admin:
    case ActionType::unset_admin: line += who(school, action.person_id); break;
    case ActionType::issue_invite:
    case ActionType::annul_invite:
      line += action.role == mapping::MemberRole::admin
                  ? tr("plan.link.admin", "for administrators")
                  : tr("plan.link.member", "for members");
      break;
  }
  if (!action.reason.empty()) line += " — " + shown(action.reason);
  return line;
}

// A chat's actions: those that proceed, then the held ones under one heading per kind of
// action and reason ("Held (47 actions): …"), not the same reason on each of 47 lines.
void write_chat(std::ostream& out, const SchoolPlan& school, const std::string& key) {
  const auto& actions = school.plan->actions;
  const auto first = std::find_if(actions.begin(), actions.end(),
                                  [&](const mapping::Action& a) { return a.chat_key == key; });
  out << "  " << chat_kind_name(first->chat_kind) << " " << chat_words(school.chat_title(key), key)
      << "\n";
  std::vector<std::pair<std::pair<ActionType, std::string>, std::vector<const mapping::Action*>>>
      held;
  for (const auto& action : actions) {
    if (action.chat_key != key) continue;
    if (!action.held) {
      out << "    " << describe(school, action) << "\n";
      continue;
    }
    const std::pair<ActionType, std::string> kind{action.type, action.held_reason};
    auto group =
        std::find_if(held.begin(), held.end(), [&](const auto& g) { return g.first == kind; });
    if (group == held.end()) group = held.insert(held.end(), {kind, {}});
    group->second.push_back(&action);
  }
  for (const auto& [kind, list] : held) {
    out << "    "
        << tr_n("plan.held", "HELD ({n} action): {reason}", "HELD ({n} actions): {reason}",
                static_cast<long long>(list.size()), {{"reason", shown(kind.second)}})
        << "\n";
    for (const auto* action : list) out << "      " << describe(school, *action) << "\n";
  }
}

// Subjects named: a person by name, class and role; a chat by its title; else the id.
std::string subject_words(const SchoolPlan& school, const std::string& id) {
  if (school.person(id) != nullptr) return person_words(school, id);
  if (const auto title = school.chat_title(id); !title.empty()) return chat_words(title, id);
  if (const auto* group = school.chat_group("class:" + id)) {
    return printable(group->name) + " (" + quote_id(id) + ")";
  }
  return quote_id(id);
}

// Findings by kind: the kind's title once, then a line per finding naming its subjects.
void write_findings(std::ostream& out, const SchoolPlan& school) {
  const auto& findings = school.plan->findings;
  if (findings.empty()) return;
  out << "\n"
      << tr_n("plan.findings", "{n} finding", "{n} findings",
              static_cast<long long>(findings.size()))
      << "\n";
  std::map<mapping::FindingCode, std::vector<const mapping::Finding*>> by_code;
  for (const auto& finding : findings) by_code[finding.code].push_back(&finding);
  for (const auto& [code, list] : by_code) {
    out << "  " << finding_title(code) << " (" << list.size() << ")\n";
    for (const auto* finding : list) {
      std::string subjects;
      for (const auto& id : finding->subject_ids)
        subjects += (subjects.empty() ? "" : "; ") + subject_words(school, id);
      out << "    " << subjects << (subjects.empty() ? "" : " — ") << shown(finding->message)
          << "\n";
    }
  }
}

void write_state_changes(std::ostream& out, const SchoolPlan& school) {
  const auto& changes = school.plan->state_changes;
  if (changes.empty()) return;
  out << "\n"
      << tr_n("plan.changes", "{n} state change", "{n} state changes",
              static_cast<long long>(changes.size()))
      << "\n";
  for (const auto& change : changes) {
    const auto subject = change.person_id.empty() ? tr("plan.change.the_chat", "the chat")
                                                  : who(school, change.person_id);
    const auto chat = chat_words(school.chat_title(change.chat_key), change.chat_key);
    out << "  ";
    switch (change.type) {
      case mapping::StateChangeType::mark_missing:
        out << tr("plan.change.mark_missing", "grace period started: {who} in {chat} since {date}",
                  {{"who", subject}, {"chat", chat}, {"date", change.since.iso()}});
        break;
      case mapping::StateChangeType::clear_missing:
        out << tr("plan.change.clear_missing", "grace period cleared: {who} in {chat}",
                  {{"who", subject}, {"chat", chat}});
        break;
      case mapping::StateChangeType::rebind_chat:
        out << tr("plan.change.rebind_chat", "chat continues for the new group: {chat} -> {new}",
                  {{"chat", chat}, {"new", "[" + printable(change.new_key) + "]"}});
        break;
      case mapping::StateChangeType::forget_member:
        out << tr("plan.change.forget_member", "no longer followed: {who} in {chat}",
                  {{"who", subject}, {"chat", chat}});
        break;
    }
    if (!change.reason.empty()) out << " — " << shown(change.reason);
    out << "\n";
  }
}

// The invitees are listed by `rosterd report invites`, not here: one line says how many.
void write_invites(std::ostream& out, const SchoolPlan& school, const std::string& config_file) {
  const auto waiting = tally_school(*school.plan).waiting_for_link;
  if (waiting == 0) return;
  out << "\n"
      << tr_n("plan.invites",
              "{n} person without a platform account waits for an invite link; "
              "`{command}` lists them",
              "{n} people without a platform account wait for an invite link; `{command}` lists "
              "them",
              static_cast<long long>(waiting),
              {{"command", "rosterd report invites --config " + printable(config_file) +
                               " --school " + printable(school.school_id)}})
      << "\n";
}

}  // namespace

void write_plan_text(std::ostream& out, const PlanRun& run) {
  for (const auto& school : run.schools) {
    out << "=== " << printable(school.school_id);
    if (!school.org_name.empty()) out << " — " << printable(school.org_name);
    // Each school's own day (its time zone's), the run's when it failed before it was known.
    const auto day = school.plan ? school.plan->today : run.today;
    out << " — " << tr("plan.header", "plan for {date}", {{"date", day.iso()}}) << "\n";
    if (!school.plan) {
      // An error lists its problems one a line: each stays a line, its data escaped.
      out << tr("plan.error", "ERROR: {error}", {{"error", mapping::printable_lines(school.error)}})
          << "\n\n";
      continue;
    }
    for (const auto& section : chat_sections(school)) {
      out << "\n" << section.heading << "\n";
      for (const auto& key : section.keys) write_chat(out, school, key);
    }
    write_findings(out, school);
    write_state_changes(out, school);
    write_invites(out, school, run.config_file.string());
    out << "\n";
  }
  write_run_totals(out, run);
}

}  // namespace rosterd::daemon
