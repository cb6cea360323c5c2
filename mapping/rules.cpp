#include "mapping/rules.h"

#include <string_view>

#include "mapping/text.h"

namespace rosterd::mapping {

const std::vector<ChatTemplate>& OrgRules::chats_for(GroupKind kind) const noexcept {
  switch (kind) {
    case GroupKind::class_group: return class_chats;
    case GroupKind::kindergarten_group: return kindergarten_group_chats;
    case GroupKind::association: return association_chats;
  }
  return class_chats;
}

const OrgRules& Rules::for_kind(OrgKind kind) const noexcept {
  switch (kind) {
    case OrgKind::school: return school;
    case OrgKind::kindergarten: return kindergarten;
    case OrgKind::additional: return additional;
  }
  return school;
}

Rules Rules::defaults() {
  const ChatTemplate group_chat{ChatKind::class_chat, "{group.name} · {org.short_name}", false};
  const ChatTemplate parents_chat{ChatKind::parents, "{group.name} · родители · {org.short_name}",
                                  false};
  const ChatTemplate association_chat{ChatKind::association, "{group.name} · {org.short_name}",
                                      false};
  const ChatTemplate staff_chat{ChatKind::staff, "Педагоги · {org.short_name}", false};
  const std::vector<std::string> staff_admins{"director", "deputy_director"};

  Rules rules;
  rules.school.class_chats = {group_chat, parents_chat};
  rules.school.association_chats = {association_chat, parents_chat};
  rules.school.kindergarten_group_chats = {parents_chat};
  rules.school.staff_chat = staff_chat;
  rules.school.staff_admin_positions = staff_admins;

  rules.kindergarten.kindergarten_group_chats = {parents_chat};
  rules.kindergarten.association_chats = {association_chat, parents_chat};
  rules.kindergarten.staff_chat = staff_chat;
  rules.kindergarten.staff_admin_positions = staff_admins;

  rules.additional.association_chats = {association_chat, parents_chat};
  rules.additional.class_chats = {association_chat, parents_chat};
  rules.additional.staff_chat = staff_chat;
  rules.additional.staff_admin_positions = staff_admins;
  return rules;
}

namespace {

// The template with its placeholders filled in, each name cleaned and cut to `name_limit` code
// points; the whole cleaned (the template comes from the config) but not cut.
std::string render(const std::string& tmpl, const Organisation& org, const Group* group,
                   const std::string& year, std::size_t name_limit) {
  std::string out;
  out.reserve(tmpl.size() + 16);
  std::size_t i = 0;
  while (i < tmpl.size()) {
    const auto close = tmpl[i] == '{' ? tmpl.find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      out += tmpl[i++];
      continue;
    }
    const std::string_view field(tmpl.data() + i + 1, close - i - 1);
    if (field == "group.name" && group) {
      append_clean_text(out, group->name, name_limit);
    } else if (field == "org.short_name") {
      append_clean_text(out, org.short_name.empty() ? org.name : org.short_name, name_limit);
    } else if (field == "org.name") {
      append_clean_text(out, org.name, name_limit);
    } else if (field == "year") {
      out += year;
    } else {
      out.append(tmpl, i, close - i + 1);
    }
    i = close + 1;
  }
  return clean_text(out, std::string::npos);
}

}  // namespace

std::string render_title(const std::string& tmpl, const Organisation& org, const Group* group,
                         int academic_year) {
  const std::string year = std::to_string(academic_year) + "/" +
                           std::to_string((academic_year + 1) % 100 / 10) +
                           std::to_string((academic_year + 1) % 10);
  std::string title = render(tmpl, org, group, year, longest_name);
  if (count_code_points(title) <= longest_title) return title;
  // The platform refuses a longer title (the chat would never be created). The names are cut
  // alike, as little as needed, so that the template's own words stay: they tell a group's
  // chats apart ("5А · родители"), and two chats of one school never share a title.
  std::size_t fits = 0, too_long = longest_name;
  while (fits + 1 < too_long) {
    const std::size_t limit = (fits + too_long) / 2;
    const bool ok = count_code_points(render(tmpl, org, group, year, limit)) <= longest_title;
    (ok ? fits : too_long) = limit;
  }
  return clean_text(render(tmpl, org, group, year, fits), longest_title);
}

}  // namespace rosterd::mapping
