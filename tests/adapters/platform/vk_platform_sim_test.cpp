// The client's organisation listing, batched member reads and self id against the real
// platform-sim process: requests counted by the simulator (/sim/stats), members checked against
// the state file the simulator started from.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "adapters/platform/vk_platform.h"
#include "tests/adapters/platform/sim_school.h"
#include "tests/support/process.h"

namespace rosterd::adapters::platform {
namespace {

using mapping::ChatId;
using nlohmann::json;
using namespace testing;

class VkPlatformSim : public ::testing::Test {
 protected:
  VkPlatformSim() {
    char pattern[] = "/tmp/vk-platform-sim-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  ~VkPlatformSim() override {
    sim_.reset();
    std::filesystem::remove_all(dir_);
  }

  void start(const json& state, std::vector<std::string> args = {}) {
    args.push_back("--state");
    args.push_back(write_state(dir_, state).string());
    sim_ = std::make_unique<rosterd::testing::SimServer>(PLATFORM_SIM_PATH, args, dir_);
  }
  [[nodiscard]] std::unique_ptr<VkPlatform> client(const std::string& token = "sim-token") const {
    PlatformOptions options;
    options.base_url = sim_->base_url();
    options.token = token;
    options.max_attempts = 3;
    options.jitter_seed = 1;
    options.backoff_initial_ms = 1;
    options.backoff_max_ms = 4;
    return std::make_unique<VkPlatform>(options, std::make_shared<RateLimiter>(1000));
  }
  [[nodiscard]] json stats() const { return json::parse(sim_->get("/sim/stats")); }
  [[nodiscard]] std::int64_t requests() const { return stats().at("requests").get<std::int64_t>(); }
  void edit(const json& body) const { (void)sim_->post("/sim/edit", body.dump()); }

  std::filesystem::path dir_;
  std::unique_ptr<rosterd::testing::SimServer> sim_;
};

// What the state file says a chat holds, as the client should read it.
std::vector<mapping::PlatformMember> expected_members(const json& state, ChatId chat_id) {
  std::map<std::int64_t, std::pair<std::string, std::string>> names;
  for (const auto& u : state.value("users", json::array())) {
    names[u["id"]] = {u["first_name"], u["last_name"]};
  }
  std::vector<mapping::PlatformMember> members;
  for (const auto& chat : state["chats"]) {
    if (chat["chat_id"] != chat_id) continue;
    for (const auto& m : chat["members"]) {
      mapping::PlatformMember member;
      member.user_id = m["user_id"];
      member.is_admin = m.value("is_admin", false);
      member.is_owner = m.value("is_owner", false);
      member.invited_by = m.value("invited_by", 0);
      member.joined_by_link = m.value("joined_by_link", false);
      if (const auto it = names.find(member.user_id); it != names.end()) {
        member.first_name = it->second.first;
        member.last_name = it->second.second;
      }
      members.push_back(member);
    }
  }
  return members;
}

std::vector<ChatId> ids(ChatId first, int n) {
  std::vector<ChatId> out;
  for (int i = 0; i < n; ++i) out.push_back(first + i);
  return out;
}

TEST_F(VkPlatformSim, ReadsSixtyChatsInThreeRequestsWithEveryMemberAndName) {
  const json state = school_state({});
  start(state);
  const auto chats = ids(1, 60);
  const auto read = client()->read_members(chats);
  EXPECT_EQ(requests(), 3) << "ceil(60 / 25) executes";
  EXPECT_EQ(stats()["by_method"]["messages.getConversationMembers"], 60);
  ASSERT_EQ(read.size(), 60U);
  for (std::size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].chat_id, chats[i]);
    EXPECT_TRUE(read[i].exists);
    EXPECT_EQ(read[i].members, expected_members(state, chats[i])) << "chat " << chats[i];
  }
}

TEST_F(VkPlatformSim, ReadsABigChatCompletelyWithItsFurtherPagesBatched) {
  json state = school_state({.chats = 1, .members = 2500, .first_chat_id = 1});
  const json small = school_state({.chats = 3, .members = 5, .first_chat_id = 2,
                                   .first_user_id = 50000});
  for (const auto& c : small["chats"]) state["chats"].push_back(c);
  start(state);
  const auto read = client()->read_members(ids(1, 4));
  // One execute for the four first pages, one for the big chat's two further pages.
  EXPECT_EQ(requests(), 2);
  ASSERT_EQ(read.size(), 4U);
  ASSERT_EQ(read[0].members.size(), 2501U);
  EXPECT_EQ(read[0].members, expected_members(state, 1));
  for (ChatId id = 2; id <= 4; ++id) EXPECT_EQ(read[id - 1].members, expected_members(state, id));
}

TEST_F(VkPlatformSim, ReadsADeletedChatAsGoneAndTheOthersAsTheyAre) {
  const json state = school_state({.chats = 3, .members = 4});
  start(state);
  edit({{"action", "delete"}, {"chat_id", 2}});
  const auto read = client()->read_members(ids(1, 3));
  ASSERT_EQ(read.size(), 3U);
  EXPECT_TRUE(read[0].exists);
  EXPECT_EQ(read[1], (mapping::ChatMembers{2, false, {}}));
  EXPECT_EQ(read[2].members, expected_members(state, 3));
  EXPECT_EQ(requests(), 1);
}

TEST_F(VkPlatformSim, ReadsWhoJoinedThroughALinkWithTheNameTheyGave) {
  start(school_state({.chats = 1, .members = 2}));
  auto platform = client();
  const mapping::PlatformWrite issue{mapping::ActionType::issue_invite, 1, "", 0,
                                     mapping::MemberRole::member};
  const auto issued = platform->write(std::span(&issue, 1));
  ASSERT_EQ(issued[0].status, mapping::WriteStatus::done);
  (void)sim_->post("/sim/join", json({{"link", issued[0].invite_link},
                                      {"user_id", 777},
                                      {"first_name", "Анна"},
                                      {"last_name", "Ли"}})
                                    .dump());
  const auto read = platform->read_members(ids(1, 1));
  ASSERT_EQ(read[0].members.size(), 4U);
  const auto& joiner = read[0].members[3];
  EXPECT_EQ(joiner.user_id, 777);
  EXPECT_TRUE(joiner.joined_by_link);
  EXPECT_EQ(joiner.first_name, "Анна");
  EXPECT_EQ(joiner.last_name, "Ли");
}

TEST_F(VkPlatformSim, ListsEveryChatOfTheOrganisationOverPagesWithCountsAndMakers) {
  json state = school_state({.chats = 250, .members = 2});
  const json other = school_state({.org_id = "school-2", .chats = 5, .members = 1,
                                   .first_chat_id = 1000, .first_user_id = 90000});
  for (const auto& c : other["chats"]) state["chats"].push_back(c);
  state["chats"][3]["created_by"] = 555;  // a teacher's chat
  state["chats"][4]["archived"] = true;
  start(state);
  const auto chats = client()->list_org_chats("school-1");
  EXPECT_EQ(requests(), 2) << "200 a page";
  ASSERT_EQ(chats.size(), 250U);
  for (std::size_t i = 0; i < chats.size(); ++i) {
    const auto& s = state["chats"][i];
    const mapping::PlatformChat expected{s["chat_id"], s["title"], s.value("archived", false),
                                         s["created_by"], s["created_at"], 3};
    EXPECT_EQ(chats[i], expected) << i;
  }
  EXPECT_EQ(client()->list_chats().size(), 0U) << "the token made none of them";
}

TEST_F(VkPlatformSim, CreatesAChatInTheOrganisationItNames) {
  start(json::object());
  auto platform = client();
  mapping::PlatformWrite create{mapping::ActionType::create_chat, std::nullopt, "5А", 0,
                                mapping::MemberRole::member};
  create.org_id = "school-7";
  const auto created = platform->write(std::span(&create, 1));
  ASSERT_EQ(created[0].status, mapping::WriteStatus::done);
  const auto listed = platform->list_org_chats("school-7");
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0].chat_id, created[0].chat_id.value());
  EXPECT_EQ(listed[0].created_by, 100);
  EXPECT_EQ(listed[0].members_count, 1U);
  EXPECT_TRUE(platform->list_org_chats("school-8").empty());
}

TEST_F(VkPlatformSim, AsksForItsOwnUserOnce) {
  start(json::object(), {"--owner-id", "4321"});
  auto platform = client();
  EXPECT_EQ(platform->self_id(), 4321);
  EXPECT_EQ(platform->self_id(), 4321);
  EXPECT_EQ(stats()["by_method"]["users.get"], 1);
}

TEST_F(VkPlatformSim, RejectsAddingBackSomeoneWhoLeftWith15AndWritesTheRest) {
  start(school_state({.chats = 1, .members = 3}));
  edit({{"action", "leave"}, {"chat_id", 1}, {"user_id", 10001}});
  auto platform = client();
  const std::vector<mapping::PlatformWrite> writes = {
      {mapping::ActionType::add_member, 1, "", 10001, mapping::MemberRole::member},
      {mapping::ActionType::add_member, 1, "", 20000, mapping::MemberRole::member}};
  const auto results = platform->write(writes);
  EXPECT_EQ(results[0].status, mapping::WriteStatus::rejected);
  EXPECT_EQ(results[0].error_code, 15);
  EXPECT_EQ(results[1].status, mapping::WriteStatus::done);
  const auto lone = platform->write(std::span(writes.data(), 1));
  EXPECT_EQ(lone[0].status, mapping::WriteStatus::rejected);
  EXPECT_EQ(lone[0].error_code, 15);
}

TEST_F(VkPlatformSim, StopsEveryReadWithAnAuthErrorOnceTheTokenIsRevoked) {
  start(school_state({.chats = 2, .members = 2}));
  (void)sim_->post("/sim/revoke", json({{"token", "sim-token"}}).dump());
  auto platform = client();
  EXPECT_THROW((void)platform->read_members(ids(1, 2)), mapping::PlatformAuthError);
  EXPECT_THROW((void)platform->list_org_chats("school-1"), mapping::PlatformAuthError);
  EXPECT_THROW((void)platform->self_id(), mapping::PlatformAuthError);
  EXPECT_EQ(client("another-token")->read_members(ids(1, 2)).size(), 2U);
}

TEST_F(VkPlatformSim, ReadsEverythingThroughInjectedFaults) {
  const json state = school_state({.chats = 30, .members = 3});
  start(state, {"--fail-rate", "0.3", "--seed", "11", "--lost-ms", "50"});
  PlatformOptions options;
  options.base_url = sim_->base_url();
  options.token = "sim-token";
  options.max_attempts = 10;
  options.jitter_seed = 1;
  options.backoff_initial_ms = 1;
  options.backoff_max_ms = 4;
  VkPlatform platform(options, std::make_shared<RateLimiter>(1000));
  const auto read = platform.read_members(ids(1, 30));
  for (ChatId id = 1; id <= 30; ++id) {
    EXPECT_EQ(read[id - 1].members, expected_members(state, id)) << id;
  }
}

}  // namespace
}  // namespace rosterd::adapters::platform
