// `rosterd plan --look`: a dry run that reads the platform as a sync would, so a cautious
// administrator sees a school's existing chats adopted, not a second chat planned next to
// each. platform-sim starts from a state file holding the chat the platform made for one class.
#include <gtest/gtest.h>

#include <fstream>

#include "generator/generator.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;
using nlohmann::json;

const Date kStart = *Date::parse("2026-09-01");

json plan_json(const testing::RunResult& run) {
  const auto at = run.output.find('{');
  if (at == std::string::npos) return json();
  return json::parse(run.output.substr(at), nullptr, false);
}

// The school's actions on the chat with this key, as "type" strings.
std::vector<std::string> action_types(const json& plan, const std::string& key) {
  std::vector<std::string> out;
  for (const auto& a : plan["schools"][0]["actions"]) {
    if (a["chat"] == key) out.push_back(a["type"].get<std::string>());
  }
  return out;
}

TEST(PlanLook, ShowsTheChatThePlatformMadeAdoptedInsteadOfASecondOne) {
  const testing::TempFolder tmp("rosterd-plan-look");
  const auto roster = generator::make_school("sch-0001", 5, kStart,
                                             {.classes = 2, .students_per_class = 6});
  // The first class, whatever order the generator lists groups in.
  const mapping::Group* first = nullptr;
  for (const auto& g : roster.groups) {
    if (g.kind == mapping::GroupKind::class_group && (!first || g.id < first->id)) first = &g;
  }
  ASSERT_NE(first, nullptr);
  const auto& group = *first;
  // The platform's own chat for the first class, titled with the class's name, with its
  // students who have a platform account.
  json members = json::array();
  for (const auto& e : roster.enrolments) {
    if (e.group_id != group.id) continue;
    for (const auto& p : roster.persons) {
      if (p.id == e.person_id && p.platform_user_id)
        members.push_back({{"user_id", *p.platform_user_id}});
    }
  }
  ASSERT_FALSE(members.empty());
  const json state = {{"chats",
                       {{{"chat_id", 500},
                         {"title", group.name},
                         {"organisation_id", "sch-0001"},
                         {"created_by", 0},
                         {"members", members}}}}};
  const auto state_file = tmp.path() / "platform.json";
  std::ofstream(state_file) << state.dump();

  World w({.sim_args = {"--state", state_file.string()}});
  w.write_journal(roster);
  const std::string key = "class:" + group.id;
  const std::string today = kStart.iso();

  const auto blind = w.rosterd({"plan", "--today", today, "--format", "json"});
  const auto blind_plan = plan_json(blind);
  ASSERT_TRUE(blind_plan.is_object()) << blind.output;
  ASSERT_FALSE(action_types(blind_plan, key).empty()) << blind.output;
  EXPECT_EQ(action_types(blind_plan, key).front(), "create_chat") << blind.output;

  // In English: the test reads the reason's words.
  const auto looked = w.rosterd(
      {"plan", "--today", today, "--format", "json", "--look", "--lang", "en"});
  const auto plan = plan_json(looked);
  ASSERT_TRUE(plan.is_object()) << looked.output;
  const auto types = action_types(plan, key);
  ASSERT_FALSE(types.empty()) << looked.output;
  EXPECT_EQ(types.front(), "adopt_chat") << looked.output;
  EXPECT_EQ(std::count(types.begin(), types.end(), "create_chat"), 0) << looked.output;
  for (const auto& a : plan["schools"][0]["actions"]) {
    if (a["type"] == "adopt_chat") {
      EXPECT_EQ(a["chat_id"], 500);
      EXPECT_NE(a["reason"].get<std::string>().find("made by the platform"), std::string::npos)
          << a.dump();
    }
  }
  EXPECT_EQ(w.stats()["writes"], 0) << "a dry run writes nothing";
  EXPECT_EQ(w.state()["chats"].size(), 1u);
}

}  // namespace
}  // namespace rosterd::e2e
