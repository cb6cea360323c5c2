#include "daemon/approve_command.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "daemon/i18n.h"
#include "daemon/plan_output.h"
#include "mapping/plan.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

using mapping::Action;
using mapping::ActionType;
using mapping::printable;

std::string lookup(const std::map<std::string, std::string>& names, const std::string& id) {
  const auto it = names.find(id);
  return it == names.end() ? std::string{} : it->second;
}

// «Иванова Анна (p-0001)» — or the bare id when the journal does not name them.
std::string person(const HeldNames& names, const std::string& id) {
  const auto name = lookup(names.people, id);
  return name.empty() ? mapping::quote_id(id)
                      : printable(name) + " (" + mapping::quote_id(id) + ")";
}

std::string chat(const HeldNames& names, const Action& action) {
  auto title = lookup(names.chats, action.chat_key);
  if (title.empty()) title = action.title;
  return chat_kind_name(action.chat_kind) + " " + chat_words(title, action.chat_key);
}

// The words of the plan (daemon/plan_output.h): the same action reads the same in both.
void write_action(std::ostream& out, const HeldNames& names, const Action& action) {
  out << "  " << printable(mapping::action_id(action)) << "\n    ";
  if (!action.person_id.empty()) out << person(names, action.person_id) << ": ";
  out << action_name(action.type) << " — " << chat(names, action) << "\n";
  if (!action.reason.empty()) {
    out << "    "
        << tr("approve.reason", "reason: {reason}", {{"reason", printable(text(action.reason))}})
        << "\n";
  }
  if (!action.held_reason.empty()) {
    out << "    "
        << tr("approve.held", "held: {reason}", {{"reason", printable(text(action.held_reason))}})
        << "\n";
  }
}

void write_list(std::ostream& out, const std::string& heading, const std::vector<Action>& actions,
                const HeldNames& names) {
  if (actions.empty()) return;
  out << heading << "\n";
  for (const auto& action : actions) write_action(out, names, action);
}

// The held actions with these ids, in held order; an id not held is reported and ends it all.
bool pick(const std::vector<Action>& held, const std::vector<std::string>& ids,
          std::string_view option, std::vector<Action>& picked, std::ostream& err) {
  for (const auto& id : ids) {
    const auto it =
        std::ranges::find_if(held, [&](const Action& a) { return mapping::action_id(a) == id; });
    if (it == held.end()) {
      err << "rosterd: "
          << tr("approve.no_such_action",
                "{option} {id}: the school has no such held action; nothing changed",
                {{"option", std::string{option}}, {"id", "«" + printable(id) + "»"}})
          << "\n";
      return false;
    }
    if (std::ranges::find(picked, *it) == picked.end()) picked.push_back(*it);
  }
  return true;
}

std::string question(std::size_t approving, std::size_t rejecting) {
  const auto n = [](std::size_t v) { return static_cast<long long>(v); };
  if (rejecting == 0)
    return tr_n("approve.ask.approve", "Approve {n} action?", "Approve {n} actions?", n(approving));
  if (approving == 0)
    return tr_n("approve.ask.reject", "Reject {n} action?", "Reject {n} actions?", n(rejecting));
  return tr("approve.ask.both", "Approve {approving} and reject {rejecting}?",
            {{"approving", count_actions(approving)}, {"rejecting", count_actions(rejecting)}});
}

bool confirmed(Console& console, const std::string& asked) {
  console.out << asked << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(console.in, answer)) return false;
  std::ranges::transform(answer, answer.begin(), [](unsigned char c) { return std::tolower(c); });
  return answer == "y" || answer == "yes" || answer == "д" || answer == "да" || answer == "Да";
}

std::vector<std::string> ids_of(const std::vector<Action>& actions) {
  std::vector<std::string> ids;
  for (const auto& action : actions) ids.push_back(mapping::action_id(action));
  return ids;
}

// Exactly the actions listed: a sync that replaced the held list meanwhile leaves the rest.
void record(const std::string& org_id, mapping::StateStore& store,
            const std::vector<Action>& approving, const std::vector<Action>& rejecting,
            std::ostream& out) {
  const auto org = printable(org_id);
  const auto n = [](std::size_t v) { return static_cast<long long>(v); };
  if (!approving.empty()) {
    const auto done = store.approve_actions(org_id, ids_of(approving));
    out << tr_n("approve.approved", "{org}: {n} action approved; it runs at the next sync",
                "{org}: {n} actions approved; they run at the next sync", n(done), {{"org", org}})
        << "\n";
  }
  if (!rejecting.empty()) {
    const auto done = store.reject_actions(org_id, ids_of(rejecting));
    out << tr_n("approve.rejected",
                "{org}: {n} action rejected; it is not carried out until the journal "
                "changes",
                "{org}: {n} actions rejected; they are not carried out until the journal "
                "changes",
                n(done), {{"org", org}})
        << "\n";
  }
}

}  // namespace

std::string count_actions(std::size_t n) {
  return tr_n("approve.actions", "{n} action", "{n} actions", static_cast<long long>(n));
}

int approve_held_actions(const ApproveRequest& request, mapping::StateStore& store,
                         const HeldNames& names, Console& console) {
  const auto held = store.held(request.org_id);
  std::vector<Action> approving;
  std::vector<Action> rejecting;
  if (!pick(held, request.approve, "--action", approving, console.err) ||
      !pick(held, request.reject, "--reject", rejecting, console.err))
    return 1;
  if (request.approve.empty() && request.reject.empty()) approving = held;
  const auto org = printable(request.org_id);
  const auto n = [](std::size_t v) { return static_cast<long long>(v); };
  if (approving.empty() && rejecting.empty()) {
    console.out << tr("approve.nothing_held", "{org}: no held actions", {{"org", org}}) << "\n";
    return 0;
  }
  write_list(console.out,
             tr_n("approve.list.approving", "{org}: to be approved ({n} action):",
                  "{org}: to be approved ({n} actions):", n(approving.size()), {{"org", org}}),
             approving, names);
  write_list(console.out,
             tr_n("approve.list.rejecting",
                  "{org}: to be rejected, the person or chat stays as it is ({n} action):",
                  "{org}: to be rejected, the people or chats stay as they are ({n} actions):",
                  n(rejecting.size()), {{"org", org}}),
             rejecting, names);
  if (!request.yes) {
    if (!console.terminal) {
      console.err << "rosterd: "
                  << tr("approve.no_terminal",
                        "input is not a terminal, nobody can confirm: add --yes; nothing changed")
                  << "\n";
      return 1;
    }
    if (!confirmed(console, question(approving.size(), rejecting.size()))) {
      console.out << tr("approve.nothing_changed", "Nothing changed.") << "\n";
      return 1;
    }
  }
  record(request.org_id, store, approving, rejecting, console.out);
  return 0;
}

}  // namespace rosterd::daemon
