// Source states (migration 9): what a journal source keeps between processes, by its own key.
// The OneRoster folder's delta state kept here survives a restart: a new store object and a new
// folder object (a new process) apply the delta on top of the bulk the first one read.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "adapters/oneroster/oneroster.h"
#include "tests/adapters/store/store_target.h"
#include "tests/support/files.h"

namespace rosterd::adapters::store::testing {
namespace {

namespace fs = std::filesystem;
using SourceStatesStore = StoreTest;
ROSTERD_STORE_SUITE(SourceStatesStore);

TEST_P(SourceStatesStore, KeepsEachKeysLatestStateAcrossReopening) {
  EXPECT_FALSE(store().source_state("oneroster:/srv/a").has_value());
  store().save_source_state("oneroster:/srv/a", "first");
  store().save_source_state("oneroster:/srv/b", "другой\tstate\nwith lines");
  store().save_source_state("oneroster:/srv/a", "second");
  close_store();
  const auto again = target().open();
  EXPECT_EQ(again->source_state("oneroster:/srv/a"), "second");
  EXPECT_EQ(again->source_state("oneroster:/srv/b"), "другой\tstate\nwith lines");
  EXPECT_FALSE(again->source_state("oneroster:/srv/c").has_value());
  EXPECT_EQ(target().query_int("SELECT COUNT(*) FROM source_states"), 2);
}

oneroster::StateKeeping through(mapping::StateStore& store, bool save = true) {
  oneroster::StateKeeping keeping;
  keeping.load = [&store](const std::string& key) { return store.source_state(key); };
  if (save) {
    keeping.save = [&store](const std::string& key, const std::string& state) {
      store.save_source_state(key, state);
    };
  }
  return keeping;
}

void copy_fixture(const fs::path& to, const std::string& name) {
  for (const auto& entry : fs::directory_iterator(to)) fs::remove(entry.path());
  for (const auto& entry : fs::directory_iterator(fs::path(ONEROSTER_FIXTURES) / name)) {
    fs::copy_file(entry.path(), to / entry.path().filename());
  }
}

TEST_P(SourceStatesStore, AOneRosterDeltaAppliesAfterARestart) {
  rosterd::testing::TempFolder dir("oneroster-store");
  oneroster::Options options;
  options.platform_id_type = "sferum";
  copy_fixture(dir.path(), "classlink-district");
  {
    const auto process = target().open();
    oneroster::OneRosterFolder folder(dir.path(), options, through(*process));
    (void)folder.read();
  }
  // The district sends its delta while no process runs: stu-3's last day in cls-alg-1 is
  // 2018-10-31, and stu-5 joins it (fixtures/make_classlink.py).
  copy_fixture(dir.path(), "classlink-delta");
  const auto process = target().open();
  oneroster::OneRosterFolder folder(dir.path(), options, through(*process));
  const auto roster = folder.read()->rosters.at("hs-1");
  std::optional<mapping::Date> stu3_to;
  bool stu5 = false, stu1 = false;
  for (const auto& e : roster->enrolments) {
    if (e.group_id != "cls-alg-1") continue;
    if (e.person_id == "stu-3") stu3_to = e.to;
    stu5 = stu5 || e.person_id == "stu-5";
    stu1 = stu1 || e.person_id == "stu-1";
  }
  EXPECT_EQ(stu3_to, mapping::Date::from_ymd(2018, 10, 31));
  EXPECT_TRUE(stu5) << "the delta's new enrolment";
  EXPECT_TRUE(stu1) << "the bulk's enrolment, from the kept state";
  EXPECT_EQ(roster->groups.size(), 8u);
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
