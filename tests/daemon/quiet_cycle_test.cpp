// Cycles that need no plan (daemon/sync_marks.cpp): after a clean cycle, a journal that answers
// "unchanged" ends the next cycle at one conditional journal request: no roster, no plan, no
// platform call, no run row. A dated change, an approval, a settings change and an audit due
// each bring the full cycle back. The expected writes are worked out by hand from the roster.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "daemon/sync.h"
#include "tests/daemon/fakes.h"
#include "tests/mapping/builders.h"

namespace rosterd::daemon::testing {
namespace {

using mapping::CycleResult;
using mapping::testing::D;


struct World {
  World() { journal.has_etag = true; }
  FakeDatabase db;
  FakePlatform platform;
  FakeJournal journal{five_a()};
  FakeStore store{db};
  std::int64_t now = 1'790'000'000;
  mapping::Policy policy;
  // One removal in a chat of four is a quarter of it: let it through unless a test holds it.
  mapping::Limits limits{.max_removal_share = 1.0};

  SyncSettings settings() {
    SyncSettings s;
    s.org_id = "org1";
    s.rules.school.class_chats = {
        {mapping::ChatKind::class_chat, "{group.name} · {org.short_name}", false}};
    s.policy = policy;
    s.limits = limits;
    s.holder = "host-a:1:aaaaaa";
    s.now_iso = [] { return std::string("2026-11-30T12:00:10Z"); };
    s.now_unix = [this] { return now; };
    return s;
  }
  SyncResult run(mapping::Date today) {
    SchoolSync sync(settings(), journal, platform, store);
    return sync.run_once(today, "2026-11-30T12:00:00Z");
  }
  FakeDatabase::School& school() { return db.schools["org1"]; }
  // Runs cycles until one needs no plan: the steady state (the chats the first cycle made are
  // read by the second, which leaves the mark the third uses).
  void converge(mapping::Date today) {
    for (int i = 0; i < 5; ++i) {
      const auto r = run(today);
      ASSERT_NE(r.result, CycleResult::failed) << r.error;
      if (r.result == CycleResult::unchanged) return;
    }
    FAIL() << "no cycle needed no plan";
  }
  // What one cycle cost: journal requests, platform calls (reads and write batches), runs.
  struct Cost {
    int journal = 0;
    std::size_t platform = 0;
    std::size_t runs = 0;
    std::size_t writes = 0;
  };
  Cost cost_of(mapping::Date today, CycleResult* result = nullptr) {
    const Cost before{journal.requests(), platform.reads + platform.calls, school().runs.size(),
                      platform.writes.size()};
    const auto r = run(today);
    if (result) *result = r.result;
    return {journal.requests() - before.journal,
            platform.reads + platform.calls - before.platform,
            school().runs.size() - before.runs, platform.writes.size() - before.writes};
  }
  std::vector<std::string> last_writes(std::size_t n) {
    return {platform.writes.end() - static_cast<std::ptrdiff_t>(n), platform.writes.end()};
  }
};

TEST(QuietCycle, AnUnchangedJournalBeforeTheNextChangeCostsOneRequestAndNothingElse) {
  World w;
  w.converge(D("2026-11-10"));
  EXPECT_EQ(w.school().mark.next_change, D("2026-11-21"));  // the day after s3's last day
  const auto chats = w.school().chats;
  const int full_fetches = w.journal.fetches;

  CycleResult result{};
  const auto cost = w.cost_of(D("2026-11-11"), &result);

  EXPECT_EQ(result, CycleResult::unchanged);
  EXPECT_EQ(cost.journal, 1);
  EXPECT_EQ(w.journal.fetches, full_fetches);  // the one request was the conditional one
  EXPECT_EQ(cost.platform, 0u);  // no listing, no read, no write
  EXPECT_EQ(cost.runs, 0u);      // the run log does not grow with quiet cycles
  EXPECT_EQ(w.school().chats, chats);
}

TEST(QuietCycle, ADatedWithdrawalIsAppliedOnItsDayNotSkipped) {
  World w;
  w.converge(D("2026-11-19"));
  CycleResult result{};
  EXPECT_EQ(w.cost_of(D("2026-11-20"), &result).platform, 0u);  // s3's last day: still in
  EXPECT_EQ(result, CycleResult::unchanged);

  const auto cost = w.cost_of(D("2026-11-21"), &result);

  EXPECT_EQ(result, CycleResult::ok);
  EXPECT_EQ(cost.journal, 1);
  ASSERT_EQ(cost.writes, 1u);
  EXPECT_EQ(w.last_writes(1), std::vector<std::string>{"remove_member 100 1003"});
  EXPECT_EQ(cost.runs, 1u);
}

TEST(QuietCycle, AJournalChangePlansAtTheCostOfOneRequest) {
  World w;
  w.converge(D("2026-11-10"));
  auto roster = five_a();
  roster.persons.push_back(mapping::Person{.id = "s4", .platform_user_id = 1004,
                                           .roles = mapping::role_student, .last_name = "Ф",
                                           .first_name = "И"});
  roster.enrolments.push_back({"s4", "g5a", mapping::EnrolmentRole::student, D("2026-09-01"),
                               std::nullopt, "enrolled"});
  w.journal.set(roster);

  CycleResult result{};
  const auto cost = w.cost_of(D("2026-11-11"), &result);

  EXPECT_EQ(result, CycleResult::ok);
  EXPECT_EQ(cost.journal, 1);  // the conditional request brought the new roster
  EXPECT_EQ(w.last_writes(cost.writes), std::vector<std::string>{"add_member 100 1004"});
  EXPECT_EQ(w.cost_of(D("2026-11-11"), &result).platform, 0u);
  EXPECT_EQ(result, CycleResult::unchanged);
}

TEST(QuietCycle, AnApprovalIsAppliedAtTheNextCycle) {
  World w;
  w.limits.max_removals = 0;  // every removal waits for an administrator
  w.converge(D("2026-11-20"));
  CycleResult result{};
  (void)w.cost_of(D("2026-11-21"), &result);
  ASSERT_EQ(result, CycleResult::held);
  EXPECT_FALSE(w.school().mark.set());
  std::vector<std::string> ids;
  for (const auto& a : w.school().held) ids.push_back(mapping::action_id(a));
  ASSERT_EQ(w.store.approve_actions("org1", ids), 1u);

  const auto cost = w.cost_of(D("2026-11-21"), &result);

  EXPECT_EQ(result, CycleResult::ok);
  EXPECT_EQ(w.last_writes(cost.writes), std::vector<std::string>{"remove_member 100 1003"});
  EXPECT_EQ(w.cost_of(D("2026-11-21"), &result).platform, 0u);
  EXPECT_EQ(result, CycleResult::unchanged);
}

TEST(QuietCycle, AnApprovalClearsTheMarkItFinds) {
  World w;
  w.converge(D("2026-11-10"));
  mapping::Action held;
  held.type = mapping::ActionType::remove_member;
  held.chat_key = "class:g5a";
  held.person_id = "s2";
  held.held = true;
  w.school().held = {held};  // held by an earlier cycle, as far as the store knows

  ASSERT_EQ(w.store.approve_actions("org1", std::vector{mapping::action_id(held)}), 1u);
  CycleResult result{};
  const auto cost = w.cost_of(D("2026-11-11"), &result);

  EXPECT_NE(result, CycleResult::unchanged);
  EXPECT_EQ(cost.runs, 1u);
}

TEST(QuietCycle, ASettingsChangeForcesAFullCycle) {
  World w;
  w.converge(D("2026-11-10"));
  w.policy.grace_days = 7;  // a reload

  CycleResult result{};
  const auto cost = w.cost_of(D("2026-11-11"), &result);

  EXPECT_EQ(result, CycleResult::ok);
  EXPECT_GT(cost.platform, 0u);
  EXPECT_EQ(cost.runs, 1u);
  EXPECT_EQ(w.cost_of(D("2026-11-11"), &result).platform, 0u);  // the new settings' mark
  EXPECT_EQ(result, CycleResult::unchanged);
}

TEST(QuietCycle, AnAuditDueForcesAFullCycleThatReadsTheChat) {
  World w;
  w.converge(D("2026-11-10"));
  const auto due = w.school().mark.audit_due;
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(*due, w.now + 86'400);
  w.now = *due - 1;
  CycleResult result{};
  EXPECT_EQ(w.cost_of(D("2026-11-11"), &result).platform, 0u);
  EXPECT_EQ(result, CycleResult::unchanged);

  w.now = *due;
  const auto cost = w.cost_of(D("2026-11-11"), &result);

  EXPECT_EQ(result, CycleResult::ok);
  EXPECT_GE(cost.platform, 2u);  // the listing and the chat's read
  EXPECT_EQ(w.school().chats.at("class:g5a").observed_at, *due);
}

TEST(QuietCycle, ASourceWithoutVersionsPlansEveryCycle) {
  World w;
  w.journal.has_etag = false;  // an export folder
  for (int i = 0; i < 3; ++i) {
    CycleResult result{};
    const auto cost = w.cost_of(D("2026-11-10"), &result);
    EXPECT_EQ(result, CycleResult::ok);
    EXPECT_EQ(cost.runs, 1u);
  }
  EXPECT_FALSE(w.school().mark.set());
  EXPECT_EQ(w.journal.conditional_fetches, 0);
}

TEST(QuietCycle, AJournalFailureIsRecordedAsTheFullCycleWouldHaveIt) {
  World w;
  w.converge(D("2026-11-10"));
  struct Broken final : mapping::JournalSource {
    mapping::JournalAnswer fetch() override { throw std::runtime_error("journal down"); }
    mapping::JournalAnswer fetch_if_changed(const std::string&) override { return fetch(); }
  } broken;
  SchoolSync sync(w.settings(), broken, w.platform, w.store);
  const auto r = sync.run_once(D("2026-11-11"), "2026-11-30T12:00:00Z");
  EXPECT_EQ(r.result, CycleResult::failed);
  EXPECT_EQ(r.error, "journal down");
  EXPECT_EQ(w.school().runs.back().result, CycleResult::failed);
  EXPECT_FALSE(w.school().mark.set());
}

TEST(QuietCycle, RecordsTheZoneOfTheDayItUsed) {
  World w;
  auto s = w.settings();
  s.today_in = [](const std::string&) { return std::optional(D("2026-11-10")); };
  {
    SchoolSync sync(s, w.journal, w.platform, w.store);
    (void)sync.run_once(D("2026-11-10"), "2026-11-30T12:00:00Z");
    (void)sync.run_once(D("2026-11-10"), "2026-11-30T12:00:00Z");
  }
  ASSERT_TRUE(w.school().mark.set());
  EXPECT_EQ(w.school().mark.zone, "Europe/Moscow");  // the journal's, none configured
  s.timezone = "Asia/Kamchatka";
  SchoolSync sync(s, w.journal, w.platform, w.store);
  (void)sync.run_once(D("2026-11-10"), "2026-11-30T12:00:00Z");  // other settings: plans
  EXPECT_EQ(w.school().mark.zone, "Asia/Kamchatka");
}

}  // namespace
}  // namespace rosterd::daemon::testing
