// The applied state: load() gives back exactly what was saved, per school; save_chats replaces
// whole chats and deletes removed keys.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "adapters/store/store.h"
#include "mapping/chat.h"
#include "mapping/state.h"
#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

using mapping::AppliedChat;
using mapping::AppliedMember;
using mapping::AppliedState;
using mapping::ChatDrift;
using mapping::ChatKind;
using mapping::Date;
using mapping::MemberOrigin;
using mapping::MemberPresence;
using mapping::MemberRole;

using AppliedStateStore = StoreTest;
ROSTERD_STORE_SUITE(AppliedStateStore);

Date day(int y, unsigned m, unsigned d) {
  return Date::from_ymd(y, m, d);
}

AppliedMember member(std::string person_id, std::optional<std::int64_t> uid,
                     MemberRole role = MemberRole::member) {
  return {std::move(person_id), uid, role, MemberOrigin::ours, std::nullopt};
}

// Every field set somewhere; keys and person ids whose byte order differs from a natural-language
// collation ("B" < "a", "p-10" < "p-9"); titles in Cyrillic with emoji; ids beyond 2^53.
AppliedState rich_state(const std::string& org) {
  AppliedChat a;
  a.key = "class:" + org + ":B-5a";
  a.kind = ChatKind::class_chat;
  a.group_id = org + ":B-5a";
  a.chat_id = 2'000'000'123;
  a.title = "5А · СОШ № 160 — «Солнышко» 🌞";
  a.members = {
      {"P-001", std::numeric_limits<std::int64_t>::max(), MemberRole::admin, MemberOrigin::ours,
       std::nullopt},
      {"p-10", 9'007'199'254'740'993, MemberRole::member, MemberOrigin::ours, day(2026, 11, 20)},
      {"p-9", std::nullopt, MemberRole::member, MemberOrigin::ours, std::nullopt},
      {"uid:77", 77, MemberRole::member, MemberOrigin::observed, day(2027, 2, 28)},
  };
  a.invites = {{MemberRole::admin, "https://vk.me/join/AdMiN/ёжик", day(2026, 11, 16)},
               {MemberRole::member, "", day(2026, 11, 17)}};
  // Observed state (schema version 3): what the last read of the platform saw.
  a.observed_at = 1'795'000'123;
  a.observed_title = "5А — переименован вручную ✏️";
  a.members_seen = std::numeric_limits<std::uint32_t>::max();
  a.members[1].presence = MemberPresence::removed;
  a.members[1].presence_since = day(2026, 11, 21);
  a.members[2].presence = MemberPresence::left;
  a.members[2].presence_since = day(2026, 12, 31);
  a.members.push_back({"uid:78", 78, MemberRole::admin, MemberOrigin::joined, std::nullopt});

  AppliedChat b;
  b.key = "parents:" + org + ":a-kg";
  b.kind = ChatKind::parents;
  b.group_id = org + ":a-kg";
  b.chat_id = std::nullopt;  // not created yet
  b.title = "Родители «Солнышко»";
  b.archived = true;
  b.managed = false;
  b.missing_since = day(2026, 9, 1);
  b.drift = ChatDrift::deleted_by_hand;
  b.observed_at = 0;  // seen at the epoch: set, not absent

  AppliedChat c;
  c.key = "staff:" + org;
  c.kind = ChatKind::staff;
  c.group_id = org;
  c.chat_id = std::numeric_limits<std::int64_t>::max();
  c.title = "Педагоги";
  c.members = {member("s-1", 1, MemberRole::admin)};
  c.drift = ChatDrift::archived_by_hand;
  c.observed_title = "";  // an empty title seen is not "no title seen"
  c.members_seen = 4;

  AppliedChat d = c;
  d.key = "association:" + org + ":robots";
  d.kind = ChatKind::association;
  d.group_id = org + ":robots";
  d.title = "Робототехника, гр. 2";

  AppliedState state{org, {a, b, c, d}, mapping::SourceCounts{30, 1843, 812, 1150}};
  std::sort(state.chats.begin(), state.chats.end(),
            [](const auto& x, const auto& y) { return x.key < y.key; });
  return state;
}

void save(mapping::StateStore& store, const AppliedState& state) {
  store.save_chats(state.org_id, state.chats, {});
  if (state.last_good_counts) store.save_counts(state.org_id, *state.last_good_counts);
}

TEST_P(AppliedStateStore, LoadsAnEmptyStateForASchoolItNeverSaw) {
  EXPECT_EQ(store().load("sch-unknown"), (AppliedState{"sch-unknown", {}, std::nullopt}));
}

TEST_P(AppliedStateStore, RoundTripsARichStateFieldForField) {
  const auto state = rich_state("sch-1");
  save(store(), state);
  EXPECT_EQ(store().load("sch-1"), state);
  close_store();  // and from a new connection, as the next cycle would
  EXPECT_EQ(store().load("sch-1"), state);
}

TEST_P(AppliedStateStore, KeepsSchoolsApartEvenUnderTheSameChatKey) {
  const auto one = rich_state("sch-1");
  auto two = rich_state("sch-2");
  two.chats.resize(1);
  two.chats[0].key = one.chats[0].key;
  save(store(), one);
  save(store(), two);
  EXPECT_EQ(store().load("sch-2"), two);

  store().save_chats("sch-2", {}, std::vector<std::string>{one.chats[0].key});
  EXPECT_EQ(store().load("sch-1"), one);
  EXPECT_EQ(store().load("sch-2"), (AppliedState{"sch-2", {}, two.last_good_counts}));
}

TEST_P(AppliedStateStore, ReplacesAChatsMembersAndInvitesWhole) {
  auto state = rich_state("sch-1");
  save(store(), state);
  auto& chat = state.chats[1];  // class:…:B-5a
  ASSERT_EQ(chat.key, "class:sch-1:B-5a");
  chat.title = "6А · СОШ № 160";
  chat.members = {member("p-10", 5, MemberRole::admin), member("p-new", 6)};
  chat.invites = {{MemberRole::member, "https://vk.me/join/new", day(2026, 12, 1)}};
  store().save_chats("sch-1", std::vector<AppliedChat>{chat}, {});
  EXPECT_EQ(store().load("sch-1"), state);
}

TEST_P(AppliedStateStore, RebindsAChatByDeletingTheOldKeyAndSavingTheNew) {
  auto state = rich_state("sch-1");
  save(store(), state);
  auto rebound = state.chats[1];
  const std::string old_key = rebound.key;
  rebound.key = "class:sch-1:B-6a";
  rebound.group_id = "sch-1:B-6a";
  store().save_chats("sch-1", std::vector<AppliedChat>{rebound}, std::vector<std::string>{old_key});
  state.chats[1] = rebound;
  std::sort(state.chats.begin(), state.chats.end(),
            [](const auto& x, const auto& y) { return x.key < y.key; });
  EXPECT_EQ(store().load("sch-1"), state);
}

TEST_P(AppliedStateStore, DeletesRemovedChatsWithTheirMembers) {
  auto state = rich_state("sch-1");
  save(store(), state);
  std::vector<std::string> removed;
  for (const auto& chat : state.chats) removed.push_back(chat.key);
  store().save_chats("sch-1", {}, removed);
  EXPECT_EQ(store().load("sch-1"), (AppliedState{"sch-1", {}, state.last_good_counts}));
  EXPECT_EQ(target().query_int("SELECT COUNT(*) FROM members"), 0);
  EXPECT_EQ(target().query_int("SELECT COUNT(*) FROM invites"), 0);
}

TEST_P(AppliedStateStore, OverwritesTheLastGoodCountsLeaderAssignmentsIncluded) {
  store().save_counts("sch-1", {1, 2, 3, 4, 5});
  store().save_counts("sch-1", {5, 6, 7, 8, 9});
  EXPECT_EQ(store().load("sch-1").last_good_counts, (mapping::SourceCounts{5, 6, 7, 8, 9}));
}

TEST_P(AppliedStateStore, SavesNothingOfABatchThatFails) {
  auto state = rich_state("sch-1");
  save(store(), state);
  auto broken = state.chats;
  broken[0].title = "changed";
  broken[1].members.push_back(broken[1].members.front());  // one person twice: refused
  EXPECT_ANY_THROW(store().save_chats("sch-1", broken, {}));
  EXPECT_EQ(store().load("sch-1"), state);
}

// A value this rosterd does not know (written by something else, or by hand) is refused with
// the value and the ones allowed, not read as a default.
TEST_P(AppliedStateStore, RefusesAStoredValueItDoesNotKnowNamingIt) {
  struct Case {
    std::string sql;
    std::string expected;  // the error's end
  };
  const std::string chat = "state store: school sch-1, chat 'staff:sch-1': chats.";
  const std::string member =
      "state store: school sch-1, chat 'staff:sch-1', person 's-1': members.";
  const std::vector<Case> cases{
      {"UPDATE members SET origin = 'guest' WHERE chat_key = 'staff:sch-1'",
       member + "origin: expected a member origin (ours, observed, joined), found 'guest'"},
      {"UPDATE members SET presence = 'gone' WHERE chat_key = 'staff:sch-1'",
       member + "presence: expected a member presence (present, removed, left), found 'gone'"},
      {"UPDATE chats SET drift = 'lost' WHERE chat_key = 'staff:sch-1'",
       chat +
           "drift: expected a chat drift (none, archived_by_hand, deleted_by_hand), found 'lost'"},
      {"UPDATE chats SET members_seen = -1 WHERE chat_key = 'staff:sch-1'",
       chat + "members_seen: expected a count from 0 to 4294967295, found '-1'"},
      {"UPDATE chats SET members_seen = 4294967296 WHERE chat_key = 'staff:sch-1'",
       chat + "members_seen: expected a count from 0 to 4294967295, found '4294967296'"},
  };
  for (const auto& c : cases) {
    save(store(), rich_state("sch-1"));  // whole chats again: the last case's damage undone
    target().exec_raw(c.sql);
    try {
      (void)store().load("sch-1");
      ADD_FAILURE() << "loaded after " << c.sql;
    } catch (const StoreError& e) {
      EXPECT_EQ(std::string{e.what()}, c.expected);
    }
  }
}

TEST_P(AppliedStateStore, ShowsOneConnectionsWritesToAnother) {
  auto other = target().open();
  const auto state = rich_state("sch-1");
  save(store(), state);
  EXPECT_EQ(other->load("sch-1"), state);
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
