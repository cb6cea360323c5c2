// Adoption of the chats a school already has: a table of what the organisation's listing holds
// and what rosterd may do with it, the expected outcome of each row written from the rules in
// mapping/adoption.h by hand.
#include "mapping/message.h"
#include "mapping/adoption.h"

#include <gtest/gtest.h>

#include <deque>

namespace rosterd::mapping {
namespace {

constexpr PlatformUserId kSelf = 1000;   // the token's own user
constexpr PlatformUserId kTeacher = 77;  // a teacher who makes chats by hand
constexpr PlatformUserId kLeader = 900;  // 5А's class teacher

// Person ids live as long as the test program: DesiredMember views them.
std::string_view id(const std::string& s) {
  static std::deque<std::string> ids;
  return ids.emplace_back(s);
}

DesiredMember member_of(const std::string& person, std::optional<PlatformUserId> uid,
                        MemberRole role = MemberRole::member) {
  DesiredMember m;
  m.person_id = id(person);
  m.platform_user_id = uid;
  m.role = role;
  return m;
}

// Ten people of a chat with platform ids from..from+9: "<prefix>1".."<prefix>10".
std::vector<DesiredMember> people(const std::string& prefix, PlatformUserId from) {
  std::vector<DesiredMember> out;
  for (PlatformUserId i = 0; i < 10; ++i)
    out.push_back(member_of(prefix + std::to_string(i + 1), from + i));
  return out;
}

DesiredChat chat(std::string key, ChatKind kind, std::string group_id, std::string group_name,
                 std::string title, std::vector<DesiredMember> members) {
  DesiredChat c;
  c.key = std::move(key);
  c.kind = kind;
  c.group_id = std::move(group_id);
  c.group_name = std::move(group_name);
  c.title = std::move(title);
  c.members = std::move(members);
  return c;
}

// Students of 5А are 101..110, their parents 201..210, students of 5Б 121..130, the parents
// of the kindergarten group Ёлочка 301..310, the staff 401..410 and 5А's class teacher.
std::vector<DesiredMember> with_leader(std::vector<DesiredMember> members) {
  members.push_back(member_of("t1", kLeader, MemberRole::admin));
  return members;
}

DesiredState school() {
  DesiredState d;
  d.org_id = "org1";
  d.chats = {
      chat("class:g1", ChatKind::class_chat, "g1", "5А", "5А · Школа 1",
           with_leader(people("a", 101))),
      chat("class:g2", ChatKind::class_chat, "g2", "5Б", "5Б · Школа 1", people("b", 121)),
      chat("parents:g1", ChatKind::parents, "g1", "5А", "5А · родители · Школа 1",
           with_leader(people("pa", 201))),
      chat("parents:g3", ChatKind::parents, "g3", "Ёлочка", "Ёлочка · родители · Школа 1",
           people("pe", 301)),
      chat("staff:org1", ChatKind::staff, "org1", "Школа 1", "Педагоги · Школа 1",
           with_leader(people("s", 401))),
  };
  return d;
}

std::vector<PlatformUserId> range(PlatformUserId from, PlatformUserId to) {
  std::vector<PlatformUserId> out;
  for (auto u = from; u <= to; ++u) out.push_back(u);
  return out;
}
std::vector<PlatformUserId> operator+(std::vector<PlatformUserId> a,
                                      const std::vector<PlatformUserId>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const auto kClass5A = range(101, 110) + std::vector<PlatformUserId>{kLeader, kSelf};
const auto kParents5A = range(201, 210) + std::vector<PlatformUserId>{kLeader};
const auto kClass5B = range(121, 130);

struct Chat {
  ChatId id = 0;
  std::string title;
  PlatformUserId by = 0;  // 0: made by the platform
  std::vector<PlatformUserId> members;
  bool archived = false;
  bool read = true;   // its members were read
  bool gone = false;  // read as gone (927) after the listing
};

struct Row {
  const char* name;
  std::vector<Chat> listing;
  std::map<std::string, ChatId> adopted;                    // key → chat
  std::map<std::string, std::vector<std::string>> unclear;  // key → the finding's subject ids
  std::set<ChatId> bound = {};
  std::map<std::string, ChatId> bindings = {};
  std::vector<std::string> applied = {};  // keys that already have a chat (chat 5)
};

void PrintTo(const Row& row, std::ostream* os) {
  *os << row.name;
}

const std::vector<Row>& rows() {
  static const std::vector<Row> r = {
      {"the platform's own chat naming 5А is adopted",
       {{12, "5А класс", 0, kClass5A}},
       {{"class:g1", 12}},
       {}},
      {"a teacher's chat with the configured title is adopted",
       {{13, "5а  ·  ШКОЛА 1", kTeacher, range(101, 110)}},
       {{"class:g1", 13}},
       {}},
      {"two platform chats naming 5А: unclear",
       {{12, "5А класс", 0, kClass5A}, {14, "Класс 5-А", 0, kClass5A}},
       {},
       {{"class:g1", {"class:g1", "12", "14"}}}},
      {"two chats with the configured title: unclear",
       {{13, "5А · Школа 1", 0, kClass5A}, {14, "5А Школа 1", kTeacher, kClass5A}},
       {},
       {{"class:g1", {"class:g1", "13", "14"}}}},
      {"a platform chat naming 5А with 3 of its 11 people: unclear",
       {{12, "5А класс", 0, {101, 102, kLeader}}},
       {},
       {{"class:g1", {"class:g1", "12"}}}},
      {"the configured title with 5 of 11 people: unclear",
       {{13, "5А · Школа 1", 0, range(101, 105)}},
       {},
       {{"class:g1", {"class:g1", "13"}}}},
      {"the configured title with 6 of 11 people: adopted",
       {{13, "5А · Школа 1", 0, range(101, 106)}},
       {{"class:g1", 13}},
       {}},
      {"a teacher's «5А математика» with all of 5А: unclear, never adopted",
       {{15, "5А математика", kTeacher, kClass5A}},
       {},
       {{"class:g1", {"class:g1", "15"}}}},
      {"a teacher's «5А математика» beside the platform's chat: the platform's is adopted",
       {{15, "5А математика", kTeacher, kClass5A}, {12, "5А класс", 0, kClass5A}},
       {{"class:g1", 12}},
       {}},
      {"a teacher's «Кружок шахмат» matching nothing is untouched",
       {{18, "Кружок шахмат", kTeacher, {101, 102, 125}}},
       {},
       {}},
      {"a teacher's subject chat holding all of 5А: unclear",
       {{17, "Математика", kTeacher, kClass5A}},
       {},
       {{"class:g1", {"class:g1", "17"}}}},
      {"a subject chat beside the platform's chat: the platform's is adopted",
       {{17, "Математика", kTeacher, kClass5A}, {12, "5А класс", 0, kClass5A}},
       {{"class:g1", 12}},
       {}},
      {"the class and the parents' chat of one class each adopted",
       {{16, "Родители 5А класса", 0, kParents5A}, {12, "5А класс", 0, kClass5A}},
       {{"class:g1", 12}, {"parents:g1", 16}},
       {}},
      {"a parents' chat holding the class: unclear for the class chat",
       {{16, "Родители 5А", 0, kClass5A}},
       {},
       {{"class:g1", {"class:g1", "16"}}, {"parents:g1", {"parents:g1", "16"}}}},
      {"a chat bound by another school is never a candidate",
       {{12, "5А · Школа 1", 0, kClass5A}},
       {},
       {},
       {12}},
      {"an archived chat is never a candidate", {{12, "5А · Школа 1", 0, kClass5A, true}}, {}, {}},
      {"a chat gone since the listing is never a candidate",
       {{12, "5А · Школа 1", 0, kClass5A, false, true, true}},
       {},
       {}},
      {"a key with an applied chat is left alone",
       {{12, "5А класс", 0, kClass5A}},
       {},
       {},
       {},
       {},
       {"class:g1"}},
      {"a config binding wins over a clear match",
       {{12, "5А класс", 0, kClass5A}, {30, "Наш чат", kTeacher, {101}}},
       {{"class:g1", 30}},
       {},
       {},
       {{"class:g1", 30}}},
      {"a binding to a chat not listed: unclear, nothing adopted",
       {{12, "5А класс", 0, kClass5A}},
       {},
       {{"class:g1", {"class:g1", "99"}}},
       {},
       {{"class:g1", 99}}},
      {"a binding to an archived chat: unclear",
       {{30, "Наш чат", kTeacher, {101}, true}},
       {},
       {{"class:g1", {"class:g1", "30"}}},
       {},
       {{"class:g1", 30}}},
      {"a binding to a chat another school is bound to: unclear",
       {{30, "Наш чат", kTeacher, {101}}},
       {},
       {{"class:g1", {"class:g1", "30"}}},
       {30},
       {{"class:g1", 30}}},
      {"two keys bound to one chat: unclear for both",
       {{30, "Наш чат", kTeacher, {101}}},
       {},
       {{"class:g1", {"class:g1", "30"}}, {"class:g2", {"class:g2", "30"}}},
       {},
       {{"class:g1", 30}, {"class:g2", 30}}},
      {"one chat the clear match of two classes: unclear for both",
       {{40, "5А и 5Б", 0, kClass5A + kClass5B}},
       {},
       {{"class:g1", {"class:g1", "40"}}, {"class:g2", {"class:g2", "40"}}}},
      {"a chat adopted by one class leaves the other its own",
       {{51, "5А/5Б", 0, kClass5A, false, false}, {52, "5Б", 0, kClass5B, false, false}},
       {{"class:g1", 51}, {"class:g2", 52}},
       {}},
      {"normalised titles: ё, case and «5 А»",
       {{12, "«5 а» КЛАСС", 0, kClass5A}, {16, "РОДИТЕЛЬСКИЙ чат 5-А", 0, kParents5A}},
       {{"class:g1", 12}, {"parents:g1", 16}},
       {}},
      {"ё read as е: «Елочка родители» names Ёлочка",
       {{19, "Елочка родители", 0, range(301, 310)}},
       {{"parents:g3", 19}},
       {}},
      {"ё read as е in the configured title",
       {{20, "ЕЛОЧКА — родители — школа 1", kTeacher, range(301, 310)}},
       {{"parents:g3", 20}},
       {}},
      {"the staff chat is named by a staff word",
       {{60, "Учительская", 0, range(401, 410)}},
       {{"staff:org1", 60}},
       {}},
      {"a teacher's staff chat: unclear",
       {{61, "Наши педагоги", kTeacher, range(401, 410)}},
       {},
       {{"staff:org1", {"staff:org1", "61"}}}},
      {"a class chat may name its teacher",
       {{12, "Чат 5А класса с учителем", 0, kClass5A}},
       {{"class:g1", 12}},
       {}},
      {"a teacher's «Учителя 5А» is no staff chat",
       {{62, "Учителя 5А", kTeacher, {kLeader}}},
       {},
       {{"class:g1", {"class:g1", "62"}}}},
      {"a Latin «5A» typed for «5А»", {{12, "5A class", 0, kClass5A}}, {{"class:g1", 12}}, {}},
      {"«15А» and «5Б класс» do not name 5А",
       {{12, "15А", 0, range(101, 103)}, {14, "5Б класс", 0, kClass5B}},
       {{"class:g2", 14}},
       {}},
  };
  return r;
}

class Adoption : public ::testing::TestWithParam<Row> {};

TEST_P(Adoption, AdoptsOnlyTheChatThatClearlyServesAGroup) {
  const Row& row = GetParam();
  const DesiredState desired = school();
  AppliedState applied;
  for (const auto& key : row.applied) {
    AppliedChat c;
    c.key = key;
    c.chat_id = 5;
    applied.chats.push_back(c);
  }
  std::vector<PlatformChat> listing;
  std::vector<ChatMembers> members;
  for (const auto& c : row.listing) {
    listing.push_back(
        {c.id, c.title, c.archived, c.by, 0, static_cast<std::uint32_t>(c.members.size())});
    if (!c.read) continue;
    ChatMembers m{c.id, !c.gone, {}};
    for (const auto uid : c.members) m.members.push_back({.user_id = uid});
    members.push_back(m);
  }
  const auto got = adopt({desired, applied, listing, members, row.bound, kSelf, row.bindings});

  std::map<std::string, ChatId> adopted;
  for (const auto& a : got.actions) {
    EXPECT_EQ(a.type, ActionType::adopt_chat);
    ASSERT_TRUE(a.chat_id);
    adopted[a.chat_key] = *a.chat_id;
  }
  EXPECT_EQ(adopted, row.adopted);
  ASSERT_EQ(got.adopted.size(), got.actions.size());
  for (std::size_t i = 0; i < got.adopted.size(); ++i) {
    EXPECT_EQ(got.adopted[i].key, got.actions[i].chat_key);
    EXPECT_EQ(got.adopted[i].chat_id, got.actions[i].chat_id);
  }
  std::map<std::string, std::vector<std::string>> unclear;
  for (const auto& f : got.findings) {
    EXPECT_EQ(f.code, FindingCode::adoption_unclear);
    ASSERT_FALSE(f.subject_ids.empty());
    unclear[f.subject_ids.front()] = f.subject_ids;
  }
  EXPECT_EQ(unclear, row.unclear);
  std::set<std::string> undecided;
  for (const auto& [key, ids] : row.unclear) undecided.insert(key);
  EXPECT_EQ(got.undecided, undecided);
}

INSTANTIATE_TEST_SUITE_P(Table, Adoption, ::testing::ValuesIn(rows()),
                         [](const auto& row) { return "row" + std::to_string(row.index); });

// 7В: two students with accounts, one without, the class teacher, and the school's platform
// administrator standing in, who is the token's own user.
DesiredState seventh_grade() {
  DesiredState d;
  d.org_id = "org1";
  d.chats = {chat(
      "class:g7", ChatKind::class_chat, "g7", "7В", "7В · Школа 1",
      {member_of("x1", 301), member_of("x2", 302), member_of("x3", std::nullopt),
       member_of("t7", 907, MemberRole::admin), member_of("admin", kSelf, MemberRole::admin)})};
  return d;
}

TEST(Adoption, TakesTheChatsMembersAsTheyAreNamingThoseTheJournalKnows) {
  const auto desired = seventh_grade();
  const AppliedState applied;
  const std::vector<PlatformChat> listing = {{12, "7В класс", false, 0, 0, 7}};
  const std::vector<ChatMembers> members = {
      {12,
       true,
       {{.user_id = kSelf, .is_admin = true, .is_owner = true},
        {.user_id = 556},
        {.user_id = 301, .is_admin = true},
        {.user_id = 555, .joined_by_link = true},
        {.user_id = 907, .is_admin = true},
        {.user_id = 302},
        {.user_id = 301, .is_admin = true}}}};
  const std::set<ChatId> bound;
  const std::map<std::string, ChatId> bindings;
  const auto got = adopt({desired, applied, listing, members, bound, kSelf, bindings});

  ASSERT_EQ(got.actions.size(), 1U);
  const Action& a = got.actions.front();
  EXPECT_EQ(a.type, ActionType::adopt_chat);
  EXPECT_EQ(a.chat_key, "class:g7");
  EXPECT_EQ(a.chat_kind, ChatKind::class_chat);
  EXPECT_EQ(a.group_id, "g7");
  EXPECT_EQ(a.title, "7В класс");
  EXPECT_EQ(a.chat_id, 12);
  // Expected with an account: 301, 302, 907 (the token's own user is not counted).
  EXPECT_EQ(english(a.reason),
            "existing chat «7В класс» (chat 12, made by the platform): title names 7В, 3 of 3 "
            "expected members are in it");

  const auto member = [](std::string person, PlatformUserId uid, MemberRole role,
                         MemberOrigin origin) {
    AppliedMember m;
    m.person_id = std::move(person);
    m.platform_user_id = uid;
    m.role = role;
    m.origin = origin;
    return m;
  };
  AppliedChat want;
  want.key = "class:g7";
  want.kind = ChatKind::class_chat;
  want.group_id = "g7";
  want.chat_id = 12;
  want.title = "7В класс";
  want.managed = true;
  want.members = {member("t7", 907, MemberRole::admin, MemberOrigin::ours),
                  member("uid:555", 555, MemberRole::member, MemberOrigin::joined),
                  member("uid:556", 556, MemberRole::member, MemberOrigin::observed),
                  member("x1", 301, MemberRole::admin, MemberOrigin::ours),
                  member("x2", 302, MemberRole::member, MemberOrigin::ours)};
  want.members_seen = 5;
  ASSERT_EQ(got.adopted.size(), 1U);
  EXPECT_EQ(got.adopted.front(), want);
  EXPECT_TRUE(got.findings.empty());
  EXPECT_TRUE(got.undecided.empty());
}

TEST(Adoption, AChatBoundInTheConfigSaysSoInItsReason) {
  const auto desired = seventh_grade();
  const AppliedState applied;
  const std::vector<PlatformChat> listing = {{30, "Наш чат", false, kTeacher, 0, 1}};
  const std::vector<ChatMembers> members = {{30, true, {{.user_id = 301}}}};
  const std::set<ChatId> bound;
  const std::map<std::string, ChatId> bindings = {{"class:g7", 30}};
  const auto got = adopt({desired, applied, listing, members, bound, kSelf, bindings});
  ASSERT_EQ(got.actions.size(), 1U);
  EXPECT_EQ(english(got.actions.front().reason), "bound in the config to chat 30 «Наш чат»");
  ASSERT_EQ(got.adopted.size(), 1U);
  EXPECT_EQ(got.adopted.front().members_seen, 1U);
}

TEST(Adoption, LeavesAChatThatLastYearsChatCarriesOverToTheRebind) {
  DesiredState desired = seventh_grade();
  desired.chats.front().previous_key = "class:g6";  // last year's 6В
  AppliedState applied;
  AppliedChat last_year;
  last_year.key = "class:g6";
  last_year.chat_id = 8;
  applied.chats.push_back(last_year);
  const std::vector<PlatformChat> listing = {{12, "7В класс", false, 0, 0, 3}};
  const std::vector<ChatMembers> members = {{12, true, {{.user_id = 301}, {.user_id = 302}}}};
  const std::set<ChatId> bound = {8};
  const std::map<std::string, ChatId> bindings;
  const auto got = adopt({desired, applied, listing, members, bound, kSelf, bindings});
  EXPECT_TRUE(got.actions.empty());
  EXPECT_TRUE(got.findings.empty());
  EXPECT_TRUE(adoption_candidates(desired, applied, listing, bound).empty());
  // Without last year's chat, 7В's platform chat is adopted.
  applied.chats.clear();
  EXPECT_EQ(adopt({desired, applied, listing, members, bound, kSelf, bindings}).actions.size(), 1U);
}

TEST(Adoption, ABindingThatCannotBeTakenSaysWhy) {
  const auto desired = seventh_grade();
  const AppliedState applied;
  const std::vector<PlatformChat> listing = {{30, "Наш чат", true, kTeacher, 0, 1}};
  const std::set<ChatId> bound;
  const std::map<std::string, ChatId> bindings = {{"class:g7", 30}};
  const auto got = adopt({desired, applied, listing, {}, bound, kSelf, bindings});
  ASSERT_EQ(got.findings.size(), 1U);
  const std::string m = english(got.findings.front().message);
  EXPECT_NE(m.find("«7В · Школа 1» (class:g7) is bound in the config to chat 30 «Наш чат», "
                   "which is archived"),
            std::string::npos)
      << m;
}

TEST(Adoption, AnUnclearFindingNamesTheCandidatesAndWhatToDoButNoContact) {
  const DesiredState desired = school();
  const AppliedState applied;
  const std::vector<PlatformChat> listing = {
      {15, "5А математика +7 999 123-45-67", false, kTeacher, 0, 11},
      {16, "5А\nродители  ivanova@mail.example.ru", false, kTeacher, 0, 11}};
  std::vector<ChatMembers> members = {{15, true, {}}, {16, true, {}}};
  for (const auto uid : kClass5A) members[0].members.push_back({.user_id = uid});
  const std::set<ChatId> bound;
  const std::map<std::string, ChatId> bindings;
  const auto got = adopt({desired, applied, listing, members, bound, kSelf, bindings});
  ASSERT_EQ(got.findings.size(), 2U);  // class:g1 and parents:g1
  const std::string m = english(got.findings.front().message);
  EXPECT_EQ(got.findings.front().subject_ids, (std::vector<std::string>{"class:g1", "15"}));
  for (const char* part :
       {"«5А · Школа 1» (class:g1)", "«5А математика <contact>» (chat 15, made by user 77)",
        "title names 5А", "11 of 11 expected members are in it",
        "rosterd adopt --school org1 --key class:g1 --chat-id N",
        "rosterd approve --school org1"}) {
    EXPECT_NE(m.find(part), std::string::npos) << part << " in " << m;
  }
  const std::string p = english(got.findings.back().message);
  EXPECT_EQ(got.findings.back().subject_ids, (std::vector<std::string>{"parents:g1", "16"}));
  EXPECT_NE(p.find("«5А\\nродители  <contact>» (chat 16"), std::string::npos) << p;
  for (const auto& f : got.findings) {
    EXPECT_EQ(english(f.message).find("999"), std::string::npos) << english(f.message);
    EXPECT_EQ(english(f.message).find("ivanova"), std::string::npos) << english(f.message);
  }
}

TEST(AdoptionCandidates, AreTheLiveUnboundChatsThatCouldServeAWantedChat) {
  const DesiredState desired = school();
  const std::vector<PlatformChat> listing = {{12, "5А класс", false, 0, 0, 11},
                                             {15, "5А математика", false, kTeacher, 0, 11},
                                             {16, "Родители 5А", false, 0, 0, 11},
                                             {18, "Кружок шахмат", false, kTeacher, 0, 3},
                                             {19, "5А класс", true, 0, 0, 11},
                                             {20, "5А класс", false, 0, 0, 11},
                                             {30, "Наш чат", false, kTeacher, 0, 2},
                                             {31, "Ещё чат", false, kTeacher, 0, 2},
                                             {32, "5А · Школа 1", false, kTeacher, 0, 2},
                                             {33, "Елочка", false, 0, 0, 2}};
  const std::set<ChatId> bound = {20};
  const std::map<std::string, ChatId> bindings = {{"class:g2", 30}, {"class:g9", 31}};
  EXPECT_EQ(adoption_candidates(desired, {}, listing, bound, bindings),
            (std::vector<ChatId>{12, 15, 16, 30, 32, 33}));

  AppliedState applied;
  for (const auto& c : desired.chats) {
    AppliedChat a;
    a.key = c.key;
    a.chat_id = 5;
    applied.chats.push_back(a);
  }
  EXPECT_TRUE(adoption_candidates(desired, applied, listing, bound, bindings).empty());
  // A chat applied to one of this school's keys is never a candidate for another.
  applied.chats.erase(applied.chats.begin());  // class:g1 has no chat now
  applied.chats.front().chat_id = 12;
  EXPECT_EQ(adoption_candidates(desired, applied, listing, bound, bindings),
            (std::vector<ChatId>{15, 16, 32}));
}

}  // namespace
}  // namespace rosterd::mapping
