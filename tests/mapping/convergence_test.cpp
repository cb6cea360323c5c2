// Property: over seeded random rosters and random movement (the generator's days, a year
// rollover, and journal glitches where people vanish for a day), applying a plan and planning
// again gives an empty plan; no plan removes and adds the same membership; no chat is ever
// created twice; every live chat keeps an admin.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "builders.h"
#include "generator/generator.h"

namespace rosterd::mapping {
namespace {

using testing::D;
using testing::test_rules;
using testing::writes;

const Limits kNoHolds{.max_removals = 1'000'000, .max_removal_share = 1.0,
                      .max_archives = 1'000'000, .max_archive_share = 1.0,
                      .max_source_drop = 1.0};

// The journal as one cycle sees it: now and then a few students missing for a day.
Roster with_glitch(const Roster& roster, std::mt19937_64& rng) {
  if (rng() % 4 != 0) return roster;
  Roster seen = roster;
  std::set<std::string> gone;
  for (int i = 0; i < 3 && !seen.persons.empty(); ++i)
    gone.insert(seen.persons[rng() % seen.persons.size()].id);
  std::erase_if(seen.persons, [&](const Person& p) { return gone.contains(p.id); });
  std::erase_if(seen.enrolments, [&](const Enrolment& e) { return gone.contains(e.person_id); });
  std::erase_if(seen.relations, [&](const Relation& r) {
    return gone.contains(r.parent_id) || gone.contains(r.child_id);
  });
  return seen;
}

class Convergence {
 public:
  explicit Convergence(std::uint64_t seed) : rng_(seed) {}

  void cycle(const Roster& journal, Date today) {
    const Roster seen = with_glitch(journal, rng_);
    const Policy policy{.grace_days = 2, .invite_ttl_days = 5};
    const Plan plan =
        guard(diff(desired(seen, test_rules(), today), applied_, policy, today),
              {kNoHolds, count(seen), std::nullopt, {}});
    expect_no_add_and_remove_of_one_membership(plan);
    for (const auto& a : plan.actions) {
      if (a.type == ActionType::create_chat) {
        EXPECT_TRUE(created_.insert(a.chat_key).second) << "created twice: " << a.chat_key;
      }
    }
    const Summary summary = summarize(plan);
    for (std::size_t i = 0; i < action_type_count; ++i) totals_[i] += summary.actions[i];
    applied_ = assume_applied(applied_, plan);
    const Plan again =
        diff(desired(seen, test_rules(), today), applied_, policy, today);
    EXPECT_TRUE(again.empty()) << today.iso() << ": " << ::testing::PrintToString(writes(again))
                               << " and " << again.state_changes.size() << " state changes";
    expect_every_live_chat_has_an_admin(today);
    ++cycles_;
  }
  [[nodiscard]] int cycles() const { return cycles_; }
  [[nodiscard]] std::size_t total(ActionType type) const {
    return totals_[static_cast<std::size_t>(type)];
  }
  [[nodiscard]] const AppliedState& applied() const { return applied_; }

 private:
  static void expect_no_add_and_remove_of_one_membership(const Plan& plan) {
    std::set<std::pair<std::string, std::string>> added, removed;
    for (const auto& a : plan.actions) {
      if (a.type == ActionType::add_member) added.emplace(a.chat_key, a.person_id);
      if (a.type == ActionType::remove_member) removed.emplace(a.chat_key, a.person_id);
    }
    for (const auto& m : added) {
      EXPECT_FALSE(removed.contains(m)) << m.first << " " << m.second;
    }
  }
  void expect_every_live_chat_has_an_admin(Date today) const {
    for (const auto& chat : applied_.chats) {
      if (chat.archived) continue;
      const bool admin = std::any_of(chat.members.begin(), chat.members.end(),
                                     [](const AppliedMember& m) { return m.role == MemberRole::admin; });
      EXPECT_TRUE(admin) << today.iso() << ": " << chat.key << " has no admin";
    }
  }

  std::mt19937_64 rng_;
  AppliedState applied_;
  std::set<std::string> created_;
  std::array<std::size_t, action_type_count> totals_{};
  int cycles_ = 0;
};

TEST(Convergence, ConvergesInOneApplyOverRandomMovementGlitchesAndARollover) {
  const Date start = D("2026-09-01");
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::vector<Roster> orgs = {
        generator::make_school("sch", seed, start, {.classes = 11, .students_per_class = 10}),
        generator::make_kindergarten("kg", seed, start),
        generator::make_additional("add", seed, start)};
    for (auto& journal : orgs) {
      Convergence run(seed * 7919);
      Date day = start;
      for (int i = 0; i < 12; ++i, day = day.plus_days(1)) {
        if (i > 0) journal = generator::next_day(journal, seed + i, day);
        run.cycle(journal, day);
      }
      day = D("2027-09-01");
      journal = generator::next_year(journal, seed, day);
      for (int i = 0; i < 4; ++i, day = day.plus_days(1)) {
        if (i > 0) journal = generator::next_day(journal, seed + 100 + i, day);
        run.cycle(journal, day);
      }
      EXPECT_EQ(run.cycles(), 16);
      EXPECT_GT(run.applied().chats.size(), 2u);
      if (journal.org.kind != OrgKind::school) continue;
      // The run exercised what it claims to: movement, grace, admins, invites, rollover.
      for (const auto type : {ActionType::add_member, ActionType::remove_member,
                              ActionType::set_admin, ActionType::issue_invite,
                              ActionType::rename_chat, ActionType::archive_chat}) {
        EXPECT_GT(run.total(type), 0u) << name(type);
      }
    }
  }
}

}  // namespace
}  // namespace rosterd::mapping
