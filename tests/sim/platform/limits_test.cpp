// Tokens, the rate limit, latency, fault injection and the process's exit on SIGTERM.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

#include "sim_process.h"

namespace rosterd::sim::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(SimTokens, AMissingTokenIsError5AndAnyOtherTokenIsAcceptedWithoutATokenFile) {
  SimProcess sim;
  EXPECT_EQ(error_code(SimClient(sim.port(), "").call("sferum.listChats")), 5);
  EXPECT_EQ(error_code(SimClient(sim.port(), "whatever").call("sferum.listChats")), 0);
  EXPECT_EQ(SimClient(sim.port()).get("/sim/stats")["errors"], json({{"5", 1}}));
}

TEST(SimTokens, WithATokenFileOnlyItsTrimmedContentIsAccepted) {
  char path[] = "/tmp/platform-sim-token-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << "  secret-token\n";
  SimProcess sim({"--token-file", path});
  EXPECT_EQ(
      error_code(SimClient(sim.port(), "other").call("messages.createChat", {{"title", "x"}})), 5);
  EXPECT_EQ(error_code(SimClient(sim.port(), "secret-token").call("sferum.listChats")), 0);
  EXPECT_EQ(SimClient(sim.port()).get("/sim/state")["chats"].size(), 0u);
  std::remove(path);
}

TEST(SimRateLimit, RefusesWithError6BeyondTheLimitChangesNothingAndRecovers) {
  SimProcess sim({"--rps", "3"});
  SimClient client(sim.port());
  std::vector<int> codes;
  for (int i = 0; i < 4; ++i) {
    codes.push_back(
        error_code(client.call("messages.createChat", {{"title", "c" + std::to_string(i)}})));
  }
  EXPECT_EQ(codes, (std::vector<int>{0, 0, 0, 6}));
  EXPECT_EQ(client.get("/sim/state")["chats"].size(), 3u);
  // Another token has a window of its own.
  EXPECT_EQ(error_code(SimClient(sim.port(), "other").call("sferum.listChats")), 0);
  std::this_thread::sleep_for(milliseconds(1100));
  EXPECT_EQ(error_code(client.call("sferum.listChats")), 0);
  EXPECT_EQ(client.get("/sim/stats")["errors"], json({{"6", 1}}));
}

TEST(SimRateLimit, CountsAnExecuteAsOneRequest) {
  SimProcess sim({"--rps", "2"});
  SimClient client(sim.port());
  const std::string code =
      "return [API.sferum.listChats({}), API.sferum.listChats({}), API.sferum.listChats({})];";
  EXPECT_EQ(error_code(client.execute(code)), 0);
  EXPECT_EQ(error_code(client.execute(code)), 0);
  EXPECT_EQ(error_code(client.execute(code)), 6);
}

TEST(SimRateLimit, StatsSayHowCloseTheClientsCameToTheLimitAndWhenRequestsCame) {
  SimProcess sim({"--rps", "2"});
  SimClient client(sim.port());
  json stats = client.get("/sim/stats");
  EXPECT_TRUE(stats["tightest_span_s"].is_null());
  EXPECT_TRUE(stats["first_request_s"].is_null());
  EXPECT_TRUE(stats["last_write_s"].is_null());
  const auto start = steady_clock::now();
  EXPECT_EQ(error_code(client.call("sferum.listChats")), 0);
  EXPECT_EQ(error_code(client.call("messages.createChat", {{"title", "a"}})), 0);
  EXPECT_TRUE(client.get("/sim/stats")["tightest_span_s"].is_null());  // two requests: none yet
  EXPECT_EQ(error_code(client.call("sferum.listChats")), 6);  // refused: not a span
  std::this_thread::sleep_for(milliseconds(1300));
  EXPECT_EQ(error_code(client.call("sferum.listChats")), 0);
  stats = client.get("/sim/stats");
  // From the first admitted request to the third: the 1.3 s slept at least, the test at most.
  const double span = stats["tightest_span_s"].get<double>();
  EXPECT_GE(span, 1.3);
  EXPECT_LE(span, std::chrono::duration<double>(steady_clock::now() - start).count());
  const double first = stats["first_request_s"].get<double>();
  const double last = stats["last_request_s"].get<double>();
  const double write = stats["last_write_s"].get<double>();
  EXPECT_LE(first, write);
  EXPECT_LT(write, last);
  EXPECT_GE(last - first, 1.3);
  EXPECT_GE(stats["now_s"].get<double>(), last);
  ASSERT_TRUE(client.sim_post("/sim/reset", json::object()));
  stats = client.get("/sim/stats");
  EXPECT_TRUE(stats["tightest_span_s"].is_null());
  EXPECT_TRUE(stats["last_request_s"].is_null());
}

TEST(SimLatency, DelaysEveryAnswer) {
  SimProcess sim({"--latency-ms", "200"});
  SimClient client(sim.port());
  const auto start = steady_clock::now();
  EXPECT_EQ(error_code(client.call("sferum.listChats")), 0);
  EXPECT_GE(steady_clock::now() - start, milliseconds(200));
}

// What one faulted createChat looked like to a client with a short timeout.
std::string observe(SimClient& client, const std::string& title) {
  const auto result = client.post("messages.createChat", {{"title", title}});
  if (!result) return "timeout";
  if (result->status != 200) return "http " + std::to_string(result->status);
  return "error " + std::to_string(error_code(json::parse(result->body)));
}

std::vector<std::string> faulted_run(std::set<std::string>& created_titles,
                                     std::set<std::string>& timed_out) {
  SimProcess sim({"--fail-rate", "1", "--seed", "7", "--lost-ms", "400"});
  SimClient client(sim.port());
  client.raw().set_read_timeout(milliseconds(150));
  std::vector<std::string> seen;
  for (int i = 0; i < 24; ++i) {
    const auto title = "chat " + std::to_string(i);
    seen.push_back(observe(client, title));
    if (seen.back() == "timeout") timed_out.insert(title);
  }
  SimClient reader(sim.port());
  const auto state = reader.get("/sim/state");
  for (const auto& chat : state["chats"]) created_titles.insert(chat["title"]);
  const auto errors = reader.get("/sim/stats")["errors"];
  EXPECT_EQ(errors.value("10", 0) + errors.value("500", 0) + errors.value("503", 0) +
                static_cast<int>(timed_out.size()),
            24);
  return seen;
}

TEST(SimFaults, InjectsEachFaultKindAndMakesTheChangeOnlyForALostResponse) {
  std::set<std::string> created;
  std::set<std::string> timed_out;
  const auto seen = faulted_run(created, timed_out);
  const std::set<std::string> kinds(seen.begin(), seen.end());
  EXPECT_EQ(kinds, (std::set<std::string>{"error 10", "http 500", "http 503", "timeout"}));
  // The lost responses' chats exist; the refused ones do not.
  EXPECT_EQ(created, timed_out);
}

TEST(SimFaults, TheSameSeedGivesTheSameFaults) {
  std::set<std::string> created_a, timed_out_a, created_b, timed_out_b;
  EXPECT_EQ(faulted_run(created_a, timed_out_a), faulted_run(created_b, timed_out_b));
}

TEST(SimFaults, FailMethodsFaultsOnlyRequestsCallingThoseMethods) {
  SimProcess sim({"--fail-rate", "1", "--seed", "7", "--lost-ms", "0", "--fail-methods",
                  "messages.createChat"});
  SimClient client(sim.port());
  // Nothing else is faulted, even at rate 1: reads, other writes, a batch without a creation.
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(error_code(client.call("sferum.listChats", {{"count", "10"}})), 0);
    EXPECT_EQ(client.execute(R"(return [API.sferum.listChats({"count": 5})];)")["response"].size(),
              1u);
  }
  EXPECT_EQ(client.get("/sim/stats")["errors"], json::object());
  // Every creation is, alone or in a batch (a lost response answers normally at --lost-ms 0).
  int refused = 0;
  for (int i = 0; i < 12; ++i) {
    const auto alone = client.post("messages.createChat", {{"title", "a"}});
    const auto batch = client.post(
        "execute",
        {{"code", R"(return [API.messages.createChat({"title": "b", "user_ids": ""})];)"}});
    ASSERT_TRUE(alone && batch);
    for (const auto* r : {&alone, &batch}) {
      if ((*r)->status != 200 || error_code(json::parse((*r)->body)) == 10) ++refused;
    }
  }
  const auto errors = client.get("/sim/stats")["errors"];
  EXPECT_EQ(errors.value("10", 0) + errors.value("500", 0) + errors.value("503", 0), refused);
  EXPECT_GT(refused, 0) << "at rate 1, about two thirds of the creations are refused";
  EXPECT_EQ(client.get("/sim/state")["chats"].size(), static_cast<std::size_t>(24 - refused))
      << "the lost ones were made";
}

TEST(SimFaults, ALostResponseStillArrivesAfterLostMs) {
  // At --fail-rate 1 about a third of the requests are lost responses; wait for the first.
  SimProcess sim({"--fail-rate", "1", "--seed", "7", "--lost-ms", "300"});
  SimClient client(sim.port());
  for (int i = 0; i < 24; ++i) {
    const auto start = steady_clock::now();
    const auto result = client.post("messages.createChat", {{"title", "x"}});
    ASSERT_TRUE(result);
    if (result->status != 200) continue;
    const auto answer = json::parse(result->body);
    if (error_code(answer) == 10) continue;
    EXPECT_GE(steady_clock::now() - start, milliseconds(300));
    EXPECT_EQ(answer["response"]["chat_id"], 1);
    return;
  }
  FAIL() << "no lost response in 24 faulted requests";
}

TEST(SimProcessLife, ExitsZeroOnSigterm) {
  SimProcess sim;
  (void)SimClient(sim.port()).call("sferum.listChats");
  const int status = sim.terminate();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(SimProcessLife, StopsPromptlyWhileAnAnswerIsHeldBack) {
  SimProcess sim({"--latency-ms", "30000"});
  std::thread caller([port = sim.port()] {
    SimClient client(port);
    client.raw().set_read_timeout(std::chrono::seconds(40));
    (void)client.post("sferum.listChats", {});
  });
  std::this_thread::sleep_for(milliseconds(200));
  const auto start = steady_clock::now();
  const int status = sim.terminate();
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(8));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  caller.join();
}

}  // namespace
}  // namespace rosterd::sim::test
