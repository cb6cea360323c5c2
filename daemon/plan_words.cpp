// The words of a plan that the plan and `approve` share: action names, roles, chat kinds,
// finding titles, and how a person or a chat is named. Each comes from the catalog
// (po/ru/plan.po) in the process's language.

#include "daemon/i18n.h"
#include "daemon/plan_output.h"
#include "mapping/text.h"

namespace rosterd::daemon {

std::string action_name(mapping::ActionType type) {
  using mapping::ActionType;
  switch (type) {
    case ActionType::create_chat: return tr("plan.action.create_chat", "create chat");
    case ActionType::rename_chat: return tr("plan.action.rename_chat", "rename chat");
    case ActionType::archive_chat: return tr("plan.action.archive_chat", "archive chat");
    case ActionType::add_member: return tr("plan.action.add_member", "add");
    case ActionType::remove_member: return tr("plan.action.remove_member", "remove");
    case ActionType::set_admin: return tr("plan.action.set_admin", "make admin");
    case ActionType::unset_admin: return tr("plan.action.unset_admin", "revoke admin");
    case ActionType::issue_invite: return tr("plan.action.issue_invite", "issue invite link");
    case ActionType::annul_invite: return tr("plan.action.annul_invite", "annul invite link");
    case ActionType::adopt_chat: return tr("plan.action.adopt_chat", "take chat over");
  }
  return std::string{mapping::name(type)};
}

std::string role_name(mapping::MemberRole role) {
  return role == mapping::MemberRole::admin ? tr("plan.role.admin", "admin")
                                            : tr("plan.role.member", "member");
}

std::string chat_kind_name(mapping::ChatKind kind) {
  using mapping::ChatKind;
  switch (kind) {
    case ChatKind::class_chat: return tr("plan.kind.class", "Class chat");
    case ChatKind::parents: return tr("plan.kind.parents", "Parents' chat");
    case ChatKind::association: return tr("plan.kind.association", "Association chat");
    case ChatKind::staff: return tr("plan.kind.staff", "Staff chat");
  }
  return std::string{mapping::name(kind)};
}

std::string finding_title(mapping::FindingCode code) {
  using mapping::FindingCode;
  switch (code) {
    case FindingCode::shared_phone: return tr("plan.finding.shared_phone", "Shared phone number");
    case FindingCode::child_on_parent_phone:
      return tr("plan.finding.child_on_parent_phone", "Child registered on a parent's phone");
    case FindingCode::group_without_leader:
      return tr("plan.finding.group_without_leader", "Class without a class teacher");
    case FindingCode::no_contact:
      return tr("plan.finding.no_contact", "Cannot be invited: no contact");
    case FindingCode::skipped_record:
      return tr("plan.finding.skipped_record", "Journal record left out");
    case FindingCode::chat_without_admin:
      return tr("plan.finding.chat_without_admin", "Chat without an administrator");
    case FindingCode::unmanaged_chat:
      return tr("plan.finding.unmanaged_chat", "Chat not managed by rosterd");
    case FindingCode::archived_chat:
      return tr("plan.finding.archived_chat", "Managed chat archived on the platform");
    case FindingCode::source_failure:
      return tr("plan.finding.source_failure", "Journal answer not trusted: nothing written");
    case FindingCode::unclear_chat:
      return tr("plan.finding.unclear_chat", "Chat of unclear origin");
    case FindingCode::rejected_write:
      return tr("plan.finding.rejected_write", "Write refused by the platform");
    case FindingCode::bad_name: return tr("plan.finding.bad_name", "Name cleaned or cut");
    case FindingCode::removed_by_hand:
      return tr("plan.finding.removed_by_hand", "Removed from a chat by hand");
    case FindingCode::left_chat: return tr("plan.finding.left_chat", "Left a chat");
    case FindingCode::added_by_hand:
      return tr("plan.finding.added_by_hand", "Added to a chat by hand");
    case FindingCode::chat_deleted:
      return tr("plan.finding.chat_deleted", "Chat deleted on the platform");
    case FindingCode::chat_archived_by_hand:
      return tr("plan.finding.chat_archived_by_hand", "Chat archived by hand");
    case FindingCode::adoption_unclear:
      return tr("plan.finding.adoption_unclear", "Unclear which chat serves the group");
    case FindingCode::unrecognised_joiner:
      return tr("plan.finding.unrecognised_joiner", "Joined by link, not recognised");
    case FindingCode::no_timezone:
      return tr("plan.finding.no_timezone", "No time zone: the machine's day is used");
    case FindingCode::unknown_timezone:
      return tr("plan.finding.unknown_timezone", "Unknown time zone: the machine's day is used");
    case FindingCode::term_year_mismatch:
      return tr("plan.finding.term_year_mismatch", "School year contradicts the term's dates");
    case FindingCode::duplicate_title:
      return tr("plan.finding.duplicate_title", "Chats with the same title");
  }
  return std::string{mapping::name(code)};
}

namespace {

// "классный руководитель", "ученик, родитель": what the person is at the school.
std::string roles_of(const PersonFacts& facts) {
  std::string out;
  const auto add = [&out](const std::string& word) { out += (out.empty() ? "" : ", ") + word; };
  if (facts.leader) {
    add(tr("plan.person.leader", "class teacher"));
  } else if ((facts.roles & mapping::role_staff) != 0) {
    add(tr("plan.person.staff", "staff"));
  }
  if ((facts.roles & mapping::role_student) != 0) add(tr("plan.person.student", "student"));
  if ((facts.roles & mapping::role_parent) != 0) add(tr("plan.person.parent", "parent"));
  return out;
}

}  // namespace

std::string person_words(const SchoolPlan& school, const std::string& id) {
  const auto* facts = school.person(id);
  if (facts == nullptr) return mapping::quote_id(id);
  std::string about;
  for (const auto& group : facts->classes) about += mapping::printable(group) + ", ";
  const auto roles = roles_of(*facts);
  if (!roles.empty()) about += roles + ", ";
  return mapping::printable(facts->name) + " (" + about + mapping::quote_id(id) + ")";
}

std::string chat_words(const std::string& title, const std::string& key) {
  const auto shown_key = "[" + mapping::printable(key) + "]";
  return title.empty() ? shown_key : "«" + mapping::printable(title) + "» " + shown_key;
}

}  // namespace rosterd::daemon
