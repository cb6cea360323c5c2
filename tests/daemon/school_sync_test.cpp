// SchoolSync against in-memory ports (tests/daemon/fakes.h): the exact writes a cycle sends,
// what it records, and its result. The expected writes are worked out here by hand from the
// small roster below, not by mapping::desired.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "daemon/sync.h"
#include "tests/daemon/fakes.h"
#include "tests/mapping/builders.h"

namespace rosterd::daemon::testing {
namespace {

using mapping::CycleResult;
using mapping::WriteResult;
using mapping::WriteStatus;
using mapping::testing::D;


mapping::Rules class_chats_only() {
  mapping::Rules r;
  r.school.class_chats = {{mapping::ChatKind::class_chat, "{group.name} · {org.short_name}", false}};
  return r;
}

// The first platform chat id the fake hands out.
constexpr const char* chat = "100";

WriteResult answer(WriteStatus status, int code, std::string message) {
  WriteResult r;
  r.status = status;
  r.error_code = code;
  r.message = std::move(message);
  return r;
}

struct World {
  FakeDatabase db;
  FakePlatform platform;
  FakeJournal journal{five_a()};
  FakeStore store{db};
  int clock_reads = 0;

  SyncSettings settings(const std::string& holder = "host-a:1:aaaaaa") {
    SyncSettings s;
    s.org_id = "org1";
    s.rules = class_chats_only();
    s.holder = holder;
    s.batch_size = 25;
    s.now_iso = [this] { return "2026-11-30T12:00:" + std::to_string(10 + clock_reads++) + "Z"; };
    return s;
  }
  SyncResult run(mapping::Date today, SyncSettings s) {
    SchoolSync sync(std::move(s), journal, platform, store);
    return sync.run_once(today, "2026-11-30T12:00:00Z");
  }
  SyncResult run(mapping::Date today) { return run(today, settings()); }
  FakeDatabase::School& school() { return db.schools["org1"]; }
  // What `rosterd approve --yes` does: every held action approved.
  std::size_t approve_all() {
    std::vector<std::string> ids;
    for (const auto& a : school().held) ids.push_back(mapping::action_id(a));
    return store.approve_actions("org1", ids);
  }
};

// Before s3 left: the chat, its four members, then t1's admin right.
const std::vector<std::string> first_writes = {
    "create_chat 5А · Школа 1",       "add_member 100 1001", "add_member 100 1002",
    "add_member 100 1003",            "add_member 100 9001", "set_admin 100 9001"};

TEST(SchoolSync, WritesTheChatThenItsMembersThenTheAdminRightAndRecordsWhenItEnded) {
  World w;
  const auto r = w.run(D("2026-11-10"));
  EXPECT_EQ(r.result, CycleResult::ok) << r.error;
  EXPECT_EQ(w.platform.writes, first_writes);
  EXPECT_EQ(r.writes.of(mapping::ActionType::add_member).done, 4u);
  EXPECT_EQ(r.writes.total(), (mapping::WriteTally{6, 0, 0, 0}));
  ASSERT_EQ(w.school().runs.size(), 1u);
  const auto& run = w.school().runs[0];
  EXPECT_EQ(run.result, CycleResult::ok);
  EXPECT_EQ(run.started_at, "2026-11-30T12:00:00Z");
  EXPECT_EQ(run.finished_at, "2026-11-30T12:00:10Z");  // the clock, read when it ended
}

TEST(SchoolSync, ReportsItsProgressAfterEachBatchOfWrites) {
  World w;
  auto s = w.settings();
  s.batch_size = 2;
  std::vector<std::pair<std::size_t, std::size_t>> seen;
  s.progress = [&seen](std::size_t done, std::size_t total) { seen.emplace_back(done, total); };
  ASSERT_EQ(w.run(D("2026-11-10"), s).result, CycleResult::ok);
  // The chat (phase 1), four members in two batches (phase 2), the admin right (phase 3).
  EXPECT_EQ(seen, (std::vector<std::pair<std::size_t, std::size_t>>{{1, 6}, {3, 6}, {5, 6}, {6, 6}}));
}

TEST(SchoolSync, LeavesASchoolAnotherProcessHoldsWithoutAWrite) {
  World w;
  FakeStore other_store(w.db);
  std::optional<SyncResult> second;
  // While the first process is between two batches, a second one starts on the same school.
  w.platform.after_batch = [&] {
    if (second) return;
    SchoolSync other(w.settings("host-b:2:bbbbbb"), w.journal, w.platform, other_store);
    second = other.run_once(D("2026-11-10"), "2026-11-30T12:00:01Z");
  };
  const auto first = w.run(D("2026-11-10"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->result, CycleResult::leased);
  ASSERT_TRUE(second->held_by);
  EXPECT_EQ(second->held_by->holder, "host-a:1:aaaaaa");
  EXPECT_NE(second->error.find("host-a:1:aaaaaa"), std::string::npos) << second->error;
  EXPECT_EQ(first.result, CycleResult::ok) << first.error;
  EXPECT_EQ(w.platform.writes, first_writes);  // every write once, all of them the first's
  EXPECT_EQ(w.school().runs.size(), 1u);
}

// A pid of this machine that ran and has ended.
pid_t ended_process() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

TEST(LeaseHolder, IsGoneOnlyWhenItWasAProcessOfThisMachineThatNoLongerRuns) {
  const std::string me = lease_holder_name();
  const std::string host = me.substr(0, me.find(':'));
  const std::string ended = std::to_string(ended_process());
  EXPECT_TRUE(lease_holder_gone(host + ":" + ended + ":abc123"));
  EXPECT_FALSE(lease_holder_gone(me));                                  // this process
  EXPECT_FALSE(lease_holder_gone(host + ":1:abc123"));                  // init runs
  EXPECT_FALSE(lease_holder_gone("another-host.example:" + ended + ":abc123"));
  EXPECT_FALSE(lease_holder_gone(host + ":12ab:abc123"));
  EXPECT_FALSE(lease_holder_gone("garbage"));
}

TEST(SchoolSync, TakesOverAtOnceTheLeaseOfAKilledProcessOfThisMachine) {
  World w;
  const std::string me = lease_holder_name();
  const std::string killed = me.substr(0, me.find(':')) + ":" + std::to_string(ended_process()) +
                             ":dead00";
  FakeStore killed_store(w.db);
  ASSERT_TRUE(killed_store.acquire_lease("org1", killed, std::chrono::hours(1)).acquired);
  const auto result = w.run(D("2026-11-10"));
  EXPECT_EQ(result.result, CycleResult::ok) << result.error;
  EXPECT_EQ(w.platform.writes, first_writes);
  EXPECT_THROW(killed_store.save_counts("org1", {}), mapping::LeaseLost);
}

TEST(SchoolSync, StopsAndRecordsNothingMoreWhenItsLeaseIsTakenOverBetweenBatches) {
  World w;
  auto s = w.settings();
  s.batch_size = 1;
  w.platform.after_batch = [&] {
    if (w.platform.calls == 1) w.db.take_over("org1", "host-b:2:bbbbbb");
  };
  const auto r = w.run(D("2026-11-10"), s);
  EXPECT_EQ(r.result, CycleResult::leased);
  EXPECT_EQ(w.platform.writes, (std::vector<std::string>{"create_chat 5А · Школа 1"}));
  // The outcome of the write in flight is not recorded: the new holder looks it up.
  ASSERT_EQ(w.school().log.size(), 1u);
  EXPECT_EQ(w.school().log[0].status, mapping::ActionStatus::intended);
  EXPECT_TRUE(w.school().chats.empty());
  ASSERT_EQ(w.school().runs.size(), 1u);
  EXPECT_FALSE(w.school().runs[0].result.has_value());
}

TEST(SchoolSync, CallsACycleWithWritesLeftUnsentPartial) {
  World w;
  // Error 9 (flood control) on every membership: the retries are used up, nothing is sent.
  for (const char* uid : {"1001", "1002", "1003", "9001"}) {
    w.platform.script[std::string("add_member ") + chat + " " + uid] = {
        answer(WriteStatus::not_sent, 9, "flood control")};
  }
  const auto r = w.run(D("2026-11-10"));
  EXPECT_EQ(r.result, CycleResult::partial);
  EXPECT_EQ(r.writes.of(mapping::ActionType::create_chat).done, 1u);
  EXPECT_EQ(r.writes.of(mapping::ActionType::add_member).not_sent, 4u);
  // t1's admin right needs the membership that was not made: not sent either.
  EXPECT_EQ(r.writes.of(mapping::ActionType::set_admin).not_sent, 1u);
  EXPECT_EQ(r.writes.total(), (mapping::WriteTally{1, 0, 0, 5}));
  EXPECT_EQ(w.school().runs.back().result, CycleResult::partial);
  EXPECT_NE(summary_line(r).find("5 not sent"), std::string::npos) << summary_line(r);
}

// `sync --once` prints this line and nothing else of the plan: what waits for an
// administrator (an unclear adoption) must show in it.
TEST(SchoolSync, SummaryLineCountsTheFindingsByCode) {
  SyncResult r;
  r.plan.findings = {{mapping::FindingCode::no_contact, {"p-1"}, "no contact"},
                     {mapping::FindingCode::adoption_unclear, {"class:g5a"}, "two chats"},
                     {mapping::FindingCode::no_contact, {"p-2"}, "no contact"}};
  EXPECT_EQ(summary_line(r),
            "no changes; 0 held; 0 written; findings: 2 no_contact, 1 adoption_unclear");
  EXPECT_EQ(summary_line(SyncResult{}), "no changes; 0 held; 0 written");
}

TEST(SchoolSync, HoldsAWriteRefusedTheSameWayOnTwoCyclesAndNamesIt) {
  World w;
  const std::string s2 = std::string("add_member ") + chat + " 1002";
  w.platform.script[s2] = {answer(WriteStatus::rejected, 917, "no access to the chat"),
                           answer(WriteStatus::rejected, 917, "no access to the chat")};
  EXPECT_EQ(w.run(D("2026-11-10")).result, CycleResult::partial);
  const auto second = w.run(D("2026-11-10"));
  EXPECT_EQ(second.result, CycleResult::partial);
  EXPECT_EQ(w.platform.writes.back(), s2);  // the second attempt
  EXPECT_TRUE(second.plan.findings.empty());

  const auto writes_before = w.platform.writes.size();
  const auto third = w.run(D("2026-11-10"));
  EXPECT_EQ(w.platform.writes.size(), writes_before);  // no third attempt
  EXPECT_EQ(third.result, CycleResult::held);
  ASSERT_EQ(third.plan.findings.size(), 1u);
  const auto& f = third.plan.findings[0];
  EXPECT_EQ(f.code, mapping::FindingCode::rejected_write);
  EXPECT_EQ(f.subject_ids, (std::vector<std::string>{"class:g5a", "chat_id:100", "s2"}));
  ASSERT_EQ(w.school().held.size(), 1u);
  EXPECT_EQ(w.school().held[0].person_id, "s2");

  // Approved, it is sent once more; done, its approval is used up.
  EXPECT_EQ(w.approve_all(), 1u);
  const auto fourth = w.run(D("2026-11-10"));
  EXPECT_EQ(fourth.result, CycleResult::ok) << fourth.error;
  EXPECT_EQ(w.platform.writes.back(), s2);
  EXPECT_TRUE(w.school().approved.empty());
}

TEST(SchoolSync, ConsumesAnApprovalOnlyWhenItsActionWasApplied) {
  World w;
  ASSERT_EQ(w.run(D("2026-11-10")).result, CycleResult::ok);
  // s3 left on 2026-11-20: removing one of four members exceeds the 10 % share: held.
  const auto held = w.run(D("2026-11-30"));
  EXPECT_EQ(held.result, CycleResult::held);
  ASSERT_EQ(w.approve_all(), 1u);
  const std::string removal = "remove_member class:g5a s3";
  ASSERT_EQ(w.school().approved, (std::set<std::string>{removal}));

  const std::string write = std::string("remove_member ") + chat + " 1003";
  w.platform.script[write] = {answer(WriteStatus::rejected, 100, "one of the parameters is wrong")};
  const auto refused = w.run(D("2026-11-30"));
  EXPECT_EQ(w.platform.writes.back(), write);
  EXPECT_EQ(refused.result, CycleResult::partial);
  EXPECT_EQ(w.school().approved, (std::set<std::string>{removal}));  // still approved

  auto stopping = w.settings();
  const auto stopped = SchoolSync(stopping, w.journal, w.platform, w.store)
                           .run_once(D("2026-11-30"), "2026-11-30T12:00:00Z", [] { return true; });
  EXPECT_EQ(stopped.result, CycleResult::stopped);
  EXPECT_EQ(w.school().approved, (std::set<std::string>{removal}));  // never sent: still approved

  const auto applied = w.run(D("2026-11-30"));
  EXPECT_EQ(applied.result, CycleResult::ok) << applied.error;
  EXPECT_EQ(w.platform.writes.back(), write);
  EXPECT_TRUE(w.school().approved.empty());
}

TEST(SchoolSync, KeepsAMemberWhoseRemovalWasRejectedUntilTheJournalChangesItsMind) {
  World w;
  ASSERT_EQ(w.run(D("2026-11-10")).result, CycleResult::ok);
  ASSERT_EQ(w.run(D("2026-11-30")).result, CycleResult::held);  // s3's removal
  const std::string removal = "remove_member class:g5a s3";
  ASSERT_EQ(w.store.reject_actions("org1", std::vector{removal}), 1u);

  const auto writes_before = w.platform.writes.size();
  for (int cycle = 0; cycle < 2; ++cycle) {
    const auto kept = w.run(D("2026-11-30"));
    EXPECT_EQ(kept.result, CycleResult::ok) << kept.error;
    EXPECT_TRUE(w.school().held.empty());
    EXPECT_EQ(w.school().rejected, (std::set<std::string>{removal}));  // still proposed
  }
  EXPECT_EQ(w.platform.writes.size(), writes_before);
  const auto& members = w.school().chats.at("class:g5a").members;
  EXPECT_TRUE(std::ranges::any_of(members, [](const auto& m) { return m.person_id == "s3"; }));

  // s3 is back in 5А: the journal no longer asks for the removal, the rejection is forgotten.
  mapping::testing::RosterBuilder b;
  b.group("g5a", "5А")
      .leader("t1", "g5a", 9001)
      .student("s1", "g5a", 1001)
      .student("s2", "g5a", 1002)
      .student("s3", "g5a", 1003);
  w.journal.set(b.build());
  EXPECT_EQ(w.run(D("2026-11-30")).result, CycleResult::ok);
  EXPECT_TRUE(w.school().rejected.empty());
}

TEST(SchoolSync, WritesNothingFromAnAnswerTheGuardDoesNotTrust) {
  World w;
  // The last good answer had 40 persons and 30 enrolments; this one has 5 and 5.
  w.school().counts = mapping::SourceCounts{1, 40, 30, 0, 1};
  mapping::Action earlier;
  earlier.type = mapping::ActionType::archive_chat;
  earlier.chat_key = "class:g4b";
  earlier.held = true;
  earlier.held_reason = "4 archive_chat actions exceed the limit of 3";
  w.school().held = {earlier};

  const auto r = w.run(D("2026-11-10"));
  EXPECT_EQ(r.result, CycleResult::source_failure);
  EXPECT_TRUE(w.platform.writes.empty());
  EXPECT_FALSE(w.school().mark.set());  // the next cycle plans the journal's answer again
  EXPECT_EQ(w.school().held, (std::vector<mapping::Action>{earlier}));
  EXPECT_EQ(w.school().counts, (mapping::SourceCounts{1, 40, 30, 0, 1}));
  EXPECT_TRUE(w.school().chats.empty());
  EXPECT_TRUE(w.school().log.empty());
  EXPECT_EQ(w.school().runs.back().result, CycleResult::source_failure);
}

}  // namespace
}  // namespace rosterd::daemon::testing
