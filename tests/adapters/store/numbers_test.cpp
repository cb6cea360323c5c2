// The numbers of a school's last look at the platform: saved whole, replaced whole, fenced.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "mapping/state.h"
#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

using namespace std::chrono_literals;
using mapping::ChatNumbers;
using mapping::SchoolNumbers;

using NumbersStore = StoreTest;
ROSTERD_STORE_SUITE(NumbersStore);

constexpr auto most = std::numeric_limits<std::uint32_t>::max();

// Three chats, written out by hand (not computed): the first at the 32-bit limits.
SchoolNumbers three_chats() {
  SchoolNumbers n;
  n.chats = {
      ChatNumbers{"class:g-5a", most, most, most - 1, 1, true},
      ChatNumbers{"parents:g-5a", 3, 25, 2, 23, false},
      ChatNumbers{"staff:sch-1", 0, 0, 0, 0, false},
  };
  n.managed_chats = 3;
  n.active_chats = 1;
  n.expected = most;
  n.expected_in = 7;
  return n;
}

SchoolNumbers one_chat() {
  SchoolNumbers n;
  n.chats = {ChatNumbers{"class:g-6b", 12, 11, 9, 2, true}};
  n.managed_chats = 1;
  n.active_chats = 1;
  n.expected = 11;
  n.expected_in = 9;
  return n;
}

TEST_P(NumbersStore, HasNoneForASchoolNeverSaved) {
  EXPECT_EQ(store().numbers("sch-unknown"), std::nullopt);
}

TEST_P(NumbersStore, RoundTripsEveryFieldInTheOrderSaved) {
  store().save_numbers("sch-1", three_chats());
  EXPECT_EQ(store().numbers("sch-1"), three_chats());
  close_store();  // and from a new connection
  EXPECT_EQ(store().numbers("sch-1"), three_chats());
}

TEST_P(NumbersStore, KeepsASchoolWithoutChatsApartFromOneNeverSaved) {
  store().save_numbers("sch-1", SchoolNumbers{});
  EXPECT_EQ(store().numbers("sch-1"), SchoolNumbers{});
}

TEST_P(NumbersStore, ReplacesTheSchoolsNumbersRatherThanAddingToThem) {
  store().save_numbers("sch-1", three_chats());
  store().save_numbers("sch-2", three_chats());
  store().save_numbers("sch-1", one_chat());
  EXPECT_EQ(store().numbers("sch-1"), one_chat());
  EXPECT_EQ(store().numbers("sch-2"), three_chats());  // another school's are left alone
  EXPECT_EQ(target().query_int("SELECT COUNT(*) FROM chat_numbers WHERE org_id = 'sch-1'"), 1);
  EXPECT_EQ(target().query_int("SELECT COUNT(*) FROM school_numbers"), 2);
}

TEST_P(NumbersStore, WritesNothingOnceTheLeaseIsLost) {
  const auto a = target().open();
  const auto b = target().open();
  const auto first = a->acquire_lease("sch-9", "host-a", 1h);
  ASSERT_TRUE(first.acquired);
  a->save_numbers("sch-9", three_chats());
  // host-a is gone as far as host-b can tell: it takes the school over at once.
  ASSERT_TRUE(b->take_over_lease("sch-9", "host-b", first.lease.token, 1h).acquired);

  EXPECT_THROW(a->save_numbers("sch-9", one_chat()), mapping::LeaseLost);
  EXPECT_EQ(b->numbers("sch-9"), three_chats());  // neither replaced nor emptied
}

TEST_P(NumbersStore, WritesNothingWithoutALease) {
  const auto a = target().open();
  EXPECT_THROW(a->save_numbers("sch-9", one_chat()), mapping::LeaseLost);
  EXPECT_EQ(a->numbers("sch-9"), std::nullopt);
  EXPECT_EQ(target().query_int("SELECT COUNT(*) FROM school_numbers"), 0);
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
