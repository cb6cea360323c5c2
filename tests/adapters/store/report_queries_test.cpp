// What the reports read: the weekly rows of a school's numbers (the latest of each ISO week)
// and the action log by school, person and chat.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "mapping/message.h"
#include "mapping/plan.h"
#include "mapping/ports.h"
#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

using mapping::Action;
using mapping::ActionType;
using mapping::ChatKind;
using mapping::Date;
using mapping::SchoolNumbers;
using mapping::WeekNumbers;

using WeeksStore = StoreTest;
ROSTERD_STORE_SUITE(WeeksStore);
using HistoryStore = StoreTest;
ROSTERD_STORE_SUITE(HistoryStore);

Date day(const char* iso) {
  return *Date::parse(iso);
}

// Numbers of one look, written out by hand: `n` tells the looks apart.
SchoolNumbers look(const char* on, std::uint32_t n) {
  SchoolNumbers s;
  s.chats = {{"class:g-5a", 4 + n, 3, 2, 1, true}};
  s.managed_chats = 3;
  s.active_chats = 1;
  s.expected = 30 + n;
  s.expected_in = 20 + n;
  s.day = day(on);
  s.name = "МБОУ «СОШ № 1»; корпус \"Б\"";
  s.kind(ChatKind::class_chat) = {1, 1, 25, 20 + n};
  s.kind(ChatKind::parents) = {1, 0, 40, 10 + n};
  s.kind(ChatKind::association) = {0, 0, 3, 0};
  s.kind(ChatKind::staff) = {1, 1, 12, 11};
  s.classes = 2;
  s.classes_covered = n % 3;
  return s;
}

// The week's row: the numbers without the chats' own.
WeekNumbers week_of(const char* monday, SchoolNumbers s) {
  s.chats.clear();
  return {day(monday), std::move(s)};
}

TEST_P(WeeksStore, RoundTripsTheMonitoringFiguresWithTheLatestNumbers) {
  lease(store(), {"sch-1"});
  store().save_numbers("sch-1", look("2026-09-02", 1));
  close_store();
  EXPECT_EQ(store().numbers("sch-1"), look("2026-09-02", 1));
}

TEST_P(WeeksStore, KeepsTheLatestNumbersOfEachWeekUnderItsMonday) {
  lease(store(), {"sch-1"});
  // 2026-09-07 is a Monday: Sunday the 6th still belongs to the week before.
  store().save_numbers("sch-1", look("2026-09-01", 1));
  store().save_numbers("sch-1", look("2026-09-06", 2));
  store().save_numbers("sch-1", look("2026-09-07", 3));
  store().save_numbers("sch-1", look("2026-09-09", 4));
  store().save_numbers("sch-1", look("2026-09-21", 5));
  const std::vector<WeekNumbers> want = {week_of("2026-09-21", look("2026-09-21", 5)),
                                         week_of("2026-09-07", look("2026-09-09", 4)),
                                         week_of("2026-08-31", look("2026-09-06", 2))};
  EXPECT_EQ(store().weeks("sch-1", 10), want);
  EXPECT_EQ(store().weeks("sch-1", 2), std::vector(want.begin(), want.begin() + 2));
  EXPECT_EQ(target().query_int("SELECT COUNT(*) FROM school_weeks"), 3);
}

TEST_P(WeeksStore, KeepsNoWeekForNumbersWithoutADayNorForAnotherSchool) {
  lease(store(), {"sch-1", "sch-2"});
  auto undated = look("2026-09-01", 1);
  undated.day.reset();
  store().save_numbers("sch-1", undated);
  store().save_numbers("sch-2", look("2026-09-01", 1));
  EXPECT_TRUE(store().weeks("sch-1", 10).empty());
  EXPECT_EQ(store().weeks("sch-2", 10).size(), 1U);
  EXPECT_EQ(store().numbers("sch-1"), undated);
}

TEST_P(WeeksStore, WritesNoWeekOnceTheLeaseIsLost) {
  const auto a = target().open();
  const auto b = target().open();
  const auto first = a->acquire_lease("sch-9", "host-a", std::chrono::hours(1));
  ASSERT_TRUE(first.acquired);
  a->save_numbers("sch-9", look("2026-09-01", 1));
  ASSERT_TRUE(
      b->take_over_lease("sch-9", "host-b", first.lease.token, std::chrono::hours(1)).acquired);
  EXPECT_THROW(a->save_numbers("sch-9", look("2026-09-02", 2)), mapping::LeaseLost);
  EXPECT_EQ(b->weeks("sch-9", 10),
            std::vector<WeekNumbers>{week_of("2026-08-31", look("2026-09-01", 1))});
}

Action member(ActionType type, const std::string& chat, const std::string& person) {
  Action a;
  a.type = type;
  a.chat_key = chat;
  a.person_id = person;
  a.platform_user_id = 42;
  a.reason = mapping::msg("test.reason", "student of {group}", {{"group", "5А"}});
  return a;
}

// Five entries of sch-1 (p1 in two chats, p2 in one, a chat made) and one of sch-2.
void record_log(mapping::StateStore& store) {
  lease(store, {"sch-1", "sch-2"});
  const std::vector<Action> one = {member(ActionType::add_member, "class:g-5a", "p1"),
                                   member(ActionType::add_member, "parents:g-5a", "p1"),
                                   member(ActionType::add_member, "class:g-5a", "p2"),
                                   member(ActionType::remove_member, "class:g-5a", "p1"),
                                   member(ActionType::create_chat, "class:g-6b", "")};
  const auto ids = store.record_intents("sch-1", 7, one, {});
  std::vector<mapping::ActionRecord> outcomes(2);
  outcomes[0].id = ids[0];
  outcomes[0].status = mapping::ActionStatus::done;
  outcomes[1].id = ids[3];
  outcomes[1].status = mapping::ActionStatus::rejected;
  outcomes[1].error_code = 15;
  outcomes[1].message = "Access denied";
  store.record_outcomes("sch-1", outcomes, {}, {});
  const std::vector<Action> two = {member(ActionType::add_member, "class:g-5a", "p1")};
  (void)store.record_intents("sch-2", 8, two, {});
}

std::vector<std::string> described(const std::vector<mapping::ActionRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) {
    out.push_back(r.org_id + " " + std::string(mapping::name(r.action.type)) + " " +
                  r.action.chat_key + " " + r.action.person_id + " " +
                  std::string(mapping::name(r.status)));
  }
  return out;
}

TEST_P(HistoryStore, ReadsASchoolsLogOldestFirstWithOutcomesAndReasons) {
  record_log(store());
  const auto log = store().action_log("sch-1", {});
  EXPECT_EQ(described(log), (std::vector<std::string>{"sch-1 add_member class:g-5a p1 done",
                                                      "sch-1 add_member parents:g-5a p1 intended",
                                                      "sch-1 add_member class:g-5a p2 intended",
                                                      "sch-1 remove_member class:g-5a p1 rejected",
                                                      "sch-1 create_chat class:g-6b  intended"}));
  ASSERT_EQ(log.size(), 5U);
  EXPECT_EQ(log[3].error_code, 15);
  EXPECT_EQ(log[3].message, "Access denied");
  EXPECT_EQ(mapping::english(log[0].action.reason), "student of 5А");
  EXPECT_FALSE(log[0].intended_at.empty());
  EXPECT_FALSE(log[3].updated_at.empty());
}

TEST_P(HistoryStore, ReadsOnePersonsOrOneChatsEntries) {
  record_log(store());
  EXPECT_EQ(described(store().action_log("sch-1", {.person_id = "p1"})),
            (std::vector<std::string>{"sch-1 add_member class:g-5a p1 done",
                                      "sch-1 add_member parents:g-5a p1 intended",
                                      "sch-1 remove_member class:g-5a p1 rejected"}));
  EXPECT_EQ(described(store().action_log("sch-1", {.chat_key = "class:g-5a"})),
            (std::vector<std::string>{"sch-1 add_member class:g-5a p1 done",
                                      "sch-1 add_member class:g-5a p2 intended",
                                      "sch-1 remove_member class:g-5a p1 rejected"}));
  EXPECT_EQ(described(store().action_log("sch-1", {.person_id = "p1", .chat_key = "class:g-5a"})),
            (std::vector<std::string>{"sch-1 add_member class:g-5a p1 done",
                                      "sch-1 remove_member class:g-5a p1 rejected"}));
  EXPECT_EQ(described(store().action_log("sch-2", {.person_id = "p1"})),
            (std::vector<std::string>{"sch-2 add_member class:g-5a p1 intended"}));
  EXPECT_TRUE(store().action_log("sch-1", {.person_id = "nobody"}).empty());
}

TEST_P(HistoryStore, ReadsTheLatestEntriesWhenLimited) {
  record_log(store());
  EXPECT_EQ(described(store().action_log("sch-1", {.limit = 2})),
            (std::vector<std::string>{"sch-1 remove_member class:g-5a p1 rejected",
                                      "sch-1 create_chat class:g-6b  intended"}));
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
