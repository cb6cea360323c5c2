// Adoption end to end: a school whose platform already holds chats (the platform's own class
// and parents' chats, teachers' chats) meets rosterd with a fresh store. The platform starts
// from a state file (platform-sim --state); what the chats hold comes from the test's own model
// (model.h) of the journal, never from the core.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <iostream>
#include <map>
#include <set>

#include "generator/generator.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;
using mapping::PlatformUserId;
using nlohmann::json;

const Date kStart = *Date::parse("2026-09-01");
constexpr PlatformUserId kStranger = 880'000'001;  // nobody of the journal

// A chat as the state file holds it: made outside the API (no creator digest).
struct Existing {
  std::int64_t chat_id = 0;
  std::string title;
  PlatformUserId created_by = 0;  // 0: the platform made it from the journal
  Members members;
};

json state_file(const std::vector<Existing>& chats) {
  json out = {{"chats", json::array()}};
  for (const auto& c : chats) {
    json members = json::array();
    for (const auto& [uid, admin] : c.members) {
      members.push_back({{"user_id", uid}, {"is_admin", admin}, {"is_owner", false}});
    }
    out["chats"].push_back({{"chat_id", c.chat_id},
                            {"title", c.title},
                            {"archived", false},
                            {"organisation_id", "sch-0001"},
                            {"created_by", c.created_by},
                            {"created_at", 1'780'000'000},
                            {"members", std::move(members)}});
  }
  return out;
}

// Every admin of the desired chat, and the first `share` of its other members.
Members part_of(const Members& desired, double share, bool demote_admins = false) {
  Members out;
  std::size_t others = 0;
  for (const auto& [uid, admin] : desired) others += admin ? 0 : 1;
  const auto keep = static_cast<std::size_t>(static_cast<double>(others) * share + 0.999);
  std::size_t kept = 0;
  for (const auto& [uid, admin] : desired) {
    if (admin) {
      out[uid] = !demote_admins;
    } else if (kept < keep) {
      out[uid] = false;
      ++kept;
    }
  }
  return out;
}

// The first admin of a chat (a class teacher, in the chats the test picks).
PlatformUserId first_admin(const Members& members) {
  for (const auto& [uid, admin] : members) {
    if (admin) return uid;
  }
  return 0;
}

std::vector<PlatformUserId> pupils(const Members& members, std::size_t n) {
  std::vector<PlatformUserId> out;
  for (const auto& [uid, admin] : members) {
    if (!admin && out.size() < n) out.push_back(uid);
  }
  return out;
}

// Rows of a query on the store's SQLite file, as strings.
std::vector<std::vector<std::string>> query(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  std::vector<std::vector<std::string>> rows;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(handle);
    throw std::runtime_error("cannot open " + db.string());
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    const std::string error = sqlite3_errmsg(handle);
    sqlite3_close(handle);
    throw std::runtime_error(error);
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    auto& row = rows.emplace_back();
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const auto* text = sqlite3_column_text(stmt, i);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  return rows;
}

// `rosterd plan --format json` prints the plan as one JSON document.
json plan_json(const testing::RunResult& run) {
  const auto at = run.output.find('{');
  return at == std::string::npos ? json() : json::parse(run.output.substr(at), nullptr, false);
}

// The chat with this id as /sim/state shows it; null when there is none.
json chat_by_id(const json& state, std::int64_t id) {
  for (const auto& chat : state.at("chats")) {
    if (chat.at("chat_id") == id) return chat;
  }
  return nullptr;
}

// A chat as a person sees it: title, archived, and who is in it with which role.
json as_seen(const json& chat) {
  if (chat.is_null()) return "no such chat";
  json members = json::array();
  for (const auto& m : chat.at("members")) members.push_back({m["user_id"], m["is_admin"]});
  return {chat.at("title"), chat.at("archived"), members};
}

// The school of the test, the model's view of its journal, and the chats its platform holds
// before rosterd ever ran: eleven classes 1А..11А, of which 9А, 10А and 11А (the older pupils
// have platform accounts) have a class teacher with an account (the generator leaves one class
// of a school without a class teacher).
struct Scene {
  mapping::Roster roster;
  PlatformView want;  // the model's view of the journal
  std::string short_name;
  std::vector<Existing> existing;
  [[nodiscard]] std::string pupils_chat(const std::string& group) const {
    return group + " · " + short_name;
  }
  [[nodiscard]] std::string parents_chat(const std::string& group) const {
    return group + " · родители · " + short_name;
  }
  [[nodiscard]] const Members& wanted(const std::string& title) const { return want.live.at(title); }
};

bool classes_led(const Scene& s) {
  for (const char* name : {"9А", "10А", "11А"}) {
    const auto leader = first_admin(s.wanted(s.pupils_chat(name)));
    if (leader == 0 || leader == kFallbackAdmin) return false;
  }
  return true;
}

Members with(Members members, PlatformUserId uid, bool admin = false) {
  members[uid] = admin;
  return members;
}

// The platform's own chats: 9А's class chat with the exact configured title, 9А's parents'
// chat and 10А's class chat titled as the platform titles them (the class teacher of 10А only
// a member there), two chats that both name 11А; each with a stranger but 11А's. Teachers'
// chats: «9А математика» and «Кружок шахмат».
void platform_chats(Scene& s) {
  const auto& c1 = s.wanted(s.pupils_chat("9А"));
  const auto& p1 = s.wanted(s.parents_chat("9А"));
  const auto& c2 = s.wanted(s.pupils_chat("10А"));
  const auto& c3 = s.wanted(s.pupils_chat("11А"));
  const auto teacher2 = first_admin(c2), teacher3 = first_admin(c3);
  auto maths = Members{{teacher2, true}};
  for (const auto uid : pupils(c1, 3)) maths[uid] = false;
  auto chess = Members{{teacher3, true}};
  for (const auto uid : pupils(c2, 2)) chess[uid] = false;
  chess[pupils(c1, 1).at(0)] = false;
  s.existing = {
      {501, s.pupils_chat("9А"), 0, with(part_of(c1, 0.6), kStranger)},
      {502, "Родители 9А", 0, with(part_of(p1, 0.6), kStranger + 1)},
      {503, "10А", 0, with(part_of(c2, 0.7, true), kStranger + 2)},
      {504, "11А", 0, part_of(c3, 0.8)},
      {505, "11А класс", 0, part_of(c3, 0.8)},
      {506, "9А математика", teacher2, maths},
      {507, "Кружок шахмат", teacher3, chess},
  };
}

Scene make_scene(const std::filesystem::path& folder) {
  for (std::uint64_t seed = 31;; ++seed) {
    Scene s;
    s.roster = generator::make_school("sch-0001", seed, kStart,
                                      {.classes = 11, .students_per_class = 6});
    const auto at = folder / std::to_string(seed);
    generator::write_export(s.roster, at);
    s.want = model_view(read_export_journal(at), kStart.iso(), kFallbackAdmin);
    s.short_name = s.roster.org.short_name;
    if (!classes_led(s)) continue;
    platform_chats(s);
    return s;
  }
}

// What the platform holds once rosterd adopted `adopted` (existing chat id → the desired
// title it takes): the journal's chats, strangers kept in the adopted ones, every other
// existing chat as it was, and no class chat for a group whose chat is unclear.
PlatformView expected_after(const Scene& s, const std::map<std::int64_t, std::string>& adopted,
                            const std::set<std::string>& not_made) {
  PlatformView view = s.want;
  for (const auto& title : not_made) view.live.erase(title);
  for (const auto& chat : s.existing) {
    const auto it = adopted.find(chat.chat_id);
    if (it == adopted.end()) {
      view.live[chat.title] = chat.members;
      continue;
    }
    for (const auto& [uid, admin] : chat.members) {
      if (!s.want.live.at(it->second).contains(uid)) view.live[it->second][uid] = false;
    }
  }
  return view;
}

std::string listing(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (const auto& cell : row) out += cell + " | ";
    out += "\n";
  }
  return out;
}

// A cautious administrator's dry run (plan --look) shows the adoptions with their evidence
// and the unclear class with its two candidates; it writes nothing.
void expect_dry_run_shows_the_adoptions(World& w, const Scene& s) {
  const auto looked =
      w.rosterd({"plan", "--look", "--today", kStart.iso(), "--format", "json", "--lang", "en"});
  const json plan = plan_json(looked);
  ASSERT_TRUE(plan.is_object()) << looked.output;
  std::map<std::int64_t, std::string> planned;  // adopted chat id → reason
  for (const auto& a : plan["schools"][0]["actions"]) {
    if (a["type"] == "adopt_chat") planned[a["chat_id"].get<std::int64_t>()] = a["reason"];
  }
  EXPECT_EQ(planned.size(), 3u) << looked.output;
  for (const std::int64_t id : {501, 502, 503}) {
    const auto& title = s.existing[static_cast<std::size_t>(id - 501)].title;
    EXPECT_NE(planned[id].find("«" + title + "»"), std::string::npos) << id << ": " << planned[id];
  }
  std::string unclear;
  for (const auto& f : plan["schools"][0]["findings"]) {
    if (f["code"] == "adoption_unclear") unclear += f["message"].get<std::string>() + "\n";
  }
  std::cout << "adoption_unclear: " << unclear;
  EXPECT_NE(unclear.find("504"), std::string::npos) << unclear;
  EXPECT_NE(unclear.find("505"), std::string::npos) << unclear;
  EXPECT_EQ(w.stats()["writes"], 0);
}

// The action log holds each adoption with its evidence; 11А's class chat waits for an
// administrator: its creation is held, with the reason. Returns the held chat's key.
std::string expect_adoptions_recorded(const std::filesystem::path& db, const Scene& s) {
  const auto adoptions = query(db,
                               "SELECT chat_id, chat_key, status, reason FROM action_log "
                               "WHERE type = 'adopt_chat' ORDER BY chat_id");
  std::cout << "adoptions:\n" << listing(adoptions);
  EXPECT_EQ(adoptions.size(), 3u) << listing(adoptions);
  for (std::size_t i = 0; i < adoptions.size() && i < 3; ++i) {
    const auto& existing = s.existing[i];
    EXPECT_EQ(adoptions[i][0], std::to_string(existing.chat_id));
    EXPECT_EQ(adoptions[i][2], "done");
    EXPECT_NE(adoptions[i][3].find("«" + existing.title + "»"), std::string::npos)
        << "the reason names the chat it adopted: " << adoptions[i][3];
  }
  const auto held = query(db, "SELECT type, chat_key, held_reason FROM held_actions");
  std::cout << "held:\n" << listing(held);
  if (held.size() != 1) {
    ADD_FAILURE() << "one held creation: " << listing(held);
    return {};
  }
  EXPECT_EQ(held[0][0], "create_chat");
  EXPECT_NE(held[0][1].find("g-11a-"), std::string::npos) << held[0][1];
  return held[0][1];
}

// The first sync is `sync --once`, or (`saved`) `plan --out` then `apply` of that plan
// (docs/saved-plans.md): the platform must end the same, as the model says, either way.
void adopts_the_platforms_chats(bool saved) {
  const testing::TempFolder scratch("rosterd-adoption");
  const Scene s = make_scene(scratch.path());
  const auto state_path = scratch.path() / "platform-state.json";
  testing::write_file(state_path, state_file(s.existing).dump(2));
  World w({.sim_args = {"--state", state_path.string()}});
  w.write_journal(s.roster);
  const json before = w.state();
  ASSERT_EQ(before["chats"].size(), s.existing.size());

  expect_dry_run_shows_the_adoptions(w, s);

  testing::RunResult run;
  if (saved) {
    const auto file = w.dir() / "plan.json";
    const auto planned = w.rosterd({"plan", "--today", kStart.iso(), "--out", file.string()});
    ASSERT_EQ(planned.status, 0) << planned.output;
    ASSERT_EQ(w.stats()["writes"], 0) << "planning writes nothing";
    run = w.rosterd({"apply", file.string(), "--lang", "en"});
  } else {
    run = w.sync(kStart);
  }
  ASSERT_EQ(run.status, 0) << run.output;
  std::cout << "first sync: " << run.output;

  // No chat made for a group that has one, nor for 11А's class whose chat is unclear.
  const std::size_t made = s.want.live.size() - 4;
  EXPECT_EQ(w.stats()["by_method"].value("messages.createChat", 0), made) << run.output;
  const json after = w.state();
  EXPECT_EQ(after["chats"].size(), s.existing.size() + made);
  const std::map<std::int64_t, std::string> adopted = {{501, s.pupils_chat("9А")},
                                                       {502, s.parents_chat("9А")},
                                                       {503, s.pupils_chat("10А")}};
  EXPECT_EQ(describe_difference(expected_after(s, adopted, {s.pupils_chat("11А")}),
                                observed_view(after)),
            "");
  for (const auto& [id, title] : adopted) {
    const json chat = chat_by_id(after, id);
    EXPECT_EQ(chat.is_null() ? json() : chat["title"], title) << "chat " << id << " keeps its id";
  }
  for (const std::int64_t id : {504, 505, 506, 507}) {
    EXPECT_EQ(as_seen(chat_by_id(after, id)), as_seen(chat_by_id(before, id)))
        << "chat " << id << " is untouched";
  }

  const auto held_key = expect_adoptions_recorded(w.dir() / "state" / "rosterd.db", s);
  // A saved plan keeps no findings: `plan --out` showed them.
  if (!saved) {
    EXPECT_NE(run.output.find("1 adoption_unclear"), std::string::npos)
        << "the sync reports the unclear adoption: " << run.output;
  }

  // A second sync changes nothing.
  const auto writes = w.stats()["writes"];
  run = w.sync(kStart);
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("; 0 written"), std::string::npos) << run.output;
  EXPECT_EQ(w.stats()["writes"], writes);
  EXPECT_EQ(w.state(), after);

  // The administrator picks 11А's chat; the next sync brings it in line and leaves the other.
  const auto adopt = w.rosterd({"adopt", "--school", "sch-0001", "--key", held_key,
                                "--chat-id", "504"});
  ASSERT_EQ(adopt.status, 0) << adopt.output;
  run = w.sync(kStart);
  ASSERT_EQ(run.status, 0) << run.output;
  auto all_adopted = adopted;
  all_adopted[504] = s.pupils_chat("11А");
  const json last = w.state();
  EXPECT_EQ(describe_difference(expected_after(s, all_adopted, {}), observed_view(last)), "");
  EXPECT_EQ(w.stats()["by_method"].value("messages.createChat", 0), made);
  EXPECT_EQ(as_seen(chat_by_id(last, 505)), as_seen(chat_by_id(before, 505)));
}

TEST(AdoptionEndToEnd, AdoptsThePlatformsChatsCreatesOnlyTheMissingOnesAndLeavesTeachersChats) {
  adopts_the_platforms_chats(false);
}

TEST(AdoptionEndToEnd, ASavedPlanAdoptsThePlatformsChatsAsTheSyncDoes) {
  adopts_the_platforms_chats(true);
}

}  // namespace
}  // namespace rosterd::e2e
