#include "adapters/platform/retry_policy.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace rosterd::adapters::platform {
namespace {

using namespace std::chrono_literals;
using Kind = Failure::Kind;

struct Row {
  Failure failure;
  Op op;
  Next next;
};

Failure code(int c) {
  return {Kind::platform_error, c};
}
Failure http(int status) {
  return {Kind::http_status, status};
}

// The classification table of docs/platform-client.md, row by row.
const std::vector<Row> table = {
    // Refused, nothing done: retry, for reads, writes and whole executes alike.
    {code(6), Op::add_member, Next::retry},
    {code(9), Op::execute, Next::retry},
    {code(29), Op::list_chats, Next::retry},
    {http(429), Op::rename_chat, Next::retry},
    {{Kind::not_connected, 0}, Op::create_chat, Next::retry},
    // The platform or the way failed: reads retry, writes are unknown.
    {code(10), Op::members, Next::retry},
    {code(10), Op::add_member, Next::unknown},
    {code(10), Op::execute, Next::unknown},
    {http(500), Op::list_chats, Next::retry},
    {http(503), Op::create_chat, Next::unknown},
    {{Kind::timeout, 0}, Op::members, Next::retry},
    {{Kind::timeout, 0}, Op::remove_member, Next::unknown},
    {{Kind::transport, 0}, Op::execute, Next::unknown},
    {{Kind::malformed, 0}, Op::list_chats, Next::retry},
    {{Kind::malformed, 0}, Op::issue_invite, Next::unknown},
    // Stop and report.
    {code(5), Op::add_member, Next::stop},
    {code(5), Op::list_chats, Next::stop},
    {code(15), Op::members, Next::stop},
    {code(15), Op::users, Next::stop},
    // 15 on a write is that write's refusal (a leaver cannot be added back, the owner cannot be
    // removed or demoted): rejected, and the other writes go on.
    {code(15), Op::add_member, Next::rejected},
    {code(15), Op::remove_member, Next::rejected},
    {code(15), Op::unset_admin, Next::rejected},
    {code(15), Op::execute, Next::rejected},
    {code(5), Op::execute, Next::stop},
    {code(5), Op::users, Next::stop},
    // Per-method meanings.
    {code(935), Op::remove_member, Next::done},
    {code(935), Op::unset_admin, Next::done},
    {code(935), Op::set_admin, Next::rejected},
    {code(927), Op::rename_chat, Next::rejected},
    {code(927), Op::archive_chat, Next::rejected},
    {code(927), Op::members, Next::empty},
    {code(927), Op::list_chats, Next::give_up},
    {code(917), Op::add_member, Next::rejected},
    {code(100), Op::create_chat, Next::rejected},
    {code(936), Op::add_member, Next::rejected},
    {code(12), Op::execute, Next::rejected},
    {code(13), Op::execute, Next::rejected},
    {http(404), Op::add_member, Next::rejected},
    {http(404), Op::members, Next::give_up},
    // Codes outside the contract: a write may have happened; a read cannot be trusted.
    {code(777), Op::add_member, Next::unknown},
    {code(777), Op::list_chats, Next::give_up},
};

TEST(RetryPolicy, ClassifiesEveryFailureByWhatTheSyncDoesNext) {
  for (const Row& row : table) {
    EXPECT_EQ(name(classify(row.failure, row.op)), name(row.next))
        << failure_key(row.failure) << " on op " << static_cast<int>(row.op);
  }
}

TEST(RetryPolicy, MapsEveryActionTypeToItsOwnOp) {
  std::set<Op> ops;
  for (std::size_t t = 0; t < mapping::action_type_count; ++t) {
    const auto type = static_cast<mapping::ActionType>(t);
    if (type == mapping::ActionType::adopt_chat) continue;  // recorded by rosterd, never sent
    const Op op = op_of(type);
    EXPECT_FALSE(is_read(op));
    EXPECT_NE(op, Op::execute);
    ops.insert(op);
  }
  EXPECT_EQ(ops.size(), mapping::action_type_count - 1);
}

TEST(RetryPolicy, BacksOffExponentiallyWithJitterUpToTheCap) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 200; ++round) {
    for (int attempt = 1; attempt <= 8; ++attempt) {
      const auto full = std::min(100ms * (1 << (attempt - 1)), 1000ms);
      const auto delay = backoff_delay(attempt, 100ms, 1000ms, rng);
      EXPECT_GE(delay, full / 2) << "attempt " << attempt;
      EXPECT_LE(delay, full) << "attempt " << attempt;
    }
  }
}

TEST(RetryPolicy, JittersSoThatClientsRefusedTogetherDoNotReturnTogether) {
  std::mt19937_64 rng(7);
  std::set<std::int64_t> delays;
  for (int i = 0; i < 20; ++i) delays.insert(backoff_delay(3, 100ms, 1000ms, rng).count());
  EXPECT_GT(delays.size(), 5U);
}

TEST(RetryPolicy, NamesFailuresForCounters) {
  EXPECT_EQ(failure_key(code(935)), "935");
  EXPECT_EQ(failure_key(http(503)), "http_503");
  EXPECT_EQ(failure_key({Kind::timeout, 0}), "timeout");
}

}  // namespace
}  // namespace rosterd::adapters::platform
