// The platform's state as JSON: GET /sim/state writes it, --state FILE reads it back, so a test
// can take one simulator's state and start another from it. Strict: a bad value names its key.
#include <algorithm>

#include "sim/platform/platform.h"

namespace rosterd::sim {
namespace {

using nlohmann::json;

json link_json(const std::optional<std::string>& link) {
  return link ? json(*link) : json(nullptr);
}

// Reads one object's fields; every error names the field by its path ("chats[2].title").
class Fields {
 public:
  Fields(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object()) fail("", "expected an object");
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw StateError(name(key) + ": " + what);
  }
  [[nodiscard]] std::string name(const std::string& key) const {
    if (key.empty()) return path_.empty() ? "the state" : path_;
    return path_.empty() ? key : path_ + "." + key;
  }
  [[nodiscard]] const json* find(const std::string& key) const {
    const auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  [[nodiscard]] std::int64_t integer(const std::string& key, std::optional<std::int64_t> fallback) const {
    const json* value = find(key);
    if (value == nullptr) {
      if (!fallback) fail(key, "missing");
      return *fallback;
    }
    if (!value->is_number_integer()) fail(key, "expected an integer");
    return value->get<std::int64_t>();
  }
  [[nodiscard]] bool boolean(const std::string& key) const {
    const json* value = find(key);
    if (value == nullptr) return false;
    if (!value->is_boolean()) fail(key, "expected true or false");
    return value->get<bool>();
  }
  [[nodiscard]] std::string text(const std::string& key, bool required) const {
    const json* value = find(key);
    if (value == nullptr) {
      if (required) fail(key, "missing");
      return {};
    }
    if (!value->is_string()) fail(key, "expected a string");
    return value->get<std::string>();
  }
  [[nodiscard]] const json& array(const std::string& key) const {
    static const json empty = json::array();
    const json* value = find(key);
    if (value == nullptr) return empty;
    if (!value->is_array()) fail(key, "expected an array");
    return *value;
  }
  [[nodiscard]] Fields object(const std::string& key) const {
    static const json empty = json::object();
    const json* value = find(key);
    return Fields(value == nullptr ? empty : *value, name(key));
  }

 private:
  const json& object_;
  std::string path_;
};

std::string at(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

}  // namespace

json SimulatedPlatform::dump_state() const {
  auto chats = json::array();
  for (const auto& [id, chat] : chats_) {
    auto members = json::array();
    for (const auto& m : chat.members) {
      members.push_back({{"user_id", m.user_id},
                         {"is_admin", m.is_admin},
                         {"is_owner", m.is_owner},
                         {"invited_by", m.invited_by},
                         {"join_date", m.join_date},
                         {"joined_by_link", m.joined_by_link}});
    }
    chats.push_back(
        {{"chat_id", id},
         {"title", chat.title},
         {"archived", chat.archived},
         {"organisation_id", chat.organisation_id},
         {"created_by", chat.created_by},
         {"created_at", chat.created_at},
         {"creator_digest", chat.creator},
         {"members", std::move(members)},
         {"left_by_self", chat.left},
         {"invite_links",
          {{"member", link_json(chat.member_link)}, {"admin", link_json(chat.admin_link)}}}});
  }
  auto users = json::array();
  for (const auto& [id, profile] : users_) {
    users.push_back(
        {{"id", id}, {"first_name", profile.first_name}, {"last_name", profile.last_name}});
  }
  return {{"chats", std::move(chats)}, {"users", std::move(users)}};
}

// One chat of a state file; its links are registered as live.
SimulatedPlatform::Chat SimulatedPlatform::load_chat(const json& value, const std::string& path) {
  const Fields f(value, path);
  Chat chat;
  chat.chat_id = f.integer("chat_id", std::nullopt);
  if (chat.chat_id <= 0) f.fail("chat_id", "must be positive");
  if (chats_.contains(chat.chat_id)) f.fail("chat_id", "repeats an earlier chat's id");
  chat.title = f.text("title", true);
  chat.archived = f.boolean("archived");
  chat.organisation_id = f.text("organisation_id", false);
  chat.created_by = f.integer("created_by", 0);
  chat.created_at = f.integer("created_at", 0);
  chat.creator = f.text("creator_digest", false);
  const json& members = f.array("members");
  for (std::size_t k = 0; k < members.size(); ++k) {
    const Fields m(members[k], f.name(at("members", k)));
    const Member member{m.integer("user_id", std::nullopt), m.boolean("is_admin"),
                        m.boolean("is_owner"),              m.integer("invited_by", 0),
                        m.integer("join_date", 0),          m.boolean("joined_by_link")};
    if (member.user_id <= 0) m.fail("user_id", "must be positive");
    if (find_member(chat, member.user_id) != nullptr) m.fail("user_id", "is already a member");
    chat.members.push_back(member);
  }
  const json& left = f.array("left_by_self");
  for (std::size_t k = 0; k < left.size(); ++k) {
    if (!left[k].is_number_integer()) f.fail(at("left_by_self", k), "expected a user id");
    chat.left.insert(left[k].get<std::int64_t>());
  }
  const Fields links = f.object("invite_links");
  for (const auto& [role, key] : {std::pair{Role::member, "member"}, {Role::admin, "admin"}}) {
    const auto link = links.text(key, false);
    if (link.empty()) continue;
    if (live_links_.contains(link)) links.fail(key, "is another chat's link too");
    live_links_[link] = LinkTarget{chat.chat_id, role};
    (role == Role::admin ? chat.admin_link : chat.member_link) = link;
  }
  return chat;
}

void SimulatedPlatform::load(const json& state) {
  const Fields top(state, "");
  const json& chats = top.array("chats");
  for (std::size_t i = 0; i < chats.size(); ++i) {
    Chat chat = load_chat(chats[i], at("chats", i));
    const auto id = chat.chat_id;
    chats_.emplace(id, std::move(chat));
  }
  const json& users = top.array("users");
  for (std::size_t i = 0; i < users.size(); ++i) {
    const Fields u(users[i], at("users", i));
    users_[u.integer("id", std::nullopt)] =
        Profile{u.text("first_name", false), u.text("last_name", false)};
  }
  next_chat_id_ = chats_.empty() ? 1 : chats_.rbegin()->first + 1;
}

}  // namespace rosterd::sim
