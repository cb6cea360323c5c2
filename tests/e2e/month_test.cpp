// A school month end to end: journal-sim (the journal over HTTP, with a day of movement each
// day) + platform-sim + rosterd. After each day the platform holds what the journal says,
// computed here independently of the core from the journal's own records; an outage day
// (the journal answers with empty lists) removes nobody.
#include <gtest/gtest.h>

#include "generator/generator.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;
using nlohmann::json;

const Date kStart = *Date::parse("2026-09-01");

bool on(const json& from, const json& to, const std::string& day) {
  return (from.is_null() || from.get<std::string>() <= day) &&
         (to.is_null() || day <= to.get<std::string>());
}

void admit(Members& members, const json& uid, bool admin) {
  if (uid.is_null()) return;
  auto& slot = members[uid.get<mapping::PlatformUserId>()];
  slot = slot || admin;
}

// The rules as a school administrator would state them, applied to the journal's records:
// a class chat (students; class teachers as admins) and a parents' chat (parents of the
// students; class teachers as admins) per open class, a staff chat (staff employed today;
// director and deputies as admins), and the platform administrator where no linked admin is.
PlatformView independent_view(const json& journal, const std::string& day) {
  const auto short_name = journal["organisation"]["short_name"].get<std::string>();
  std::map<std::string, json> persons;
  for (const auto& p : journal["persons"]) persons[p["id"].get<std::string>()] = p;
  const auto employed = [&](const json& p) {
    return on(p.value("employed_from", json()), p.value("employed_to", json()), day);
  };
  PlatformView view;
  for (const auto& g : journal["groups"]) {
    if (!on(g["opened_on"], g["closed_on"], day)) continue;
    const auto gid = g["id"].get<std::string>(), name = g["name"].get<std::string>();
    Members& pupils = view.live[name + " · " + short_name];
    Members& parents = view.live[name + " · родители · " + short_name];
    bool linked_leader = false;
    for (const auto& e : journal["enrollments"]) {
      if (e["group_id"] != gid || !on(e["from"], e["to"], day)) continue;
      const json& p = persons.at(e["person_id"].get<std::string>());
      if (e["role"] == "student") {
        admit(pupils, p["platform_user_id"], false);
        for (const auto& r : journal["relations"]) {
          if (r["child_id"] == p["id"])
            admit(parents, persons.at(r["parent_id"].get<std::string>())["platform_user_id"], false);
        }
      } else if (e["role"] == "leader" && employed(p)) {
        admit(pupils, p["platform_user_id"], true);
        admit(parents, p["platform_user_id"], true);
        linked_leader = linked_leader || !p["platform_user_id"].is_null();
      }
    }
    if (!linked_leader) {
      admit(pupils, kFallbackAdmin, true);
      admit(parents, kFallbackAdmin, true);
    }
  }
  Members& staff = view.live["Педагоги · " + short_name];
  bool linked_head = false;
  for (const auto& [_, p] : persons) {
    const auto roles = p["roles"].get<std::vector<std::string>>();
    if (std::find(roles.begin(), roles.end(), "staff") == roles.end() || !employed(p)) continue;
    const auto positions = p.value("positions", json::array());
    bool head = false;
    for (const auto& pos : positions) head = head || pos == "director" || pos == "deputy_director";
    admit(staff, p["platform_user_id"], head);
    linked_head = linked_head || (head && !p["platform_user_id"].is_null());
  }
  if (!linked_head) admit(staff, kFallbackAdmin, true);
  return view;
}

TEST(Month, FollowsTwentySchoolDaysOverHttpAndAnOutageDayRemovesNobody) {
  const testing::TempFolder journal_dir("rosterd-month");
  JournalSim journal(journal_dir.path(), generator::make_school("sch-0001", 31, kStart,
                                                        {.classes = 8, .students_per_class = 10}));
  WorldOptions options;
  options.journal_url = journal.url();
  World w(options);

  constexpr int kOutageDay = 11;
  std::size_t changes_seen = 0;
  Date day = kStart;
  for (int i = 0; i <= 20; ++i, day = day.plus_days(1)) {
    SCOPED_TRACE("day " + std::to_string(i) + " " + day.iso());
    if (i > 0) journal.advance();
    const auto before = observed_view(w.state());
    if (i == kOutageDay) journal.fault("empty");
    const auto run = w.sync(day);
    if (i == kOutageDay) {
      journal.fault("none");
      EXPECT_NE(run.output.find("source_failure"), std::string::npos) << run.output;
      const auto after = observed_view(w.state());
      for (const auto& [title, members] : before.live) {
        for (const auto& [uid, _] : members)
          EXPECT_TRUE(after.live.at(title).contains(uid)) << title << " lost " << uid;
      }
      continue;
    }
    ASSERT_EQ(run.status, 0) << run.output;
    const auto want = independent_view(journal.roster(), day.iso());
    const auto got = observed_view(w.state());
    EXPECT_EQ(describe_difference(want, got), "");
    if (i > 0 && run.output.find("no changes") == std::string::npos) ++changes_seen;
  }
  EXPECT_GE(changes_seen, 15u) << "movement every day should change something most days";
}

}  // namespace
}  // namespace rosterd::e2e
