// A ClassLink-shaped district export (tests/adapters/oneroster/fixtures) through the real
// rosterd against platform-sim: separate processes for the bulk and the delta, so the delta can
// only apply on the state the first process kept in the store. Expected values come from the
// fixture's rows (fixtures/make_classlink.py), worked out by hand.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "world.h"

namespace rosterd::e2e {
namespace {

namespace fs = std::filesystem;
using mapping::Date;
using nlohmann::json;

void copy_fixture(const fs::path& to, const std::string& name) {
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(to)) fs::remove(entry.path());
  for (const auto& entry : fs::directory_iterator(fs::path(ONEROSTER_FIXTURES) / name)) {
    fs::copy_file(entry.path(), to / entry.path().filename());
  }
}

WorldOptions district() {
  WorldOptions o;
  o.extra_config = {
      {"schools",
       {{{"id", "hs-1"},
         {"source",
          {{"type", "oneroster"},
           {"path", "district"},
           {"platform_id_type", "sferum"},
           {"timezone", "Europe/Moscow"}}},
         {"fallback_admin", {{"platform_user_id", kFallbackAdmin}, {"label", "platform-admin"}}}}}}};
  return o;
}

// The user ids of the live chat with this title; an empty set when there is none.
std::set<std::int64_t> members_of(const json& state, const std::string& title) {
  std::set<std::int64_t> ids;
  for (const auto& chat : state.at("chats")) {
    if (chat.at("archived").get<bool>() || chat.at("title").get<std::string>() != title) continue;
    for (const auto& m : chat.at("members")) {
      if (!m.at("is_owner").get<bool>()) ids.insert(m.at("user_id").get<std::int64_t>());
    }
  }
  return ids;
}

TEST(OneRosterE2E, ADeltaAfterARestartAppliesAndAnEndedEnrolmentSaysSo) {
  World w(district());
  copy_fixture(w.dir() / "district", "classlink-district");
  const auto first = w.sync(*Date::parse("2018-10-01"));
  ASSERT_EQ(first.status, 0) << first.output;

  // Algebra I, period 1: Smith (3001) leads, Ava (4001) and Noah (4003) study there.
  const std::string algebra_1 = "Algebra I (period 1) · Lincoln High School";
  const auto before = w.state();
  EXPECT_EQ(members_of(before, algebra_1), (std::set<std::int64_t>{3001, 4001, 4003}));
  EXPECT_EQ(members_of(before, "Algebra I (period 3) · Lincoln High School"),
            (std::set<std::int64_t>{3001, 4002}));
  EXPECT_EQ(members_of(before, "English 9 (Davis M.) · Lincoln High School"),
            (std::set<std::int64_t>{3004, 4002}));

  // The delta arrives while no rosterd runs: Noah's last day was 2018-10-31, Olivia (4005)
  // joins from 2018-11-01. Each command below is a new process.
  copy_fixture(w.dir() / "district", "classlink-delta");
  const auto plan_ru = w.rosterd({"plan", "--today", "2018-11-05"});
  ASSERT_EQ(plan_ru.status, 0) << plan_ru.output;
  EXPECT_NE(plan_ru.output.find("членство в группе закончилось, последний день 2018-10-31"),
            std::string::npos)
      << plan_ru.output;
  const auto plan_en = w.rosterd({"--lang", "en", "plan", "--today", "2018-11-05"});
  EXPECT_NE(plan_en.output.find("enrolment ended, last day 2018-10-31"), std::string::npos)
      << plan_en.output;
  EXPECT_EQ(plan_en.output.find("enrolled, last day"), std::string::npos) << plan_en.output;
  EXPECT_EQ(plan_en.output.find("needs a previous bulk"), std::string::npos) << plan_en.output;

  const auto json_plan = w.rosterd({"plan", "--today", "2018-11-05", "--format", "json"});
  ASSERT_EQ(json_plan.status, 0) << json_plan.output;
  std::multiset<std::string> codes;
  const auto parsed = json::parse(json_plan.output);
  for (const auto& school : parsed.at("schools")) {
    for (const auto& f : school.at("findings")) codes.insert(f.at("code").get<std::string>());
  }
  // Three terms with ClassLink's start year (fall-2018, spring-2019, sy-2018); the Biology pair.
  EXPECT_EQ(codes.count("term_year_mismatch"), 3u);
  EXPECT_EQ(codes.count("duplicate_title"), 1u);

  const auto second = w.sync(*Date::parse("2018-11-05"));
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_EQ(members_of(w.state(), algebra_1), (std::set<std::int64_t>{3001, 4001, 4005}));
}

// A saved plan over a delta: `apply`, a process of its own, reads the folder on the state the
// sync before it kept, finds the journal as the plan saw it, and applies the plan.
TEST(OneRosterE2E, ASavedPlanOverADeltaAppliesInAProcessOfItsOwn) {
  World w(district());
  copy_fixture(w.dir() / "district", "classlink-district");
  ASSERT_EQ(w.sync(*Date::parse("2018-10-01")).status, 0);
  copy_fixture(w.dir() / "district", "classlink-delta");
  const auto file = w.dir() / "delta.plan";
  const auto plan =
      w.rosterd({"--lang", "en", "plan", "--today", "2018-11-05", "--out", file.string()});
  ASSERT_EQ(plan.status, 0) << plan.output;
  const auto applied = w.rosterd({"--lang", "en", "apply", file.string()});
  ASSERT_EQ(applied.status, 0) << applied.output;
  EXPECT_EQ(applied.output.find("refused"), std::string::npos) << applied.output;
  // Noah (4003) left on 2018-10-31, Olivia (4005) joined: as the sync after the delta makes it.
  EXPECT_EQ(members_of(w.state(), "Algebra I (period 1) · Lincoln High School"),
            (std::set<std::int64_t>{3001, 4001, 4005}));
}

}  // namespace
}  // namespace rosterd::e2e
