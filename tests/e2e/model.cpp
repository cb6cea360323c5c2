#include "model.h"

#include <fstream>
#include <stdexcept>

namespace rosterd::e2e {
namespace {

using nlohmann::json;

json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return json::parse(in);
}

// A nullable field: absent and null both mean "none".
json field(const json& record, const char* name) {
  const auto it = record.find(name);
  return it == record.end() ? json() : *it;
}

// Dates are inclusive and ISO, so they compare as strings; a missing end is open.
bool on(const json& from, const json& to, const std::string& day) {
  return (from.is_null() || from.get<std::string>() <= day) &&
         (to.is_null() || day <= to.get<std::string>());
}

bool has(const json& list, const std::string& value) {
  if (!list.is_array()) return false;
  for (const auto& v : list) {
    if (v == value) return true;
  }
  return false;
}

// Only people with a platform account can be members; an admin stays an admin whatever
// else they are in the chat (a class teacher who is also a parent there).
void admit(Members& members, const json& person, bool admin) {
  const json uid = field(person, "platform_user_id");
  if (uid.is_null()) return;
  auto& slot = members[uid.get<mapping::PlatformUserId>()];
  slot = slot || admin;
}

Members& new_chat(PlatformView& view, const std::string& title) {
  if (view.live.contains(title)) throw std::logic_error("two chats would be titled " + title);
  return view.live[title];
}

struct Context {
  const Journal& journal;
  const std::string& day;
  mapping::PlatformUserId fallback_admin;
  std::string short_name;
  std::map<std::string, const json*> persons;
};

bool employed(const json& person, const std::string& day) {
  return on(field(person, "employed_from"), field(person, "employed_to"), day);
}

// A group's chats under the default rules: a class or an association gets a chat of its
// students and a parents' chat; a kindergarten group only the parents' chat. The group's
// leaders (employed today) administer all of them; where none has an account, the platform
// administrator stands in. Subject teachers are not members (include_teachers is off).
void group_chats(const Context& c, const json& group, PlatformView& view) {
  const auto id = group["id"].get<std::string>(), name = group["name"].get<std::string>();
  const auto kind = group["kind"].get<std::string>();
  std::vector<Members*> chats;
  Members* pupils = nullptr;
  if (kind == "class" || kind == "association") {
    pupils = &new_chat(view, name + " · " + c.short_name);
    chats.push_back(pupils);
  }
  Members& parents = new_chat(view, name + " · родители · " + c.short_name);
  chats.push_back(&parents);
  bool linked_leader = false;
  for (const auto& e : c.journal.enrollments) {
    if (e["group_id"] != id || !on(field(e, "from"), field(e, "to"), c.day)) continue;
    const json& person = *c.persons.at(e["person_id"].get<std::string>());
    if (e["role"] == "student") {
      if (pupils != nullptr) admit(*pupils, person, false);
      for (const auto& r : c.journal.relations) {
        if (r["child_id"] == person["id"])
          admit(parents, *c.persons.at(r["parent_id"].get<std::string>()), false);
      }
    } else if (e["role"] == "leader" && employed(person, c.day)) {
      for (auto* chat : chats) admit(*chat, person, true);
      linked_leader = linked_leader || !field(person, "platform_user_id").is_null();
    }
  }
  if (!linked_leader) {
    for (auto* chat : chats) (*chat)[c.fallback_admin] = true;
  }
}

// The staff chat: staff employed today; the director and deputies administer it, or the
// platform administrator where none of them has an account.
void staff_chat(const Context& c, PlatformView& view) {
  Members& staff = new_chat(view, "Педагоги · " + c.short_name);
  bool linked_head = false;
  for (const auto& p : c.journal.persons) {
    if (!has(p["roles"], "staff") || !employed(p, c.day)) continue;
    const json positions = field(p, "positions");
    const bool head = has(positions, "director") || has(positions, "deputy_director");
    admit(staff, p, head);
    linked_head = linked_head || (head && !field(p, "platform_user_id").is_null());
  }
  if (!linked_head) staff[c.fallback_admin] = true;
}

}  // namespace

Journal read_export_journal(const std::filesystem::path& folder) {
  const json orgs = read_json(folder / "orgs.json");
  if (orgs.size() != 1) throw std::runtime_error("expected one organisation in " + folder.string());
  return {orgs[0], read_json(folder / "groups.json"), read_json(folder / "persons.json"),
          read_json(folder / "enrollments.json"), read_json(folder / "relations.json")};
}

Journal journal_from_sim_state(const json& state) {
  return {state.at("organisation"), state.at("groups"), state.at("persons"),
          state.at("enrollments"), state.at("relations")};
}

PlatformView model_view(const Journal& journal, const std::string& day,
                        mapping::PlatformUserId fallback_admin) {
  const json short_name = field(journal.org, "short_name");
  Context c{journal,
            day,
            fallback_admin,
            short_name.is_null() ? std::string() : short_name.get<std::string>(),
            {}};
  for (const auto& p : journal.persons) c.persons[p["id"].get<std::string>()] = &p;
  PlatformView view;
  for (const auto& g : journal.groups) {
    if (on(field(g, "opened_on"), field(g, "closed_on"), day)) group_chats(c, g, view);
  }
  staff_chat(c, view);
  return view;
}

}  // namespace rosterd::e2e
