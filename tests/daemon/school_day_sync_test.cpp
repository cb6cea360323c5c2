// The cycle's day is the school's, in its own zone: the config's zone, else the journal
// organisation's; without one (or with one this machine does not know), the machine's day and
// a finding. The zones' dates are the test's own stand-in for the time zone database: at the
// instant it models it is already 2026-11-21 in Kamchatka and still 2026-11-20 in Moscow and on
// the machine. s3's last day of membership is 2026-11-20, so a cycle on the 21st removes them.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "daemon/sync.h"
#include "mapping/message.h"
#include "tests/daemon/fakes.h"
#include "tests/mapping/builders.h"

namespace rosterd::daemon::testing {
namespace {

using mapping::CycleResult;
using mapping::FindingCode;
using mapping::testing::D;

const mapping::Date kMachineDay = D("2026-11-20");
const std::string kRemoveS3 = "remove_member 100 1003";

mapping::Roster five_a(const std::string& zone) {
  mapping::testing::RosterBuilder b;
  b.group("g5a", "5А")
      .leader("t1", "g5a", 9001)
      .student("s1", "g5a", 1001)
      .person("s3", mapping::role_student, 1003)
      .enrol("s3", "g5a", mapping::EnrolmentRole::student, "2026-09-01", "2026-11-20",
             "withdrawn");
  auto roster = b.build();
  roster.org.timezone = zone;
  return roster;
}

std::optional<mapping::Date> stand_in_today(const std::string& zone) {
  static const std::map<std::string, mapping::Date> days = {
      {"Europe/Moscow", D("2026-11-20")}, {"Asia/Kamchatka", D("2026-11-21")}};
  const auto it = days.find(zone);
  if (it == days.end()) return std::nullopt;
  return it->second;
}

struct Zoned {
  FakeDatabase db;
  FakePlatform platform;
  FakeJournal journal;
  FakeStore store{db};

  explicit Zoned(const std::string& journal_zone) : journal(five_a(journal_zone)) {
    // The chat with s3 in it, made while s3 still belonged (a given day: no zone needed).
    const auto first = run(D("2026-11-10"), "", false);
    EXPECT_EQ(first.result, CycleResult::ok) << first.error;
    platform.writes.clear();
  }
  SyncResult run(mapping::Date machine_day, const std::string& configured_zone,
                 bool zoned = true) {
    SyncSettings s;
    s.org_id = "org1";
    s.rules.school.class_chats = {
        {mapping::ChatKind::class_chat, "{group.name} · {org.short_name}", false}};
    s.holder = "host-a:1:aaaaaa";
    s.limits.max_removal_share = 1.0;  // one removal of a small chat is not held
    s.timezone = configured_zone;
    if (zoned) s.today_in = stand_in_today;
    SchoolSync sync(std::move(s), journal, platform, store);
    return sync.run_once(machine_day, "2026-11-20T12:30:00Z");
  }
  [[nodiscard]] bool removed_s3() const {
    return std::ranges::find(platform.writes, kRemoveS3) != platform.writes.end();
  }
};

const mapping::Finding* finding(const SyncResult& r, FindingCode code) {
  for (const auto& f : r.plan.findings) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

TEST(SchoolDay, RemovesAWithdrawalOnTheSchoolsOwnDayNotTheMachines) {
  Zoned w("Asia/Kamchatka");
  const auto r = w.run(kMachineDay, "");
  EXPECT_EQ(r.result, CycleResult::ok) << r.error;
  EXPECT_EQ(r.plan.today, D("2026-11-21"));
  EXPECT_TRUE(w.removed_s3()) << "already the 21st in Kamchatka";
  EXPECT_TRUE(r.plan.findings.empty());
}

TEST(SchoolDay, KeepsAWithdrawalUntilTheEndOfItsLastDayInTheSchoolsZone) {
  Zoned w("Europe/Moscow");
  const auto r = w.run(kMachineDay, "");
  EXPECT_EQ(r.plan.today, D("2026-11-20"));
  EXPECT_FALSE(w.removed_s3()) << "still the 20th in Moscow";
}

TEST(SchoolDay, TakesTheConfiguredZoneOverTheJournals) {
  Zoned moscow_in_config("Asia/Kamchatka");
  EXPECT_EQ(moscow_in_config.run(kMachineDay, "Europe/Moscow").plan.today, D("2026-11-20"));
  EXPECT_FALSE(moscow_in_config.removed_s3());

  Zoned kamchatka_in_config("Europe/Moscow");
  EXPECT_EQ(kamchatka_in_config.run(kMachineDay, "Asia/Kamchatka").plan.today, D("2026-11-21"));
  EXPECT_TRUE(kamchatka_in_config.removed_s3());
}

TEST(SchoolDay, UsesTheMachinesDayWithAFindingWhenNoZoneIsGiven) {
  Zoned w("");
  const auto r = w.run(D("2026-11-21"), "");
  EXPECT_EQ(r.result, CycleResult::ok) << r.error;
  EXPECT_EQ(r.plan.today, D("2026-11-21"));
  EXPECT_TRUE(w.removed_s3()) << "the machine's day decides";
  const auto* f = finding(r, FindingCode::no_timezone);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->subject_ids, std::vector<std::string>{"org1"});
  EXPECT_NE(summary_line(r).find("1 no_timezone"), std::string::npos) << summary_line(r);
}

TEST(SchoolDay, UsesTheMachinesDayAndNamesAZoneItDoesNotKnow) {
  Zoned w("Mars/Olympus");
  const auto r = w.run(kMachineDay, "");
  EXPECT_EQ(r.plan.today, kMachineDay);
  EXPECT_FALSE(w.removed_s3());
  const auto* f = finding(r, FindingCode::unknown_timezone);
  ASSERT_NE(f, nullptr);
  EXPECT_NE(mapping::english(f->message).find("Mars/Olympus"), std::string::npos)
      << mapping::english(f->message);
}

TEST(SchoolDay, KeepsTheGivenDayWithoutAZoneReader) {
  Zoned w("Asia/Kamchatka");
  const auto r = w.run(kMachineDay, "", false);
  EXPECT_EQ(r.plan.today, kMachineDay);
  EXPECT_FALSE(w.removed_s3());
  EXPECT_TRUE(r.plan.findings.empty());
}

}  // namespace
}  // namespace rosterd::daemon::testing
