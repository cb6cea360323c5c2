#include "daemon/schedule.h"

#include <gtest/gtest.h>

namespace rosterd::daemon {
namespace {

using std::chrono::seconds;
using clock_t_ = Schedule::clock;

ScheduleConfig settings(int interval = 900, int jitter = 0) {
  ScheduleConfig s;
  s.interval_s = interval;
  s.jitter_s = jitter;
  s.retry_initial_s = 30;
  s.quarantine_after = 4;
  s.quarantine_retry_s = 21600;
  return s;
}

const clock_t_::time_point t0{};

TEST(Schedule, RunsEveryNewSchoolAtOnceAndNeverTwiceAtATime) {
  Schedule schedule(settings(), 1);
  (void)schedule.set_schools({"a", "b"}, settings(), t0);
  EXPECT_EQ(schedule.take_due(t0, 10), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(schedule.take_due(t0 + seconds(5000), 10).empty()) << "both are still running";
  EXPECT_FALSE(schedule.next_due().has_value());
}

TEST(Schedule, HandsOutNoMoreThanTheIdleWorkers) {
  Schedule schedule(settings(), 1);
  (void)schedule.set_schools({"a", "b", "c"}, settings(), t0);
  EXPECT_EQ(schedule.take_due(t0, 2).size(), 2U);
  EXPECT_EQ(schedule.take_due(t0, 2), (std::vector<std::string>{"c"}));
}

TEST(Schedule, WaitsTheIntervalAfterASuccess) {
  Schedule schedule(settings(900), 1);
  (void)schedule.set_schools({"a"}, settings(900), t0);
  (void)schedule.take_due(t0, 1);
  const auto next = schedule.finished("a", CycleOutcome::success, t0 + seconds(10));
  EXPECT_EQ(next.due, t0 + seconds(910));
  EXPECT_TRUE(schedule.take_due(t0 + seconds(909), 1).empty());
  EXPECT_EQ(schedule.take_due(t0 + seconds(910), 1).size(), 1U);
}

TEST(Schedule, AddsJitterWithinItsBound) {
  Schedule schedule(settings(900, 60), 7);
  (void)schedule.set_schools({"a"}, settings(900, 60), t0);
  bool varied = false;
  clock_t_::time_point first{};
  for (int i = 0; i < 20; ++i) {
    (void)schedule.take_due(t0 + seconds(1'000'000), 1);
    const auto next = schedule.finished("a", CycleOutcome::success, t0);
    EXPECT_GE(next.due, t0 + seconds(900));
    EXPECT_LE(next.due, t0 + seconds(960));
    if (i == 0) first = next.due;
    varied = varied || next.due != first;
  }
  EXPECT_TRUE(varied);
}

TEST(Schedule, BacksOffExponentiallyCappedAtTheIntervalThenQuarantines) {
  auto s = settings(100);
  s.quarantine_after = 5;
  Schedule schedule(s, 1);
  (void)schedule.set_schools({"a"}, s, t0);
  const std::vector<int> waits = {30, 60, 100, 100};  // 120 capped at the interval
  for (const int wait : waits) {
    ASSERT_EQ(schedule.take_due(t0 + seconds(1'000'000), 1).size(), 1U);
    const auto next = schedule.finished("a", CycleOutcome::failure, t0);
    EXPECT_EQ(next.due, t0 + seconds(wait));
    EXPECT_FALSE(next.quarantined);
  }
  (void)schedule.take_due(t0 + seconds(1'000'000), 1);
  auto next = schedule.finished("a", CycleOutcome::failure, t0);
  EXPECT_TRUE(next.quarantined);
  EXPECT_TRUE(next.entered_quarantine);
  EXPECT_EQ(next.consecutive_failures, 5U);
  EXPECT_EQ(next.due, t0 + seconds(21600));

  (void)schedule.take_due(t0 + seconds(1'000'000), 1);
  next = schedule.finished("a", CycleOutcome::failure, t0);
  EXPECT_TRUE(next.quarantined);
  EXPECT_FALSE(next.entered_quarantine) << "reported once, when it enters quarantine";

  (void)schedule.take_due(t0 + seconds(1'000'000), 1);
  next = schedule.finished("a", CycleOutcome::success, t0);
  EXPECT_FALSE(next.quarantined);
  EXPECT_TRUE(next.recovered);
  EXPECT_EQ(next.consecutive_failures, 0U);
  EXPECT_EQ(next.due, t0 + seconds(100));
}

TEST(Schedule, OneSchoolsFailuresDoNotDelayAnother) {
  Schedule schedule(settings(900), 1);
  (void)schedule.set_schools({"bad", "good"}, settings(900), t0);
  (void)schedule.take_due(t0, 2);
  (void)schedule.finished("bad", CycleOutcome::failure, t0);
  (void)schedule.finished("good", CycleOutcome::success, t0);
  EXPECT_EQ(schedule.take_due(t0 + seconds(30), 2), (std::vector<std::string>{"bad"}));
  EXPECT_EQ(schedule.take_due(t0 + seconds(900), 2), (std::vector<std::string>{"good"}));
}

TEST(Schedule, AReloadAddsAndRemovesSchoolsAndForgetsARemovedOneWhenItsCycleEnds) {
  Schedule schedule(settings(), 1);
  (void)schedule.set_schools({"a", "b"}, settings(), t0);
  (void)schedule.take_due(t0, 1);  // a runs
  const auto change = schedule.set_schools({"b", "c"}, settings(), t0 + seconds(1));
  EXPECT_EQ(change.added, (std::vector<std::string>{"c"}));
  EXPECT_EQ(change.removed, (std::vector<std::string>{"a"}));
  EXPECT_NE(schedule.find("a"), nullptr) << "still running";
  (void)schedule.finished("a", CycleOutcome::success, t0 + seconds(2));
  EXPECT_EQ(schedule.find("a"), nullptr);
  EXPECT_EQ(schedule.take_due(t0 + seconds(2), 5), (std::vector<std::string>{"b", "c"}));
}

TEST(Schedule, ANewIntervalAppliesFromTheLastCycle) {
  Schedule schedule(settings(900), 1);
  (void)schedule.set_schools({"a"}, settings(900), t0);
  (void)schedule.take_due(t0, 1);
  (void)schedule.finished("a", CycleOutcome::success, t0);
  (void)schedule.set_schools({"a"}, settings(60), t0 + seconds(10));
  EXPECT_EQ(schedule.next_due(), t0 + seconds(60));
}

TEST(Schedule, AStoppedCycleIsFirstInLineNextTime) {
  Schedule schedule(settings(900), 1);
  (void)schedule.set_schools({"a"}, settings(900), t0);
  (void)schedule.take_due(t0, 1);
  const auto next = schedule.finished("a", CycleOutcome::stopped, t0 + seconds(3));
  EXPECT_EQ(next.due, t0 + seconds(3));
  EXPECT_EQ(next.consecutive_failures, 0U);
}

// `rosterd retry` and a reload that changed a quarantined school: due now, failures kept, so a
// cycle that fails again keeps it quarantined; a running school is left alone.
TEST(Schedule, RetriesAQuarantinedSchoolNowAndKeepsItsFailures) {
  Schedule schedule(settings(), 1);
  (void)schedule.set_schools({"a"}, settings(), t0);
  auto now = t0;
  for (int i = 0; i < 4; ++i) {  // quarantine_after 4
    ASSERT_EQ(schedule.take_due(now, 1), (std::vector<std::string>{"a"}));
    (void)schedule.finished("a", CycleOutcome::failure, now);
    now += seconds(3600);
  }
  ASSERT_TRUE(schedule.find("a")->quarantined);
  EXPECT_TRUE(schedule.take_due(now, 10).empty()) << "quarantined: not for hours";

  bool running = true;
  EXPECT_TRUE(schedule.retry_now("a", now, &running));
  EXPECT_FALSE(running);
  EXPECT_EQ(schedule.take_due(now, 10), (std::vector<std::string>{"a"}));
  EXPECT_EQ(schedule.find("a")->consecutive_failures, 4u);
  const auto again = schedule.finished("a", CycleOutcome::failure, now + seconds(1));
  EXPECT_TRUE(again.quarantined) << "a retry that fails again stays quarantined";
  EXPECT_FALSE(again.entered_quarantine);

  (void)schedule.set_schools({"a", "b"}, settings(), now);
  ASSERT_EQ(schedule.take_due(now + seconds(2), 10), (std::vector<std::string>{"b"}));
  EXPECT_TRUE(schedule.retry_now("b", now + seconds(2), &running));
  EXPECT_TRUE(running) << "b is running: nothing changes for it";
  EXPECT_FALSE(schedule.retry_now("nope", now, &running));
}

}  // namespace
}  // namespace rosterd::daemon
