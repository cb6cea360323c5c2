// What people do in the app (/sim/edit), revoked tokens, users.get and the members' profiles.
#include <gtest/gtest.h>

#include "sim_process.h"

namespace rosterd::sim::test {
namespace {

class SimEdits : public ::testing::Test {
 protected:
  // The edit's HTTP status and body.
  std::pair<int, json> edit(const json& body) {
    const auto result = client.sim_post("/sim/edit", body);
    if (!result) {
      ADD_FAILURE() << "no answer to /sim/edit";
      return {0, json()};
    }
    return {result->status, json::parse(result->body, nullptr, false)};
  }
  int edit_status(const json& body) { return edit(body).first; }
  json chat(std::int64_t chat_id) {
    const auto state = client.get("/sim/state");
    for (const auto& c : state.at("chats")) {
      if (c.at("chat_id") == chat_id) return c;
    }
    return nullptr;
  }
  std::vector<std::int64_t> member_ids(std::int64_t chat_id) {
    std::vector<std::int64_t> ids;
    const auto found = chat(chat_id);
    for (const auto& m : found.at("members")) ids.push_back(m.at("user_id"));
    return ids;
  }
  int add_chat_user(std::int64_t chat_id, std::int64_t user_id) {
    return error_code(client.call("messages.addChatUser", {{"chat_id", std::to_string(chat_id)},
                                                           {"user_id", std::to_string(user_id)}}));
  }
  std::string member_link(std::int64_t chat_id) {
    return client.call("messages.getInviteLink", {{"peer_id", std::to_string(peer(chat_id))}})
        .at("response")
        .at("link");
  }

  SimProcess sim;
  SimClient client{sim.port()};
};

TEST_F(SimEdits, RemovesAddsPromotesRenamesAndArchivesAsAPersonWould) {
  const auto id = client.create_chat("5А", "7,8");
  EXPECT_EQ(edit({{"action", "remove_member"}, {"chat_id", id}, {"user_id", 7}}),
            std::pair(200, json({{"ok", true}})));
  EXPECT_EQ(edit_status({{"action", "add_member"}, {"chat_id", id}, {"user_id", 9}, {"by", 555}}),
            200);
  EXPECT_EQ(edit_status({{"action", "add_member"}, {"chat_id", id}, {"user_id", 10}}), 200);
  EXPECT_EQ(edit_status({{"action", "set_role"}, {"chat_id", id}, {"user_id", 8}, {"role", "admin"}}),
            200);
  EXPECT_EQ(edit_status({{"action", "rename"}, {"chat_id", id}, {"title", "5А (old)"}}), 200);
  const auto after = chat(id);
  EXPECT_EQ(member_ids(id), (std::vector<std::int64_t>{100, 8, 9, 10}));
  EXPECT_EQ(after["members"][1]["is_admin"], true);
  EXPECT_EQ(after["members"][2]["invited_by"], 555);
  EXPECT_EQ(after["members"][3]["invited_by"], 1) << "a teacher, when the edit does not say";
  EXPECT_EQ(after["title"], "5А (old)");
  EXPECT_EQ(edit_status({{"action", "set_role"}, {"chat_id", id}, {"user_id", 8}, {"role", "member"}}),
            200);
  EXPECT_EQ(chat(id)["members"][1]["is_admin"], false);
  const auto link = member_link(id);
  EXPECT_EQ(edit_status({{"action", "archive"}, {"chat_id", id}}), 200);
  EXPECT_EQ(chat(id)["archived"], true);
  EXPECT_EQ(client.join(link, 20)->status, 404) << "an archived chat's links die";
  EXPECT_EQ(edit_status({{"action", "add_member"}, {"chat_id", id}, {"user_id", 11}}), 400);
}

TEST_F(SimEdits, SomeoneWhoLeftCannotBeAddedBackUntilTheyJoinThroughALink) {
  const auto id = client.create_chat("5А", "7,8");
  EXPECT_EQ(edit_status({{"action", "leave"}, {"chat_id", id}, {"user_id", 7}}), 200);
  EXPECT_EQ(member_ids(id), (std::vector<std::int64_t>{100, 8}));
  EXPECT_EQ(chat(id)["left_by_self"], json::array({7}));
  const auto refused = client.call("messages.addChatUser", {{"chat_id", std::to_string(id)},
                                                            {"user_id", "7"}});
  EXPECT_EQ(error_code(refused), 15);
  EXPECT_EQ(refused["error"]["error_msg"],
            "Access denied: the user left the chat and can only come back through an invite link");
  EXPECT_EQ(member_ids(id), (std::vector<std::int64_t>{100, 8}));
  // A teacher in the app cannot put them back either.
  EXPECT_EQ(edit_status({{"action", "add_member"}, {"chat_id", id}, {"user_id", 7}}), 400);
  // Someone removed by a teacher (not left) may be added back.
  EXPECT_EQ(edit_status({{"action", "remove_member"}, {"chat_id", id}, {"user_id", 8}}), 200);
  EXPECT_EQ(add_chat_user(id, 8), 0);

  ASSERT_EQ(client.join(member_link(id), 7)->status, 200);
  EXPECT_EQ(chat(id)["left_by_self"], json::array());
  EXPECT_EQ(edit_status({{"action", "remove_member"}, {"chat_id", id}, {"user_id", 7}}), 200);
  EXPECT_EQ(add_chat_user(id, 7), 0) << "joining through the link cleared the bar";
}

TEST_F(SimEdits, ADeletedChatIsGoneForEveryLaterCallAndItsLinksDie) {
  const auto id = client.create_chat("5А", "7");
  const auto link = member_link(id);
  EXPECT_EQ(edit_status({{"action", "delete"}, {"chat_id", id}}), 200);
  EXPECT_TRUE(chat(id).is_null());
  EXPECT_EQ(add_chat_user(id, 8), 927);
  EXPECT_EQ(error_code(client.call("messages.getConversationMembers",
                                   {{"peer_id", std::to_string(peer(id))}})),
            927);
  EXPECT_EQ(client.call("sferum.listChats", {{"count", "10"}})["response"]["count"], 0);
  EXPECT_EQ(client.join(link, 9)->status, 404);
  EXPECT_EQ(edit_status({{"action", "delete"}, {"chat_id", id}}), 404);
  EXPECT_EQ(client.create_chat("next", ""), id + 1) << "a deleted chat's id is not reused";
}

TEST_F(SimEdits, RefusesEditsThatBreakTheRulesWith400AndUnknownChatsWith404) {
  const auto id = client.create_chat("5А", "7");
  const auto bad_title = edit({{"action", "rename"}, {"chat_id", id}, {"title", "5А\nx"}});
  EXPECT_EQ(bad_title.first, 400);
  EXPECT_EQ(bad_title.second["error"], "title holds a control character");
  EXPECT_EQ(edit_status({{"action", "rename"}, {"chat_id", id}, {"title", ""}}), 400);
  EXPECT_EQ(edit_status({{"action", "remove_member"}, {"chat_id", id}, {"user_id", 100}}), 400)
      << "the owner";
  EXPECT_EQ(edit_status({{"action", "set_role"}, {"chat_id", id}, {"user_id", 100},
                         {"role", "member"}}),
            400);
  EXPECT_EQ(edit_status({{"action", "leave"}, {"chat_id", id}, {"user_id", 9}}), 400)
      << "not a member";
  EXPECT_EQ(edit_status({{"action", "set_role"}, {"chat_id", id}, {"user_id", 7},
                         {"role", "owner"}}),
            400);
  const auto missing = edit({{"action", "remove_member"}, {"chat_id", id}});
  EXPECT_EQ(missing, std::pair(400, json({{"error", "user_id: expected an integer"}})));
  EXPECT_EQ(edit_status({{"action", "paint"}, {"chat_id", id}}), 400);
  EXPECT_EQ(edit_status({{"action", "archive"}}), 400);
  const auto bad_body = client.raw().Post("/sim/edit", "not json", "application/json");
  EXPECT_EQ(bad_body->status, 400);
  EXPECT_EQ(edit({{"action", "archive"}, {"chat_id", 99}}),
            std::pair(404, json({{"error", "no chat 99"}})));
  EXPECT_EQ(chat(id)["title"], "5А");
  EXPECT_EQ(member_ids(id), (std::vector<std::int64_t>{100, 7}));
}

TEST_F(SimEdits, EditsAreCountedApartFromApiRequests) {
  const auto id = client.create_chat("5А", "7");
  EXPECT_EQ(edit_status({{"action", "remove_member"}, {"chat_id", id}, {"user_id", 7}}), 200);
  EXPECT_EQ(edit_status({{"action", "rename"}, {"chat_id", id}, {"title", "x"}}), 200);
  EXPECT_EQ(edit_status({{"action", "leave"}, {"chat_id", id}, {"user_id", 7}}), 400);
  const auto stats = client.get("/sim/stats");
  EXPECT_EQ(stats["requests"], 1);
  EXPECT_EQ(stats["writes"], 1);
  EXPECT_EQ(stats["edits"], 2) << "refused edits do not count";
}

TEST(SimRevoke, ARevokedTokenIsRefusedWith5AndOtherTokensStillWork) {
  SimProcess sim;
  SimClient client(sim.port());
  SimClient other(sim.port(), "other-token");
  EXPECT_EQ(error_code(client.call("sferum.listChats")), 0);
  const auto revoked = client.sim_post("/sim/revoke", {{"token", "test-token"}});
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 200);
  const auto refused = client.call("sferum.listChats");
  EXPECT_EQ(error_code(refused), 5);
  EXPECT_EQ(error_code(client.execute(R"(return [API.sferum.listChats()];)")), 5);
  EXPECT_EQ(error_code(other.call("sferum.listChats")), 0);
  EXPECT_EQ(client.sim_post("/sim/revoke", {{"token", 5}})->status, 400);
  EXPECT_EQ(client.get("/sim/stats")["errors"], json({{"5", 2}}));
}

TEST(SimUsers, UsersGetWithoutIdsAnswersTheTokensOwnUser) {
  SimProcess sim({"--owner-id", "321"});
  SimClient client(sim.port());
  const auto users = client.call("users.get")["response"];
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["id"], 321);
  EXPECT_TRUE(users[0]["first_name"].is_string());
  EXPECT_TRUE(users[0]["last_name"].is_string());
}

TEST(SimMembers, MembersSayWhoJoinedByLinkAndCarryTheNamesTheSimulatorKnows) {
  SimProcess sim;
  SimClient client(sim.port());
  const auto id = client.create_chat("5А", "7");
  const auto link = client.call("messages.getInviteLink", {{"peer_id", std::to_string(peer(id))}})
                        .at("response")
                        .at("link")
                        .get<std::string>();
  const auto joined = client.sim_post(
      "/sim/join", {{"link", link}, {"user_id", 42}, {"first_name", "Анна"}, {"last_name", "Ли"}});
  ASSERT_EQ(joined->status, 200);
  const auto page = client.call("messages.getConversationMembers",
                                {{"peer_id", std::to_string(peer(id))}, {"count", "1000"}})["response"];
  ASSERT_EQ(page["items"].size(), 3u);
  EXPECT_EQ(page["items"][1]["joined_by_link"], false);
  EXPECT_EQ(page["items"][2]["member_id"], 42);
  EXPECT_EQ(page["items"][2]["joined_by_link"], true);
  EXPECT_EQ(page["profiles"],
            json::array({{{"id", 42}, {"first_name", "Анна"}, {"last_name", "Ли"}}}));
  // Only the page's members' profiles.
  const auto first = client.call("messages.getConversationMembers",
                                 {{"peer_id", std::to_string(peer(id))}, {"count", "2"}})["response"];
  EXPECT_EQ(first["profiles"], json::array());
  EXPECT_EQ(client.get("/sim/state")["users"],
            json::array({{{"id", 42}, {"first_name", "Анна"}, {"last_name", "Ли"}}}));
}

}  // namespace
}  // namespace rosterd::sim::test
