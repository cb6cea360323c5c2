#pragma once
// A school's chats as platform-sim's state file (GET /sim/state's format): what the platform
// made from the journal (created_by 0), each chat with its own synthetic members and names.
// Shared by the client's tests against the simulator and the audit benchmark.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace rosterd::adapters::platform::testing {

struct SchoolShape {
  std::string org_id = "school-1";
  int chats = 60;
  int members = 30;                // per chat, besides the owner
  std::int64_t owner_id = 100;     // the token's user: owner of every chat
  std::int64_t first_chat_id = 1;
  std::int64_t first_user_id = 10000;  // chat k's members: first_user_id + k * members + i
};

// The state; members' names are "Имя<id>" / "Фамилия<id>".
inline nlohmann::json school_state(const SchoolShape& shape) {
  auto chats = nlohmann::json::array();
  auto users = nlohmann::json::array();
  for (int k = 0; k < shape.chats; ++k) {
    auto members = nlohmann::json::array();
    members.push_back({{"user_id", shape.owner_id}, {"is_admin", true}, {"is_owner", true}});
    for (int i = 0; i < shape.members; ++i) {
      const std::int64_t id = shape.first_user_id + std::int64_t{k} * shape.members + i;
      members.push_back({{"user_id", id},
                         {"is_admin", i == 0},
                         {"invited_by", shape.owner_id},
                         {"join_date", 1700000000},
                         {"joined_by_link", i % 5 == 4}});
      users.push_back({{"id", id},
                       {"first_name", "Имя" + std::to_string(id)},
                       {"last_name", "Фамилия" + std::to_string(id)}});
    }
    const std::int64_t chat_id = shape.first_chat_id + k;
    chats.push_back({{"chat_id", chat_id},
                     {"title", "Класс " + std::to_string(chat_id)},
                     {"organisation_id", shape.org_id},
                     {"created_by", 0},
                     {"created_at", 1700000000 + chat_id},
                     {"members", std::move(members)}});
  }
  return {{"chats", std::move(chats)}, {"users", std::move(users)}};
}

inline std::filesystem::path write_state(const std::filesystem::path& dir,
                                         const nlohmann::json& state,
                                         const std::string& name = "state.json") {
  const auto file = dir / name;
  std::ofstream(file) << state.dump();
  return file;
}

}  // namespace rosterd::adapters::platform::testing
