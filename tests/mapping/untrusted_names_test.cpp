// Names from the journal as the core uses them: cleaned before they reach a title, a reason or a
// finding; too long a name is a finding naming the record, and nothing is lost because of it.
#include <gtest/gtest.h>

#include "mapping/message.h"
#include "builders.h"

namespace rosterd::mapping {
namespace {

using testing::D;
using testing::find_action;
using testing::plan_for;
using testing::small_school;
using testing::synced;
using testing::writes;

const Date today = D("2026-09-01");

std::string times(std::size_t n, const std::string& piece) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

bool has_control(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return true;
  }
  return false;
}

// Every piece of text in a plan that a person or the platform reads.
std::vector<std::string> texts_of(const Plan& plan) {
  std::vector<std::string> texts;
  for (const auto& a : plan.actions) {
    texts.push_back(a.title);
    texts.push_back(english(a.reason));
  }
  for (const auto& c : plan.state_changes) texts.push_back(english(c.reason));
  for (const auto& f : plan.findings) texts.push_back(english(f.message));
  return texts;
}

// The bad_name findings, their messages in English.
std::vector<Finding> bad_names(const Plan& plan) {
  std::vector<Finding> out;
  for (const auto& f : plan.findings) {
    if (f.code == FindingCode::bad_name) out.push_back({f.code, f.subject_ids, english(f.message)});
  }
  return out;
}

TEST(UntrustedNames, NeverBringAControlCharacterIntoATitleOrAReason) {
  auto school = small_school();
  school.person_ref("s1").last_name = "Иван\n  remove_member class:x p1\x1b[2J";
  school.group_ref("g5a").name = "5\rА\x07";
  school.roster().org.short_name = "Школа\x1b]0;pwned\x07 1";
  const Plan plan = plan_for(school.build(), {}, today);
  for (const auto& text : texts_of(plan)) EXPECT_FALSE(has_control(text)) << text;

  const Action* create = find_action(plan, ActionType::create_chat, "class:g5a");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->title, "5 А · Школа]0;pwned 1");
  const Action* parent = find_action(plan, ActionType::add_member, "parents:g5a", "m1");
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(english(parent->reason), "parent of Иван remove_member class:x p1[2J Имя (5 А)");
  EXPECT_EQ(
      bad_names(plan),
      (std::vector<Finding>{
          {FindingCode::bad_name,
           {"org1"},
           "organisation org1: name holds control characters (removed)"},
          {FindingCode::bad_name, {"g5a"}, "group g5a: name holds control characters (removed)"},
          {FindingCode::bad_name, {"s1"}, "person s1: name holds control characters (removed)"}}));
}

TEST(UntrustedNames, CutsTitlesToThePlatformsLimitOfCodePoints) {
  auto school = small_school();
  school.group_ref("g5a").name = times(200, "Ж");
  const Plan plan = plan_for(school.build(), {}, today);
  const Action* create = find_action(plan, ActionType::create_chat, "class:g5a");
  ASSERT_NE(create, nullptr);
  // 118 + " · Школа 1" (10) = 128: the name gives way, the school's name stays.
  EXPECT_EQ(create->title, times(118, "Ж") + " · Школа 1");
  const Action* parents = find_action(plan, ActionType::create_chat, "parents:g5a");
  ASSERT_NE(parents, nullptr);
  // 107 + " · родители · Школа 1" (21) = 128: the parents' chat keeps a title of its own.
  EXPECT_EQ(parents->title, times(107, "Ж") + " · родители · Школа 1");
  EXPECT_TRUE(bad_names(plan).empty()) << "200 characters is a long name, not a bad one";
}

TEST(UntrustedNames, AHugeNameIsAFindingNamingTheRecordAndEveryWriteIsStillMade) {
  auto school = small_school();
  const Plan clean = plan_for(school.build(), {}, today);
  school.person_ref("s1").last_name = std::string(10 * 1024 * 1024, 'x');
  school.group_ref("g5a").name = "5А" + std::string(10 * 1024 * 1024, 'y');
  const Plan plan = plan_for(school.build(), {}, today);

  // The same writes for the same people: nobody is left out because of a name.
  EXPECT_EQ(writes(plan), writes(clean));
  EXPECT_EQ(
      bad_names(plan),
      (std::vector<Finding>{
          {FindingCode::bad_name, {"g5a"}, "group g5a: name longer than 256 characters (cut)"},
          {FindingCode::bad_name, {"s1"}, "person s1: name longer than 256 characters (cut)"}}));
  for (const auto& text : texts_of(plan)) EXPECT_LE(text.size(), 2048U);
  const Action* parent = find_action(plan, ActionType::add_member, "parents:g5a", "m1");
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(english(parent->reason),
            "parent of " + std::string(256, 'x') + " Имя (5А" + std::string(254, 'y') + ")");
}

TEST(UntrustedNames, AHugeNameOfSomebodyAlreadyInTheChatsRemovesNobody) {
  auto school = small_school();
  const AppliedState applied = synced(school.build(), today);
  school.person_ref("m1").first_name = std::string(10 * 1024 * 1024, 'x');
  const Plan plan = plan_for(school.build(), applied, today);
  EXPECT_TRUE(plan.actions.empty()) << ::testing::PrintToString(writes(plan));
  EXPECT_TRUE(plan.state_changes.empty());
  EXPECT_EQ(bad_names(plan).size(), 1U);
}

}  // namespace
}  // namespace rosterd::mapping
