// What a cycle costs when nothing changed: `rosterd run` against journal-sim and platform-sim.
// After the first full fetch (and the first read of the chats it made), each cycle is one journal
// request answered 304 and nothing else: no platform call at all until a chat's audit is due.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "generator/generator.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;

std::size_t occurrences(const std::filesystem::path& log, const std::string& what) {
  const auto text = testing::read_file(log);
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::size_t cycles_logged(const std::filesystem::path& log) {
  return occurrences(log, "sync.cycle.finished");
}

std::size_t wait_for_cycles(const std::filesystem::path& log, std::size_t n) {
  for (int i = 0; i < 3000 && cycles_logged(log) < n; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return cycles_logged(log);
}

TEST(DaemonCost, ACycleWithNoJournalChangeCostsOneJournalRequestAndNoPlatformCall) {
  const testing::TempFolder journal_dir("rosterd-cost");
  JournalSim journal(journal_dir.path(),
                     generator::make_school("sch-0001", 41, *Date::parse("2026-09-01"),
                                            {.classes = 4, .students_per_class = 6}));
  WorldOptions options;
  options.journal_url = journal.url();
  options.extra_config = {{"schedule", {{"interval_s", 1}, {"jitter_s", 0}}},
                          {"observability", {{"port", 0}}}};
  World w(options);
  const auto log = w.dir() / "daemon.out";
  testing::Process daemon({ROSTERD_BIN, "run", "--config", (w.dir() / "rosterd.json").string()},
                          log);
  ASSERT_GE(wait_for_cycles(log, 2), 2u) << testing::read_file(log);
  // Steady state: the first clean cycle after the chats were made and read left a journal mark.
  for (int i = 0; i < 3000 && occurrences(log, "result=unchanged") == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GT(occurrences(log, "result=unchanged"), 0u) << testing::read_file(log);
  const auto journal_before = journal.stats();
  const auto platform_before = w.stats();
  const auto cycles_before = cycles_logged(log);
  const auto cycles_after = wait_for_cycles(log, cycles_before + 3);
  const auto journal_after = journal.stats();
  const auto platform_after = w.stats();
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(std::chrono::seconds(20)), 0) << testing::read_file(log);

  ASSERT_GE(cycles_after, cycles_before + 3);
  // The stats are read between cycles (1 s apart), so each finished cycle is counted whole.
  const auto cycles = cycles_after - cycles_before;
  EXPECT_EQ(journal_after["requests"].get<std::size_t>() -
                journal_before["requests"].get<std::size_t>(),
            cycles);
  EXPECT_EQ(journal_after["not_modified"].get<std::size_t>() -
                journal_before["not_modified"].get<std::size_t>(),
            cycles);
  const auto count = [](const nlohmann::json& stats, const char* method) {
    return stats["by_method"].value(method, std::size_t{0});
  };
  EXPECT_EQ(platform_after["writes"], platform_before["writes"]) << "no platform write";
  EXPECT_EQ(platform_after["requests"], platform_before["requests"]) << "no platform call";
  EXPECT_EQ(count(platform_after, "sferum.listChats"), count(platform_before, "sferum.listChats"))
      << "not even the organisation's listing";
}

}  // namespace
}  // namespace rosterd::e2e
