// Each platform method's answer and errors, against the real simulator.
#include <gtest/gtest.h>

#include <chrono>

#include "sim_process.h"

namespace rosterd::sim::test {
namespace {

class SimMethods : public ::testing::Test {
 protected:
  // The chat's members as /sim/state shows them: user ids in joining order.
  std::vector<std::int64_t> member_ids(std::int64_t chat_id) {
    std::vector<std::int64_t> ids;
    const auto members = chat(chat_id).at("members");
    for (const auto& m : members) ids.push_back(m.at("user_id"));
    return ids;
  }
  json chat(std::int64_t chat_id) {
    const auto state = client.get("/sim/state");
    for (const auto& c : state.at("chats")) {
      if (c.at("chat_id") == chat_id) return c;
    }
    ADD_FAILURE() << "no chat " << chat_id;
    return json::object();
  }
  std::int64_t archived_chat() {
    const auto id = client.create_chat("old", "7");
    EXPECT_EQ(
        client.call("sferum.archiveChat", {{"peer_id", std::to_string(peer(id))}})["response"], 1);
    return id;
  }

  SimProcess sim;
  SimClient client{sim.port()};
};

TEST_F(SimMethods, CreateChatAddsTheUsersOnceWithTheTokensUserAsOwnerAndAdmin) {
  const auto answer =
      client.call("messages.createChat", {{"title", "5А"}, {"user_ids", "7,8,7,100"}});
  EXPECT_EQ(answer["response"]["chat_id"], 1);
  EXPECT_EQ(answer["response"]["peer_ids"], json::array({7, 8}));
  const auto created = chat(1);
  EXPECT_EQ(created["title"], "5А");
  EXPECT_EQ(created["archived"], false);
  const auto owner = created["members"][0];
  EXPECT_EQ(owner["user_id"], 100);
  EXPECT_EQ(owner["is_admin"], true);
  EXPECT_EQ(owner["is_owner"], true);
  EXPECT_EQ(owner["joined_by_link"], false);
  EXPECT_EQ(member_ids(1), (std::vector<std::int64_t>{100, 7, 8}));
  EXPECT_EQ(client.create_chat("second", ""), 2);
}

TEST_F(SimMethods, CreateChatWithoutATitleIsABadParameter) {
  EXPECT_EQ(error_code(client.call("messages.createChat", {{"user_ids", "7"}})), 100);
  EXPECT_EQ(error_code(client.call("messages.createChat", {{"title", "x"}, {"user_ids", "7,a"}})),
            100);
  EXPECT_EQ(client.get("/sim/state")["chats"].size(), 0u);
}

TEST_F(SimMethods, EditChatRenamesALiveChatOnly) {
  const auto id = client.create_chat("5А", "7");
  EXPECT_EQ(client.call("messages.editChat", {{"chat_id", std::to_string(id)}, {"title", "6А"}}),
            json({{"response", 1}}));
  EXPECT_EQ(chat(id)["title"], "6А");
  EXPECT_EQ(error_code(client.call("messages.editChat", {{"chat_id", "99"}, {"title", "x"}})), 927);
  const auto old = archived_chat();
  EXPECT_EQ(error_code(client.call("messages.editChat",
                                   {{"chat_id", std::to_string(old)}, {"title", "x"}})),
            917);
  EXPECT_EQ(chat(old)["title"], "old");
}

TEST_F(SimMethods, AddChatUserAnswersOneAlsoForAMemberAndCountsOnlyTheRealChange) {
  const auto id = std::to_string(client.create_chat("5А", ""));
  EXPECT_EQ(client.call("messages.addChatUser", {{"chat_id", id}, {"user_id", "7"}})["response"],
            1);
  EXPECT_EQ(client.call("messages.addChatUser", {{"chat_id", id}, {"user_id", "7"}})["response"],
            1);
  EXPECT_EQ(member_ids(1), (std::vector<std::int64_t>{100, 7}));
  EXPECT_EQ(client.get("/sim/stats")["writes"], 2);  // createChat and the first addition
  EXPECT_EQ(error_code(client.call("messages.addChatUser", {{"chat_id", "99"}, {"user_id", "7"}})),
            927);
  EXPECT_EQ(error_code(client.call("messages.addChatUser", {{"chat_id", id}})), 100);
  const auto old = std::to_string(archived_chat());
  EXPECT_EQ(error_code(client.call("messages.addChatUser", {{"chat_id", old}, {"user_id", "9"}})),
            917);
}

TEST_F(SimMethods, RemoveChatUserRemovesAMemberAndSays935ForANonMember) {
  const auto id = std::to_string(client.create_chat("5А", "7,8"));
  EXPECT_EQ(client.call("messages.removeChatUser", {{"chat_id", id}, {"member_id", "7"}}),
            json({{"response", 1}}));
  EXPECT_EQ(member_ids(1), (std::vector<std::int64_t>{100, 8}));
  EXPECT_EQ(
      error_code(client.call("messages.removeChatUser", {{"chat_id", id}, {"member_id", "7"}})),
      935);
  EXPECT_EQ(
      error_code(client.call("messages.removeChatUser", {{"chat_id", "99"}, {"member_id", "8"}})),
      927);
  EXPECT_EQ(
      error_code(client.call("messages.removeChatUser", {{"chat_id", id}, {"member_id", "100"}})),
      15);
  const auto old = std::to_string(archived_chat());
  EXPECT_EQ(
      error_code(client.call("messages.removeChatUser", {{"chat_id", old}, {"member_id", "7"}})),
      917);
}

TEST_F(SimMethods, GetConversationMembersPagesTheMembersWithTheirFlags) {
  const auto id = client.create_chat("5А", "7,8,9");
  const auto p = std::to_string(peer(id));
  const auto all = client.call("messages.getConversationMembers",
                               {{"peer_id", p}, {"offset", "0"}, {"count", "1000"}})["response"];
  EXPECT_EQ(all["count"], 4);
  ASSERT_EQ(all["items"].size(), 4u);
  EXPECT_EQ(all["items"][0]["member_id"], 100);
  EXPECT_EQ(all["items"][0]["is_owner"], true);
  EXPECT_EQ(all["items"][0]["is_admin"], true);
  EXPECT_EQ(all["items"][1]["is_owner"], false);
  EXPECT_EQ(all["items"][1]["invited_by"], 100);
  EXPECT_GT(all["items"][1]["join_date"].get<std::int64_t>(), 0);
  const auto page = client.call("messages.getConversationMembers",
                                {{"peer_id", p}, {"offset", "1"}, {"count", "2"}})["response"];
  EXPECT_EQ(page["count"], 4);
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["member_id"], 7);
  EXPECT_EQ(page["items"][1]["member_id"], 8);
  EXPECT_EQ(error_code(client.call("messages.getConversationMembers",
                                   {{"peer_id", p}, {"count", "1001"}})),
            100);
  EXPECT_EQ(error_code(client.call("messages.getConversationMembers",
                                   {{"peer_id", std::to_string(peer(99))}})),
            927);
}

TEST_F(SimMethods, SetMemberRolePromotesAndDemotesMembersOnly) {
  const auto p = std::to_string(peer(client.create_chat("5А", "7")));
  const auto set_role = [&](const std::string& member, const std::string& role) {
    return client.call("messages.setMemberRole",
                       {{"peer_id", p}, {"member_id", member}, {"role", role}});
  };
  EXPECT_EQ(set_role("7", "admin")["response"], 1);
  EXPECT_EQ(chat(1)["members"][1]["is_admin"], true);
  EXPECT_EQ(set_role("7", "admin")["response"], 1);
  EXPECT_EQ(set_role("7", "member")["response"], 1);
  EXPECT_EQ(chat(1)["members"][1]["is_admin"], false);
  EXPECT_EQ(error_code(set_role("8", "admin")), 935);
  EXPECT_EQ(error_code(set_role("7", "owner")), 100);
  EXPECT_EQ(error_code(set_role("100", "member")), 15);
  EXPECT_EQ(error_code(client.call(
                "messages.setMemberRole",
                {{"peer_id", std::to_string(peer(9))}, {"member_id", "7"}, {"role", "admin"}})),
            927);
  const auto old = std::to_string(peer(archived_chat()));
  EXPECT_EQ(error_code(client.call("messages.setMemberRole",
                                   {{"peer_id", old}, {"member_id", "7"}, {"role", "admin"}})),
            917);
}

TEST_F(SimMethods, ArchiveChatKeepsMembersAndIsIdempotent) {
  const auto id = client.create_chat("5А", "7");
  const auto p = std::to_string(peer(id));
  EXPECT_EQ(client.call("sferum.archiveChat", {{"peer_id", p}})["response"], 1);
  EXPECT_EQ(client.call("sferum.archiveChat", {{"peer_id", p}})["response"], 1);
  EXPECT_EQ(chat(id)["archived"], true);
  EXPECT_EQ(member_ids(id), (std::vector<std::int64_t>{100, 7}));
  EXPECT_EQ(client.get("/sim/stats")["writes"], 2);  // createChat and one archive
  EXPECT_EQ(error_code(client.call("sferum.archiveChat", {{"peer_id", std::to_string(peer(9))}})),
            927);
  // Reads still work on an archived chat.
  EXPECT_EQ(client.call("messages.getConversationMembers", {{"peer_id", p}})["response"]["count"],
            2);
}

TEST_F(SimMethods, ListChatsPagesTheTokensOwnChatsByChatId) {
  for (const char* title : {"a", "b", "c", "d", "e"}) (void)client.create_chat(title, "7");
  SimClient other(sim.port(), "another-token");
  (void)other.create_chat("theirs", "");
  (void)client.call("sferum.archiveChat", {{"peer_id", std::to_string(peer(2))}});
  auto page = client.call("sferum.listChats", {{"offset", "1"}, {"count", "2"}})["response"];
  EXPECT_EQ(page["count"], 5);
  for (auto& item : page["items"]) {  // who made it and when: ListChatsSaysWhoMadeEachChatAndWhen
    item.erase("created_by");
    item.erase("created_at");
  }
  EXPECT_EQ(page["items"], json::array({{{"chat_id", 2},
                                         {"peer_id", peer(2)},
                                         {"title", "b"},
                                         {"archived", true},
                                         {"members_count", 2}},
                                        {{"chat_id", 3},
                                         {"peer_id", peer(3)},
                                         {"title", "c"},
                                         {"archived", false},
                                         {"members_count", 2}}}));
  const auto tail = client.call("sferum.listChats", {{"offset", "4"}, {"count", "200"}});
  EXPECT_EQ(tail["response"]["items"].size(), 1u);
  EXPECT_EQ(other.call("sferum.listChats", {{"count", "10"}})["response"]["count"], 1);
  EXPECT_EQ(error_code(client.call("sferum.listChats", {{"count", "201"}})), 100);
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_F(SimMethods, ListChatsSaysWhoMadeEachChatAndWhen) {
  const auto before = unix_now();
  (void)client.create_chat("5А", "7");
  const auto after = unix_now();
  const auto item = client.call("sferum.listChats", {{"count", "10"}})["response"]["items"][0];
  EXPECT_EQ(item["created_by"], 100) << "the token's own user made it through the API";
  EXPECT_GE(item["created_at"].get<std::int64_t>(), before);
  EXPECT_LE(item["created_at"].get<std::int64_t>(), after);
}

// A title of n code points, each "я" (two bytes in UTF-8).
std::string cyrillic_title(std::size_t n) {
  std::string title;
  for (std::size_t i = 0; i < n; ++i) title += "я";
  return title;
}

TEST_F(SimMethods, ATitleOverTheLengthLimitOrWithAControlCharacterIsABadParameter) {
  const auto id = client.create_chat(cyrillic_title(128), "");
  EXPECT_EQ(chat(id)["title"], cyrillic_title(128)) << "128 code points are allowed";
  const std::vector<std::string> bad = {cyrillic_title(129), "5А\nremove_member", "5А\r",
                                        std::string("5А\x07"), "5А\x7F", "5А\u0085"};
  for (const auto& title : bad) {
    EXPECT_EQ(error_code(client.call("messages.createChat", {{"title", title}, {"user_ids", ""}})),
              100)
        << title;
    EXPECT_EQ(error_code(client.call("messages.editChat",
                                     {{"chat_id", std::to_string(id)}, {"title", title}})),
              100)
        << title;
  }
  EXPECT_EQ(client.get("/sim/state")["chats"].size(), 1u);
  EXPECT_EQ(chat(id)["title"], cyrillic_title(128));
}

TEST_F(SimMethods, AnUnknownMethodIsError3) {
  EXPECT_EQ(error_code(client.call("messages.send", {{"peer_id", "1"}})), 3);
}

TEST_F(SimMethods, ResetForgetsChatsAndStatistics) {
  (void)client.create_chat("5А", "7");
  ASSERT_TRUE(client.raw().Post("/sim/reset", "", "application/json"));
  EXPECT_EQ(client.get("/sim/state"), json({{"chats", json::array()}, {"users", json::array()}}));
  EXPECT_EQ(client.get("/sim/stats")["requests"], 0);
  EXPECT_EQ(client.create_chat("again", ""), 1);
}

}  // namespace
}  // namespace rosterd::sim::test
