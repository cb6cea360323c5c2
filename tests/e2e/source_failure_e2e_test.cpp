// A journal answer rosterd cannot trust makes no write at all, end to end: the real rosterd
// against a real platform-sim, the export folder broken the ways a journal breaks.
#include <gtest/gtest.h>

#include <functional>

#include "generator/generator.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;

const Date kStart = *Date::parse("2026-09-01");

struct Breakage {
  const char* what;
  std::function<void(mapping::Roster&)> apply;
};

TEST(SourceFailureEndToEnd, AnEmptiedOrCutExportLeavesThePlatformUntouched) {
  World w;
  const auto good = generator::make_school("sch-0001", 11, kStart,
                                           {.classes = 6, .students_per_class = 10});
  w.write_journal(good);
  const auto first = w.sync(kStart);
  ASSERT_EQ(first.status, 0) << first.output;
  const auto synced = w.stats();
  ASSERT_GT(synced["by_method"]["messages.createChat"].get<int>(), 0);

  const std::vector<Breakage> breakages = {
      {"enrolments emptied", [](mapping::Roster& r) { r.enrolments.clear(); }},
      {"relations emptied", [](mapping::Roster& r) { r.relations.clear(); }},
      {"enrolments cut to 10 %",
       [](mapping::Roster& r) {
         std::vector<mapping::Enrolment> kept;
         for (std::size_t i = 0; i < r.enrolments.size(); i += 10) kept.push_back(r.enrolments[i]);
         r.enrolments = std::move(kept);
       }},
      {"leader assignments gone",
       [](mapping::Roster& r) {
         std::erase_if(r.enrolments, [](const mapping::Enrolment& e) {
           return e.role == mapping::EnrolmentRole::leader;
         });
       }},
  };
  // Weeks later: on a healthy answer invite links would be renewed and grace periods end.
  const Date later = kStart.plus_days(30);
  for (const auto& b : breakages) {
    auto broken = good;
    b.apply(broken);
    w.write_journal(broken);
    const auto run = w.sync(later);
    EXPECT_NE(run.output.find("sch-0001: source_failure"), std::string::npos)
        << b.what << "\n"
        << run.output;
    EXPECT_EQ(w.stats()["writes"], synced["writes"])
        << b.what << ": the platform saw a write\n"
        << run.output;
  }
}

// `plan` always refused a folder holding another organisation; `sync` used to apply it.
TEST(SourceFailureEndToEnd, SyncRefusesAFolderThatHoldsAnotherOrganisation) {
  World w;
  const auto other = generator::make_school("sch-0002", 12, kStart,
                                            {.classes = 2, .students_per_class = 5});
  generator::write_export(other, w.dir() / "export" / "sch-0001");
  const auto before = w.stats();
  const auto run = w.sync(kStart);
  EXPECT_NE(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("holds organisation sch-0002, not the configured school sch-0001"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(w.stats()["writes"], before["writes"]) << "the platform saw a write";
}

}  // namespace
}  // namespace rosterd::e2e
