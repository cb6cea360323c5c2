#include "tests/e2e/monitoring_model.h"

#include <map>
#include <set>
#include <stdexcept>

namespace rosterd::e2e {
namespace {

using nlohmann::json;

// A chat on the platform: user → admin.
using Chat = std::map<long long, bool>;

json field(const json& record, const char* name) {
  const auto it = record.find(name);
  return it == record.end() ? json() : *it;
}

bool on(const json& from, const json& to, const std::string& day) {
  return (from.is_null() || from.get<std::string>() <= day) &&
         (to.is_null() || day <= to.get<std::string>());
}

bool has(const json& list, const char* value) {
  if (!list.is_array()) return false;
  for (const auto& v : list) {
    if (v == value) return true;
  }
  return false;
}

// Whether `person` is in `chat` (a chat that does not exist holds nobody), as admin if asked.
bool in(const Chat* chat, const json& person, bool as_admin = false) {
  const json uid = field(person, "platform_user_id");
  if (chat == nullptr || uid.is_null()) return false;
  const auto it = chat->find(uid.get<long long>());
  return it != chat->end() && (!as_admin || it->second);
}

struct School {
  std::map<std::string, const json*> persons;
  std::map<std::string, Chat> chats;  // live chats of the organisation, by title
  std::string short_name;
  const Chat* chat(const std::string& title) const {
    const auto it = chats.find(title);
    return it == chats.end() ? nullptr : &it->second;
  }
};

// One class: its students in the class chat, their parents in the parents' chat, and whether a
// class teacher administers both.
void count_class(const Journal& j, const School& s, const json& group, const std::string& day,
                 MonitoringCount& out) {
  const auto name = group["name"].get<std::string>();
  const Chat* pupils = s.chat(name + " · " + s.short_name);
  const Chat* parents = s.chat(name + " · родители · " + s.short_name);
  std::set<std::string> parent_ids, leaders;
  bool class_led = false, parents_led = false;
  for (const auto& e : j.enrollments) {
    if (e["group_id"] != group["id"] || !on(field(e, "from"), field(e, "to"), day)) continue;
    const json& person = *s.persons.at(e["person_id"].get<std::string>());
    if (e["role"] == "student") {
      ++out.students.total;
      out.students.in += in(pupils, person);
      for (const auto& r : j.relations) {
        if (r["child_id"] == person["id"]) parent_ids.insert(r["parent_id"].get<std::string>());
      }
    } else if (e["role"] == "leader" &&
               (!has(person["roles"], "staff") ||
                on(field(person, "employed_from"), field(person, "employed_to"), day))) {
      leaders.insert(e["person_id"].get<std::string>());
      class_led = class_led || in(pupils, person, true);
      parents_led = parents_led || in(parents, person, true);
    }
  }
  for (const auto& id : parent_ids) {
    if (leaders.contains(id)) continue;  // in the parents' chat as its class teacher
    ++out.parents.total;
    out.parents.in += in(parents, *s.persons.at(id));
  }
  ++out.classes.total;
  out.classes.in += class_led && parents_led;
}

}  // namespace

MonitoringCount count_monitoring(const Journal& journal, const json& state,
                                 const std::string& day) {
  School s;
  s.short_name = journal.org["short_name"].get<std::string>();
  for (const auto& p : journal.persons) s.persons[p["id"].get<std::string>()] = &p;
  MonitoringCount out;
  for (const auto& chat : state.at("chats")) {
    if (chat.at("archived").get<bool>() || chat.at("organisation_id") != journal.org["id"])
      continue;
    Chat& members = s.chats[chat.at("title").get<std::string>()];
    for (const auto& m : chat.at("members")) {
      members[m.at("user_id").get<long long>()] = m.at("is_admin").get<bool>();
    }
    ++out.managed;
    out.active += chat.at("members").size() > 3;
  }
  for (const auto& g : journal.groups) {
    if (g["kind"] != "class") throw std::logic_error("the count knows classes only");
    if (!on(field(g, "opened_on"), field(g, "closed_on"), day)) continue;
    const auto name = g["name"].get<std::string>();
    out.class_chats += s.chats.contains(name + " · " + s.short_name);
    out.parents_chats += s.chats.contains(name + " · родители · " + s.short_name);
    count_class(journal, s, g, day, out);
  }
  const Chat* staff_chat = s.chat("Педагоги · " + s.short_name);
  out.staff_chats = staff_chat != nullptr;
  for (const auto& p : journal.persons) {
    if (!has(p["roles"], "staff") || !on(field(p, "employed_from"), field(p, "employed_to"), day))
      continue;
    ++out.staff.total;
    out.staff.in += in(staff_chat, p);
  }
  return out;
}

}  // namespace rosterd::e2e
