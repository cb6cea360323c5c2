#include <gtest/gtest.h>

#include <vector>

#include "adapters/platform/vk_platform.h"
#include "tests/adapters/platform/client_fixture.h"
#include "tests/adapters/platform/fake_platform_server.h"

namespace rosterd::adapters::platform {
namespace {

using mapping::ActionType;
using mapping::MemberRole;
using mapping::PlatformWrite;
using mapping::WriteStatus;
using namespace testing;

std::vector<WriteStatus> statuses(const std::vector<mapping::WriteResult>& results) {
  std::vector<WriteStatus> out;
  for (const auto& r : results) out.push_back(r.status);
  return out;
}

TEST(VkPlatformWrite, SendsAFormEncodedPostWithTheBearerHeaderAndEscapedCyrillic) {
  FakePlatformServer server;
  server.queue_json(response("1"));
  auto client = client_for(server);
  const PlatformWrite rename{ActionType::rename_chat, 7, "5А класс & друзья", 0,
                             MemberRole::member};
  const auto results = client->write(std::span(&rename, 1));

  ASSERT_EQ(results.size(), 1U);
  EXPECT_EQ(results[0].status, WriteStatus::done);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1U);
  const RecordedRequest& r = requests[0];
  EXPECT_EQ(r.http_method, "POST");
  EXPECT_EQ(r.path, "/method/messages.editChat");
  EXPECT_EQ(r.authorization, std::string("Bearer ") + test_token);
  EXPECT_EQ(r.content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(r.body,
            "chat_id=7&title=5%D0%90%20%D0%BA%D0%BB%D0%B0%D1%81%D1%81%20%26%20"
            "%D0%B4%D1%80%D1%83%D0%B7%D1%8C%D1%8F&v=5.199");
  EXPECT_EQ(r.param("title"), "5А класс & друзья");
  EXPECT_EQ(r.param("v"), "5.199");
  EXPECT_EQ(r.body.find(test_token), std::string::npos);  // the token is in the header only
}

struct MethodCase {
  PlatformWrite write;
  std::string method;
  std::map<std::string, std::string> params;  // besides v
};

TEST(VkPlatformWrite, MapsEachWriteToItsMethodAndParameters) {
  const std::vector<MethodCase> cases = {
      {{ActionType::create_chat, std::nullopt, "6Б", 0, MemberRole::member},
       "messages.createChat",
       {{"title", "6Б"}, {"user_ids", ""}}},
      {{ActionType::archive_chat, 7, "", 0, MemberRole::member},
       "sferum.archiveChat",
       {{"peer_id", "2000000007"}}},
      {add(7, 42), "messages.addChatUser", {{"chat_id", "7"}, {"user_id", "42"}}},
      {remove(7, 42), "messages.removeChatUser", {{"chat_id", "7"}, {"member_id", "42"}}},
      {{ActionType::set_admin, 7, "", 42, MemberRole::admin},
       "messages.setMemberRole",
       {{"peer_id", "2000000007"}, {"member_id", "42"}, {"role", "admin"}}},
      {{ActionType::unset_admin, 7, "", 42, MemberRole::member},
       "messages.setMemberRole",
       {{"peer_id", "2000000007"}, {"member_id", "42"}, {"role", "member"}}},
      {{ActionType::issue_invite, 7, "", 0, MemberRole::admin},
       "messages.getInviteLink",
       {{"peer_id", "2000000007"}, {"reset", "1"}, {"role", "admin"}}},
      {{ActionType::annul_invite, 7, "", 0, MemberRole::member},
       "messages.getInviteLink",
       {{"peer_id", "2000000007"}, {"reset", "1"}, {"role", "member"}}},
  };
  for (const MethodCase& c : cases) {
    FakePlatformServer server;
    server.queue_json(response(R"({"chat_id": 9, "peer_ids": [], "link": "https://l/x"})"));
    auto client = client_for(server);
    const auto results = client->write(std::span(&c.write, 1));
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1U) << c.method;
    EXPECT_EQ(requests[0].api_method(), c.method);
    auto expected = c.params;
    expected["v"] = "5.199";
    EXPECT_EQ(requests[0].params, expected) << c.method;
    EXPECT_EQ(results[0].status, WriteStatus::done) << c.method;
  }
}

TEST(VkPlatformWrite, ReturnsTheNewChatIdAndTheIssuedLinkButDiscardsAnAnnulledOne) {
  FakePlatformServer server;
  server.queue_json(response(R"({"chat_id": 31, "peer_ids": [100]})"));
  server.queue_json(response(R"({"link": "https://vk.me/join/AAA"})"));
  server.queue_json(response(R"({"link": "https://vk.me/join/BBB"})"));
  auto client = client_for(server);
  const std::vector<PlatformWrite> writes = {
      {ActionType::create_chat, std::nullopt, "5А", 0, MemberRole::member},
      {ActionType::issue_invite, 31, "", 0, MemberRole::member},
      {ActionType::annul_invite, 31, "", 0, MemberRole::admin},
  };
  std::vector<mapping::WriteResult> results;
  for (const auto& w : writes) results.push_back(client->write(std::span(&w, 1)).at(0));
  EXPECT_EQ(results[0].chat_id, 31);
  EXPECT_EQ(results[1].invite_link, "https://vk.me/join/AAA");
  EXPECT_EQ(results[2].invite_link, "");
  EXPECT_EQ(statuses(results), std::vector<WriteStatus>(3, WriteStatus::done));
}

TEST(VkPlatformWrite, TreatsACreatedChatWithoutAnIdAsUnknown) {
  FakePlatformServer server;
  server.queue_json(response("1"));
  auto client = client_for(server);
  const PlatformWrite create{ActionType::create_chat, std::nullopt, "5А", 0, MemberRole::member};
  EXPECT_EQ(client->write(std::span(&create, 1)).at(0).status, WriteStatus::unknown);
}

TEST(VkPlatformWrite, BuildsTheExecuteCodeFromEachCallsJsonParams) {
  FakePlatformServer server;
  server.queue_json(response(R"([1, 1, {"chat_id": 12, "peer_ids": []}])"));
  auto client = client_for(server);
  const std::vector<PlatformWrite> writes = {
      add(5, 7),
      {ActionType::rename_chat, 5, "5А \"друзья\"", 0, MemberRole::member},
      {ActionType::create_chat, std::nullopt, "Педагоги", 0, MemberRole::member},
  };
  const auto results = client->write(writes);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].path, "/method/execute");
  EXPECT_EQ(requests[0].param("code"),
            R"(return [API.messages.addChatUser({"chat_id":5,"user_id":7}), )"
            R"(API.messages.editChat({"chat_id":5,"title":"5А \"друзья\""}), )"
            R"(API.messages.createChat({"title":"Педагоги","user_ids":""})];)");
  EXPECT_EQ(requests[0].param("v"), "5.199");
  EXPECT_EQ(statuses(results), std::vector<WriteStatus>(3, WriteStatus::done));
  EXPECT_EQ(results[2].chat_id, 12);
}

TEST(VkPlatformWrite, MapsExecuteErrorsBackToEachFailedCallInOrder) {
  FakePlatformServer server;
  server.queue_json(R"({"response": [1, false, 1, false, false],
    "execute_errors": [
      {"method": "messages.removeChatUser", "error_code": 935, "error_msg": "not in chat"},
      {"method": "messages.addChatUser", "error_code": 927, "error_msg": "no chat"},
      {"method": "messages.setMemberRole", "error_code": 917, "error_msg": "archived"}]})");
  auto client = client_for(server);
  const std::vector<PlatformWrite> writes = {
      add(5, 1),
      remove(5, 2),
      add(5, 3),
      add(8, 4),
      {ActionType::set_admin, 9, "", 5, MemberRole::admin},
  };
  const auto results = client->write(writes);

  EXPECT_EQ(statuses(results),
            (std::vector<WriteStatus>{WriteStatus::done, WriteStatus::done, WriteStatus::done,
                                      WriteStatus::rejected, WriteStatus::rejected}));
  EXPECT_EQ(results[1].error_code, 935);
  EXPECT_EQ(results[3].error_code, 927);
  EXPECT_EQ(results[4].error_code, 917);
  EXPECT_EQ(server.requests().size(), 1U);
  const auto counters = client->counters();
  EXPECT_EQ(counters.errors_by_code.at("935"), 1U);
  EXPECT_EQ(counters.calls_by_method.at("execute"), 1U);
  EXPECT_EQ(counters.calls_by_method.at("messages.addChatUser"), 3U);
}

TEST(VkPlatformWrite, BatchesSixtyWritesIntoThreeExecuteRequests) {
  FakePlatformServer server;
  server.otherwise([](const RecordedRequest& r) {
    std::string items;
    for (std::size_t i = 0; i < calls_in(r.param("code")); ++i) items += i == 0 ? "1" : ", 1";
    return ScriptedAnswer{200, response("[" + items + "]"), {}};
  });
  auto client = client_for(server);
  std::vector<PlatformWrite> writes;
  for (int i = 0; i < 60; ++i) writes.push_back(add(5, 1000 + i));
  const auto results = client->write(writes);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3U);
  std::vector<std::size_t> calls;
  for (const auto& r : requests) calls.push_back(calls_in(r.param("code")));
  EXPECT_EQ(calls, (std::vector<std::size_t>{25, 25, 10}));
  EXPECT_NE(requests[2].param("code").find(R"("user_id":1059)"), std::string::npos);
  EXPECT_EQ(statuses(results), std::vector<WriteStatus>(60, WriteStatus::done));
  EXPECT_EQ(client->counters().http_requests, 3U);
}

TEST(VkPlatformWrite, ReusesOneConnectionForItsRequests) {
  FakePlatformServer server;
  server.otherwise([](const RecordedRequest&) { return ScriptedAnswer{200, response("1"), {}}; });
  auto client = client_for(server);
  for (int i = 0; i < 3; ++i) {
    const PlatformWrite w = add(5, i);
    (void)client->write(std::span(&w, 1));
  }
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(requests[1].remote_port, requests[0].remote_port);
  EXPECT_EQ(requests[2].remote_port, requests[0].remote_port);
}

}  // namespace
}  // namespace rosterd::adapters::platform
