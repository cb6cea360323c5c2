// execute: the batch form, failures mapped in order, the 25-call limit, and the statistics.
#include <gtest/gtest.h>

#include "sim_process.h"

namespace rosterd::sim::test {
namespace {

std::string add_user(std::int64_t chat_id, std::int64_t user_id) {
  return "API.messages.addChatUser({\"chat_id\": " + std::to_string(chat_id) +
         ", \"user_id\": " + std::to_string(user_id) + "})";
}

std::string batch(const std::vector<std::string>& calls) {
  std::string code = "return [";
  for (std::size_t i = 0; i < calls.size(); ++i) code += (i ? ", " : "") + calls[i];
  return code + "];";
}

class SimExecute : public ::testing::Test {
 protected:
  SimProcess sim;
  SimClient client{sim.port()};
};

TEST_F(SimExecute, RunsEveryCallAndMapsTheFailuresInOrder) {
  const auto id = client.create_chat("5А", "7");
  const auto answer = client.execute(batch({
      add_user(id, 8),
      R"(API.messages.removeChatUser({"chat_id": 1, "member_id": 55}))",
      R"x(API.messages.editChat({"chat_id": 1, "title": "5А (2026)"}))x",
      R"(API.messages.editChat({"chat_id": 99, "title": "x"}))",
      R"(API.messages.getInviteLink({"peer_id": 2000000001, "role": "admin"}))",
  }));
  ASSERT_EQ(answer["response"].size(), 5u);
  EXPECT_EQ(answer["response"][0], 1);
  EXPECT_EQ(answer["response"][1], false);
  EXPECT_EQ(answer["response"][2], 1);
  EXPECT_EQ(answer["response"][3], false);
  EXPECT_TRUE(answer["response"][4]["link"].is_string());
  ASSERT_EQ(answer["execute_errors"].size(), 2u);
  EXPECT_EQ(answer["execute_errors"][0]["method"], "messages.removeChatUser");
  EXPECT_EQ(answer["execute_errors"][0]["error_code"], 935);
  EXPECT_EQ(answer["execute_errors"][1]["method"], "messages.editChat");
  EXPECT_EQ(answer["execute_errors"][1]["error_code"], 927);
  const auto chat = client.get("/sim/state")["chats"][0];
  EXPECT_EQ(chat["title"], "5А (2026)");
  EXPECT_EQ(chat["members"].size(), 3u);
}

TEST_F(SimExecute, OmitsExecuteErrorsWhenNothingFailed) {
  const auto id = client.create_chat("5А", "");
  const auto answer = client.execute(batch({add_user(id, 7), add_user(id, 7)}));
  EXPECT_EQ(answer, json({{"response", {1, 1}}}));
}

TEST_F(SimExecute, AParameterThatIsNoValueFailsOnlyItsCallWith100) {
  const auto id = client.create_chat("5А", "");
  const auto answer = client.execute(
      batch({R"(API.messages.editChat({"chat_id": 1, "title": {"no": 1}}))", add_user(id, 7)}));
  EXPECT_EQ(answer["response"], json::array({false, 1}));
  EXPECT_EQ(answer["execute_errors"][0]["error_code"], 100);
}

TEST_F(SimExecute, AcceptsTwentyFiveCallsAndRefusesTwentySixWithoutRunningAny) {
  const auto id = client.create_chat("5А", "");
  std::vector<std::string> calls;
  for (int user = 1; user <= 26; ++user) calls.push_back(add_user(id, 1000 + user));
  EXPECT_EQ(error_code(client.execute(batch(calls))), 13);
  EXPECT_EQ(client.get("/sim/state")["chats"][0]["members"].size(), 1u);
  calls.pop_back();
  const auto answer = client.execute(batch(calls));
  EXPECT_EQ(answer["response"].size(), 25u);
  EXPECT_EQ(client.get("/sim/state")["chats"][0]["members"].size(), 26u);
}

TEST_F(SimExecute, CodeOutsideTheBatchFormIsError12) {
  EXPECT_EQ(error_code(client.execute("return API.messages.getChat({\"chat_id\": 1});")), 12);
  EXPECT_EQ(error_code(client.call("execute", {})), 12);
}

TEST_F(SimExecute, StatsCountCallsInsideExecutePerMethodAndOnlyRealChangesAsWrites) {
  const auto id = client.create_chat("5А", "7");
  (void)client.execute(batch({add_user(id, 7), add_user(id, 8), add_user(id, 9),
                              R"(API.messages.removeChatUser({"chat_id": 1, "member_id": 55}))"}));
  const auto stats = client.get("/sim/stats");
  EXPECT_EQ(stats["requests"], 2);
  EXPECT_EQ(stats["by_method"], json({{"messages.createChat", 1},
                                      {"execute", 1},
                                      {"messages.addChatUser", 3},
                                      {"messages.removeChatUser", 1}}));
  EXPECT_EQ(stats["writes"], 3);  // the chat and users 8 and 9; user 7 was there already
  EXPECT_EQ(stats["errors"], json({{"935", 1}}));
}

TEST_F(SimExecute, TakesTheTokenFromABearerHeaderToo) {
  SimClient headless(sim.port(), "");
  const auto result = headless.raw().Post(
      "/method/execute", httplib::Headers{{"Authorization", "Bearer test-token"}},
      httplib::Params{{"code", "return [API.sferum.listChats({\"count\": 10})];"}, {"v", "5.199"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(json::parse(result->body)["response"][0]["count"], 0);
}

}  // namespace
}  // namespace rosterd::sim::test
