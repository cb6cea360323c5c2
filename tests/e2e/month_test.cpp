// A school month end to end: journal-sim (the journal over HTTP, with a day of movement each
// day) + platform-sim + rosterd. After each day the platform holds what the journal says,
// computed by the test's own model (model.h) from the journal's own records; an outage day
// (the journal answers with empty lists) removes nobody.
#include <gtest/gtest.h>

#include "generator/generator.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;

const Date kStart = *Date::parse("2026-09-01");

TEST(Month, FollowsTwentySchoolDaysOverHttpAndAnOutageDayRemovesNobody) {
  const testing::TempFolder journal_dir("rosterd-month");
  JournalSim journal(
      journal_dir.path(),
      generator::make_school("sch-0001", 31, kStart, {.classes = 8, .students_per_class = 10}));
  WorldOptions options;
  options.journal_url = journal.url();
  World w(options);

  constexpr int kOutageDay = 11;
  std::size_t changes_seen = 0;
  Date day = kStart;
  for (int i = 0; i <= 20; ++i, day = day.plus_days(1)) {
    SCOPED_TRACE("day " + std::to_string(i) + " " + day.iso());
    if (i > 0) journal.advance();
    const auto before = observed_view(w.state());
    if (i == kOutageDay) journal.fault("empty");
    const auto run = w.sync(day);
    if (i == kOutageDay) {
      journal.fault("none");
      EXPECT_NE(run.output.find("source_failure"), std::string::npos) << run.output;
      const auto after = observed_view(w.state());
      for (const auto& [title, members] : before.live) {
        for (const auto& [uid, _] : members)
          EXPECT_TRUE(after.live.at(title).contains(uid)) << title << " lost " << uid;
      }
      continue;
    }
    ASSERT_EQ(run.status, 0) << run.output;
    const auto want =
        model_view(journal_from_sim_state(journal.roster()), day.iso(), kFallbackAdmin);
    const auto got = observed_view(w.state());
    EXPECT_EQ(describe_difference(want, got), "");
    if (i > 0 && run.output.find("no changes") == std::string::npos) ++changes_seen;
  }
  EXPECT_GE(changes_seen, 15u) << "movement every day should change something most days";
}

}  // namespace
}  // namespace rosterd::e2e
