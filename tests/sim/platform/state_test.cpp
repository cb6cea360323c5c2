// --state FILE: a simulator starts from another's GET /sim/state; sferum.listChats by
// organisation; GET /sim/memberships.
#include <gtest/gtest.h>

#include <fstream>

#include "sim_process.h"

namespace rosterd::sim::test {
namespace {

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/platform-sim-state-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::ofstream(file) << text;
    return file.string();
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

json edit_ok(SimClient& client, const json& body) {
  const auto result = client.sim_post("/sim/edit", body);
  EXPECT_TRUE(result && result->status == 200) << body.dump();
  return nullptr;
}

// A state file's chat, as the platform or a teacher would have made it.
json chat_of(std::int64_t id, const std::string& org, std::int64_t created_by,
             const std::vector<std::int64_t>& members) {
  json list = json::array();
  for (const auto m : members) list.push_back({{"user_id", m}});
  return {{"chat_id", id},          {"title", "chat " + std::to_string(id)},
          {"organisation_id", org}, {"created_by", created_by},
          {"created_at", 1700000000 + id}, {"members", list}};
}

TEST(SimState, AStateTakenFromOneSimulatorStartsAnotherWithEverythingInIt) {
  TempDir dir;
  json before;
  {
    SimProcess first;
    SimClient client(first.port());
    const auto a = client.call("messages.createChat", {{"title", "5А"},
                                                       {"user_ids", "7,8,9"},
                                                       {"organisation_id", "school-1"}});
    const auto id = a["response"]["chat_id"].get<std::int64_t>();
    (void)client.create_chat("no org", "7");
    (void)client.create_chat("to archive", "7");
    const auto link = client.call("messages.getInviteLink",
                                  {{"peer_id", std::to_string(peer(id))}, {"role", "admin"}})
                          .at("response")
                          .at("link")
                          .get<std::string>();
    ASSERT_EQ(client.sim_post("/sim/join", {{"link", link},
                                            {"user_id", 42},
                                            {"first_name", "Анна"},
                                            {"last_name", "Ли"}})
                  ->status,
              200);
    edit_ok(client, {{"action", "leave"}, {"chat_id", id}, {"user_id", 8}});
    edit_ok(client, {{"action", "add_member"}, {"chat_id", id}, {"user_id", 50}, {"by", 555}});
    edit_ok(client, {{"action", "set_role"}, {"chat_id", id}, {"user_id", 9}, {"role", "admin"}});
    edit_ok(client, {{"action", "archive"}, {"chat_id", 3}});
    before = client.get("/sim/state");
  }
  const auto file = dir.write("state.json", before.dump());
  SimProcess second({"--state", file});
  SimClient client(second.port());
  EXPECT_EQ(client.get("/sim/state"), before);

  // What the state means still holds: the leaver is barred, the admin link is live, the same
  // token sees its own chats, and the next chat takes the next id.
  EXPECT_EQ(error_code(client.call("messages.addChatUser", {{"chat_id", "1"}, {"user_id", "8"}})),
            15);
  const auto link = before["chats"][0]["invite_links"]["admin"].get<std::string>();
  EXPECT_EQ(client.join(link, 43)->status, 200);
  EXPECT_EQ(client.call("sferum.listChats", {{"count", "10"}})["response"]["count"], 3);
  EXPECT_EQ(SimClient(second.port(), "other").call("sferum.listChats")["response"]["count"], 0);
  EXPECT_EQ(client.create_chat("next", ""), 4);
  const auto page = client.call("messages.getConversationMembers",
                                {{"peer_id", std::to_string(peer(1))}, {"count", "1000"}});
  EXPECT_EQ(page["response"]["profiles"],
            json::array({{{"id", 42}, {"first_name", "Анна"}, {"last_name", "Ли"}}}));
}

TEST(SimState, ResetGoesBackToTheStartingState) {
  TempDir dir;
  const json state = {{"chats", json::array({chat_of(5, "school-1", 0, {7, 8})})}};
  SimProcess sim({"--state", dir.write("state.json", state.dump())});
  SimClient client(sim.port());
  const auto start = client.get("/sim/state");
  edit_ok(client, {{"action", "delete"}, {"chat_id", 5}});
  EXPECT_EQ(client.create_chat("x", ""), 6);
  ASSERT_TRUE(client.raw().Post("/sim/reset", "", "application/json"));
  EXPECT_EQ(client.get("/sim/state"), start);
  EXPECT_EQ(client.create_chat("x", ""), 6);
}

TEST(SimState, ABadStateFileIsRefusedWithExit2NamingTheKey) {
  TempDir dir;
  const std::vector<std::pair<json, std::string>> cases = {
      {json::array(), "the state: expected an object"},
      {{{"chats", 5}}, "chats: expected an array"},
      {{{"chats", json::array({{{"title", "x"}}})}}, "chats[0].chat_id: missing"},
      {{{"chats", json::array({{{"chat_id", 1}, {"title", 5}}})}}, "chats[0].title: expected a string"},
      {{{"chats", json::array({chat_of(1, "s", 0, {7}), chat_of(1, "s", 0, {8})})}},
       "chats[1].chat_id: repeats an earlier chat's id"},
      {{{"chats", json::array({{{"chat_id", 1},
                                {"title", "x"},
                                {"members", json::array({{{"user_id", 7}}, {{"user_id", "8"}}})}}})}},
       "chats[0].members[1].user_id: expected an integer"},
      {{{"chats", json::array({{{"chat_id", 1},
                                {"title", "x"},
                                {"members", json::array({{{"user_id", 7}, {"is_admin", 1}}})}}})}},
       "chats[0].members[0].is_admin: expected true or false"},
      {{{"users", json::array({{{"first_name", "A"}}})}}, "users[0].id: missing"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto file = dir.write("bad" + std::to_string(i) + ".json", cases[i].first.dump());
    const auto run = rosterd::testing::run({PLATFORM_SIM_PATH, "--port", "0", "--state", file},
                                           dir.path());
    EXPECT_EQ(run.status, 2) << cases[i].second;
    EXPECT_NE(run.output.find(file + ": " + cases[i].second), std::string::npos) << run.output;
  }
  const auto not_json = dir.write("not.json", "{\"chats\": [");
  const auto run = rosterd::testing::run({PLATFORM_SIM_PATH, "--port", "0", "--state", not_json},
                                         dir.path());
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.output.find("not JSON"), std::string::npos) << run.output;
  const auto missing = rosterd::testing::run(
      {PLATFORM_SIM_PATH, "--port", "0", "--state", (dir.path() / "none.json").string()},
      dir.path());
  EXPECT_EQ(missing.status, 2);
}

TEST(SimOrganisation, ListsEveryChatOfTheOrganisationWhoeverMadeItAndOnlyThose) {
  TempDir dir;
  const json state = {{"chats", json::array({chat_of(1, "school-1", 0, {7, 8, 9}),
                                             chat_of(2, "school-2", 0, {7}),
                                             chat_of(3, "school-1", 555, {555, 7}),
                                             chat_of(4, "", 555, {555})})}};
  SimProcess sim({"--state", dir.write("state.json", state.dump())});
  SimClient client(sim.port());
  (void)client.call("messages.createChat",
                    {{"title", "ours"}, {"user_ids", "7"}, {"organisation_id", "school-1"}});
  (void)client.call("sferum.archiveChat", {{"peer_id", std::to_string(peer(3))}});

  const auto all = client.call("sferum.listChats", {{"scope", "organisation"},
                                                    {"organisation_id", "school-1"},
                                                    {"count", "200"}})["response"];
  EXPECT_EQ(all["count"], 3);
  const json expected = json::array(
      {{{"chat_id", 1}, {"peer_id", peer(1)}, {"title", "chat 1"}, {"archived", false},
        {"members_count", 3}, {"created_by", 0}, {"created_at", 1700000001}},
       {{"chat_id", 3}, {"peer_id", peer(3)}, {"title", "chat 3"}, {"archived", true},
        {"members_count", 2}, {"created_by", 555}, {"created_at", 1700000003}}});
  ASSERT_EQ(all["items"].size(), 3u);
  EXPECT_EQ(all["items"][0], expected[0]);
  EXPECT_EQ(all["items"][1], expected[1]);
  EXPECT_EQ(all["items"][2]["chat_id"], 5);
  EXPECT_EQ(all["items"][2]["created_by"], 100);

  const auto paged = client.call("sferum.listChats", {{"scope", "organisation"},
                                                      {"organisation_id", "school-1"},
                                                      {"offset", "1"},
                                                      {"count", "1"}})["response"];
  EXPECT_EQ(paged["count"], 3);
  EXPECT_EQ(paged["items"], json::array({expected[1]}));
  // Without a scope the token sees only what it made.
  const auto own = client.call("sferum.listChats", {{"count", "200"}})["response"];
  EXPECT_EQ(own["count"], 1);
  EXPECT_EQ(own["items"][0]["chat_id"], 5);
  EXPECT_EQ(error_code(client.call("sferum.listChats", {{"scope", "organisation"}})), 100);
  EXPECT_EQ(error_code(client.call("sferum.listChats", {{"scope", "world"}})), 100);
  EXPECT_EQ(client.call("sferum.listChats", {{"scope", "organisation"},
                                             {"organisation_id", "school-9"}})["response"]["count"],
            0);
}

TEST(SimMemberships, ListsTheLiveChatsEachAskedUserIsAMemberOf) {
  SimProcess sim;
  SimClient client(sim.port());
  const auto first = client.create_chat("5А", "7,8");
  const auto second = client.create_chat("5Б", "7");
  const auto archived = client.create_chat("old", "7");
  ASSERT_EQ(error_code(client.call("sferum.archiveChat", {{"peer_id", std::to_string(peer(archived))}})),
            0);
  EXPECT_EQ(client.get("/sim/memberships?user_ids=7,8,9"),
            json({{"7", {first, second}}, {"8", {first}}, {"9", json::array()}}));
  EXPECT_EQ(client.get("/sim/memberships"), json::object());
  const auto bad = client.raw().Get("/sim/memberships?user_ids=7,x");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(client.get("/sim/stats")["requests"], 4) << "the probe is no API request";
}

}  // namespace
}  // namespace rosterd::sim::test
