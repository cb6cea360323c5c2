// Invite links: one live link per chat and role, reset annuls, /sim/join follows a live link.
#include <gtest/gtest.h>

#include "sim_process.h"

namespace rosterd::sim::test {
namespace {

class SimInvites : public ::testing::Test {
 protected:
  std::string link(std::int64_t chat_id, const std::string& reset, const std::string& role) {
    const auto answer =
        client.call("messages.getInviteLink",
                    {{"peer_id", std::to_string(peer(chat_id))}, {"reset", reset}, {"role", role}});
    return answer.at("response").at("link").get<std::string>();
  }
  json links(std::int64_t chat_id) {
    return client.get("/sim/state")["chats"][chat_id - 1]["invite_links"];
  }
  int join_status(const std::string& url, std::int64_t user_id) {
    const auto result = client.join(url, user_id);
    return result ? result->status : 0;
  }

  SimProcess sim;
  SimClient client{sim.port()};
};

TEST_F(SimInvites, ResetZeroReturnsTheLiveLinkAndResetOneReplacesIt) {
  const auto id = client.create_chat("5А", "");
  const auto first = link(id, "0", "member");
  EXPECT_EQ(link(id, "0", "member"), first);
  const auto second = link(id, "1", "member");
  EXPECT_NE(second, first);
  EXPECT_EQ(links(id), json({{"member", second}, {"admin", nullptr}}));
  EXPECT_EQ(join_status(first, 7), 404);
  EXPECT_EQ(join_status(second, 7), 200);
  EXPECT_EQ(client.get("/sim/stats")["writes"], 3);  // createChat and the two new links
}

TEST_F(SimInvites, EachRoleHasItsOwnLinkAndResettingOneLeavesTheOther) {
  const auto id = client.create_chat("5А", "");
  const auto member = link(id, "0", "member");
  const auto admin = link(id, "0", "admin");
  EXPECT_NE(member, admin);
  const auto new_admin = link(id, "1", "admin");
  EXPECT_EQ(links(id), json({{"member", member}, {"admin", new_admin}}));
  EXPECT_EQ(link(id, "0", "member"), member);
  const auto default_role =
      client.call("messages.getInviteLink", {{"peer_id", std::to_string(peer(id))}});
  EXPECT_EQ(default_role["response"]["link"], member);
}

TEST_F(SimInvites, JoiningMakesTheUserAMemberInTheLinksRole) {
  const auto id = client.create_chat("5А", "");
  const auto result = client.join(link(id, "0", "admin"), 42);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(json::parse(result->body), json({{"chat_id", id}}));
  EXPECT_EQ(join_status(link(id, "0", "member"), 43), 200);
  EXPECT_EQ(join_status(link(id, "0", "member"), 42), 200);  // a member link never demotes
  const auto members = client.get("/sim/state")["chats"][0]["members"];
  const auto flags = [](const json& m) {
    return json({{"user_id", m["user_id"]},
                 {"is_admin", m["is_admin"]},
                 {"is_owner", m["is_owner"]},
                 {"joined_by_link", m["joined_by_link"]}});
  };
  EXPECT_EQ(flags(members[1]),
            json({{"user_id", 42}, {"is_admin", true}, {"is_owner", false}, {"joined_by_link", true}}));
  EXPECT_EQ(flags(members[2]),
            json({{"user_id", 43}, {"is_admin", false}, {"is_owner", false}, {"joined_by_link", true}}));
  EXPECT_EQ(members.size(), 3u);
}

TEST_F(SimInvites, ArchivingAChatAnnulsItsLinksAndRefusesNewOnes) {
  const auto id = client.create_chat("5А", "");
  const auto member = link(id, "0", "member");
  (void)client.call("sferum.archiveChat", {{"peer_id", std::to_string(peer(id))}});
  EXPECT_EQ(links(id), json({{"member", nullptr}, {"admin", nullptr}}));
  EXPECT_EQ(join_status(member, 7), 404);
  EXPECT_EQ(error_code(client.call("messages.getInviteLink",
                                   {{"peer_id", std::to_string(peer(id))}, {"reset", "1"}})),
            917);
}

TEST_F(SimInvites, RefusesUnknownChatsAndBadParameters) {
  const auto id = client.create_chat("5А", "");
  const auto p = std::to_string(peer(id));
  EXPECT_EQ(
      error_code(client.call("messages.getInviteLink", {{"peer_id", std::to_string(peer(9))}})),
      927);
  EXPECT_EQ(error_code(client.call("messages.getInviteLink", {{"peer_id", p}, {"reset", "2"}})),
            100);
  EXPECT_EQ(error_code(client.call("messages.getInviteLink", {{"peer_id", p}, {"role", "owner"}})),
            100);
}

TEST_F(SimInvites, JoinRefusesAMalformedBodyAndAnUnknownLink) {
  const auto bad = client.raw().Post("/sim/join", R"({"link": 5})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(join_status("https://sferum.sim/join/nothing", 7), 404);
}

}  // namespace
}  // namespace rosterd::sim::test
