// The cycle sees the platform (tests/daemon/fakes.h): it lists the organisation's chats every
// cycle, reads what is due, answers what people changed by hand, and adopts a chat that already
// serves a group. The expected writes are worked out by hand from the roster below.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "daemon/sync.h"
#include "tests/daemon/fakes.h"
#include "tests/mapping/builders.h"

namespace rosterd::daemon::testing {
namespace {

using mapping::CycleResult;
using mapping::testing::D;

// 5А with its class teacher t1 (9001) and two students s1 (1001), s2 (1002); class chats only.
mapping::Roster five_a() {
  mapping::testing::RosterBuilder b;
  b.group("g5a", "5А").leader("t1", "g5a", 9001).student("s1", "g5a", 1001).student("s2", "g5a", 1002);
  return b.build();
}

struct World {
  FakeDatabase db;
  FakePlatform platform;
  FakeJournal journal{five_a()};
  FakeStore store{db};
  std::int64_t now = 1'790'000'000;

  SyncSettings settings(bool audit = false) {
    SyncSettings s;
    s.org_id = "org1";
    s.rules.school.class_chats = {
        {mapping::ChatKind::class_chat, "{group.name} · {org.short_name}", false}};
    s.holder = "host-a:1:aaaaaa";
    s.now_iso = [] { return std::string("2026-11-30T12:00:10Z"); };
    s.now_unix = [this] { return now; };
    s.full_audit = audit;
    return s;
  }
  SyncResult run(mapping::Date today, bool audit = false) {
    SchoolSync sync(settings(audit), journal, platform, store);
    return sync.run_once(today, "2026-11-30T12:00:00Z");
  }
  const mapping::AppliedChat& chat() { return db.schools["org1"].chats.at("class:g5a"); }
  std::vector<std::string> writes_since(std::size_t from) {
    return {platform.writes.begin() + static_cast<std::ptrdiff_t>(from), platform.writes.end()};
  }
};

bool has_finding(const SyncResult& r, mapping::FindingCode code) {
  for (const auto& f : r.plan.findings) {
    if (f.code == code) return true;
  }
  return false;
}

TEST(ObservationSync, ListsTheOrganisationsChatsEveryCycleSoARevokedTokenFailsItTheSameDay) {
  World w;
  ASSERT_EQ(w.run(D("2026-11-10")).result, CycleResult::ok);
  const auto reads = w.platform.reads;
  const auto written = w.platform.writes.size();
  ASSERT_EQ(w.run(D("2026-11-10")).result, CycleResult::ok);  // no journal change
  EXPECT_GT(w.platform.reads, reads);
  EXPECT_EQ(w.platform.writes.size(), written);
  w.platform.refuse_token = true;
  const auto r = w.run(D("2026-11-10"));
  EXPECT_EQ(r.result, CycleResult::failed);
  EXPECT_NE(r.error.find("platform refused the token"), std::string::npos) << r.error;
}

TEST(ObservationSync, AddsBackAMemberRemovedByHandAndStopsAtSomebodyWhoLeft) {
  World w;
  ASSERT_EQ(w.run(D("2026-11-10")).result, CycleResult::ok);
  const mapping::ChatId id = *w.chat().chat_id;
  w.platform.chats[id].members.erase(1001);  // removed by a teacher
  auto from = w.platform.writes.size();
  auto r = w.run(D("2026-11-11"));
  EXPECT_EQ(w.writes_since(from), std::vector<std::string>{"add_member 100 1001"});
  // s2 leaves by themselves: the platform refuses to add them back (15).
  w.platform.chats[id].members.erase(1002);
  w.platform.script["add_member 100 1002"].push_back(
      {mapping::WriteStatus::rejected, 15, "the user left the chat", {}, {}});
  r = w.run(D("2026-11-12"));
  const auto* s2 = &w.chat().members[1];
  ASSERT_EQ(s2->person_id, "s2");
  EXPECT_EQ(s2->presence, mapping::MemberPresence::left);
  from = w.platform.writes.size();
  r = w.run(D("2026-11-13"), true);
  EXPECT_EQ(w.writes_since(from), std::vector<std::string>{"issue_invite 100 member"})
      << "no second addition; the link is offered";
  EXPECT_TRUE(has_finding(r, mapping::FindingCode::left_chat));
}

TEST(ObservationSync, NeverMakesAgainAChatDeletedByHand) {
  World w;
  ASSERT_EQ(w.run(D("2026-11-10")).result, CycleResult::ok);
  w.platform.chats.erase(*w.chat().chat_id);
  const auto from = w.platform.writes.size();
  const auto r = w.run(D("2026-11-11"));
  EXPECT_TRUE(w.writes_since(from).empty());
  EXPECT_TRUE(has_finding(r, mapping::FindingCode::chat_deleted));
  EXPECT_EQ(w.chat().drift, mapping::ChatDrift::deleted_by_hand);
  EXPECT_EQ(r.result, CycleResult::held);
}

TEST(ObservationSync, AdoptsTheChatThePlatformMadeInsteadOfCreatingASecond) {
  World w;
  // The platform made 5А's chat from the journal: the class teacher and s1 are in it.
  w.platform.chats[42] = {"5А · Школа 1", false, {{9001, true}, {1001, false}}, 0};
  const auto r = w.run(D("2026-11-10"));
  EXPECT_EQ(r.result, CycleResult::ok) << r.error;
  EXPECT_EQ(w.platform.writes, std::vector<std::string>{"add_member 42 1002"});
  EXPECT_EQ(w.chat().chat_id, 42);
  const auto& log = w.db.schools["org1"].log;
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.front().action.type, mapping::ActionType::adopt_chat);
  EXPECT_EQ(log.front().status, mapping::ActionStatus::done);
  EXPECT_EQ(w.platform.chats.size(), 1u);
}

TEST(ObservationSync, KeepsWhatItSawEvenWhenTheJournalAnswerIsNotTrusted) {
  World w;
  ASSERT_EQ(w.run(D("2026-11-10")).result, CycleResult::ok);
  w.platform.chats[*w.chat().chat_id].title = "Наш класс";
  auto emptied = five_a();
  emptied.enrolments.clear();  // every enrolment gone at once: a source failure
  w.journal.set(emptied);
  const auto r = w.run(D("2026-11-11"));
  EXPECT_EQ(r.result, CycleResult::source_failure);
  EXPECT_EQ(w.chat().observed_title, "Наш класс");
}

}  // namespace
}  // namespace rosterd::daemon::testing
