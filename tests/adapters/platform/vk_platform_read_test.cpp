#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/platform/vk_platform.h"
#include "tests/adapters/platform/client_fixture.h"
#include "tests/adapters/platform/fake_platform_server.h"

namespace rosterd::adapters::platform {
namespace {

using namespace std::chrono_literals;
using namespace testing;

// A page of `n` chats from id `first`, of `total` in all.
std::string chats_page(int first, int n, int total) {
  std::string items;
  for (int i = 0; i < n; ++i) {
    const int id = first + i;
    if (i > 0) items += ", ";
    items += R"({"chat_id": )" + std::to_string(id) + R"(, "peer_id": )" +
             std::to_string(2000000000 + id) + R"(, "title": "Чат )" + std::to_string(id) +
             R"(", "archived": )" + (id % 2 == 0 ? "true" : "false") + R"(, "members_count": 3})";
  }
  return response(R"({"count": )" + std::to_string(total) + R"(, "items": [)" + items + "]}");
}

// The page itself, without the {"response": ...} around it (an execute's answer item).
std::string members_json(int first, int n, int total) {
  std::string items;
  for (int i = 0; i < n; ++i) {
    if (i > 0) items += ", ";
    items += R"({"member_id": )" + std::to_string(first + i) + R"(, "is_admin": )" +
             (first + i == 100 ? "true" : "false") + R"(, "is_owner": )" +
             (first + i == 100 ? "true" : "false") + R"(, "invited_by": 100, "join_date": 1})";
  }
  return R"({"count": )" + std::to_string(total) + R"(, "items": [)" + items + "]}";
}

std::string members_page(int first, int n, int total) {
  return response(members_json(first, n, total));
}

TEST(VkPlatformRead, PagesListChatsUntilTheCountIsReached) {
  FakePlatformServer server;
  server.queue_json(chats_page(1, 200, 450));
  server.queue_json(chats_page(201, 200, 450));
  server.queue_json(chats_page(401, 50, 450));
  auto client = client_for(server);
  const auto chats = client->list_chats();

  ASSERT_EQ(chats.size(), 450U);
  EXPECT_EQ(chats[0].chat_id, 1);
  EXPECT_EQ(chats[0].title, "Чат 1");
  EXPECT_FALSE(chats[0].archived);
  EXPECT_TRUE(chats[449].archived);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3U);
  std::vector<std::string> offsets;
  for (const auto& r : requests) {
    EXPECT_EQ(r.path, "/method/sferum.listChats");
    EXPECT_EQ(r.param("count"), "200");
    offsets.push_back(r.param("offset"));
  }
  EXPECT_EQ(offsets, (std::vector<std::string>{"0", "200", "400"}));
}

TEST(VkPlatformRead, ReadsWhoMadeEachChatAndWhen) {
  FakePlatformServer server;
  server.queue_json(response(
      R"({"count": 2, "items": [)"
      R"({"chat_id": 7, "title": "5А", "archived": false, "created_by": 100, "created_at": 1795000123},)"
      R"({"chat_id": 8, "title": "5Б", "archived": false}]})"));
  auto client = client_for(server);
  const auto chats = client->list_chats();
  ASSERT_EQ(chats.size(), 2U);
  EXPECT_EQ(chats[0].created_by, 100);
  EXPECT_EQ(chats[0].created_at, 1795000123);
  // Without the fields the chat reads as made by the platform: a look-up never binds it.
  EXPECT_EQ(chats[1].created_by, 0);
  EXPECT_EQ(chats[1].created_at, 0);
}

TEST(VkPlatformRead, ReturnsNoChatsForATokenWithoutChatsInOneRequest) {
  FakePlatformServer server;
  server.queue_json(response(R"({"count": 0, "items": []})"));
  auto client = client_for(server);
  EXPECT_TRUE(client->list_chats().empty());
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST(VkPlatformRead, PagesMembersByPeerId) {
  FakePlatformServer server;
  server.queue_json(members_page(100, 1000, 1500));
  server.queue_json(members_page(1100, 500, 1500));
  auto client = client_for(server);
  const auto members = client->members(42);

  ASSERT_EQ(members.size(), 1500U);
  EXPECT_EQ(members[0].user_id, 100);
  EXPECT_TRUE(members[0].is_owner);
  EXPECT_TRUE(members[0].is_admin);
  EXPECT_FALSE(members[1].is_admin);
  EXPECT_EQ(members[1499].user_id, 1599);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].path, "/method/messages.getConversationMembers");
  EXPECT_EQ(requests[0].param("peer_id"), "2000000042");
  EXPECT_EQ(requests[0].param("count"), "1000");
  EXPECT_EQ(requests[0].param("offset"), "0");
  EXPECT_EQ(requests[1].param("offset"), "1000");
}

TEST(VkPlatformRead, ReturnsNoMembersForAChatThatIsGone) {
  FakePlatformServer server;
  server.queue_json(error(927, "Chat does not exist"));
  auto client = client_for(server);
  EXPECT_TRUE(client->members(42).empty());
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST(VkPlatformRead, RetriesAReadAfterServerErrorsAndTimeouts) {
  FakePlatformServer server;
  server.queue({500, "oops", {}});
  server.queue({200, response(R"({"count": 0, "items": []})"), 400ms});  // times out
  server.queue_json(members_page(100, 1, 1));
  auto options = options_for(server);
  options.timeout_ms = 150;
  auto client = client_with(options);
  const auto members = client->members(42);

  ASSERT_EQ(members.size(), 1U);
  EXPECT_EQ(server.requests().size(), 3U);
  EXPECT_EQ(client->counters().retries, 2U);
}

TEST(VkPlatformRead, ThrowsPlatformUnavailableWhenServerErrorsOutlastTheAttempts) {
  FakePlatformServer server;
  server.otherwise([](const RecordedRequest&) { return ScriptedAnswer{503, "busy", {}}; });
  auto client = client_for(server);  // max_attempts 3
  try {
    (void)client->list_chats();
    FAIL() << "expected PlatformUnavailable";
  } catch (const mapping::PlatformUnavailable& e) {
    EXPECT_EQ(std::string(e.what()), "sferum.listChats: HTTP 503 (after 3 attempts)");
  }
  EXPECT_EQ(server.requests().size(), 3U);
}

TEST(VkPlatformRead, RetriesAGarbledAnswer) {
  FakePlatformServer server;
  server.queue_json("{\"respo");
  server.queue_json(error(10, "Internal server error"));
  server.queue_json(response(R"({"count": 0, "items": []})"));
  auto client = client_for(server);
  EXPECT_TRUE(client->list_chats().empty());
  EXPECT_EQ(server.requests().size(), 3U);
}

TEST(VkPlatformRead, StopsWithAnAuthErrorOnAccessDenied) {
  FakePlatformServer server;
  server.queue_json(error(15, "Access denied"));
  auto client = client_for(server);
  EXPECT_THROW((void)client->members(42), mapping::PlatformAuthError);
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST(VkPlatformRead, ReadMembersSendsAgainOnlyThePageAnExecuteRefused) {
  FakePlatformServer server;
  server.queue_json(R"({"response": [)" + members_json(100, 2, 2) +
                    R"(, false], "execute_errors": [{"method": "messages.getConversationMembers", )"
                    R"("error_code": 6, "error_msg": "Too many requests per second"}]})");
  // The page sent again is a request of one call: it goes plain.
  server.queue_json(R"({"response": )" + members_json(200, 1, 1) + "}");
  auto client = client_for(server);
  const std::vector<mapping::ChatId> chats = {41, 42};
  const auto read = client->read_members(chats);

  ASSERT_EQ(read.size(), 2U);
  ASSERT_EQ(read[0].members.size(), 2U);
  ASSERT_EQ(read[1].members.size(), 1U);
  EXPECT_EQ(read[1].members[0].user_id, 200);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].path, "/method/execute");
  EXPECT_EQ(requests[0].param("code"),
            R"(return [API.messages.getConversationMembers({"count":1000,"offset":0,"peer_id":2000000041}), )"
            R"(API.messages.getConversationMembers({"count":1000,"offset":0,"peer_id":2000000042})];)");
  EXPECT_EQ(requests[1].path, "/method/messages.getConversationMembers");
  EXPECT_EQ(requests[1].param("peer_id"), "2000000042");
}

TEST(VkPlatformRead, ReadMembersThrowsPlatformUnavailableWhenServerErrorsOutlastTheAttempts) {
  FakePlatformServer server;
  server.otherwise([](const RecordedRequest&) { return ScriptedAnswer{503, "busy", {}}; });
  auto client = client_for(server);  // max_attempts 3
  const std::vector<mapping::ChatId> chats = {41, 42};
  try {
    (void)client->read_members(chats);
    FAIL() << "expected PlatformUnavailable";
  } catch (const mapping::PlatformUnavailable& e) {
    EXPECT_EQ(std::string(e.what()), "execute: HTTP 503 (after 3 attempts)");
  }
  EXPECT_EQ(server.requests().size(), 3U);
}

TEST(VkPlatformRead, ReadMembersStopsWithAnAuthErrorWhenTheTokenIsRefused) {
  FakePlatformServer server;
  server.queue_json(error(5, "User authorization failed"));
  auto client = client_for(server);
  const std::vector<mapping::ChatId> chats = {41};
  EXPECT_THROW((void)client->read_members(chats), mapping::PlatformAuthError);
  EXPECT_EQ(server.requests().size(), 1U);
}

}  // namespace
}  // namespace rosterd::adapters::platform
