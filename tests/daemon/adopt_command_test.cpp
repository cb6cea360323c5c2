// `rosterd adopt`: an administrator binds an existing platform chat to a group. The command's
// work against the in-memory ports, and the real binary for its usage errors.
#include "daemon/adopt_command.h"
#include "daemon/i18n.h"

#include <gtest/gtest.h>

#include <string>

#include "adapters/store/store.h"
#include "mapping/message.h"
#include "tests/daemon/fakes.h"
#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

// What the command said, in English (the CLI words it in the reader's language).
std::string said(const AdoptResult& result) { return mapping::english(result.message); }

using testing::FakeDatabase;
using testing::FakePlatform;
using testing::FakeStore;

constexpr const char* holder = "host-a:1:aaaaaa";

class AdoptCommand : public ::testing::Test {
 protected:
  AdoptCommand() {
    platform_.chats[501] = {"5А класс", false, {{11, false}, {12, false}}};
    platform_.chats[502] = {"Архив 4Б", true, {}};
  }
  AdoptResult adopt(const std::string& key, mapping::ChatId chat_id,
                    const std::string& org = "sch-1") {
    return adopt_chat({org, key, chat_id, holder, std::chrono::seconds(60)}, platform_, store_);
  }
  // A chat recorded for `org` as an earlier sync or adoption would leave it.
  void bound(const std::string& org, const std::string& key, std::optional<mapping::ChatId> id) {
    mapping::AppliedChat c;
    c.key = key;
    c.group_id = key.substr(key.find(':') + 1);
    c.chat_id = id;
    db_.schools[org].chats[key] = c;
  }
  [[nodiscard]] bool lease_free(const std::string& org = "sch-1") const {
    const auto& lease = db_.schools.at(org).lease;
    return !lease || lease->expired;
  }

  FakeDatabase db_;
  FakeStore store_{db_};
  FakePlatform platform_;
};

TEST_F(AdoptCommand, BindsALiveChatOfTheOrganisationWithThePlatformsTitle) {
  const auto result = adopt("parents:g-5a", 501);
  EXPECT_TRUE(result.bound) << said(result);
  EXPECT_NE(said(result).find("parents:g-5a"), std::string::npos) << said(result);
  const auto& chats = db_.schools.at("sch-1").chats;
  ASSERT_EQ(chats.size(), 1U);
  const auto& c = chats.at("parents:g-5a");
  EXPECT_EQ(c.kind, mapping::ChatKind::parents);
  EXPECT_EQ(c.group_id, "g-5a");
  EXPECT_EQ(c.chat_id, 501);
  EXPECT_EQ(c.title, "5А класс");
  EXPECT_TRUE(c.managed);
  EXPECT_FALSE(c.archived);
  EXPECT_TRUE(c.members.empty());  // the next sync reads them
  EXPECT_FALSE(c.observed_at.has_value());
  EXPECT_TRUE(lease_free());
  EXPECT_TRUE(platform_.writes.empty());
}

TEST_F(AdoptCommand, ClearsTheSchoolsJournalMarkSoTheNextCycleBringsTheChatIn) {
  db_.schools["sch-1"].mark = {"\"v1\"", std::nullopt, "", std::int64_t{1'790'086'400}, "s", 0};
  ASSERT_TRUE(adopt("parents:g-5a", 501).bound);
  EXPECT_FALSE(db_.schools.at("sch-1").mark.set());
}

TEST_F(AdoptCommand, BindsTheStaffChatUnderTheSchoolsOwnKey) {
  const auto result = adopt("staff:sch-1", 501);
  EXPECT_TRUE(result.bound) << said(result);
  const auto& c = db_.schools.at("sch-1").chats.at("staff:sch-1");
  EXPECT_EQ(c.kind, mapping::ChatKind::staff);
  EXPECT_EQ(c.group_id, "sch-1");
}

TEST_F(AdoptCommand, KeepsWhatWasRecordedOfAKeyThatHasNoChatYet) {
  bound("sch-1", "class:g-5a", std::nullopt);
  mapping::AppliedMember member;
  member.person_id = "p-1";
  member.platform_user_id = 1001;
  db_.schools["sch-1"].chats["class:g-5a"].members = {member};
  const auto result = adopt("class:g-5a", 501);
  EXPECT_TRUE(result.bound) << said(result);
  const auto& c = db_.schools.at("sch-1").chats.at("class:g-5a");
  EXPECT_EQ(c.chat_id, 501);
  ASSERT_EQ(c.members.size(), 1U);
  EXPECT_EQ(c.members[0].person_id, "p-1");
}

struct Refusal {
  std::string name;
  std::string key;
  mapping::ChatId chat_id = 0;
  std::string says;  // a part of the message
};
void PrintTo(const Refusal& r, std::ostream* out) { *out << r.name; }

class AdoptRefusals : public AdoptCommand, public ::testing::WithParamInterface<Refusal> {};

TEST_P(AdoptRefusals, BindNothingAndSayWhy) {
  bound("sch-1", "class:g-5b", 503);  // this school's 5Б chat
  bound("sch-2", "class:g-1", 504);   // another school's chat
  platform_.chats[503] = {"5Б", false, {}};
  platform_.chats[504] = {"1А", false, {}};
  const auto before = db_.schools;
  const auto& r = GetParam();
  const auto result = adopt(r.key, r.chat_id);
  EXPECT_FALSE(result.bound);
  EXPECT_NE(said(result).find(r.says), std::string::npos) << said(result);
  EXPECT_NE(said(result).find("nothing was bound"), std::string::npos) << said(result);
  EXPECT_EQ(db_.schools.at("sch-1").chats, before.at("sch-1").chats);
  EXPECT_EQ(db_.schools.at("sch-2").chats, before.at("sch-2").chats);
  EXPECT_TRUE(lease_free());
}

INSTANTIATE_TEST_SUITE_P(
    Adopt, AdoptRefusals,
    ::testing::Values(Refusal{"not_on_the_platform", "class:g-5a", 999,
                              "chat 999 is not a chat of organisation sch-1 on the platform"},
                      Refusal{"archived", "class:g-5a", 502,
                              "chat 502 is archived on the platform"},
                      Refusal{"bound_in_another_school", "class:g-5a", 504,
                              "chat 504 is already bound to a chat of another school"},
                      Refusal{"bound_to_another_key", "class:g-5a", 503,
                              "chat 503 is already bound to class:g-5b in school sch-1"},
                      Refusal{"key_already_bound", "class:g-5b", 501,
                              "class:g-5b is already bound to chat 503 in school sch-1"},
                      Refusal{"not_a_key", "club:g-5a", 501, "--key club:g-5a: not a chat key"}),
    [](const auto& param_info) { return param_info.param.name; });

// The administrator reads the answer in Russian by default, in English with --lang en.
TEST_F(AdoptCommand, SaysWhyInTheReadersLanguage) {
  const auto refused = adopt("class:g-5a", 502);
  const auto done = adopt("class:g-5a", 501);
  set_language(Language::ru);
  EXPECT_EQ(text(refused.message), "чат 502 в архиве на платформе; ничего не привязано");
  EXPECT_NE(text(done.message).find("теперь чат 501"), std::string::npos) << text(done.message);
  set_language(Language::en);
  EXPECT_EQ(text(refused.message), "chat 502 is archived on the platform; nothing was bound");
  set_language(Language::ru);
}

TEST_F(AdoptCommand, RefusesWhileAnotherProcessHoldsTheSchoolNamingIt) {
  db_.take_over("sch-1", "host-b:4242:bbbbbb");  // a sync of another machine, running
  const auto result = adopt("class:g-5a", 501);
  EXPECT_FALSE(result.bound);
  EXPECT_NE(said(result).find("school sch-1 is held by host-b:4242:bbbbbb"), std::string::npos)
      << said(result);
  EXPECT_TRUE(db_.schools.at("sch-1").chats.empty());
  ASSERT_TRUE(db_.schools.at("sch-1").lease);
  EXPECT_EQ(db_.schools.at("sch-1").lease->holder, "host-b:4242:bbbbbb");
  EXPECT_FALSE(db_.schools.at("sch-1").lease->expired);
}

// The real SQLite store: the binding is fenced by the lease the command took, seen by another
// process of the same database, and the lease is free again for the next sync.
TEST_F(AdoptCommand, BindsInTheSqliteStoreAndAnotherProcessSeesTheChatTaken) {
  test_support::TempFolder dir;
  const auto db = dir.path() / "state.db";
  auto first = adapters::store::open_sqlite_store(db);
  const auto bound_now =
      adopt_chat({"sch-1", "class:g-5a", 501, holder, std::chrono::seconds(60)}, platform_, *first);
  ASSERT_TRUE(bound_now.bound) << said(bound_now);
  auto second = adapters::store::open_sqlite_store(db);
  const auto applied = second->load("sch-1");
  ASSERT_EQ(applied.chats.size(), 1U);
  EXPECT_EQ(applied.chats[0].key, "class:g-5a");
  EXPECT_EQ(applied.chats[0].chat_id, 501);
  EXPECT_EQ(applied.chats[0].title, "5А класс");
  EXPECT_TRUE(applied.chats[0].managed);
  const auto again = adopt_chat(
      {"sch-2", "class:g-1", 501, "host-b:2:bbbbbb", std::chrono::seconds(60)}, platform_, *second);
  EXPECT_FALSE(again.bound);
  EXPECT_NE(said(again).find("already bound to a chat of another school"), std::string::npos)
      << said(again);
  EXPECT_TRUE(second->acquire_lease("sch-1", "host-c:3:cccccc", std::chrono::seconds(60)).acquired);
}

// Usage errors exit 2 before the store or the platform is opened (neither exists here).
TEST(AdoptCli, ExitsTwoOnBadUsage) {
  test_support::TempFolder dir;
  const auto config = dir.path() / "rosterd.json";
  test_support::write_file(config, R"({"schools": [{"id": "sch-1", "source": {"type": "export",
      "path": "x"}}], "store": {"sqlite": "state/none.db"},
      "platform": {"base_url": "http://127.0.0.1:9", "token_file": "./none"}})");
  const std::string c = config.string();
  const std::vector<std::vector<std::string>> cases = {
      {"adopt", "--config", c, "--school", "sch-1", "--key", "class:g1"},  // no --chat-id
      {"adopt", "--config", c, "--school", "sch-1", "--key", "class:g1", "--chat-id", "0"},
      {"adopt", "--config", c, "--school", "sch-1", "--key", "class:g1", "--chat-id", "x"},
      {"adopt", "--config", c, "--school", "sch-9", "--key", "class:g1", "--chat-id", "5"},
      {"adopt", "--config", c, "--school", "sch-1", "--key", "g1", "--chat-id", "5"},
      {"adopt", "--config", c, "--school", "sch-1", "--key", "staff:sch-2", "--chat-id", "5"},
  };
  for (const auto& args : cases) {
    const auto result = test_support::run_rosterd(args);
    EXPECT_EQ(result.exit_code, 2) << ::testing::PrintToString(args) << "\n" << result.err;
    EXPECT_FALSE(result.err.empty()) << ::testing::PrintToString(args);
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "state"));  // no store was opened
}

}  // namespace
}  // namespace rosterd::daemon
