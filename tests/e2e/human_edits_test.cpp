// A month of human edits end to end: people change a school's chats in the app every day
// (POST /sim/edit: members removed, people leaving, class teachers demoted, chats renamed,
// strangers added, a chat archived or deleted now and then), and each day's
// `rosterd sync --once --audit` brings the platform back to what the journal asks for, with
// the documented exceptions, while the journal moves a little each day (generator::next_day).
// The expectation is the test's own: the model's view of the
// journal (model.h) and the test's bookkeeping of the edits, never the core.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "generator/generator.h"
#include "mapping/ports.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::ChatId;
using mapping::Date;
using mapping::PlatformUserId;
using nlohmann::json;

const Date kStart = *Date::parse("2026-09-01");
constexpr PlatformUserId kFirstStranger = 770'000'001;

// What the test knows of one chat rosterd made, beyond the journal.
struct Chat {
  std::string title;                   // the journal's title (the model's key)
  std::string current_title;           // as the platform shows it now
  std::set<PlatformUserId> left;        // left by themselves
  std::set<PlatformUserId> left_today;  // of them, those who left today
  std::set<PlatformUserId> strangers;  // added by hand: kept, the policy is not strict
  bool archived = false, deleted = false;
};

class Month {
 public:
  Month(World& w, std::uint64_t seed) : w_(w), rng_(seed) {}

  // The chats rosterd made on day 0, by id, with the model's titles.
  void take_chats(const json& state) {
    for (const auto& c : state.at("chats")) {
      const auto title = c.at("title").get<std::string>();
      chats_[c.at("chat_id").get<ChatId>()] = Chat{title, title, {}, {}, {}, false, false};
    }
  }

  // At least `n` edits through POST /sim/edit; each is described in `edits_`.
  void edit_day(std::size_t n, const PlatformView& want) {
    edits_.clear();
    for (auto& [_, chat] : chats_) chat.left_today.clear();
    for (std::size_t tries = 0; edits_.size() < n && tries < 20 * n; ++tries) one_edit(want);
  }

  // The platform the test expects: the model's chats, less who left, plus the strangers; an
  // archived chat is archived under the title it had, a deleted one is gone.
  [[nodiscard]] PlatformView expected(const PlatformView& model) const {
    PlatformView view;
    for (const auto& [id, chat] : chats_) {
      if (chat.deleted) continue;
      if (chat.archived) {
        view.archived.insert(chat.current_title);
        continue;
      }
      auto& members = view.live[chat.title] = model.live.at(chat.title);
      for (const auto uid : chat.left) members.erase(uid);
      for (const auto uid : chat.strangers) members[uid] = false;
    }
    return view;
  }

  // Chats where somebody the journal still puts there left before today hold a live link of
  // that person's role.
  [[nodiscard]] std::string missing_links(const json& state, const PlatformView& model) const {
    std::string out;
    for (const auto& c : state.at("chats")) {
      const auto& chat = chats_.at(c.at("chat_id").get<ChatId>());
      if (chat.archived) continue;
      const auto& wanted = model.live.at(chat.title);
      for (const auto uid : chat.left) {
        if (chat.left_today.contains(uid) || !wanted.contains(uid)) continue;
        const char* role = wanted.at(uid) ? "admin" : "member";
        if (c.at("invite_links").at(role).is_null())
          out += "«" + chat.title + "»: no live " + role + " link for " + std::to_string(uid) +
                 ", who left\n";
      }
    }
    return out;
  }

  // After a sync: live chats have their titles back; an archived chat keeps the title it had.
  void restored() {
    for (auto& [_, chat] : chats_) {
      if (!chat.archived) chat.current_title = chat.title;
    }
  }
  [[nodiscard]] const std::vector<std::string>& edits() const { return edits_; }
  [[nodiscard]] std::string edits_text() const {
    std::string out;
    for (const auto& e : edits_) out += "  " + e + "\n";
    return out;
  }
  [[nodiscard]] std::string tally() const {
    std::string out;
    for (const auto& [action, n] : tally_) out += " " + action + "=" + std::to_string(n);
    return out;
  }

 private:
  enum Kind { remove, leave, demote, rename, add_stranger, archive, erase };

  Kind draw_kind() {
    const int r = std::uniform_int_distribution<int>(0, 199)(rng_);
    if (r < 50) return remove;
    if (r < 80) return leave;
    if (r < 110) return demote;
    if (r < 140) return rename;
    if (r < 198) return add_stranger;
    return r == 198 ? archive : erase;  // rarely
  }

  template <class T>
  T pick(const std::vector<T>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng_)];
  }

  void post(const json& body, const std::string& what) {
    const auto chat_id = body.at("chat_id").get<ChatId>();
    ++tally_[body.at("action").get<std::string>()];
    (void)w_.sim().post("/sim/edit", body.dump());  // throws on anything but 200
    edits_.push_back("chat " + std::to_string(chat_id) + " «" + chats_.at(chat_id).title +
                     "»: " + what);
  }

  // The journal's people present in a live chat (strangers and the owner aside).
  std::vector<std::pair<PlatformUserId, bool>> managed_present(const json& chat,
                                                               const Members& wanted) {
    std::vector<std::pair<PlatformUserId, bool>> out;
    for (const auto& m : chat.at("members")) {
      const auto uid = m.at("user_id").get<PlatformUserId>();
      if (!m.at("is_owner").get<bool>() && wanted.contains(uid))
        out.emplace_back(uid, m.at("is_admin").get<bool>());
    }
    return out;
  }

  void one_edit(const PlatformView& want) {
    const json state = w_.state();
    std::vector<const json*> live;
    for (const auto& c : state.at("chats")) {
      if (!c.at("archived").get<bool>()) live.push_back(&c);
    }
    if (live.empty()) return;
    const json& c = *pick(live);
    const auto id = c.at("chat_id").get<ChatId>();
    Chat& chat = chats_.at(id);
    const auto present = managed_present(c, want.live.at(chat.title));
    switch (draw_kind()) {
      case remove: {
        if (present.empty()) return;
        const auto [uid, _] = pick(present);
        post({{"action", "remove_member"}, {"chat_id", id}, {"user_id", uid}},
             "removed " + std::to_string(uid));
        return;
      }
      case leave: {
        if (present.empty()) return;
        const auto uid = pick(present).first;
        post({{"action", "leave"}, {"chat_id", id}, {"user_id", uid}},
             std::to_string(uid) + " left");
        chat.left.insert(uid);
        chat.left_today.insert(uid);
        return;
      }
      case demote: {
        std::vector<PlatformUserId> admins;
        for (const auto& [uid, admin] : present) {
          if (admin) admins.push_back(uid);
        }
        if (admins.empty()) return;
        const auto uid = pick(admins);
        post({{"action", "set_role"}, {"chat_id", id}, {"user_id", uid}, {"role", "member"}},
             "demoted " + std::to_string(uid));
        return;
      }
      case rename: {
        const auto title = "Переименован " + std::to_string(++renames_);
        post({{"action", "rename"}, {"chat_id", id}, {"title", title}}, "renamed «" + title + "»");
        chat.current_title = title;
        return;
      }
      case add_stranger: {
        const auto uid = kFirstStranger + strangers_++;
        post({{"action", "add_member"}, {"chat_id", id}, {"user_id", uid}},
             "added stranger " + std::to_string(uid));
        chat.strangers.insert(uid);
        return;
      }
      case archive:
      case erase: {
        if (3 * (gone_ + 1) > chats_.size()) return;  // two thirds of the chats stay
        edit_away(c, chat);
        return;
      }
    }
  }

  void edit_away(const json& c, Chat& chat) {
    const auto id = c.at("chat_id").get<ChatId>();
    const bool archiving = std::uniform_int_distribution<int>(0, 1)(rng_) == 0;
    post({{"action", archiving ? "archive" : "delete"}, {"chat_id", id}},
         archiving ? "archived" : "deleted");
    (archiving ? chat.archived : chat.deleted) = true;
    ++gone_;
  }

  World& w_;
  std::mt19937_64 rng_;
  std::map<ChatId, Chat> chats_;
  std::vector<std::string> edits_;
  std::map<std::string, std::size_t> tally_;  // edits made, by action
  std::size_t strangers_ = 0, renames_ = 0, gone_ = 0;
};

std::uint64_t month_seed() {
  const char* given = std::getenv("ROSTERD_E2E_SEED");
  return given ? std::strtoull(given, nullptr, 10) : 20'261'201;
}

TEST(HumanEdits, AMonthOfDailyEditsIsUndoneExceptWhatPeopleMayKeep) {
  const auto seed = month_seed();
  std::cout << "human edits: seed " << seed << " (ROSTERD_E2E_SEED to repeat)\n";
  World w;
  auto roster = generator::make_school("sch-0001", 51, kStart,
                                       {.classes = 11, .students_per_class = 4});
  w.write_journal(roster);
  auto run = w.sync(kStart);
  ASSERT_EQ(run.status, 0) << run.output;
  auto model = expected_view(w, "sch-0001", kStart);
  ASSERT_EQ(describe_difference(model, observed_view(w.state())), "");
  const auto created = w.stats()["by_method"]["messages.createChat"];

  Month month(w, seed);
  month.take_chats(w.state());
  Date day = kStart;
  for (int i = 1; i <= 30; ++i) {
    day = day.plus_days(1);
    month.edit_day(10, model);  // on the chats as rosterd left them yesterday
    ASSERT_GE(month.edits().size(), 10u);
    roster = generator::next_day(roster, seed + static_cast<std::uint64_t>(i), day);
    w.write_journal(roster);
    model = expected_view(w, "sch-0001", day);
    auto argv = w.sync_argv(day);
    argv.push_back("--audit");
    run = testing::run(argv, w.dir());
    month.restored();
    const json state = w.state();
    const auto got = observed_view(state);
    const auto want = month.expected(model);
    const std::string context = "day " + std::to_string(i) + " " + day.iso() + ", seed " +
                                std::to_string(seed) + "; the day's edits:\n" +
                                month.edits_text() + "sync: " + run.output;
    ASSERT_EQ(run.status, 0) << context;
    EXPECT_EQ(describe_difference(want, got), "") << context;
    EXPECT_EQ(got.archived, want.archived) << context;
    EXPECT_EQ(month.missing_links(state, model), "") << context;
    EXPECT_EQ(w.stats()["by_method"]["messages.createChat"], created)
        << "a chat archived or deleted by hand is not made again\n" << context;
    if (::testing::Test::HasFailure()) break;
  }
  std::cout << "human edits:" << month.tally() << "\n";
}

}  // namespace
}  // namespace rosterd::e2e
