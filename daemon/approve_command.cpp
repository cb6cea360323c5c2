#include "daemon/approve_command.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "mapping/plan.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

using mapping::Action;
using mapping::ActionType;
using mapping::printable;

std::string_view verb(ActionType type) {
  switch (type) {
    case ActionType::create_chat: return "создать чат";
    case ActionType::rename_chat: return "переименовать чат";
    case ActionType::archive_chat: return "архивировать чат";
    case ActionType::add_member: return "добавить в чат";
    case ActionType::remove_member: return "удалить из чата";
    case ActionType::set_admin: return "назначить администратором";
    case ActionType::unset_admin: return "снять права администратора";
    case ActionType::issue_invite: return "выпустить ссылку-приглашение";
    case ActionType::annul_invite: return "отозвать ссылку-приглашение";
    case ActionType::adopt_chat: return "взять чат под управление";
  }
  return "";
}

std::string lookup(const std::map<std::string, std::string>& names, const std::string& id) {
  const auto it = names.find(id);
  return it == names.end() ? std::string{} : it->second;
}

// «Иванова Анна (p-0001)» — or the bare id when the journal does not name them.
std::string person(const HeldNames& names, const std::string& id) {
  const auto name = lookup(names.people, id);
  return name.empty() ? mapping::quote_id(id) : printable(name) + " (" + mapping::quote_id(id) + ")";
}

std::string chat(const HeldNames& names, const Action& action) {
  auto title = lookup(names.chats, action.chat_key);
  if (title.empty()) title = action.title;
  return title.empty() ? "[" + printable(action.chat_key) + "]"
                       : "«" + printable(title) + "» [" + printable(action.chat_key) + "]";
}

void write_action(std::ostream& out, const HeldNames& names, const Action& action) {
  out << "  " << printable(mapping::action_id(action)) << "\n    ";
  if (!action.person_id.empty()) out << person(names, action.person_id) << ": ";
  out << verb(action.type) << " " << chat(names, action) << "\n";
  if (!action.reason.empty()) out << "    причина: " << printable(action.reason) << "\n";
  if (!action.held_reason.empty())
    out << "    удержано: " << printable(action.held_reason) << "\n";
}

void write_list(std::ostream& out, std::string_view heading, const std::vector<Action>& actions,
                const HeldNames& names) {
  if (actions.empty()) return;
  out << heading << " (" << count_actions(actions.size()) << "):\n";
  for (const auto& action : actions) write_action(out, names, action);
}

// The held actions with these ids, in held order; an id not held is reported and ends it all.
bool pick(const std::vector<Action>& held, const std::vector<std::string>& ids,
          std::string_view option, std::vector<Action>& picked, std::ostream& err) {
  for (const auto& id : ids) {
    const auto it = std::ranges::find_if(
        held, [&](const Action& a) { return mapping::action_id(a) == id; });
    if (it == held.end()) {
      err << "rosterd: " << option << " «" << printable(id)
          << "»: у школы нет такого удержанного действия; ничего не изменено\n";
      return false;
    }
    if (std::ranges::find(picked, *it) == picked.end()) picked.push_back(*it);
  }
  return true;
}

std::string question(std::size_t approving, std::size_t rejecting) {
  if (rejecting == 0) return "Одобрить " + count_actions(approving) + "?";
  if (approving == 0) return "Отклонить " + count_actions(rejecting) + "?";
  return "Одобрить " + count_actions(approving) + " и отклонить " + count_actions(rejecting) + "?";
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

}  // namespace

std::string count_actions(std::size_t n) {
  const auto tens = n % 100;
  const auto ones = n % 10;
  std::string_view word = "действий";
  if (tens < 11 || tens > 14) {
    if (ones == 1) word = "действие";
    else if (ones >= 2 && ones <= 4) word = "действия";
  }
  return std::to_string(n) + " " + std::string{word};
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
  if (approving.empty() && rejecting.empty()) {
    console.out << org << ": удержанных действий нет\n";
    return 0;
  }
  write_list(console.out, org + ": будут одобрены", approving, names);
  write_list(console.out, org + ": будут отклонены (человек или чат остаётся как есть)",
             rejecting, names);
  if (!request.yes) {
    if (!console.terminal) {
      console.err << "rosterd: ввод не с терминала, подтвердить некому: добавьте --yes; "
                     "ничего не изменено\n";
      return 1;
    }
    if (!confirmed(console, question(approving.size(), rejecting.size()))) {
      console.out << "Ничего не изменено.\n";
      return 1;
    }
  }
  // Exactly the actions listed: a sync that replaced the held list meanwhile leaves the rest.
  if (!approving.empty()) {
    const auto n = store.approve_actions(request.org_id, ids_of(approving));
    console.out << org << ": одобрено " << count_actions(n)
                << "; они будут выполнены при следующей синхронизации\n";
  }
  if (!rejecting.empty()) {
    const auto n = store.reject_actions(request.org_id, ids_of(rejecting));
    console.out << org << ": отклонено " << count_actions(n)
                << "; они не будут выполнены, пока журнал не изменится\n";
  }
  return 0;
}

}  // namespace rosterd::daemon
