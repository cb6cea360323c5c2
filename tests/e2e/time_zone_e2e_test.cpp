// Each school's day is its own (issue 12): two organisations nine hours apart, Moscow (UTC+3)
// and Kamchatka (UTC+12), each with a student whose last day of membership is the same date.
// Real processes: journal-sim serves both organisations (their zones in their organisation
// records), platform-sim is the platform, and `rosterd sync --once` runs at chosen instants
// (the ROSTERD_TEST_NOW test hook, docs/daemon.md) on a machine whose own zone is neither
// (Pacific/Honolulu, UTC-10: still the last day there at every instant below). Whether each
// student must be gone is worked out here from the UTC offsets, not by the code under test.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "generator/generator.h"
#include "mapping/lookup.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;
using mapping::PlatformUserId;
using nlohmann::json;

const Date kStart = *Date::parse("2026-09-01");
const Date kLastDay = *Date::parse("2026-09-15");  // both withdrawals: `to` is the last day

struct School {
  std::string id;
  std::string zone;
  int utc_offset_hours;  // the zone's offset, fixed all year (neither observes summer time)
};
const std::vector<School> kSchools = {{"sch-0001", "Europe/Moscow", 3},
                                      {"sch-0002", "Asia/Kamchatka", 12}};

// The school's date at a UTC instant, from its offset alone.
Date local_date(const std::string& utc, int offset_hours) {
  const auto seconds = *mapping::unix_seconds_from_iso(utc) + std::int64_t{offset_hours} * 3600;
  const auto days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  return Date::from_days(static_cast<std::int32_t>(days));
}

// A school with one student withdrawn: every enrolment of theirs ends on kLastDay. Returns the
// student's platform account, one nobody else of the school uses (not a parent's phone).
PlatformUserId withdraw_one(mapping::Roster& roster) {
  std::map<PlatformUserId, int> users;
  for (const auto& person : roster.persons) {
    if (person.platform_user_id) ++users[*person.platform_user_id];
  }
  for (const auto& person : roster.persons) {
    if (person.roles != mapping::role_student || !person.platform_user_id ||
        users[*person.platform_user_id] != 1)
      continue;
    bool enrolled = false;
    for (auto& e : roster.enrolments) {
      if (e.person_id != person.id) continue;
      e.to = kLastDay;
      e.reason = "withdrawn";
      enrolled = true;
    }
    if (enrolled) return *person.platform_user_id;
  }
  throw std::runtime_error("no student with a platform account in " + roster.org.id);
}

// Whether the account is in any live chat on the platform.
bool in_a_live_chat(const json& state, PlatformUserId uid) {
  for (const auto& chat : state.at("chats")) {
    if (chat.at("archived").get<bool>()) continue;
    for (const auto& m : chat.at("members")) {
      if (m.at("user_id").get<PlatformUserId>() == uid) return true;
    }
  }
  return false;
}

class TimeZones : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::size_t i = 0; i < kSchools.size(); ++i) {
      auto roster = generator::make_school(kSchools[i].id, 61 + i, kStart,
                                           {.classes = 4, .students_per_class = 6});
      roster.org.timezone = kSchools[i].zone;
      roster.org.short_name = "Школа " + std::to_string(i + 1);
      withdrawn_[kSchools[i].id] = withdraw_one(roster);
      generator::write_export(roster, data_.path() / roster.org.id);
    }
    std::ofstream(data_.path() / "regional.token") << "e2e-journal-token-4343\n";
    journal_ = std::make_unique<testing::SimServer>(
        JOURNAL_SIM_BIN,
        std::vector<std::string>{"--data", data_.path().string(), "--regional-token-file",
                                 (data_.path() / "regional.token").string()},
        data_.path());
    json schools = json::array();
    for (const auto& s : kSchools) {
      schools.push_back({{"id", s.id},
                         {"source",
                          {{"type", "http"},
                           {"base_url", journal_->base_url()},
                           {"token_file", "journal.token"}}},
                         {"fallback_admin",
                          {{"platform_user_id", kFallbackAdmin}, {"label", "platform-admin"}}}});
    }
    world_ = std::make_unique<World>(WorldOptions{.extra_config = {{"schools", schools}}});
  }
  void TearDown() override { journal_->stop(); }

  // rosterd as if the wall clock read `utc`, on a machine in Honolulu.
  testing::RunResult at(const std::string& utc, std::vector<std::string> args) const {
    std::vector<std::string> argv = {"/usr/bin/env", "TZ=Pacific/Honolulu",
                                     "ROSTERD_TEST_NOW=" + utc, ROSTERD_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--config", (world_->dir() / "rosterd.json").string()});
    return testing::run(argv, world_->dir());
  }
  testing::RunResult sync_at(const std::string& utc) const { return at(utc, {"sync", "--once"}); }

  // Each school's student is gone exactly when the school's date is past the last day.
  void expect_removals_at(const std::string& utc) {
    const auto state = world_->state();
    for (const auto& s : kSchools) {
      const bool past = local_date(utc, s.utc_offset_hours) > kLastDay;
      EXPECT_EQ(in_a_live_chat(state, withdrawn_.at(s.id)), !past)
          << s.id << " (" << s.zone << ") at " << utc << ": its date is "
          << local_date(utc, s.utc_offset_hours).iso() << ", the last day " << kLastDay.iso();
    }
  }

  testing::TempFolder data_{"rosterd-tz-journal"};
  std::unique_ptr<testing::SimServer> journal_;
  std::unique_ptr<World> world_;
  std::map<std::string, PlatformUserId> withdrawn_;
};

TEST_F(TimeZones, EachSchoolsWithdrawalTakesEffectOnItsOwnDay) {
  // 06:00 UTC: the last day in both schools (Moscow 09:00, Kamchatka 18:00; Honolulu is at
  // 20:00 on the 14th): both students are members, and the chats are made with both in.
  const std::string morning = "2026-09-15T06:00:00Z";
  // 12:30 UTC: 00:30 on the 16th in Kamchatka, 15:30 on the 15th in Moscow.
  const std::string kamchatka_past_midnight = "2026-09-15T12:30:00Z";
  // 21:30 UTC: 00:30 on the 16th in Moscow too.
  const std::string moscow_past_midnight = "2026-09-15T21:30:00Z";
  ASSERT_EQ(local_date(kamchatka_past_midnight, 12), kLastDay.plus_days(1));
  ASSERT_EQ(local_date(kamchatka_past_midnight, 3), kLastDay);
  ASSERT_EQ(local_date(moscow_past_midnight, 3), kLastDay.plus_days(1));
  ASSERT_LE(local_date(moscow_past_midnight, -10), kLastDay) << "the machine's day never passes";

  const auto first = sync_at(morning);
  ASSERT_EQ(first.status, 0) << first.output;
  for (const auto& s : kSchools)
    ASSERT_TRUE(in_a_live_chat(world_->state(), withdrawn_.at(s.id))) << s.id << "\n" << first.output;

  const auto kamchatka = sync_at(kamchatka_past_midnight);
  ASSERT_EQ(kamchatka.status, 0) << kamchatka.output;
  expect_removals_at(kamchatka_past_midnight);

  // `rosterd plan` plans each school on its own day too; --today still wins.
  const auto plan = json::parse(at(kamchatka_past_midnight, {"plan", "--format", "json"}).output);
  std::map<std::string, std::string> days;
  for (const auto& school : plan.at("schools"))
    days[school.at("school").get<std::string>()] = school.at("today").get<std::string>();
  EXPECT_EQ(days, (std::map<std::string, std::string>{{"sch-0001", "2026-09-15"},
                                                       {"sch-0002", "2026-09-16"}}));
  const auto given = json::parse(
      at(kamchatka_past_midnight, {"plan", "--format", "json", "--today", "2026-09-20"}).output);
  for (const auto& school : given.at("schools")) EXPECT_EQ(school.at("today"), "2026-09-20");

  const auto moscow = sync_at(moscow_past_midnight);
  ASSERT_EQ(moscow.status, 0) << moscow.output;
  expect_removals_at(moscow_past_midnight);
  EXPECT_EQ(kamchatka.output.find("no_timezone"), std::string::npos) << kamchatka.output;
}

}  // namespace
}  // namespace rosterd::e2e
