#include <gtest/gtest.h>

#include <vector>

#include "adapters/platform/vk_platform.h"
#include "tests/adapters/platform/client_fixture.h"
#include "tests/adapters/platform/fake_clock.h"
#include "tests/adapters/platform/fake_platform_server.h"

namespace rosterd::adapters::platform {
namespace {

using namespace std::chrono_literals;
using mapping::ActionType;
using mapping::MemberRole;
using mapping::PlatformWrite;
using mapping::WriteStatus;
using namespace testing;

TEST(VkPlatformRetry, RetriesARefusedWriteThenSucceeds) {
  FakePlatformServer server;
  server.queue_json(error(6, "Too many requests per second"));
  server.queue_json(response("1"));
  auto client = client_for(server);
  const PlatformWrite w = add(5, 7);
  const auto results = client->write(std::span(&w, 1));

  EXPECT_EQ(results[0].status, WriteStatus::done);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].body, requests[1].body);
  const auto counters = client->counters();
  EXPECT_EQ(counters.retries, 1U);
  EXPECT_EQ(counters.http_requests, 2U);
  EXPECT_EQ(counters.errors_by_code.at("6"), 1U);
}

TEST(VkPlatformRetry, ReportsARefusedWriteAsNotSentWhenTheAttemptsRunOut) {
  FakePlatformServer server;
  server.otherwise([](const RecordedRequest&) { return ScriptedAnswer{200, error(29), {}}; });
  auto client = client_for(server);  // max_attempts 3
  const PlatformWrite w = add(5, 7);
  const auto results = client->write(std::span(&w, 1));

  EXPECT_EQ(results[0].status, WriteStatus::not_sent);
  EXPECT_EQ(results[0].error_code, 29);
  EXPECT_EQ(server.requests().size(), 3U);
}

TEST(VkPlatformRetry, SendsNothingAgainOnceAStopIsRequested) {
  FakePlatformServer server;
  server.otherwise([](const RecordedRequest&) { return ScriptedAnswer{200, error(6), {}}; });
  auto options = options_for(server);
  options.stop_requested = [] { return true; };
  auto client = client_with(options);
  const PlatformWrite w = add(5, 7);
  const auto results = client->write(std::span(&w, 1));
  EXPECT_EQ(results[0].status, WriteStatus::not_sent);
  EXPECT_EQ(server.requests().size(), 1U) << "the request in flight, and no retry";
  EXPECT_THROW((void)client->list_chats(), mapping::PlatformUnavailable);
  EXPECT_EQ(server.requests().size(), 2U);
}

TEST(VkPlatformRetry, RetriesAWholeRefusedExecuteAsAWhole) {
  FakePlatformServer server;
  server.queue_json(error(9, "Flood control"));
  server.queue_json(response("[1, 1]"));
  auto client = client_for(server);
  const std::vector<PlatformWrite> writes = {add(5, 1), add(5, 2)};
  const auto results = client->write(writes);

  EXPECT_EQ(results[0].status, WriteStatus::done);
  EXPECT_EQ(results[1].status, WriteStatus::done);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].param("code"), requests[1].param("code"));
}

TEST(VkPlatformRetry, SendsAgainOnlyTheCallsAnExecuteRefused) {
  FakePlatformServer server;
  server.queue_json(R"({"response": [1, false, 1],
    "execute_errors": [{"method": "messages.addChatUser", "error_code": 6, "error_msg": "rps"}]})");
  server.queue_json(response("1"));
  auto client = client_for(server);
  const std::vector<PlatformWrite> writes = {add(5, 1), add(5, 2), add(5, 3)};
  const auto results = client->write(writes);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[1].path, "/method/messages.addChatUser");
  EXPECT_EQ(requests[1].param("user_id"), "2");
  for (const auto& r : results) EXPECT_EQ(r.status, WriteStatus::done);
}

TEST(VkPlatformRetry, NeverRepeatsAWriteThatFailedWithError10) {
  FakePlatformServer server;
  server.queue_json(error(10, "Internal server error"));
  server.queue_json(response("1"));
  auto client = client_for(server);
  const PlatformWrite w = add(5, 7);
  const auto results = client->write(std::span(&w, 1));

  EXPECT_EQ(results[0].status, WriteStatus::unknown);
  EXPECT_EQ(results[0].error_code, 10);
  EXPECT_EQ(server.requests().size(), 1U);
  EXPECT_EQ(client->counters().retries, 0U);
}

TEST(VkPlatformRetry, MakesEveryCallOfAnExecuteUnknownOnAServerError) {
  FakePlatformServer server;
  server.queue({503, "<html>Service Unavailable</html>", {}});
  auto client = client_for(server);
  const std::vector<PlatformWrite> writes = {add(5, 1), remove(5, 2), add(6, 3)};
  const auto results = client->write(writes);

  for (const auto& r : results) {
    EXPECT_EQ(r.status, WriteStatus::unknown);
    EXPECT_EQ(r.error_code, 503);
  }
  EXPECT_EQ(server.requests().size(), 1U);
  EXPECT_EQ(client->counters().errors_by_code.at("http_503"), 1U);
}

TEST(VkPlatformRetry, MakesEveryCallUnknownWhenAnExecuteAnswerDoesNotMatchItsCalls) {
  FakePlatformServer server;
  server.queue_json(response("[1]"));  // two calls sent, one answer back: which one ran?
  auto client = client_for(server);
  const std::vector<PlatformWrite> writes = {add(5, 1), add(5, 2)};
  const auto results = client->write(writes);
  EXPECT_EQ(results[0].status, WriteStatus::unknown);
  EXPECT_EQ(results[1].status, WriteStatus::unknown);
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST(VkPlatformRetry, TreatsATimedOutWriteAsUnknownAndDoesNotRepeatIt) {
  FakePlatformServer server;
  server.queue({200, response("1"), 400ms});  // the change is made, the answer comes too late
  auto options = options_for(server);
  options.timeout_ms = 100;
  auto client = client_with(options);
  const PlatformWrite w = add(5, 7);
  const auto results = client->write(std::span(&w, 1));

  EXPECT_EQ(results[0].status, WriteStatus::unknown);
  EXPECT_NE(results[0].message.find("no answer within 100 ms"), std::string::npos);
  EXPECT_EQ(server.requests().size(), 1U);
  EXPECT_EQ(client->counters().errors_by_code.at("timeout"), 1U);
}

TEST(VkPlatformRetry, TakesARemovalOfSomeoneNotInTheChatAsDone) {
  FakePlatformServer server;
  server.queue_json(error(935, "User not found in chat"));
  auto client = client_for(server);
  const PlatformWrite w = remove(5, 7);
  const auto results = client->write(std::span(&w, 1));

  EXPECT_EQ(results[0].status, WriteStatus::done);
  EXPECT_EQ(results[0].error_code, 935);
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST(VkPlatformRetry, RejectsAWriteToAChatThatIsGone) {
  FakePlatformServer server;
  server.queue_json(error(927, "Chat does not exist"));
  auto client = client_for(server);
  const PlatformWrite w{ActionType::rename_chat, 5, "6А", 0, MemberRole::member};
  const auto results = client->write(std::span(&w, 1));

  EXPECT_EQ(results[0].status, WriteStatus::rejected);
  EXPECT_EQ(results[0].error_code, 927);
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST(VkPlatformRetry, RejectsAWriteWithoutAChatIdWithoutSendingIt) {
  FakePlatformServer server;
  auto client = client_for(server);
  const PlatformWrite w{ActionType::add_member, std::nullopt, "", 7, MemberRole::member};
  EXPECT_EQ(client->write(std::span(&w, 1)).at(0).status, WriteStatus::rejected);
  EXPECT_TRUE(server.requests().empty());
}

TEST(VkPlatformRetry, StopsWithAnAuthErrorWhenTheTokenIsRefused) {
  FakePlatformServer server;
  server.queue_json(error(5, "User authorization failed"));
  auto client = client_for(server);
  const std::vector<PlatformWrite> writes = {add(5, 1), add(5, 2)};
  try {
    (void)client->write(writes);
    FAIL() << "expected PlatformAuthError";
  } catch (const mapping::PlatformAuthError& e) {
    EXPECT_EQ(e.code(), 5);
  }
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST(VkPlatformRetry, RejectsAWriteRefusedWithAccessDeniedAndGoesOnWithTheOthers) {
  FakePlatformServer server;
  const std::string left = "Access denied: the user left the chat";
  server.queue_json(error(15, left));  // a lone write: a plain call
  server.queue_json(R"({"response": [false, 1], "execute_errors": [{"method": )"
                    R"("messages.addChatUser", "error_code": 15, "error_msg": "left"}]})");
  auto client = client_for(server);
  const PlatformWrite lone = add(5, 7);
  const auto first = client->write(std::span(&lone, 1));
  EXPECT_EQ(first[0].status, WriteStatus::rejected);
  EXPECT_EQ(first[0].error_code, 15);
  const std::vector<PlatformWrite> writes = {add(5, 7), add(5, 8)};
  const auto batch = client->write(writes);
  EXPECT_EQ(batch[0].status, WriteStatus::rejected);
  EXPECT_EQ(batch[0].error_code, 15);
  EXPECT_EQ(batch[1].status, WriteStatus::done);
  EXPECT_EQ(server.requests().size(), 2U) << "a refused write is not repeated";
}

TEST(VkPlatformRetry, NeverShowsTheTokenInErrorsResultsOrCounters) {
  FakePlatformServer server;
  // A platform that echoes the token back in its messages must not make us repeat it.
  const std::string echo = std::string("invalid access_token ") + test_token;
  server.queue_json(error(100, echo));
  server.queue_json(R"({"response": [false, 1], "execute_errors": [{"error_code": 936,
    "error_msg": ")" +
                    echo + R"("}]})");
  server.queue_json(error(5, echo));
  auto client = client_for(server);

  const PlatformWrite lone = add(5, 1);
  const auto first = client->write(std::span(&lone, 1));
  const std::vector<PlatformWrite> pair = {add(5, 2), add(5, 3)};
  const auto second = client->write(pair);
  std::string texts = first[0].message + second[0].message;
  try {
    (void)client->list_chats();
    FAIL() << "expected PlatformAuthError";
  } catch (const mapping::PlatformAuthError& e) {
    texts += e.what();
  }
  EXPECT_NE(texts.find("[token]"), std::string::npos);  // the messages were there, redacted
  EXPECT_EQ(texts.find(test_token), std::string::npos);
  const auto counters = client->counters();
  for (const auto& [key, n] : counters.errors_by_code) {
    EXPECT_EQ(key.find(test_token), std::string::npos);
  }
  for (const auto& [key, n] : counters.calls_by_method) {
    EXPECT_EQ(key.find(test_token), std::string::npos);
  }
}

TEST(VkPlatformRetry, KeepsTheTokenOutOfTransportErrors) {
  // Nothing listens on port 9 of loopback: the connection is refused, so nothing was sent,
  // which the policy retries and finally reports as not_sent.
  PlatformOptions options;
  options.base_url = "http://127.0.0.1:9";
  options.token = test_token;
  options.max_attempts = 2;
  options.backoff_initial_ms = 1;
  VkPlatform client(options, std::make_shared<RateLimiter>(1000));
  const PlatformWrite w = add(5, 7);
  const auto results = client.write(std::span(&w, 1));
  EXPECT_EQ(results[0].status, WriteStatus::not_sent);
  EXPECT_EQ(results[0].message.find(test_token), std::string::npos);
  EXPECT_EQ(client.counters().http_requests, 2U);
}

TEST(VkPlatformRetry, WaitsForTheRateLimiterBeforeEveryRequest) {
  FakePlatformServer server;
  auto clock = std::make_shared<FakeClock>();
  std::vector<std::chrono::milliseconds> seen;  // the fake time at which each request came
  server.otherwise([&](const RecordedRequest&) {
    seen.push_back(clock->elapsed());
    return ScriptedAnswer{200, response("1"), {}};
  });
  auto options = options_for(server);
  options.batch_size = 1;
  VkPlatform client(options, std::make_shared<RateLimiter>(3, clock));
  std::vector<PlatformWrite> writes;
  for (int i = 0; i < 7; ++i) writes.push_back(add(5, i));
  (void)client.write(writes);

  ASSERT_EQ(seen.size(), 7U);
  const auto in_first_second =
      std::count_if(seen.begin(), seen.end(), [](auto t) { return t < 1000ms; });
  EXPECT_EQ(in_first_second, 3);
  EXPECT_EQ(seen.back(), 2000ms);
}

}  // namespace
}  // namespace rosterd::adapters::platform
