// Several clients of one token share their requests through a RequestCombiner. What must hold:
// every call is sent exactly once, no request holds more than 25 calls,
// and each client gets back its own calls' results and errors, never a neighbour's.

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "adapters/platform/request_combiner.h"
#include "adapters/platform/vk_platform.h"
#include "adapters/platform/vk_wire.h"
#include "tests/adapters/platform/client_fixture.h"
#include "tests/adapters/platform/fake_platform_server.h"

namespace rosterd::adapters::platform {
namespace {

using mapping::ChatId;
using mapping::PlatformUserId;
using mapping::PlatformWrite;
using mapping::WriteStatus;
using nlohmann::json;
using namespace testing;

// The calls of one request as the server reads them: a plain call's form, or each API.m({...})
// of an execute's code, parsed here with a regex and nlohmann, not with the client's code.
std::vector<Call> calls_of(const RecordedRequest& request) {
  if (request.api_method() != "execute") {
    Call call{request.api_method(), json::object()};
    for (const auto& [key, value] : request.params) {
      if (key != "v") call.params[key] = value;
    }
    return {call};
  }
  std::vector<Call> calls;
  static const std::regex one_call(R"(API\.([A-Za-z.]+)\((\{[^}]*\})\))");
  const std::string code = request.param("code");
  for (std::sregex_iterator it(code.begin(), code.end(), one_call), end; it != end; ++it) {
    calls.push_back({(*it)[1].str(), json::parse((*it)[2].str())});
  }
  return calls;
}

std::int64_t number_param(const Call& call, const char* key) {
  const json& value = call.params.at(key);
  return value.is_string() ? std::stoll(value.get<std::string>()) : value.get<std::int64_t>();
}

// The model the server answers by: a person whose id is a multiple of 7 is not on the
// platform (936); a chat's members are chat * 10 + 1 and chat * 10 + 2.
bool on_platform(PlatformUserId user) { return user % 7 != 0; }

json outcome_of(const Call& call, json& errors) {
  if (call.method == "messages.addChatUser") {
    if (on_platform(number_param(call, "user_id"))) return 1;
    errors.push_back({{"method", call.method}, {"error_code", 936}, {"error_msg", "no such user"}});
    return false;
  }
  if (call.method == "messages.getConversationMembers") {
    const std::int64_t chat = number_param(call, "peer_id") - peer_id_base;
    return {{"count", 2},
            {"items", {{{"member_id", chat * 10 + 1}}, {{"member_id", chat * 10 + 2}}}},
            {"profiles", json::array()}};
  }
  errors.push_back({{"method", call.method}, {"error_code", 100}, {"error_msg", "unexpected"}});
  return false;
}

// Answers every request from the model: a plain call alone, an execute call by call.
ScriptedAnswer answer_from_model(const RecordedRequest& request) {
  json errors = json::array();
  json items = json::array();
  for (const Call& call : calls_of(request)) items.push_back(outcome_of(call, errors));
  if (request.api_method() != "execute") {
    if (items[0] == json(false)) return {200, json{{"error", errors[0]}}.dump(), {}};
    return {200, json{{"response", items[0]}}.dump(), {}};
  }
  json body = {{"response", items}};
  if (!errors.empty()) body["execute_errors"] = errors;
  return {200, body.dump(), {}};
}

std::shared_ptr<RequestCombiner> shared_combiner(double requests_per_second) {
  return std::make_shared<RequestCombiner>(std::make_shared<RateLimiter>(requests_per_second),
                                           25);
}

std::unique_ptr<VkPlatform> sharing_client(const FakePlatformServer& server,
                                           std::shared_ptr<RequestCombiner> combiner) {
  return std::make_unique<VkPlatform>(options_for(server), std::move(combiner));
}

TEST(RequestCombiner, ClientsOfOneTokenFillEachOthersRequestsAndGetTheirOwnResults) {
  FakePlatformServer server;
  server.otherwise(answer_from_model);
  // Slow enough that the others queue while one waits for its send slot.
  auto combiner = shared_combiner(40);
  constexpr int clients = 4;
  constexpr int batches = 8;
  constexpr int per_batch = 9;  // the part-filled tail of a phase
  std::vector<std::vector<PlatformWrite>> sent(clients);
  std::vector<std::vector<mapping::WriteResult>> got(clients);
  std::vector<std::vector<std::vector<mapping::ChatMembers>>> read(clients);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto client = sharing_client(server, combiner);
      for (int b = 0; b < batches; ++b) {
        std::vector<PlatformWrite> writes;
        for (int i = 0; i < per_batch; ++i) {
          writes.push_back(add(100 + c, 10'000 * (c + 1) + b * per_batch + i));
        }
        const auto results = client->write(writes);
        sent[c].insert(sent[c].end(), writes.begin(), writes.end());
        got[c].insert(got[c].end(), results.begin(), results.end());
        // A read between the writes rides along too.
        const std::vector<ChatId> chats = {ChatId{200 + c}, ChatId{300 + c}};
        read[c].push_back(client->read_members(chats));
      }
    });
  }
  for (auto& t : threads) t.join();

  // Each client's results are its own writes' outcomes, by the model.
  for (int c = 0; c < clients; ++c) {
    ASSERT_EQ(got[c].size(), sent[c].size());
    for (std::size_t i = 0; i < sent[c].size(); ++i) {
      const WriteStatus expected =
          on_platform(sent[c][i].user_id) ? WriteStatus::done : WriteStatus::rejected;
      EXPECT_EQ(got[c][i].status, expected) << "client " << c << " user " << sent[c][i].user_id;
      if (expected == WriteStatus::rejected) {
        EXPECT_EQ(got[c][i].error_code, 936);
      }
    }
    for (const auto& members : read[c]) {
      ASSERT_EQ(members.size(), 2U);
      for (const auto& chat : members) {
        ASSERT_EQ(chat.members.size(), 2U);
        EXPECT_EQ(chat.members[0].user_id, chat.chat_id * 10 + 1);
        EXPECT_EQ(chat.members[1].user_id, chat.chat_id * 10 + 2);
      }
    }
  }
  // Every add went exactly once; no request held more than 25 calls.
  std::multiset<std::pair<std::int64_t, std::int64_t>> added;
  std::size_t largest = 0;
  const auto requests = server.requests();
  for (const auto& request : requests) {
    const auto calls = calls_of(request);
    largest = std::max(largest, calls.size());
    for (const Call& call : calls) {
      if (call.method == "messages.addChatUser") {
        added.insert({number_param(call, "chat_id"), number_param(call, "user_id")});
      }
    }
  }
  std::multiset<std::pair<std::int64_t, std::int64_t>> expected_adds;
  for (const auto& writes : sent) {
    for (const auto& w : writes) expected_adds.insert({*w.chat_id, w.user_id});
  }
  EXPECT_EQ(added, expected_adds);
  EXPECT_LE(largest, 25U);
  // Alone, each batch and each read would be a request of its own.
  const std::size_t submissions = clients * batches * 2;
  EXPECT_LT(requests.size(), submissions * 3 / 4) << "requests were not shared";
}

TEST(RequestCombiner, AWholeRequestsFailureReachesEveryoneInItAndNoOneElse) {
  FakePlatformServer server;
  std::atomic<bool> failed_one{false};
  std::mutex mutex;
  std::set<PlatformUserId> in_failed;  // the adds of the request that got 503
  server.otherwise([&](const RecordedRequest& request) {
    const auto calls = calls_of(request);
    if (calls.size() > 1 && !failed_one.exchange(true)) {
      std::lock_guard lock(mutex);
      for (const Call& call : calls) in_failed.insert(number_param(call, "user_id"));
      return ScriptedAnswer{503, "", {}};
    }
    return answer_from_model(request);
  });
  auto combiner = shared_combiner(40);
  constexpr int clients = 3;
  std::vector<std::vector<PlatformWrite>> sent(clients);
  std::vector<std::vector<mapping::WriteResult>> got(clients);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto client = sharing_client(server, combiner);
      for (int b = 0; b < 4; ++b) {
        std::vector<PlatformWrite> writes;
        for (int i = 1; i <= 6; ++i) writes.push_back(add(100 + c, 1000 * (c + 1) + b * 10 + i));
        const auto results = client->write(writes);
        sent[c].insert(sent[c].end(), writes.begin(), writes.end());
        got[c].insert(got[c].end(), results.begin(), results.end());
      }
    });
  }
  for (auto& t : threads) t.join();

  ASSERT_TRUE(failed_one.load());
  std::size_t unknown = 0;
  for (int c = 0; c < clients; ++c) {
    for (std::size_t i = 0; i < sent[c].size(); ++i) {
      const PlatformUserId user = sent[c][i].user_id;
      // A 5xx may have run any call in it: unknown, and never sent again blind.
      const WriteStatus expected = in_failed.contains(user) ? WriteStatus::unknown
                                   : on_platform(user)      ? WriteStatus::done
                                                            : WriteStatus::rejected;
      EXPECT_EQ(got[c][i].status, expected) << "client " << c << " user " << user;
      if (expected == WriteStatus::unknown) ++unknown;
    }
  }
  EXPECT_EQ(unknown, in_failed.size());
  std::size_t sent_calls = 0;
  for (const auto& request : server.requests()) sent_calls += calls_of(request).size();
  EXPECT_EQ(sent_calls, clients * 4 * 6U) << "a call went twice";
}

// A limiter whose first send slot waits until the test opens the gate, so the queue behind the
// first submitter can be built in a known order.
class GatedLimiter final : public RateLimiter {
 public:
  GatedLimiter() : RateLimiter(1000) {}
  void acquire() override {
    std::unique_lock lock(mutex_);
    open_.wait(lock, [&] { return opened_; });
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      opened_ = true;
    }
    open_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable open_;
  bool opened_ = false;
};

// Calls named `name`, numbered: {"i": 0}, {"i": 1}, ...
std::vector<Call> some_calls(std::size_t count, const std::string& name) {
  std::vector<Call> calls;
  for (std::size_t i = 0; i < count; ++i) calls.push_back({name, {{"i", i}}});
  return calls;
}

// Answers each call with its own name and number, and records what each request held.
struct EchoSend {
  std::mutex mutex;
  std::vector<std::vector<std::string>> requests;  // the names of each request's calls

  Answer operator()(std::span<const Call> calls) {
    std::lock_guard lock(mutex);
    requests.emplace_back();
    Answer answer;
    answer.method = calls.size() == 1 ? calls[0].method : "execute";
    answer.response = json::array();
    for (const Call& call : calls) {
      requests.back().push_back(call.method);
      answer.response.push_back({call.method, call.params.at("i")});
    }
    return answer;
  }
};

std::size_t count_of(const std::vector<std::string>& names, const std::string& name) {
  return static_cast<std::size_t>(std::count(names.begin(), names.end(), name));
}

// Each outcome is the echo of its own call: the submitter's name and the call's number.
void expect_own_echoes(const std::vector<CallOutcome>& outcomes, const std::string& name,
                       std::size_t count) {
  ASSERT_EQ(outcomes.size(), count) << name;
  for (std::size_t i = 0; i < count; ++i) {
    ASSERT_TRUE(outcomes[i].ok()) << name << " " << i;
    EXPECT_EQ(outcomes[i].response, json({name, i})) << name << " " << i;
  }
}

TEST(RequestCombiner, FillsEachRequestFirstComeFirstServedAndSplitsWhatDoesNotFit) {
  auto limiter = std::make_shared<GatedLimiter>();
  RequestCombiner combiner(limiter, 25);
  EchoSend echo;
  const RequestCombiner::Send send = [&](std::span<const Call> calls) { return echo(calls); };
  // a (20 calls) leads and waits at the gate; b (10), c (5) and d (3) queue behind it in order.
  const std::vector<std::pair<std::string, std::size_t>> submitters = {
      {"a", 20}, {"b", 10}, {"c", 5}, {"d", 3}};
  std::mutex mutex;
  std::map<std::string, std::vector<CallOutcome>> outcomes;
  std::vector<std::thread> threads;
  for (std::size_t s = 0; s < submitters.size(); ++s) {
    const auto& [name, count] = submitters[s];
    threads.emplace_back([&, name, count] {
      const auto calls = some_calls(count, name);
      auto got = combiner.submit(calls, send);
      std::lock_guard lock(mutex);
      outcomes[name] = std::move(got);
    });
    while (combiner.waiting() < s + 1) std::this_thread::yield();
  }
  limiter->open();
  for (auto& t : threads) t.join();

  // The first request is a's 20 and the first 5 of b's; the second the rest, in order. The two
  // may be on the wire at once, so they are told apart by what they hold.
  auto& requests = echo.requests;
  ASSERT_EQ(requests.size(), 2U);
  if (count_of(requests[0], "a") == 0) std::swap(requests[0], requests[1]);
  EXPECT_EQ(requests[0].size(), 25U);
  EXPECT_EQ(count_of(requests[0], "a"), 20U);
  EXPECT_EQ(count_of(requests[0], "b"), 5U);
  EXPECT_EQ(requests[1].size(), 13U);
  EXPECT_EQ(count_of(requests[1], "b"), 5U);
  EXPECT_EQ(count_of(requests[1], "c"), 5U);
  EXPECT_EQ(count_of(requests[1], "d"), 3U);
  for (const auto& [name, count] : submitters) expect_own_echoes(outcomes[name], name, count);
}

TEST(RequestCombiner, ASubmissionLargerThanARequestGoesInSeveral) {
  RequestCombiner combiner(std::make_shared<RateLimiter>(1000), 5);
  EchoSend echo;
  const auto calls = some_calls(12, "m");
  const auto outcomes =
      combiner.submit(calls, [&](std::span<const Call> some) { return echo(some); });
  expect_own_echoes(outcomes, "m", 12);
  ASSERT_EQ(echo.requests.size(), 3U);
  EXPECT_EQ(echo.requests[0].size(), 5U);
  EXPECT_EQ(echo.requests[1].size(), 5U);
  EXPECT_EQ(echo.requests[2].size(), 2U);
  EXPECT_TRUE(combiner.submit({}, [&](std::span<const Call> some) { return echo(some); }).empty());
}

TEST(RequestCombiner, AWholeFailureIsThePartsInThatRequestOnly) {
  RequestCombiner combiner(std::make_shared<RateLimiter>(1000), 4);
  int sent = 0;
  const RequestCombiner::Send send = [&](std::span<const Call> calls) {
    Answer answer;
    answer.method = "execute";
    if (++sent == 2) {  // the second request is lost on the way
      answer.failure = Failure{Failure::Kind::timeout, 0};
      return answer;
    }
    answer.response = json::array();
    for (std::size_t i = 0; i < calls.size(); ++i) answer.response.push_back(i);
    return answer;
  };
  const auto outcomes = combiner.submit(some_calls(10, "m"), send);
  ASSERT_EQ(outcomes.size(), 10U);
  for (std::size_t i = 0; i < 10; ++i) {
    const bool lost = i >= 4 && i < 8;
    EXPECT_EQ(outcomes[i].ok(), !lost) << i;
    EXPECT_EQ(outcomes[i].whole_request, lost) << i;
    if (lost) {
      EXPECT_EQ(outcomes[i].failure->kind, Failure::Kind::timeout);
      EXPECT_EQ(outcomes[i].method, "execute");
    }
  }
}

TEST(RequestCombiner, AnExecuteErrorGoesToTheCallItBelongsTo) {
  RequestCombiner combiner(std::make_shared<RateLimiter>(1000), 25);
  const RequestCombiner::Send send = [](std::span<const Call> calls) {
    Answer answer;
    answer.method = "execute";
    answer.response = json::array();
    for (const Call& call : calls) {
      const bool refused = call.params.at("i").get<int>() % 3 == 1;
      answer.response.push_back(refused ? json(false) : json(call.params.at("i")));
      if (refused) {
        answer.execute_errors.push_back(
            {{"method", call.method}, {"error_code", 900 + call.params.at("i").get<int>()}});
      }
    }
    return answer;
  };
  const auto outcomes = combiner.submit(some_calls(8, "m"), send);
  for (int i = 0; i < 8; ++i) {
    if (i % 3 == 1) {
      ASSERT_FALSE(outcomes[i].ok()) << i;
      EXPECT_FALSE(outcomes[i].whole_request);
      EXPECT_EQ(outcomes[i].failure->code, 900 + i);
    } else {
      EXPECT_EQ(outcomes[i].response, json(i));
    }
  }
}

TEST(RequestCombiner, WhatSendThrowsReachesEverySubmitterOfThatRequest) {
  auto limiter = std::make_shared<GatedLimiter>();
  RequestCombiner combiner(limiter, 25);
  const RequestCombiner::Send send = [](std::span<const Call>) -> Answer {
    throw std::runtime_error("send failed");
  };
  std::atomic<int> thrown{0};
  std::vector<std::thread> threads;
  for (std::size_t s = 0; s < 3; ++s) {
    threads.emplace_back([&] {
      const auto calls = some_calls(2, "m");
      try {
        (void)combiner.submit(calls, send);
      } catch (const std::runtime_error&) {
        ++thrown;
      }
    });
    while (combiner.waiting() < s + 1) std::this_thread::yield();
  }
  limiter->open();
  for (auto& t : threads) t.join();
  EXPECT_EQ(thrown.load(), 3);
  EXPECT_EQ(combiner.waiting(), 0U);
}

TEST(RequestCombiner, RefusesALimiterItCannotUseOrARequestSizeOutsideTheContract) {
  EXPECT_THROW(RequestCombiner(nullptr, 5), std::invalid_argument);
  EXPECT_THROW(RequestCombiner(std::make_shared<RateLimiter>(1), 0), std::invalid_argument);
  EXPECT_THROW(RequestCombiner(std::make_shared<RateLimiter>(1), 26), std::invalid_argument);
}

}  // namespace
}  // namespace rosterd::adapters::platform
