// Invite hand-outs: the link printed for each chat and role, the latest one kept, taken from a
// report written beside the daemon that holds the school's lease.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mapping/ports.h"
#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

using mapping::Date;
using mapping::HandOut;
using mapping::MemberRole;

using HandOutStore = StoreTest;
ROSTERD_STORE_SUITE(HandOutStore);

Date day(int d) { return *Date::parse("2026-11-" + std::string(d < 10 ? "0" : "") + std::to_string(d)); }

TEST_P(HandOutStore, KeepsTheLatestHandOutOfEachChatAndRoleInKeyOrder) {
  store().record_hand_outs("sch-1", std::vector<HandOut>{
      {"parents:g-5a", MemberRole::member, "https://vk.me/join/Five/ёжик", day(2)},
      {"class:g-5a", MemberRole::member, "https://vk.me/join/Class5a", day(2)},
      {"class:g-5a", MemberRole::admin, "https://vk.me/join/Admin5a", day(2)},
  });
  store().record_hand_outs("sch-2", std::vector<HandOut>{
      {"parents:g-5a", MemberRole::member, "https://vk.me/join/Other", day(3)}});
  store().record_hand_outs("sch-1", std::vector<HandOut>{
      {"parents:g-5a", MemberRole::member, "https://vk.me/join/FiveAgain", day(16)}});

  const std::vector<HandOut> want{
      {"class:g-5a", MemberRole::member, "https://vk.me/join/Class5a", day(2)},
      {"class:g-5a", MemberRole::admin, "https://vk.me/join/Admin5a", day(2)},
      {"parents:g-5a", MemberRole::member, "https://vk.me/join/FiveAgain", day(16)},
  };
  EXPECT_EQ(store().hand_outs("sch-1"), want);
  EXPECT_EQ(store().hand_outs("sch-2").size(), 1u);
  EXPECT_TRUE(store().hand_outs("sch-3").empty());
  close_store();
  EXPECT_EQ(store().hand_outs("sch-1"), want) << "kept across a reopen";
}

// `rosterd report invites` runs while the daemon holds the school.
TEST_P(HandOutStore, RecordsAHandOutWithoutTheSchoolsLease) {
  lease(store(), {"sch-1"});
  const auto reporter = target().open();
  reporter->record_hand_outs("sch-1", std::vector<HandOut>{
      {"parents:g-1a", MemberRole::member, "https://vk.me/join/One", day(1)}});
  EXPECT_EQ(store().hand_outs("sch-1").size(), 1u);
  EXPECT_EQ(target().query_int("SELECT COUNT(*) FROM invite_hand_outs"), 1);
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
