// The config keys of observation and adoption: the audit period, what a member removed by hand
// gets, and the chats an administrator binds to groups.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "daemon/cli.h"
#include "daemon/config.h"
#include "daemon/config_bindings.h"
#include "daemon/wiring.h"
#include "tests/daemon/config_fixture.h"

namespace rosterd::daemon {
namespace {

using test_support::BadConfig;
using test_support::problems_of;
using test_support::school_with;
const auto& base = test_support::config_base;

std::string with_bindings(const std::string& bindings) {
  return school_with(R"(, "bindings": )" + bindings);
}

class ObservationConfigErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(ObservationConfigErrors, NameTheKeyPath) {
  const auto problems = problems_of(GetParam().json);
  EXPECT_NE(std::find(problems.begin(), problems.end(), GetParam().problem), problems.end())
      << ::testing::PrintToString(problems);
}

const std::string not_a_key =
    "not a chat key: expected kind:group id, kind one of class, parents, association, staff "
    "(class:g-5a, staff:sch-1)";

INSTANTIATE_TEST_SUITE_P(
    Config, ObservationConfigErrors,
    ::testing::Values(
        BadConfig{
            "audit_below_a_minute",
            R"({"schedule": {"audit_period_s": 59}, "schools": [{"id": "s", "source": {"type": "export", "path": "x"}}]})",
            "schedule.audit_period_s: must be an integer ≥ 60"},
        BadConfig{
            "audit_as_text",
            R"({"schedule": {"audit_period_s": "1d"}, "schools": [{"id": "s", "source": {"type": "export", "path": "x"}}]})",
            "schedule.audit_period_s: must be an integer ≥ 60"},
        BadConfig{
            "removed_by_hand_other",
            R"({"defaults": {"policy": {"removed_by_hand": "ignore"}}, "schools": [{"id": "s", "source": {"type": "export", "path": "x"}}]})",
            "defaults.policy.removed_by_hand: must be \"restore\" or \"report\""},
        BadConfig{"removed_by_hand_bool", school_with(R"(, "policy": {"removed_by_hand": true})"),
                  "schools[0].policy.removed_by_hand: must be a non-empty string"},
        BadConfig{"bindings_list", with_bindings(R"([1, 2])"),
                  "schools[0].bindings: must be an object"},
        BadConfig{"binding_unknown_kind", with_bindings(R"({"club:g1": 5})"),
                  "schools[0].bindings.club:g1: " + not_a_key},
        BadConfig{"binding_without_kind", with_bindings(R"({"g1": 5})"),
                  "schools[0].bindings.g1: " + not_a_key},
        BadConfig{"binding_without_group", with_bindings(R"({"class:": 5})"),
                  "schools[0].bindings.class:: " + not_a_key},
        BadConfig{"binding_other_staff", with_bindings(R"({"staff:sch-2": 5})"),
                  "schools[0].bindings.staff:sch-2: the staff chat's key is staff:sch-1 (the "
                  "school's id)"},
        BadConfig{"binding_zero", with_bindings(R"({"class:g1": 0})"),
                  "schools[0].bindings.class:g1: must be an integer ≥ 1"},
        BadConfig{"binding_text", with_bindings(R"({"class:g1": "2000000001"})"),
                  "schools[0].bindings.class:g1: must be an integer ≥ 1"},
        BadConfig{"binding_twice_in_a_school", with_bindings(R"({"class:g1": 7, "parents:g1": 7})"),
                  "schools[0].bindings.parents:g1: chat 7 is already bound by "
                  "schools[0].bindings.class:g1: a platform chat serves one group"},
        BadConfig{"binding_twice_in_two_schools",
                  R"({"schools": [
                      {"id": "a", "source": {"type": "export", "path": "x"}, "bindings": {"class:g1": 7}},
                      {"id": "b", "source": {"type": "export", "path": "y"}, "bindings": {"staff:b": 7}}]})",
                  "schools[1].bindings.staff:b: chat 7 is already bound by "
                  "schools[0].bindings.class:g1: a platform chat serves one group"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(ObservationConfig, DefaultsToADailyAuditAndRestoringRemovedMembers) {
  const auto config = parse_config(school_with(""), base, "test.json");
  EXPECT_EQ(config.schedule.audit_period_s, 86400);
  EXPECT_TRUE(config.schools.at(0).policy.restore_removed);
  EXPECT_TRUE(config.schools.at(0).bindings.empty());
}

TEST(ObservationConfig, ReadsRemovedByHandAtEachLevel) {
  const auto config = parse_config(R"({
    "defaults": {"policy": {"removed_by_hand": "report"}},
    "schools": [
      {"id": "a", "source": {"type": "export", "path": "x"}},
      {"id": "b", "source": {"type": "export", "path": "y"}, "policy": {"removed_by_hand": "restore"}}],
    "region": {"source": {"type": "export", "root": "r"}, "schools": ["c"],
               "policy": {"removed_by_hand": "restore"}}
  })",
                                   base, "test.json");
  EXPECT_FALSE(config.find_school("a")->policy.restore_removed);
  EXPECT_TRUE(config.find_school("b")->policy.restore_removed);
  EXPECT_TRUE(config.find_school("c")->policy.restore_removed);
  const auto report =
      parse_config(school_with(R"(, "policy": {"removed_by_hand": "report"})"), base, "test.json");
  EXPECT_FALSE(report.schools.at(0).policy.restore_removed);
}

TEST(ObservationConfig, ReadsBindingsByChatKey) {
  const auto config = parse_config(
      with_bindings(R"({"class:g-5a": 2000000011, "parents:g-5a": 12, "staff:sch-1": 13})"), base,
      "test.json");
  const std::map<std::string, std::int64_t> expected{
      {"class:g-5a", 2000000011}, {"parents:g-5a", 12}, {"staff:sch-1", 13}};
  EXPECT_EQ(config.schools.at(0).bindings, expected);
}

TEST(ObservationConfig, ReachesTheCycleThroughItsSettings) {
  const auto config = parse_config(R"({
    "schedule": {"audit_period_s": 3600},
    "schools": [{"id": "sch-1", "source": {"type": "export", "path": "x"},
                 "policy": {"removed_by_hand": "report"}, "bindings": {"class:g1": 41}}]})",
                                   base, "test.json");
  const auto s = sync_settings(config, config.schools.at(0));
  EXPECT_EQ(s.audit_period_s, 3600);
  EXPECT_FALSE(s.policy.restore_removed);
  EXPECT_EQ(s.bindings, (std::map<std::string, mapping::ChatId>{{"class:g1", 41}}));
  EXPECT_FALSE(s.full_audit);
  ASSERT_TRUE(s.now_unix);
  // The wall clock in Unix seconds: after 2025-01-01 and before 2100.
  EXPECT_GT(s.now_unix(), 1'735'689'600);
  EXPECT_LT(s.now_unix(), 4'102'444'800);
}

TEST(ChatKey, ParsesKindAndGroupAsChatKeyMakesThem) {
  for (const auto kind : {mapping::ChatKind::class_chat, mapping::ChatKind::parents,
                          mapping::ChatKind::association}) {
    const auto key = mapping::chat_key(kind, "g:5a");  // an id may hold a colon
    const auto parsed = parse_chat_key(key, "sch-1");
    ASSERT_TRUE(parsed.parts) << key;
    EXPECT_EQ(parsed.parts->kind, kind);
    EXPECT_EQ(parsed.parts->group_id, "g:5a");
  }
  const auto staff = parse_chat_key(mapping::chat_key(mapping::ChatKind::staff, "sch-1"), "sch-1");
  ASSERT_TRUE(staff.parts);
  EXPECT_EQ(staff.parts->group_id, "sch-1");
}

TEST(SyncArgs, AuditAsksTheCycleToReadEveryChat) {
  const auto config = parse_config(school_with(""), base, "test.json");
  std::ostringstream err;
  const auto audit = parse_sync_args({"sync", "--config", "c.json", "--once", "--audit"}, err);
  ASSERT_TRUE(audit) << err.str();
  EXPECT_TRUE(audit->audit);
  EXPECT_TRUE(sync_command_settings(config, config.schools.at(0), *audit).full_audit);
  const auto plain = parse_sync_args({"sync", "--config", "c.json", "--once"}, err);
  ASSERT_TRUE(plain) << err.str();
  EXPECT_FALSE(plain->audit);
  EXPECT_FALSE(sync_command_settings(config, config.schools.at(0), *plain).full_audit);
  EXPECT_FALSE(parse_sync_args({"sync", "--config", "c.json", "--audit"}, err));  // no --once
}

}  // namespace
}  // namespace rosterd::daemon
