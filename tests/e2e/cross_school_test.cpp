// Two schools of one region, one platform token, the same short name (so the same chat
// titles), and chat creations that fail or lose their answers: the crash look-up must never
// bind one school's chat to the other.
#include <gtest/gtest.h>
#include <httplib.h>

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

json two_schools() { return {{"schools", export_schools(kSchools)}}; }

// Everyone of a school with a platform account (the fallback admin serves both schools).
std::set<PlatformUserId> people(const mapping::Roster& roster) {
  std::set<PlatformUserId> ids;
  for (const auto& p : roster.persons) {
    if (p.platform_user_id) ids.insert(*p.platform_user_id);
  }
  return ids;
}

// What the test expects of each school: its titles, from the test's own model of its export.
std::set<std::string> titles(const World& w, const mapping::Roster& roster) {
  std::set<std::string> out;
  for (const auto& [title, _] : expected_view(w, roster.org.id, kStart).live) out.insert(title);
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
  ASSERT_EQ(titles(w, rosters.at("sch-0001")), titles(w, rosters.at("sch-0002")))
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
  for (const auto& title : titles(w, rosters.at("sch-0001"))) {
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
    EXPECT_EQ(bound_titles, titles(w, rosters.at(id))) << id;
  }
  const auto errors = w.stats()["errors"];
  EXPECT_GT(errors.value("10", 0) + errors.value("500", 0) + errors.value("503", 0), 0)
      << "creations did fail on the way";
}

// A platform method called by hand with the world's token (what an administrator does).
json call(World& w, const std::string& method, const httplib::Params& params) {
  httplib::Client client("127.0.0.1", w.sim().port());
  client.set_read_timeout(std::chrono::seconds(2));
  auto form = params;
  form.emplace("access_token", "e2e-secret-token-4242");
  const auto res = client.Post("/method/" + method, form);
  return res && res->status == 200 ? json::parse(res->body) : json::object();
}

// The live chats with this title on the platform, by id.
std::set<mapping::ChatId> live_with_title(World& w, const std::string& title) {
  std::set<mapping::ChatId> ids;
  const json state = w.state();
  for (const auto& chat : state.at("chats")) {
    if (chat.at("title") == title && !chat.at("archived").get<bool>()) ids.insert(chat.at("chat_id").get<mapping::ChatId>());
  }
  return ids;
}

std::optional<mapping::ChatId> bound_with_title(World& w, const std::string& title) {
  const auto store = adapters::store::open_sqlite_store(w.dir() / "state" / "rosterd.db");
  for (const auto& chat : store->load("sch-0001").chats) {
    if (chat.title == title) return chat.chat_id;
  }
  return std::nullopt;
}

TEST(CrossSchool, AChatThatMayBeAnothersIsLeftToAnAdministratorAndNeverMadeTwice) {
  // Every chat creation fails or loses its answer, so every one is looked up.
  World w({.sim_args = {"--fail-rate", "1", "--fail-methods", "messages.createChat", "--lost-ms",
                        "300", "--seed", "5"},
           .timeout_ms = 200,
           .batch_size = 1});
  const auto roster = twin("sch-0001", 21);
  w.write_journal(roster);
  const std::string staff = "Педагоги · СОШ № 12";
  // Moments before the sync, somebody made a chat with the staff chat's title through the same
  // token (inside the clock margin) and put a person of no school in it.
  std::set<mapping::ChatId> stray;
  for (int i = 0; i < 10 && stray.empty(); ++i) {
    (void)call(w, "messages.createChat", {{"title", staff}, {"user_ids", ""}});
    stray = live_with_title(w, staff);
  }
  ASSERT_EQ(stray.size(), 1u);
  const auto stray_id = *stray.begin();
  ASSERT_EQ(call(w, "messages.addChatUser",
                 {{"chat_id", std::to_string(stray_id)}, {"user_id", "555000555"}})["response"],
            1);

  // The stray is never bound, and while the question stands no staff chat is made again.
  ASSERT_EQ(w.sync(kStart).status, 0);
  const auto after_first = live_with_title(w, staff);
  ASSERT_FALSE(bound_with_title(w, staff).value_or(0)) << "the staff chat is bound to nothing";
  for (int round = 0; round < 2; ++round) {
    const auto run = w.sync(kStart);
    EXPECT_EQ(bound_with_title(w, staff).value_or(0), 0) << run.output;
    EXPECT_EQ(live_with_title(w, staff), after_first) << "no staff chat made meanwhile";
  }

  // The administrator archives the stray; the look-up then binds rosterd's own chat (or, if
  // its creation never happened, rosterd makes it again).
  ASSERT_EQ(call(w, "sferum.archiveChat", {{"peer_id", std::to_string(2'000'000'000 + stray_id)}})
                ["response"],
            1);
  std::optional<mapping::ChatId> bound;
  for (int round = 0; round < 12 && !bound.value_or(0); ++round) {
    (void)w.sync(kStart);
    bound = bound_with_title(w, staff);
  }
  ASSERT_TRUE(bound.value_or(0)) << "the staff chat is bound in the end";
  EXPECT_NE(*bound, stray_id);
  EXPECT_EQ(live_with_title(w, staff), std::set<mapping::ChatId>{*bound});
}

}  // namespace
}  // namespace rosterd::e2e
