#include "mapping/wording.h"

#include <algorithm>
#include <charconv>

#include "mapping/message.h"
#include "mapping/text.h"

namespace rosterd::mapping {

std::string kind_msg(ChatKind kind) {
  switch (kind) {
    case ChatKind::class_chat: return msg("chat_kind.class", "class");
    case ChatKind::parents: return msg("chat_kind.parents", "parents");
    case ChatKind::association: return msg("chat_kind.association", "association");
    case ChatKind::staff: return msg("chat_kind.staff", "staff");
  }
  return {};  // not reached: every kind has its word
}

std::string role_msg(MemberRole role) {
  return role == MemberRole::admin ? msg("member_role.admin", "admin")
                                   : msg("member_role.member", "member");
}

std::string action_msg(ActionType type) {
  switch (type) {
    case ActionType::create_chat: return msg("action_type.create_chat", "create_chat");
    case ActionType::rename_chat: return msg("action_type.rename_chat", "rename_chat");
    case ActionType::archive_chat: return msg("action_type.archive_chat", "archive_chat");
    case ActionType::add_member: return msg("action_type.add_member", "add_member");
    case ActionType::remove_member: return msg("action_type.remove_member", "remove_member");
    case ActionType::set_admin: return msg("action_type.set_admin", "set_admin");
    case ActionType::unset_admin: return msg("action_type.unset_admin", "unset_admin");
    case ActionType::issue_invite: return msg("action_type.issue_invite", "issue_invite");
    case ActionType::annul_invite: return msg("action_type.annul_invite", "annul_invite");
    case ActionType::adopt_chat: return msg("action_type.adopt_chat", "adopt_chat");
  }
  return {};  // not reached: every type has its word
}

std::string journal_reason(std::string_view reason) {
  if (reason == "enrolled") return msg("journal_reason.enrolled", "enrolled");
  if (reason == "transfer") return msg("journal_reason.transfer", "transfer");
  if (reason == "withdrawn") return msg("journal_reason.withdrawn", "withdrawn");
  if (reason == "graduated") return msg("journal_reason.graduated", "graduated");
  if (reason == "replaced") return msg("journal_reason.replaced", "replaced");
  if (reason == "appointed") return msg("journal_reason.appointed", "appointed");
  if (reason == "left") return msg("journal_reason.left", "left");
  return clean_text(reason);
}

std::string position_msg(std::string_view position) {
  if (position == "director") return msg("position.director", "director");
  if (position == "deputy_director") return msg("position.deputy_director", "deputy_director");
  if (position == "teacher") return msg("position.teacher", "teacher");
  return clean_text(position);
}

namespace {

std::string children_of(const DesiredChat& chat, const DesiredMember& m) {
  std::string out;
  for (std::uint32_t i = 0; i < m.children_count; ++i) {
    if (i) out += ", ";
    chat.children[m.children_begin + i]->append_display_name(out);
  }
  return out;
}

std::string positions_of(const Person& p) {
  std::string out;
  for (const auto& position : p.positions) {
    if (!out.empty()) out += ", ";
    out += position_msg(position);
  }
  return out;
}

void append_leader(std::string& r, const DesiredChat& c, const std::string& since) {
  const std::string_view g = c.group_name;
  switch (c.group_kind) {
    case GroupKind::class_group:
      if (since.empty()) return append_msg(r, "who.class_teacher", "class teacher of {group}", {{"group", std::string(g)}});
      return append_msg(r, "who.class_teacher_since", "class teacher of {group} since {since}",
                        {{"group", std::string(g)}, {"since", since}});
    case GroupKind::kindergarten_group:
      if (since.empty()) return append_msg(r, "who.carer", "carer of {group}", {{"group", std::string(g)}});
      return append_msg(r, "who.carer_since", "carer of {group} since {since}",
                        {{"group", std::string(g)}, {"since", since}});
    case GroupKind::association: break;
  }
  if (since.empty()) return append_msg(r, "who.leader", "leader of {group}", {{"group", std::string(g)}});
  append_msg(r, "who.leader_since", "leader of {group} since {since}",
             {{"group", std::string(g)}, {"since", since}});
}

// The platform administrator stands in for a leader the group lacks (or who has no account).
void append_stand_in(std::string& r, const DesiredChat& c, bool unlinked) {
  const std::string g = c.group_name;
  switch (c.group_kind) {
    case GroupKind::class_group:
      if (unlinked)
        return append_msg(r, "who.stand_in_unlinked_class_teacher",
                          "no linked class teacher in {group}: the platform administrator stands in",
                          {{"group", g}});
      return append_msg(r, "who.stand_in_class_teacher",
                        "no class teacher in {group}: the platform administrator stands in",
                        {{"group", g}});
    case GroupKind::kindergarten_group:
      if (unlinked)
        return append_msg(r, "who.stand_in_unlinked_carer",
                          "no linked carer in {group}: the platform administrator stands in",
                          {{"group", g}});
      return append_msg(r, "who.stand_in_carer",
                        "no carer in {group}: the platform administrator stands in", {{"group", g}});
    case GroupKind::association: break;
  }
  if (unlinked)
    return append_msg(r, "who.stand_in_unlinked_leader",
                      "no linked leader in {group}: the platform administrator stands in",
                      {{"group", g}});
  append_msg(r, "who.stand_in_leader", "no leader in {group}: the platform administrator stands in",
             {{"group", g}});
}

void append_staff(std::string& r, const DesiredMember& m, const std::string& since) {
  const bool positions = m.person && !m.person->positions.empty();
  if (positions && !since.empty())
    return append_msg(r, "who.staff_positions_since", "staff ({positions}) since {since}",
                      {{"positions", positions_of(*m.person)}, {"since", since}});
  if (positions)
    return append_msg(r, "who.staff_positions", "staff ({positions})",
                      {{"positions", positions_of(*m.person)}});
  if (!since.empty()) return append_msg(r, "who.staff_since", "staff since {since}", {{"since", since}});
  append_msg(r, "who.staff", "staff");
}

}  // namespace

void append_who(std::string& r, const DesiredChat& c, const DesiredMember& m, bool with_since) {
  const std::string since = with_since && m.since ? m.since->iso() : std::string{};
  switch (m.why) {
    case Why::student:
      if (since.empty()) return append_msg(r, "who.student", "student of {group}", {{"group", c.group_name}});
      return append_msg(r, "who.student_since", "student of {group} since {since}",
                        {{"group", c.group_name}, {"since", since}});
    case Why::leader: return append_leader(r, c, since);
    case Why::teacher:
      if (since.empty()) return append_msg(r, "who.teacher", "teaches {group}", {{"group", c.group_name}});
      return append_msg(r, "who.teacher_since", "teaches {group} since {since}",
                        {{"group", c.group_name}, {"since", since}});
    case Why::parent:
      return append_msg(r, "who.parent", "parent of {children} ({group})",
                        {{"children", children_of(c, m)}, {"group", c.group_name}});
    case Why::staff: return append_staff(r, m, since);
    case Why::fallback_no_leader: return append_stand_in(r, c, false);
    case Why::fallback_unlinked: return append_stand_in(r, c, true);
    case Why::fallback_no_director:
      return append_msg(r, "who.stand_in_director",
                        "no director on staff: the platform administrator stands in");
  }
}

// A first plan gives every membership a reason, thousands of them: each is appended into one
// buffer rather than concatenated through temporaries.
std::string member_reason(const DesiredChat& chat, const DesiredMember& m) {
  std::string r;
  r.reserve(128);
  append_who(r, chat, m, true);
  return r;
}

std::string person_msg(const DesiredChat& chat, const DesiredMember& m) {
  if (!m.person) return msg("who.platform_admin", "the platform administrator");
  std::string who;
  append_who(who, chat, m, false);
  return msg("who.named", "{name} ({who})", {{"name", m.person->display_name()}, {"who", who}});
}

std::string member_msg(const DesiredChat& chat, std::string_view person_id,
                       const std::vector<std::pair<PlatformUserId, std::string>>& profile_names) {
  const auto it = std::ranges::lower_bound(chat.members, person_id, {}, &DesiredMember::person_id);
  if (it != chat.members.end() && it->person_id == person_id) return person_msg(chat, *it);
  if (person_id.starts_with("uid:")) {
    PlatformUserId uid = 0;
    const auto digits = person_id.substr(4);
    std::from_chars(digits.data(), digits.data() + digits.size(), uid);
    for (const auto& [id, name] : profile_names) {
      if (id == uid && !name.empty())
        return msg("who.platform_profile", "{name} (platform profile)", {{"name", name}});
    }
  }
  return quote_id(person_id);
}

std::string quoted(std::string_view title) {
  std::string out;
  out.reserve(title.size() + 4);
  out += "«";
  out += title;
  out += "»";
  return out;
}

std::string name_list(const std::vector<std::string>& names, std::size_t shown) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < shown; ++i) {
    if (i) out += ", ";
    out += names[i];
  }
  if (names.size() > shown) out += ", …";
  return out;
}

}  // namespace rosterd::mapping
