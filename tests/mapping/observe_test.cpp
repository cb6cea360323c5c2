// Observed state: what a read of the platform shows is folded into the applied state, and the
// plan answers each kind of drift by what happened. Expected plans are written out by hand from
// the rules in docs/observed-state.md.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "mapping/message.h"
#include "builders.h"
#include "mapping/observe.h"
#include "mapping/school_plan.h"

namespace rosterd::mapping {
namespace {

using namespace testing;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Field;
using ::testing::PrintToString;

const Date kDay0 = D("2026-11-02");
const Date kDay1 = kDay0.plus_days(1);
constexpr PlatformUserId kSelf = 7000;
constexpr std::int64_t kAt = 1'790'000'000;

// The platform as a person sees it: chats by id, members (user → admin), titles.
struct FakeChat {
  std::string title;
  bool archived = false;
  std::map<PlatformUserId, bool> members;
  std::map<PlatformUserId, std::pair<std::string, std::string>> joined;  // by link: names
};
using World = std::map<ChatId, FakeChat>;

// A school synced on day 0, its chats numbered 1, 2, 3 by key, and the platform holding
// exactly that (rosterd's own user as each chat's owner).
struct Synced {
  RosterBuilder school = small_school();
  AppliedState applied;
  World world;
  std::map<std::string, ChatId> ids;
};

Synced synced_school(RosterBuilder school = small_school()) {
  Synced s{school, synced(school.build(), kDay0), {}, {}};
  ChatId next = 1;
  for (auto& c : s.applied.chats) {
    c.chat_id = next++;
    s.ids[c.key] = *c.chat_id;
    FakeChat& f = s.world[*c.chat_id];
    f.title = c.title;
    f.members[kSelf] = true;
    for (const auto& m : c.members) f.members[*m.platform_user_id] = m.role == MemberRole::admin;
    c.members_seen = static_cast<std::uint32_t>(f.members.size());
    c.observed_at = kAt - 10;
  }
  return s;
}

std::vector<PlatformChat> listing(const World& world) {
  std::vector<PlatformChat> out;
  for (const auto& [id, c] : world) {
    out.push_back({id, c.title, c.archived, kSelf, 0, static_cast<std::uint32_t>(c.members.size())});
  }
  return out;
}

Observation look(const World& world, const std::vector<ChatId>& read) {
  Observation o;
  o.at = kAt;
  o.self = kSelf;
  o.listing = listing(world);
  for (const ChatId id : read) {
    const auto it = world.find(id);
    ChatMembers r{id, it != world.end(), {}};
    if (it != world.end()) {
      for (const auto& [uid, admin] : it->second.members) {
        PlatformMember m{uid, admin, uid == kSelf};
        if (const auto j = it->second.joined.find(uid); j != it->second.joined.end()) {
          m.joined_by_link = true;
          m.first_name = j->second.first;
          m.last_name = j->second.second;
        }
        r.members.push_back(m);
      }
    }
    o.read.push_back(std::move(r));
  }
  return o;
}

// One cycle's look: the chats due, observed, then the plan as plan_school makes it.
SchoolPlanning cycle(Synced& s, Date today, const Policy& policy = {},
                     std::set<std::string> approved = {}) {
  const auto list = listing(s.world);
  const auto due = chats_to_read(s.applied, list, kAt, 86'400, true);
  const Observation o = look(s.world, due);
  observe(s.applied, o, today);
  const std::set<ChatId> bound;
  const std::map<std::string, ChatId> bindings;
  const PlatformView view{o.listing, o.read, bound, kSelf, bindings};
  const Rules rules = test_rules();
  Limits limits;  // a small school: no removal is held for its share
  limits.max_removal_share = 1.0;
  return plan_school({"org1", rules, policy, limits}, s.school.build(), s.applied,
                     std::move(approved), today, &view);
}

bool has_finding(const Plan& plan, FindingCode code) {
  return std::ranges::any_of(plan.findings, [&](const Finding& f) { return f.code == code; });
}

TEST(Observe, ChangesNothingWhenThePlatformHoldsWhatRosterdApplied) {
  Synced s = synced_school();
  const AppliedState before = s.applied;
  const auto planned = cycle(s, kDay1);
  EXPECT_TRUE(planned.plan.actions.empty()) << PrintToString(writes(planned.plan));
  for (std::size_t i = 0; i < before.chats.size(); ++i) {
    EXPECT_EQ(s.applied.chats[i].members, before.chats[i].members) << before.chats[i].key;
  }
}

TEST(Observe, AddsBackAMemberSomebodyRemovedSayingWhen) {
  Synced s = synced_school();
  s.world[s.ids["class:g5a"]].members.erase(1001);  // a teacher removed s1 by hand
  const auto planned = cycle(s, kDay1);
  EXPECT_THAT(writes(planned.plan), ElementsAre("add_member class:g5a s1"));
  EXPECT_THAT(english(planned.plan.actions[0].reason),
              AllOf(HasSubstr("removed on the platform on 2026-11-03"), HasSubstr("added back")));
}

TEST(Observe, OnlyReportsARemovedMemberUnderTheReportPolicy) {
  Synced s = synced_school();
  s.world[s.ids["class:g5a"]].members.erase(1001);
  Policy report;
  report.restore_removed = false;
  const auto planned = cycle(s, kDay1, report);
  EXPECT_THAT(writes(planned.plan), IsEmpty());
  EXPECT_TRUE(has_finding(planned.plan, FindingCode::removed_by_hand));
}

TEST(Observe, RemovedLeaderIsAddedBackAndPromoted) {
  Synced s = synced_school();
  s.world[s.ids["class:g5a"]].members.erase(9001);
  const auto planned = cycle(s, kDay1);
  EXPECT_THAT(writes(planned.plan),
              ElementsAre("add_member class:g5a t1", "set_admin class:g5a t1"));
}

TEST(Observe, DoesNotForceBackSomebodyWhoLeftButOffersTheLink) {
  Synced s = synced_school();
  s.world[s.ids["parents:g5a"]].members.erase(2001);
  auto planned = cycle(s, kDay1);
  ASSERT_THAT(writes(planned.plan), ElementsAre("add_member parents:g5a m1"));
  // The platform refuses: m1 left by themselves (15).
  EXPECT_TRUE(apply_refusal(s.applied, planned.plan.actions[0], 15, kDay1));
  planned = cycle(s, kDay1.plus_days(1));
  EXPECT_THAT(writes(planned.plan), ElementsAre("issue_invite parents:g5a member"));
  EXPECT_TRUE(has_finding(planned.plan, FindingCode::left_chat));
  ASSERT_EQ(planned.plan.invites.size(), 1U);
  EXPECT_THAT(std::vector<std::string_view>(planned.plan.invites[0].person_ids.begin(),
                                            planned.plan.invites[0].person_ids.end()),
              ElementsAre("m1"));
}

TEST(Observe, PromotesAgainALeaderDemotedByHand) {
  Synced s = synced_school();
  s.world[s.ids["class:g5a"]].members[9001] = false;
  const auto planned = cycle(s, kDay1);
  ASSERT_THAT(writes(planned.plan), ElementsAre("set_admin class:g5a t1"));
  EXPECT_THAT(english(planned.plan.actions[0].reason), HasSubstr("demoted on the platform; promoted again"));
}

TEST(Observe, RestoresATitleChangedByHand) {
  Synced s = synced_school();
  s.world[s.ids["class:g5a"]].title = "Наш класс";
  const auto planned = cycle(s, kDay1);
  ASSERT_THAT(writes(planned.plan), ElementsAre("rename_chat class:g5a"));
  EXPECT_EQ(planned.plan.actions[0].title, "5А · Школа 1");
  EXPECT_THAT(english(planned.plan.actions[0].reason),
              HasSubstr("renamed on the platform to «Наш класс»; title restored"));
}

TEST(Observe, NeverRecreatesAChatDeletedOrArchivedByHandUnlessApproved) {
  for (const bool deleted : {true, false}) {
    Synced s = synced_school();
    const ChatId id = s.ids["class:g5a"];
    if (deleted) {
      s.world.erase(id);
    } else {
      s.world[id].archived = true;
    }
    auto planned = cycle(s, kDay1);
    EXPECT_THAT(writes(planned.plan), ElementsAre("create_chat class:g5a HELD")) << deleted;
    EXPECT_TRUE(has_finding(planned.plan, deleted ? FindingCode::chat_deleted
                                                  : FindingCode::chat_archived_by_hand));
    const std::set<std::string> approved{action_id(planned.plan.actions[0])};
    planned = cycle(s, kDay1, {}, approved);
    EXPECT_THAT(writes(planned.plan), ElementsAre("create_chat class:g5a")) << deleted;
  }
}

TEST(Observe, KeepsAndReportsAPersonAddedByHandAndRemovesThemUnderStrict) {
  Synced s = synced_school();
  s.world[s.ids["class:g5a"]].members[5555] = false;
  auto planned = cycle(s, kDay1);
  EXPECT_THAT(writes(planned.plan), IsEmpty());
  EXPECT_TRUE(has_finding(planned.plan, FindingCode::added_by_hand));
  Policy strict;
  strict.strict = true;
  planned = cycle(s, kDay1, strict);
  EXPECT_THAT(writes(planned.plan), ElementsAre("remove_member class:g5a uid:5555"));
}

TEST(Observe, NeverCountsRosterdsOwnUserAsAMember) {
  Synced s = synced_school();
  cycle(s, kDay1);
  for (const auto& c : s.applied.chats) {
    for (const auto& m : c.members) EXPECT_NE(m.platform_user_id, kSelf) << c.key;
  }
}

TEST(Observe, ForgetsSomebodyGoneFromTheChatWhomTheJournalNoLongerWants) {
  Synced s = synced_school();
  s.world[s.ids["class:g5a"]].members.erase(1002);
  cycle(s, kDay1);  // seen removed
  s.school.remove_person("s2");
  const auto planned = cycle(s, kDay1.plus_days(1));
  EXPECT_THAT(writes(planned.plan), Not(Contains("remove_member class:g5a s2")));
  EXPECT_THAT(planned.plan.state_changes,
              Contains(Field(&StateChange::type, StateChangeType::forget_member)));
}

TEST(Observe, RecognisesALinkJoinerByNameSoTheJournalLinkingThemAddsNobodyTwice) {
  RosterBuilder school = small_school();
  school.parent("m3", "s2", std::nullopt);  // no platform account in the journal yet
  Synced s = synced_school(school);
  auto planned = cycle(s, kDay1);
  ASSERT_EQ(planned.plan.invites.size(), 1U);
  EXPECT_THAT(std::vector<std::string_view>(planned.plan.invites[0].person_ids.begin(),
                                            planned.plan.invites[0].person_ids.end()),
              ElementsAre("m3"));
  // m3 follows the link as user 3003, with the name the journal has.
  auto& chat = s.world[s.ids["parents:g5a"]];
  chat.members[3003] = false;
  chat.joined[3003] = {"Имя", "Фамилия-m3"};
  planned = cycle(s, kDay1);
  EXPECT_THAT(writes(planned.plan), Not(Contains("add_member parents:g5a m3")));
  EXPECT_THAT(planned.plan.invites, IsEmpty());
  // The journal now links m3's account: nothing to add, nobody twice.
  s.applied = planned.applied;
  s.school.person_ref("m3").platform_user_id = 3003;
  planned = cycle(s, kDay1);
  EXPECT_THAT(writes(planned.plan), Not(Contains("add_member parents:g5a m3")));
  EXPECT_FALSE(has_finding(planned.plan, FindingCode::unrecognised_joiner));
}

TEST(Observe, KeepsAndReportsALinkJoinerItCannotName) {
  Synced s = synced_school();
  auto& chat = s.world[s.ids["parents:g5a"]];
  chat.members[3004] = false;
  chat.joined[3004] = {"Кто-то", "Другой"};
  Policy strict;
  strict.strict = true;
  const auto planned = cycle(s, kDay1, strict);
  EXPECT_THAT(writes(planned.plan), IsEmpty());
  EXPECT_TRUE(has_finding(planned.plan, FindingCode::unrecognised_joiner));
}

TEST(Observe, ReadsTheChatsDueTheOnesWhoseCountMovedAndAllOnAnAudit) {
  Synced s = synced_school();
  const auto list = listing(s.world);
  EXPECT_THAT(chats_to_read(s.applied, list, kAt, 86'400, false), IsEmpty());
  EXPECT_EQ(chats_to_read(s.applied, list, kAt, 86'400, true).size(), 3U);
  EXPECT_EQ(chats_to_read(s.applied, list, kAt + 86'400, 86'400, false).size(), 3U);
  s.world[s.ids["staff:org1"]].members[4444] = false;  // somebody joined: the count moved
  EXPECT_THAT(chats_to_read(s.applied, listing(s.world), kAt, 86'400, false),
              ElementsAre(s.ids["staff:org1"]));
}

TEST(Observe, ReadsAChatBeforeRemovingAnybodyInIt) {
  Synced s = synced_school();
  s.school.remove_person("s2");
  const Plan plan = plan_for(s.school.build(), s.applied, kDay1.plus_days(10));
  // s2 is missing: the grace period starts; ten days later the removal is due.
  AppliedState later = assume_applied(s.applied, plan);
  const Plan removal = plan_for(s.school.build(), later, kDay1.plus_days(20));
  ASSERT_THAT(writes(removal), Contains("remove_member class:g5a s2"));
  // s2 leaves the class chat, and their parent m2 the parents' chat.
  EXPECT_THAT(chats_to_read_before_removals(removal, later, kAt + 1),
              ElementsAre(s.ids["class:g5a"], s.ids["parents:g5a"]));
  EXPECT_THAT(chats_to_read_before_removals(removal, later, kAt - 10), IsEmpty());
}

TEST(Observe, CountsExpectedPeopleInTheirChatsAndActiveChats) {
  Synced s = synced_school();
  s.world[s.ids["class:g5a"]].members.erase(1001);
  const auto planned = cycle(s, kDay1);
  // class: s1, s2, t1 expected, s1 out; 3 on the platform (self, s2, t1): not active.
  // parents: m1, m2, t1, all in (4 with self): active. staff: dir, t1 in (3): not active.
  const SchoolNumbers& n = planned.numbers;
  EXPECT_EQ(n.managed_chats, 3U);
  EXPECT_EQ(n.active_chats, 1U);
  EXPECT_EQ(n.expected, 8U);
  EXPECT_EQ(n.expected_in, 7U);
  ASSERT_EQ(n.chats.size(), 3U);
  EXPECT_EQ(n.chats[0], (ChatNumbers{"class:g5a", 3, 3, 2, 1, false}));
}

// The weekly monitoring's figures, counted by hand from small_school: class 5А (s1, s2; t1 its
// class teacher), parents m1, m2, staff dir and t1.
TEST(Observe, CountsEachKindsPeopleInTheirChatsAndTheClassesCovered) {
  Synced s = synced_school();
  s.world[s.ids["class:g5a"]].members.erase(1001);  // s1 removed by hand
  const auto planned = cycle(s, kDay1);
  const SchoolNumbers& n = planned.numbers;
  EXPECT_EQ(n.day, kDay1);
  EXPECT_EQ(n.name, s.school.build().org.name);
  EXPECT_EQ(n.kind(ChatKind::class_chat), (KindNumbers{1, 0, 2, 1}));  // t1 is no student
  EXPECT_EQ(n.kind(ChatKind::parents), (KindNumbers{1, 1, 2, 2}));
  EXPECT_EQ(n.kind(ChatKind::staff), (KindNumbers{1, 0, 2, 2}));
  EXPECT_EQ(n.kind(ChatKind::association), KindNumbers{});
  EXPECT_EQ(n.classes, 1U);
  EXPECT_EQ(n.classes_covered, 1U);  // both chats administered by t1
}

TEST(Observe, CountsAClassUncoveredWhenItsTeacherIsNoAdminInOneOfItsChats) {
  Synced s = synced_school();
  s.world[s.ids["parents:g5a"]].members[9001] = false;  // t1 demoted by hand
  const auto planned = cycle(s, kDay1);
  EXPECT_EQ(planned.numbers.classes, 1U);
  EXPECT_EQ(planned.numbers.classes_covered, 0U);
}

TEST(Observe, CountsThePeopleOfAChatNotMadeYetAsNotInIt) {
  Synced s = synced_school();
  s.applied.chats.erase(std::ranges::find(s.applied.chats, "parents:g5a", &AppliedChat::key));
  s.world.erase(s.ids["parents:g5a"]);
  const auto planned = cycle(s, kDay1);
  EXPECT_EQ(planned.numbers.kind(ChatKind::parents), (KindNumbers{0, 0, 2, 0}));
  EXPECT_EQ(planned.numbers.classes_covered, 0U);
}

}  // namespace
}  // namespace rosterd::mapping
