// The action log (intent before the call, outcome after), held actions and approvals, runs.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <span>
#include <optional>
#include <string>
#include <vector>

#include "mapping/chat.h"
#include "mapping/plan.h"
#include "mapping/ports.h"
#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

using mapping::Action;
using mapping::ActionRecord;
using mapping::ActionStatus;
using mapping::ActionType;
using mapping::AppliedChat;
using mapping::ChatId;
using mapping::ChatKind;
using mapping::MemberRole;

using ActionLogStore = StoreTest;
ROSTERD_STORE_SUITE(ActionLogStore);

Action create_chat(const std::string& key) {
  Action a;
  a.type = ActionType::create_chat;
  a.chat_key = key;
  a.chat_kind = ChatKind::parents;
  a.group_id = "g-5a";
  a.title = "Родители 5А";
  a.reason = "new group 5А";
  return a;
}

Action add_member(const std::string& person, std::optional<std::int64_t> uid) {
  Action a;
  a.type = ActionType::add_member;
  a.chat_key = "class:g-5a";
  a.person_id = person;
  a.platform_user_id = uid;
  a.role = MemberRole::admin;
  a.reason = "class teacher since 2026-09-01";
  return a;
}

Action remove_member(const std::string& person) {
  Action a = add_member(person, 42);
  a.type = ActionType::remove_member;
  a.role = MemberRole::member;
  a.reason = "withdrawn, last day 2026-11-20";
  a.held = true;
  a.held_reason = "3 removals exceed the limit of 2";
  return a;
}

// Takes over a chat that already serves the group: the action carries the chat's id.
Action adopt_chat(const std::string& key, ChatId chat_id) {
  Action a = create_chat(key);
  a.type = ActionType::adopt_chat;
  a.chat_id = chat_id;
  a.reason = "title and 23 of 25 members match";
  return a;
}

ActionRecord outcome(std::int64_t id, ActionStatus status, std::optional<ChatId> chat_id = {},
                     int error_code = 0, std::string message = {}) {
  ActionRecord r;
  r.id = id;
  r.status = status;
  r.chat_id = chat_id;
  r.error_code = error_code;
  r.message = std::move(message);
  return r;
}

TEST_P(ActionLogStore, ReturnsRecordedIntentsAsUnresolvedOldestFirst) {
  const std::vector<Action> actions{create_chat("parents:g-5a"), add_member("p-1", 890160957000031),
                                    add_member("p-2", std::nullopt)};
  const std::vector<std::optional<ChatId>> chat_ids{std::nullopt, 4211, 4211};
  const auto ids = store().record_intents("sch-1", 7, actions, chat_ids);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);

  const auto open = store().unresolved("sch-1");
  ASSERT_EQ(open.size(), 3u);
  for (std::size_t i = 0; i < open.size(); ++i) {
    EXPECT_EQ(open[i].id, ids[i]);
    EXPECT_EQ(open[i].org_id, "sch-1");
    EXPECT_EQ(open[i].run_id, 7);
    EXPECT_EQ(open[i].action, actions[i]);
    EXPECT_EQ(open[i].chat_id, chat_ids[i]);
    EXPECT_EQ(open[i].status, ActionStatus::intended);
  }
  EXPECT_TRUE(store().unresolved("sch-2").empty());
}

TEST_P(ActionLogStore, ReadsAnAdoptedChatsIdBackIntoItsAdoptChatAction) {
  const std::vector<Action> actions{adopt_chat("class:g-5a", 2'000'000'017),
                                    adopt_chat("parents:g-5a", 9'007'199'254'740'993)};
  // The sync knows no chat id for a chat it has not adopted yet: the action's is recorded.
  const std::vector<std::optional<ChatId>> chat_ids{std::nullopt, std::nullopt};
  const auto ids = store().record_intents("sch-1", 3, actions, chat_ids);
  store().record_outcomes("sch-1", std::vector{outcome(ids[1], ActionStatus::unknown)}, {}, {});

  const auto open = store().unresolved("sch-1");
  ASSERT_EQ(open.size(), 2u);
  for (std::size_t i = 0; i < open.size(); ++i) {
    EXPECT_EQ(open[i].action, actions[i]);
    EXPECT_EQ(open[i].chat_id, actions[i].chat_id);
  }
}

TEST_P(ActionLogStore, TakesEntriesOutOfUnresolvedOnceTheirOutcomeIsKnown) {
  const std::vector<Action> actions{create_chat("parents:g-5a"), add_member("p-1", 1),
                                    add_member("p-2", 2), add_member("p-3", 3)};
  const auto ids = store().record_intents("sch-1", 1, actions, {});
  const std::vector<ActionRecord> outcomes{
      outcome(ids[0], ActionStatus::done, 4211),
      outcome(ids[1], ActionStatus::unknown, std::nullopt, 504, "HTTP 504"),
      outcome(ids[2], ActionStatus::rejected, std::nullopt, 936, "contact not found"),
  };
  store().record_outcomes("sch-1", outcomes, {}, {});

  auto open = store().unresolved("sch-1");
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].id, ids[1]);
  EXPECT_EQ(open[0].status, ActionStatus::unknown);
  EXPECT_EQ(open[0].error_code, 504);
  EXPECT_EQ(open[0].message, "HTTP 504");
  EXPECT_EQ(open[1].id, ids[3]);
  EXPECT_EQ(open[1].status, ActionStatus::intended);

  // The unknown outcome was looked up on the platform and settled.
  store().record_outcomes("sch-1", std::vector{outcome(ids[1], ActionStatus::resolved)}, {}, {});
  open = store().unresolved("sch-1");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].id, ids[3]);
}

TEST_P(ActionLogStore, KeepsTheIntendedChatIdWhenTheOutcomeHasNone) {
  const auto ids = store().record_intents("sch-1", 1, std::vector{add_member("p-1", 1)},
                                          std::vector<std::optional<ChatId>>{4211});
  store().record_outcomes("sch-1", std::vector{outcome(ids[0], ActionStatus::unknown)}, {}, {});
  const auto open = store().unresolved("sch-1");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].chat_id, 4211);
}

TEST_P(ActionLogStore, SavesOutcomesAndTheChatsTheyChangedTogether) {
  AppliedChat old_chat{"class:g-old", ChatKind::class_chat, "g-old", 1, "old", false,
                       true,          std::nullopt,         {},      {}};
  store().save_chats("sch-1", std::vector{old_chat}, {});
  const auto ids = store().record_intents("sch-1", 1, std::vector{create_chat("class:g-5a")}, {});
  AppliedChat created{"class:g-5a", ChatKind::class_chat, "g-5a", 4211, "5А", false,
                      true,         std::nullopt,         {},     {}};
  store().record_outcomes("sch-1", std::vector{outcome(ids[0], ActionStatus::done, 4211)},
                          std::vector{created}, std::vector<std::string>{"class:g-old"});
  EXPECT_TRUE(store().unresolved("sch-1").empty());
  EXPECT_EQ(store().load("sch-1").chats, std::vector{created});
}

TEST_P(ActionLogStore, RecordsNoOutcomeOfABatchNamingAnUnknownEntry) {
  const auto ids = store().record_intents("sch-1", 1, std::vector{create_chat("class:g-5a")}, {});
  const auto other = store().record_intents("sch-2", 1, std::vector{create_chat("class:g-5a")}, {});
  AppliedChat created{"class:g-5a", ChatKind::class_chat, "g-5a", 4211, "5А", false,
                      true,         std::nullopt,         {},     {}};
  // An id of another school does not belong to this one: the whole batch is refused.
  const std::vector outcomes{outcome(ids[0], ActionStatus::done, 4211),
                             outcome(other[0], ActionStatus::done, 4212)};
  EXPECT_ANY_THROW(store().record_outcomes("sch-1", outcomes, std::vector{created}, {}));
  EXPECT_EQ(store().unresolved("sch-1").size(), 1u);
  EXPECT_EQ(store().unresolved("sch-2").size(), 1u);
  EXPECT_TRUE(store().load("sch-1").chats.empty());
}

TEST_P(ActionLogStore, ReplacesTheHeldListAndTurnsItIntoApprovals) {
  const auto first = remove_member("p-1");
  const auto second = remove_member("p-2");
  store().save_held("sch-1", std::vector{first, second});
  EXPECT_EQ(store().held("sch-1"), (std::vector{first, second}));
  store().save_held("sch-1", std::vector{second});
  EXPECT_EQ(store().held("sch-1"), std::vector{second});
  EXPECT_TRUE(store().approved("sch-1").empty());

  EXPECT_EQ(store().approve_actions("sch-1", std::vector{mapping::action_id(second)}), 1u);
  EXPECT_TRUE(store().held("sch-1").empty());
  EXPECT_EQ(store().approved("sch-1"), std::set<std::string>{mapping::action_id(second)});
  EXPECT_TRUE(store().approved("sch-2").empty());

  store().consume_approvals("sch-1", std::vector<std::string>{mapping::action_id(second)});
  EXPECT_TRUE(store().approved("sch-1").empty());
}

TEST_P(ActionLogStore, KeepsTheChatIdOfAHeldAdoptChatAndOfNoOtherAction) {
  auto adopt = adopt_chat("class:g-5a", 2'000'000'017);
  adopt.held = true;
  adopt.held_reason = "adopting waits for approval";
  const auto removal = remove_member("p-1");  // no chat id
  store().save_held("sch-1", std::vector{adopt, removal});
  EXPECT_EQ(store().held("sch-1"), (std::vector{adopt, removal}));
}

TEST_P(ActionLogStore, ApprovesNothingWhenNothingIsHeld) {
  EXPECT_EQ(store().approve_actions("sch-1", std::vector{mapping::action_id(remove_member("p-1"))}),
            0u);
  EXPECT_TRUE(store().approved("sch-1").empty());
}

TEST_P(ActionLogStore, LogsRunsNewestFirst) {
  const auto first = store().begin_run("sch-1", "2026-11-26T03:00:00Z");
  const auto second = store().begin_run("sch-1", "2026-11-26T04:00:00Z");
  (void)store().begin_run("sch-2", "2026-11-26T04:00:00Z");
  const mapping::RunRecord finished{
      first, "sch-1", "2026-11-26T03:00:00Z", "2026-11-26T03:00:09Z", mapping::CycleResult::held,
      "12 actions, 3 held"};
  store().finish_run(finished);

  const auto runs = store().runs("sch-1", 10);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, second);
  EXPECT_EQ(runs[0].finished_at, "");
  EXPECT_EQ(runs[1].id, finished.id);
  EXPECT_EQ(runs[1].org_id, finished.org_id);
  EXPECT_EQ(runs[1].started_at, finished.started_at);
  EXPECT_EQ(runs[1].finished_at, finished.finished_at);
  EXPECT_EQ(runs[1].result, finished.result);
  EXPECT_EQ(runs[1].summary, finished.summary);
  EXPECT_EQ(store().runs("sch-1", 1).size(), 1u);
}

TEST_P(ActionLogStore, RefusesToFinishARunItDoesNotHave) {
  EXPECT_ANY_THROW(store().finish_run({999, "sch-1", "", "", mapping::CycleResult::ok, ""}));
}

}  // namespace
}  // namespace rosterd::adapters::store::testing

namespace rosterd::adapters::store::testing {
namespace {

// Records one attempt of `action` in its own run, with this outcome.
void attempt(mapping::StateStore& s, const mapping::Action& action, ActionStatus status,
             int error_code) {
  const auto run = s.begin_run("sch-1", "2026-11-26T03:00:00Z");
  const std::vector<mapping::Action> actions{action};
  const std::vector<std::optional<ChatId>> chat_ids{ChatId{700}};
  const auto ids = s.record_intents("sch-1", run, actions, chat_ids);
  const ActionRecord outcome{ids.at(0), "sch-1", run, action, ChatId{700}, status, error_code,
                             status == ActionStatus::rejected ? "no access" : "", {}};
  s.record_outcomes("sch-1", std::span(&outcome, 1), {}, {});
}

mapping::Action member(const std::string& person) {
  mapping::Action a;
  a.type = ActionType::add_member;
  a.chat_key = "class:g-5a";
  a.person_id = person;
  a.platform_user_id = 42;
  return a;
}

using RejectionStore = StoreTest;
ROSTERD_STORE_SUITE(RejectionStore);

TEST_P(RejectionStore, CountsTheRefusalsWithOneCodeThatEndAWritesLog) {
  // p1: refused, done, then refused twice with 917 → 2. p2: 15 then 917 → 1 (the code changed).
  // p3: refused, then done → no rejection. p4: refused three times → 3.
  attempt(store(), member("p1"), ActionStatus::rejected, 917);
  attempt(store(), member("p1"), ActionStatus::done, 0);
  attempt(store(), member("p1"), ActionStatus::rejected, 917);
  attempt(store(), member("p1"), ActionStatus::rejected, 917);
  attempt(store(), member("p2"), ActionStatus::rejected, 15);
  attempt(store(), member("p2"), ActionStatus::rejected, 917);
  attempt(store(), member("p3"), ActionStatus::rejected, 917);
  attempt(store(), member("p3"), ActionStatus::done, 0);
  for (int i = 0; i < 3; ++i) attempt(store(), member("p4"), ActionStatus::rejected, 936);

  std::map<std::string, std::pair<int, std::size_t>> got;
  for (const auto& r : store().rejections("sch-1")) {
    got[r.action.person_id] = {r.error_code, r.times};
    EXPECT_EQ(r.chat_id, ChatId{700});
    EXPECT_EQ(r.message, "no access");
  }
  const std::map<std::string, std::pair<int, std::size_t>> expected = {
      {"p1", {917, 2}}, {"p2", {917, 1}}, {"p4", {936, 3}}};
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(store().rejections("sch-2").empty());
}

TEST_P(RejectionStore, RefusesARunWhoseResultIsNotACycleResult) {
  const auto run = store().begin_run("sch-1", "2026-11-26T03:00:00Z");
  target().exec_raw("UPDATE runs SET result = 'green' WHERE id = " + std::to_string(run));
  try {
    (void)store().runs("sch-1", 10);
    FAIL() << "a run with result 'green' was read";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("'green'"), std::string::npos) << e.what();
  }
}

TEST_P(RejectionStore, ReadsARunThatNeverFinishedAsWithoutResult) {
  (void)store().begin_run("sch-1", "2026-11-26T03:00:00Z");
  const auto runs = store().runs("sch-1", 10);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_FALSE(runs[0].result.has_value());
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
