// rosterd sync against a real platform-sim: a fresh school, days of movement, a year
// rollover, held removals, and what a second sync costs.
#include <gtest/gtest.h>

#include <algorithm>

#include "adapters/store/store.h"
#include "generator/generator.h"
#include "mapping/plan.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;

const Date kStart = *Date::parse("2026-09-01");

mapping::Roster small_school(std::uint64_t seed, int classes = 6, int students = 8) {
  return generator::make_school("sch-0001", seed, kStart,
                                {.classes = classes, .students_per_class = students});
}

void expect_platform_matches(World& w, const mapping::Roster& roster, Date day) {
  const auto want = expected_view(w, roster.org.id, day);
  const auto got = observed_view(w.state());
  EXPECT_EQ(describe_difference(want, got), "") << "on " << day.iso();
  EXPECT_EQ(got.live.size(), want.live.size());
}

TEST(SyncEndToEnd, ConvergesAFreshSchoolAndLaterSyncsOnlyLookWithoutWriting) {
  World w({.sim_args = {"--rps", "50"}, .client_rps = 45});
  const auto roster = small_school(7);
  w.write_journal(roster);
  auto run = w.sync(kStart);
  ASSERT_EQ(run.status, 0) << run.output;
  expect_platform_matches(w, roster, kStart);
  EXPECT_EQ(w.stats()["by_method"]["messages.createChat"], 13) << "6 classes x 2 chats + staff";

  const auto before = w.stats();
  run = w.sync(kStart);
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("no changes; 0 held; 0 written"), std::string::npos) << run.output;
  EXPECT_EQ(w.stats()["writes"], before["writes"]) << "a sync with no journal change writes nothing";
  // The chats it made are read once (13 chats: one execute of 25 reads at most)...
  EXPECT_EQ(w.stats()["by_method"]["messages.getConversationMembers"], 13);
  // ... and from then on a sync costs the listing and the token's own user: two reads.
  const auto steady = w.stats();
  run = w.sync(kStart);
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(w.stats()["writes"], steady["writes"]);
  EXPECT_EQ(w.stats()["requests"].get<int>() - steady["requests"].get<int>(), 2)
      << w.stats().dump();
}

TEST(SyncEndToEnd, FollowsDaysOfMovementAndNeverLogsPersonalData) {
  World w;
  auto roster = small_school(8, 8, 10);
  Date day = kStart;
  w.write_journal(roster);
  ASSERT_EQ(w.sync(day).status, 0);
  for (int i = 1; i <= 4; ++i) {
    day = day.plus_days(1);
    roster = generator::next_day(roster, 100 + i, day);
    w.write_journal(roster);
    const auto run = w.sync(day);
    ASSERT_EQ(run.status, 0) << run.output;
    expect_platform_matches(w, roster, day);
  }
  const auto output = w.all_output() + testing::read_file(w.dir() / "rosterd.json");
  EXPECT_EQ(output.find("e2e-secret-token-4242"), std::string::npos);
  for (const auto& p : roster.persons) {
    if (!p.phone.empty()) {
      EXPECT_EQ(output.find(p.phone), std::string::npos) << p.id;
    }
    if (!p.email.empty()) {
      EXPECT_EQ(output.find(p.email), std::string::npos) << p.id;
    }
  }
}

TEST(SyncEndToEnd, ConvergesAKindergartenAndAnAdditionalEducationCentreAcrossAYear) {
  for (const bool kindergarten : {true, false}) {
    SCOPED_TRACE(kindergarten ? "kindergarten" : "additional education");
    WorldOptions options;  // the year's leavers are not held: this is about who belongs where
    options.max_removals = 1000;
    options.extra_config = {
        {"defaults",
         {{"limits",
           {{"max_removal_share", 1.0}, {"max_archives", 100}, {"max_archive_share", 1.0}}}}}};
    World w(options);
    auto roster = kindergarten ? generator::make_kindergarten("sch-0001", 12, kStart)
                               : generator::make_additional("sch-0001", 13, kStart);
    w.write_journal(roster);
    auto run = w.sync(kStart);
    ASSERT_EQ(run.status, 0) << run.output;
    expect_platform_matches(w, roster, kStart);
    const Date sept1 = *Date::parse("2027-09-01");
    roster = generator::next_year(roster, 12, sept1);
    w.write_journal(roster);
    run = w.sync(sept1);
    ASSERT_EQ(run.status, 0) << run.output;
    expect_platform_matches(w, roster, sept1);
  }
}

TEST(SyncEndToEnd, RenamesContinuingChatsAndArchivesGraduatedOnesOnANewYear) {
  World w;
  auto roster = small_school(9, 11, 5);
  w.write_journal(roster);
  ASSERT_EQ(w.sync(kStart).status, 0);
  const auto created_before = w.stats()["by_method"]["messages.createChat"].get<int>();
  const std::set<std::string> titles_before = [&] {
    std::set<std::string> t;
    for (const auto& [title, _] : observed_view(w.state()).live) t.insert(title);
    return t;
  }();

  const Date sept1 = *Date::parse("2027-09-01");
  roster = generator::next_year(roster, 9, sept1);
  w.write_journal(roster);
  const auto run = w.sync(sept1);
  ASSERT_EQ(run.status, 0) << run.output;
  expect_platform_matches(w, roster, sept1);

  const auto view = observed_view(w.state());
  EXPECT_TRUE(view.archived.contains("11А · " + roster.org.short_name)) << run.output;
  EXPECT_TRUE(view.archived.contains("11А · родители · " + roster.org.short_name));
  EXPECT_TRUE(view.live.contains("11А · " + roster.org.short_name)) << "10А became 11А";
  EXPECT_GT(w.stats()["by_method"]["messages.editChat"].get<int>(), 0);
  // Only the new first grade gets new chats; every other class keeps its chats, renamed.
  const auto created = w.stats()["by_method"]["messages.createChat"].get<int>() - created_before;
  EXPECT_EQ(created, 2) << run.output;
  EXPECT_EQ(titles_before.size(), 23u);
}

TEST(SyncEndToEnd, HoldsMassRemovalsUntilAnAdminApprovesThem) {
  WorldOptions options;
  options.max_removals = 2;
  World w(options);
  auto roster = small_school(10);
  w.write_journal(roster);
  ASSERT_EQ(w.sync(kStart).status, 0);

  const Date day = kStart.plus_days(1);
  int withdrawn = 0;
  for (auto& e : roster.enrolments) {
    if (e.role == mapping::EnrolmentRole::student && withdrawn < 4 && !e.to) {
      e.to = kStart;
      e.reason = "withdrawn";
      ++withdrawn;
    }
  }
  w.write_journal(roster);
  auto run = w.sync(day);
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find(": held: "), std::string::npos) << run.output;
  const auto still = observed_view(w.state());
  EXPECT_NE(describe_difference(expected_view(w, roster.org.id, day), still), "")
      << "held removals must not be applied";

  const auto approve = w.rosterd({"approve", "--school", "sch-0001", "--yes"});
  ASSERT_EQ(approve.status, 0) << approve.output;
  EXPECT_NE(approve.output.find("одобрено"), std::string::npos) << approve.output;
  run = w.sync(day);
  ASSERT_EQ(run.status, 0) << run.output;
  expect_platform_matches(w, roster, day);
}

// Whether the platform shows this held removal's person in its chat (by the chat's title).
bool on_platform(World& w, const mapping::Action& removal) {
  const auto store = adapters::store::open_sqlite_store(w.dir() / "state/rosterd.db");
  std::string title;
  for (const auto& chat : store->load("sch-0001").chats) {
    if (chat.key == removal.chat_key) title = chat.title;
  }
  const auto view = observed_view(w.state());
  const auto chat = view.live.find(title);
  return chat != view.live.end() && chat->second.contains(*removal.platform_user_id);
}

TEST(SyncEndToEnd, ReleasesOneApprovedRemovalAndKeepsARejectedOnesPersonInTheChat) {
  WorldOptions options;
  options.max_removals = 2;
  World w(options);
  auto roster = small_school(10);
  w.write_journal(roster);
  ASSERT_EQ(w.sync(kStart).status, 0);
  int withdrawn = 0;
  for (auto& e : roster.enrolments) {
    if (e.role == mapping::EnrolmentRole::student && withdrawn < 5 && !e.to) {
      e.to = kStart;
      e.reason = "withdrawn";
      ++withdrawn;
    }
  }
  w.write_journal(roster);
  const Date day = kStart.plus_days(1);
  ASSERT_EQ(w.sync(day).status, 0);

  std::vector<mapping::Action> held;
  for (auto& a : adapters::store::open_sqlite_store(w.dir() / "state/rosterd.db")->held("sch-0001"))
    if (a.type == mapping::ActionType::remove_member && a.platform_user_id) held.push_back(a);
  ASSERT_GE(held.size(), 5u) << "five students left, the limit is two";
  const auto& approved = held[0];
  const auto& rejected = held[1];
  ASSERT_TRUE(on_platform(w, approved) && on_platform(w, rejected));

  const auto removals = [&] { return w.stats()["by_method"].value("messages.removeChatUser", 0); };
  const int removed_before = removals();
  auto decided = w.rosterd({"approve", "--school", "sch-0001", "--action",
                            mapping::action_id(approved), "--yes"});
  ASSERT_EQ(decided.status, 0) << decided.output;
  EXPECT_NE(decided.output.find("одобрено 1 действие"), std::string::npos) << decided.output;
  auto run = w.sync(day);
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(removals(), removed_before + 1) << run.output;
  EXPECT_FALSE(on_platform(w, approved));
  EXPECT_TRUE(on_platform(w, rejected));

  decided = w.rosterd({"approve", "--school", "sch-0001", "--reject",
                       mapping::action_id(rejected), "--yes"});
  ASSERT_EQ(decided.status, 0) << decided.output;
  EXPECT_NE(decided.output.find("отклонено 1 действие"), std::string::npos) << decided.output;
  for (int cycle = 0; cycle < 2; ++cycle) {
    run = w.sync(day);
    ASSERT_EQ(run.status, 0) << run.output;
    EXPECT_TRUE(on_platform(w, rejected)) << run.output;
  }
  EXPECT_EQ(removals(), removed_before + 1) << "the others are still held";
  const auto still_held =
      adapters::store::open_sqlite_store(w.dir() / "state/rosterd.db")->held("sch-0001");
  const auto still_removals = std::ranges::count_if(
      still_held, [](const auto& a) { return a.type == mapping::ActionType::remove_member; });
  EXPECT_EQ(static_cast<std::size_t>(still_removals), held.size() - 2);
  for (const auto& a : still_held) {
    EXPECT_NE(mapping::action_id(a), mapping::action_id(rejected));
    EXPECT_NE(mapping::action_id(a), mapping::action_id(approved));
  }
}

}  // namespace
}  // namespace rosterd::e2e
