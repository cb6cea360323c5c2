// The crash look-up's decision for a chat creation whose outcome is unknown: a table of the
// chats a region's shared token can see, and what this school may do with them.
#include "mapping/lookup.h"

#include <gtest/gtest.h>

namespace rosterd::mapping {
namespace {

constexpr std::int64_t kIntent = 1'795'000'000;  // when the intent was recorded (store's clock)
constexpr PlatformUserId kToken = 100;           // the token's own user
constexpr PlatformUserId kOurs = 7;              // a person of this school
constexpr PlatformUserId kTheirs = 9;            // a person of the other school
const std::string kTitle = "5А · СОШ № 12";

struct Seen {
  ChatId id = 0;
  std::string title = kTitle;
  PlatformUserId created_by = kToken;
  std::int64_t created_at = kIntent + 1;
  bool archived = false;
  std::vector<PlatformUserId> members = {kToken};
};

struct Row {
  const char* name;
  std::vector<Seen> chats;
  std::set<ChatId> bound;
  LookupVerdict verdict;
  std::optional<ChatId> chat_id;     // made
  std::vector<std::string> subjects;  // unclear: the finding's subject ids
  std::optional<std::int64_t> intended_at = kIntent;
};

const std::vector<Row>& rows() {
  static const std::vector<Row> r = {
      {"no chat with the title", {{.id = 1, .title = "5Б · СОШ № 12"}}, {},
       LookupVerdict::not_made, {}, {}},
      {"one fresh chat made by the token", {{.id = 3}}, {}, LookupVerdict::made, 3, {}},
      {"the same, with this school's people in it", {{.id = 3, .members = {kToken, kOurs}}}, {},
       LookupVerdict::made, 3, {}},
      {"made within the clock margin before the intent",
       {{.id = 3, .created_at = kIntent - lookup_clock_margin_seconds}}, {}, LookupVerdict::made,
       3, {}},
      {"another school's chat, bound in the store", {{.id = 1}}, {1}, LookupVerdict::not_made,
       {}, {}},
      {"another school's bound chat beside our fresh one", {{.id = 1}, {.id = 4}}, {1},
       LookupVerdict::made, 4, {}},
      {"made before the intent beyond the margin",
       {{.id = 2, .created_at = kIntent - lookup_clock_margin_seconds - 1}}, {},
       LookupVerdict::not_made, {}, {}},
      {"made by the platform, not through the API", {{.id = 2, .created_by = 0}}, {},
       LookupVerdict::not_made, {}, {}},
      {"archived (an administrator settled it)", {{.id = 2, .archived = true}}, {},
       LookupVerdict::not_made, {}, {}},
      {"two fresh unbound chats: whose is whose?", {{.id = 5}, {.id = 6}}, {},
       LookupVerdict::unclear, {}, {"sch-a", "class:5a", "5", "6"}},
      {"a fresh chat with another school's person in it",
       {{.id = 5, .members = {kToken, kOurs, kTheirs}}}, {}, LookupVerdict::unclear, {},
       {"sch-a", "class:5a", "5"}},
      {"unknown time of the intent: an old unbound chat is a candidate",
       {{.id = 2, .created_at = 1000}}, {}, LookupVerdict::made, 2, {}, std::nullopt},
      {"unknown time, and an old one beside a fresh one", {{.id = 2, .created_at = 1000}, {.id = 5}},
       {}, LookupVerdict::unclear, {}, {"sch-a", "class:5a", "2", "5"}, std::nullopt},
  };
  return r;
}

class CreatedChatLookup : public ::testing::TestWithParam<Row> {};

TEST_P(CreatedChatLookup, BindsOnlyAChatProvablyMadeByThisSchoolsIntent) {
  const Row& row = GetParam();
  CreateLookup lookup{"sch-a", "class:5a", kTitle, row.intended_at, row.bound, {kOurs}};
  std::vector<LookupChat> seen;
  for (const auto& s : row.chats) {
    LookupChat c{{s.id, s.title, s.archived, s.created_by, s.created_at}, {}};
    for (const auto uid : s.members) c.members.push_back({uid, uid == kToken, uid == kToken});
    seen.push_back(c);
  }
  const auto got = decide_created_chat(lookup, seen);
  EXPECT_EQ(got.verdict, row.verdict);
  EXPECT_EQ(got.chat_id, row.chat_id);
  if (row.verdict == LookupVerdict::unclear) {
    ASSERT_TRUE(got.finding);
    EXPECT_EQ(got.finding->code, FindingCode::unclear_chat);
    EXPECT_EQ(got.finding->subject_ids, row.subjects);
    EXPECT_NE(got.finding->message.find("sch-a"), std::string::npos) << got.finding->message;
  } else {
    EXPECT_FALSE(got.finding);
  }
}

INSTANTIATE_TEST_SUITE_P(Table, CreatedChatLookup, ::testing::ValuesIn(rows()),
                         [](const auto& info) { return "row" + std::to_string(info.index); });

TEST(IsoTime, ReadsTheStoresTimestampsAsUnixSeconds) {
  EXPECT_EQ(unix_seconds_from_iso("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(unix_seconds_from_iso("2026-11-30T21:26:24.123Z"), 1'796'073'984);
  EXPECT_EQ(unix_seconds_from_iso("2026-11-30T21:26:24"), 1'796'073'984);
  for (const char* bad : {"", "2026-11-30", "2026-11-30 21:26:24Z", "2026-11-30T25:00:00Z",
                          "2026-11-30T21:26:24.Z", "2026-11-30T21:26:24+03:00"}) {
    EXPECT_FALSE(unix_seconds_from_iso(bad)) << bad;
  }
}

TEST(KnownUsers, AreThePlatformAccountsOfThisSchoolsAppliedChats) {
  const auto member = [](std::string id, std::optional<PlatformUserId> uid) {
    AppliedMember m;
    m.person_id = std::move(id);
    m.platform_user_id = uid;
    return m;
  };
  AppliedState applied;
  AppliedChat a;
  a.members = {member("p1", 7), member("p2", std::nullopt), member("uid:11", 11)};
  a.members.back().origin = MemberOrigin::observed;
  AppliedChat b;
  b.members = {member("p1", 7), member("p3", 8)};
  applied.chats = {a, b};
  EXPECT_EQ(known_platform_users(applied), (std::set<PlatformUserId>{7, 8, 11}));
}

}  // namespace
}  // namespace rosterd::mapping
