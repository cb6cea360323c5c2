#include <algorithm>
#include <string>
#include <vector>

#include "daemon/plan_output.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

using mapping::ActionType;
using mapping::printable;
using mapping::quote_id;

// Everything from the journal, the store or the platform is printed through printable (or
// quote_id for an id): data cannot start a line of its own, so it cannot forge an action in the
// plan an administrator approves, nor drive their terminal.

// "Иванова Анна (p-0001)", or the bare id of someone the journal does not know.
std::string who(const SchoolPlan& school, const std::string& person_id) {
  auto name = school.person_name(person_id);
  return name.empty() ? quote_id(person_id) : printable(name) + " (" + quote_id(person_id) + ")";
}

std::string chat_heading(const SchoolPlan& school, const std::string& key) {
  auto title = school.chat_title(key);
  return title.empty() ? "[" + printable(key) + "]"
                       : printable(title) + "  [" + printable(key) + "]";
}

bool is_member_action(ActionType type) {
  return type == ActionType::add_member || type == ActionType::remove_member ||
         type == ActionType::set_admin || type == ActionType::unset_admin;
}

std::string describe(const SchoolPlan& school, const mapping::Action& action) {
  std::string line{mapping::name(action.type)};
  line.resize(std::max<std::size_t>(line.size() + 1, 15), ' ');
  if (action.type == ActionType::create_chat || action.type == ActionType::rename_chat) {
    line += "\"" + printable(action.title) + "\"";
  } else if (action.type == ActionType::add_member || action.type == ActionType::remove_member) {
    line += who(school, action.person_id) + ", " + std::string{mapping::name(action.role)};
  } else if (is_member_action(action.type)) {
    line += who(school, action.person_id);
  } else {
    line += std::string{mapping::name(action.role)} + " link";
  }
  if (!action.reason.empty()) line += " — " + printable(action.reason);
  if (action.held) line += "  HELD (" + printable(action.held_reason) + ")";
  return line;
}

// Chats in the order the plan first touches them; the actions of each chat in plan order.
void write_actions(std::ostream& out, const SchoolPlan& school, const mapping::Plan& plan) {
  std::vector<std::string> order;
  for (const auto& action : plan.actions) {
    if (std::find(order.begin(), order.end(), action.chat_key) == order.end()) {
      order.push_back(action.chat_key);
    }
  }
  for (const auto& key : order) {
    out << "\n" << chat_heading(school, key) << "\n";
    for (const auto& action : plan.actions) {
      if (action.chat_key == key) out << "  " << describe(school, action) << "\n";
    }
  }
}

void write_findings(std::ostream& out, const mapping::Plan& plan) {
  if (plan.findings.empty()) return;
  out << "\nFindings (" << plan.findings.size() << ")\n";
  for (const auto& finding : plan.findings) {
    out << "  " << mapping::name(finding.code);
    if (!finding.subject_ids.empty()) {
      out << " [";
      for (std::size_t i = 0; i < finding.subject_ids.size(); ++i) {
        out << (i == 0 ? "" : ", ") << quote_id(finding.subject_ids[i]);
      }
      out << "]";
    }
    out << ": " << printable(finding.message) << "\n";
  }
}

void write_state_changes(std::ostream& out, const SchoolPlan& school, const mapping::Plan& plan) {
  if (plan.state_changes.empty()) return;
  out << "\nState changes (" << plan.state_changes.size() << ")\n";
  for (const auto& change : plan.state_changes) {
    const auto subject =
        change.person_id.empty() ? std::string{"chat"} : who(school, change.person_id);
    out << "  ";
    switch (change.type) {
      case mapping::StateChangeType::mark_missing:
        out << "grace period started: " << subject << " in " << printable(change.chat_key)
            << " since " << change.since.iso();
        break;
      case mapping::StateChangeType::clear_missing:
        out << "grace period cleared: " << subject << " in " << printable(change.chat_key);
        break;
      case mapping::StateChangeType::rebind_chat:
        out << "chat rebound: " << printable(change.chat_key) << " → " << printable(change.new_key);
        break;
      case mapping::StateChangeType::forget_member:
        out << "forgotten: " << subject << " in " << printable(change.chat_key);
        break;
    }
    if (!change.reason.empty()) out << " — " << printable(change.reason);
    out << "\n";
  }
}

void write_invites(std::ostream& out, const SchoolPlan& school, const mapping::Plan& plan) {
  if (plan.invites.empty()) return;
  out << "\nTo invite (people without a linked platform account)\n";
  for (const auto& list : plan.invites) {
    auto link = school.invite_links.find({list.chat_key, list.role});
    out << "  " << chat_heading(school, list.chat_key) << ", as " << mapping::name(list.role)
        << ", link: "
        << (link == school.invite_links.end() ? std::string{"issued when the plan is applied"}
                                              : printable(link->second))
        << "\n";
    for (const auto id : list.person_ids) out << "    " << who(school, std::string(id)) << "\n";
  }
}

void write_summary(std::ostream& out, const SchoolPlan& school) {
  out << printable(school.school_id) << ": ";
  if (!school.plan) {
    out << "FAILED\n";
    return;
  }
  const auto summary = mapping::summarize(*school.plan);
  std::string counts;
  for (std::size_t i = 0; i < mapping::action_type_count; ++i) {
    if (summary.actions[i] == 0) continue;
    if (!counts.empty()) counts += ", ";
    counts += std::to_string(summary.actions[i]) + " " +
              std::string{mapping::name(static_cast<ActionType>(i))};
  }
  out << (counts.empty() ? std::string{"no changes"} : counts) << "; " << summary.total_held()
      << " held; " << summary.state_changes << " state changes; " << summary.findings
      << " findings\n";
}

}  // namespace

void write_plan_text(std::ostream& out, const PlanRun& run) {
  for (const auto& school : run.schools) {
    out << "=== " << printable(school.school_id);
    if (!school.org_name.empty()) out << " — " << printable(school.org_name);
    out << " — plan for " << run.today.iso() << "\n";
    if (!school.plan) {
      // An error lists its problems one a line: each stays a line, its data escaped.
      out << "ERROR: " << mapping::printable_lines(school.error) << "\n";
    } else {
      write_actions(out, school, *school.plan);
      write_findings(out, *school.plan);
      write_state_changes(out, school, *school.plan);
      write_invites(out, school, *school.plan);
    }
    out << "\n";
  }
  for (const auto& school : run.schools) write_summary(out, school);
}

}  // namespace rosterd::daemon
