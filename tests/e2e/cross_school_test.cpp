// Two schools of one region, one platform token, the same short name (so the same chat
// titles), and chat creations that fail or lose their answers: the crash look-up must never
// bind one school's chat to the other.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "adapters/store/store.h"
#include "generator/generator.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;
using mapping::PlatformUserId;
using nlohmann::json;

const Date kStart = *Date::parse("2026-09-01");
const std::vector<std::string> kSchools = {"sch-0001", "sch-0002"};

// Both schools are called "СОШ № 12" for short, so their chats have the same titles.
mapping::Roster twin(const std::string& org_id, std::uint64_t seed) {
  auto roster = generator::make_school(org_id, seed, kStart,
                                       {.classes = 5, .students_per_class = 6});
  roster.org.short_name = "СОШ № 12";
  return roster;
}

json two_schools() {
  json schools = json::array();
  for (const auto& id : kSchools) {
    schools.push_back(
        {{"id", id},
         {"source", {{"type", "export"}, {"path", "export/" + id}}},
         {"fallback_admin", {{"platform_user_id", kFallbackAdmin}, {"label", "platform-admin"}}}});
  }
  return {{"schools", schools}};
}

// Everyone of a school with a platform account (the fallback admin serves both schools).
std::set<PlatformUserId> people(const mapping::Roster& roster) {
  std::set<PlatformUserId> ids;
  for (const auto& p : roster.persons) {
    if (p.platform_user_id) ids.insert(*p.platform_user_id);
  }
  return ids;
}

// What the test expects of each school: its titles, from its own roster and the rules.
std::set<std::string> titles(const mapping::Roster& roster, const mapping::Rules& rules) {
  std::set<std::string> out;
  for (const auto& [title, _] : expected_view(roster, rules, kStart).live) out.insert(title);
  return out;
}

TEST(CrossSchool, ALostChatCreationNeverBindsTheOtherSchoolsChat) {
  // Half of the requests that create chats fail (error 10, 5xx) or lose their answer; every
  // other request is answered. Small batches give each school many faulted creations.
  World w({.sim_args = {"--fail-rate", "0.5", "--fail-methods", "messages.createChat",
                        "--lost-ms", "1200", "--seed", "11"},
           .timeout_ms = 800,
           .batch_size = 3,
           .extra_config = two_schools()});
  const std::map<std::string, mapping::Roster> rosters = {{"sch-0001", twin("sch-0001", 21)},
                                                         {"sch-0002", twin("sch-0002", 22)}};
  for (const auto& [id, roster] : rosters) w.write_journal(roster);
  ASSERT_EQ(titles(rosters.at("sch-0001"), w.rules()), titles(rosters.at("sch-0002"), w.rules()))
      << "the schools must share their titles for this test to mean anything";

  // Round by round, one school after the other, until both have nothing left to do.
  bool converged = false;
  for (int round = 0; round < 12 && !converged; ++round) {
    converged = true;
    for (const auto& id : kSchools) {
      auto argv = w.sync_argv(kStart);
      argv.insert(argv.end(), {"--school", id});
      const auto run = testing::run(argv, w.dir());
      converged = converged && run.status == 0 &&
                  run.output.find("no changes; 0 held; 0 written") != std::string::npos;
    }
  }
  EXPECT_TRUE(converged) << "both schools settle within 12 rounds";

  // From the platform: no chat holds people of both schools, and each title lives once a school.
  const auto one = people(rosters.at("sch-0001"));
  const auto two = people(rosters.at("sch-0002"));
  std::map<std::string, int> live_by_title;
  const json state = w.state();
  for (const auto& chat : state.at("chats")) {
    if (chat.at("archived").get<bool>()) continue;
    const auto title = chat.at("title").get<std::string>();
    ++live_by_title[title];
    int of_one = 0, of_two = 0;
    for (const auto& m : chat.at("members")) {
      const auto uid = m.at("user_id").get<PlatformUserId>();
      of_one += one.contains(uid) ? 1 : 0;
      of_two += two.contains(uid) ? 1 : 0;
    }
    EXPECT_TRUE(of_one == 0 || of_two == 0)
        << "chat " << chat.at("chat_id") << " «" << title << "» holds " << of_one
        << " people of sch-0001 and " << of_two << " of sch-0002";
  }
  for (const auto& title : titles(rosters.at("sch-0001"), w.rules())) {
    EXPECT_EQ(live_by_title[title], 2) << "«" << title << "»: one chat for each school";
  }

  // From the store: each school binds each of its titles once, and no chat id twice.
  const auto store = adapters::store::open_sqlite_store(w.dir() / "state" / "rosterd.db");
  std::map<mapping::ChatId, std::string> owner;
  for (const auto& id : kSchools) {
    std::set<std::string> bound_titles;
    for (const auto& chat : store->load(id).chats) {
      if (!chat.chat_id || chat.archived) continue;
      EXPECT_TRUE(bound_titles.insert(chat.title).second) << id << " binds «" << chat.title << "» twice";
      const auto [it, fresh] = owner.emplace(*chat.chat_id, id);
      EXPECT_TRUE(fresh) << "chat " << *chat.chat_id << " is bound by " << it->second << " and "
                         << id;
    }
    EXPECT_EQ(bound_titles, titles(rosters.at(id), w.rules())) << id;
  }
  const auto errors = w.stats()["errors"];
  EXPECT_GT(errors.value("10", 0) + errors.value("500", 0) + errors.value("503", 0), 0)
      << "creations did fail on the way";
}

}  // namespace
}  // namespace rosterd::e2e
