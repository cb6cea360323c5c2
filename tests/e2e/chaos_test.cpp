// Crash safety and faults: rosterd killed with SIGKILL at seeded random points while it
// applies a fresh school, and a platform that fails a fifth of its requests and limits the
// rate. At the end the platform holds exactly the chats the test's model asks for, each once.
#include <gtest/gtest.h>
#include <signal.h>

#include <random>

#include "generator/generator.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;

const Date kStart = *Date::parse("2026-09-01");

// Syncs until a cycle changes nothing; the number of cycles it took.
int sync_until_quiet(World& w, const mapping::Roster& roster, Date day, int max_cycles) {
  for (int cycle = 1; cycle <= max_cycles; ++cycle) {
    const auto run = w.sync(day);
    EXPECT_EQ(run.status, 0) << run.output;
    if (run.output.find("no changes; 0 held; 0 written") != std::string::npos) return cycle;
  }
  ADD_FAILURE() << "no quiet cycle within " << max_cycles << " for " << roster.org.id;
  return max_cycles + 1;
}

std::size_t memberships(const PlatformView& view, bool admins_only) {
  std::size_t n = 0;
  for (const auto& [_, members] : view.live) {
    for (const auto& [uid, admin] : members) n += !admins_only || admin;
  }
  return n;
}

TEST(Chaos, ConvergesWithoutDuplicatesAfterThirtyKillsDuringApply) {
  // A killed sync is a gone process of this machine: the next one takes its lease over at once.
  World w({.sim_args = {"--latency-ms", "20"},
           .client_rps = 1000,
           .batch_size = 4,
           .extra_config = {{"schedule", {{"lease_s", 1}}}}});
  const auto roster =
      generator::make_school("sch-0001", 21, kStart, {.classes = 11, .students_per_class = 12});
  w.write_journal(roster);
  std::mt19937_64 rng(2026);
  int kills = 0;
  for (int attempt = 0; attempt < 200 && kills < 30; ++attempt) {
    testing::Process sync(w.sync_argv(kStart), w.dir() / "chaos.out");
    const auto delay = std::chrono::milliseconds(40 + rng() % 120);
    if (sync.wait(delay)) break;  // it finished: nothing left to interrupt
    sync.signal(SIGKILL);
    ASSERT_TRUE(sync.wait(std::chrono::seconds(10)));
    ++kills;
  }
  ASSERT_GE(kills, 30) << "the apply finished before 30 kills; make the school bigger";

  sync_until_quiet(w, roster, kStart, 3);
  const auto want = expected_view(w, roster.org.id, kStart);
  const auto got = observed_view(w.state());
  EXPECT_EQ(describe_difference(want, got), "");
  EXPECT_TRUE(got.duplicate_titles.empty());
  EXPECT_EQ(w.stats()["by_method"]["messages.createChat"].get<std::size_t>(), want.live.size())
      << "every chat created exactly once";
}

TEST(Faults, ConvergesUnderInjectedFailuresAndALowRateLimitApplyingNothingTwice) {
  World w({.sim_args = {"--rps", "10", "--fail-rate", "0.2", "--seed", "11", "--lost-ms", "700"},
           .client_rps = 9,
           .timeout_ms = 400});
  const auto roster = generator::make_school("sch-0001", 22, kStart,
                                             {.classes = 6, .students_per_class = 8});
  w.write_journal(roster);
  const int cycles = sync_until_quiet(w, roster, kStart, 8);
  EXPECT_LE(cycles, 8);

  const auto want = expected_view(w, roster.org.id, kStart);
  const auto got = observed_view(w.state());
  EXPECT_EQ(describe_difference(want, got), "");
  const auto stats = w.stats();
  const auto& calls = stats["by_method"];
  EXPECT_GT(stats["errors"].size(), 0u) << "faults were injected";
  // Calls the platform ran (refused or failed requests ran nothing): each change exactly once.
  EXPECT_EQ(calls["messages.createChat"].get<std::size_t>(), want.live.size());
  EXPECT_EQ(calls["messages.addChatUser"].get<std::size_t>(), memberships(want, false));
  EXPECT_EQ(calls["messages.setMemberRole"].get<std::size_t>(), memberships(want, true));
}

}  // namespace
}  // namespace rosterd::e2e
