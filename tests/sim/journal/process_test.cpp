// The process: a clean exit on SIGTERM and SIGINT, a clear refusal of data it cannot read.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "sim_process.h"

namespace rosterd::sim::journal::test {
namespace {

class JournalProcess : public ::testing::TestWithParam<int> {};

TEST_P(JournalProcess, ExitsWith0OnTheStopSignalEvenWithASlowAnswerInFlight) {
  DataDir data;
  SimProcess sim(data);
  Client client(sim.port());
  client.set_faults({{"mode", "slow"}, {"slow_ms", 60000}});
  std::thread waiting([&] { (void)Client(sim.port()).get("/v1/organisations"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto started = std::chrono::steady_clock::now();
  const int status = sim.stop(GetParam());
  waiting.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

INSTANTIATE_TEST_SUITE_P(Signals, JournalProcess, ::testing::Values(SIGTERM, SIGINT),
                         [](const auto& test) {
                           return test.param == SIGTERM ? "SIGTERM" : "SIGINT";
                         });

TEST(JournalData, ARecordThatCannotBeReadStopsTheStartWithItsFileAndRecordNamed) {
  DataDir data;
  std::ofstream(data.path() / "sch-b" / "groups.json")
      << R"([{"id": "g-1", "name": "1А", "kind": "class", "academic_year": 2026},
             {"id": "g-2", "name": "1Б", "kind": "clas", "academic_year": 2026}])";
  const auto err = data.path() / "err";
  const int status = run_to_end({"--port", "0", "--data", data.path().string()}, err);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const auto message = read_text(err);
  EXPECT_NE(message.find("sch-b/groups.json[1] (id g-2): kind: unknown value"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace rosterd::sim::journal::test
