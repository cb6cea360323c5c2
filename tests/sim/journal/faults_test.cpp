// Injected faults: each mode as the contract describes it, counts that run out, and /sim
// requests that are never affected.
#include <gtest/gtest.h>

#include <chrono>

#include "sim_process.h"

namespace rosterd::sim::journal::test {
namespace {

constexpr const char* persons = "/v1/organisations/sch-a/persons?limit=20";
constexpr const char* organisation = "/v1/organisations/sch-a";

class JournalFaults : public ::testing::Test {
 protected:
  DataDir data_;
  SimProcess sim_{data_};
  Client client_{sim_.port()};
};

TEST_F(JournalFaults, FiveXxAnswers503And500InTurnThenRecoversWhenTheCountRunsOut) {
  client_.set_faults({{"mode", "5xx"}, {"count", 2}});
  std::vector<int> statuses;
  for (int i = 0; i < 3; ++i) statuses.push_back(client_.get(persons)->status);
  EXPECT_EQ(statuses, (std::vector<int>{503, 500, 200}));
  EXPECT_EQ(client_.get_json("/sim/faults")["mode"], "none");
  EXPECT_EQ(client_.get_json("/sim/stats")["faults"], json({{"5xx", 2}}));
}

TEST_F(JournalFaults, FiveXxCanBePinnedToOneStatusAndLastsUntilChangedWithoutACount) {
  client_.set_faults({{"mode", "5xx"}, {"status", 500}});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client_.get(organisation)->status, 500);
  client_.set_faults({{"mode", "none"}});
  EXPECT_EQ(client_.get(organisation)->status, 200);
}

TEST_F(JournalFaults, SlowAnswersCorrectlyAfterTheDelay) {
  const auto normal = client_.get(persons)->body;
  client_.set_faults({{"mode", "slow"}, {"slow_ms", 400}, {"count", 1}});
  const auto started = std::chrono::steady_clock::now();
  const auto slow = client_.get(persons);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, std::chrono::milliseconds(400));
  EXPECT_EQ(slow->status, 200);
  EXPECT_EQ(slow->body, normal);
  const auto fast_start = std::chrono::steady_clock::now();
  (void)client_.get(persons);
  EXPECT_LT(std::chrono::steady_clock::now() - fast_start, std::chrono::milliseconds(300));
}

TEST_F(JournalFaults, TruncatedIsA200WhoseBodyIsACutPrefixThatDoesNotParse) {
  const auto normal = client_.get(persons)->body;
  client_.set_faults({{"mode", "truncated"}, {"count", 2}});
  for (const char* path : {persons, organisation}) {
    const auto cut = client_.get(path);
    EXPECT_EQ(cut->status, 200) << path;
    EXPECT_TRUE(json::parse(cut->body, nullptr, false).is_discarded()) << path;
    EXPECT_FALSE(cut->body.empty()) << path;
  }
  client_.set_faults({{"mode", "truncated"}, {"count", 1}});
  const auto cut = client_.get(persons)->body;
  EXPECT_LT(cut.size(), normal.size());
  EXPECT_EQ(normal.substr(0, cut.size()), cut);
  EXPECT_EQ(client_.get(persons)->body, normal);
}

TEST_F(JournalFaults, MalformedIsA200WithInvalidJson) {
  client_.set_faults({{"mode", "malformed"}, {"count", 2}});
  for (const char* path : {persons, organisation}) {
    const auto bad = client_.get(path);
    EXPECT_EQ(bad->status, 200) << path;
    EXPECT_TRUE(json::parse(bad->body, nullptr, false).is_discarded()) << path;
  }
  EXPECT_FALSE(json::parse(client_.get(persons)->body, nullptr, false).is_discarded());
}

TEST_F(JournalFaults, EmptyAnswersListsWithNoItemsWhileTheOrganisationStillAnswers) {
  const auto etag = client_.get(organisation)->get_header_value("ETag");
  client_.set_faults({{"mode", "empty"}, {"count", 2}});
  const auto org = client_.get(organisation);  // does not use up the count
  EXPECT_EQ(org->status, 200);
  EXPECT_EQ(json::parse(org->body)["id"], "sch-a");
  for (const char* path : {persons, "/v1/organisations/sch-a/enrollments"}) {
    const auto empty = client_.get(path);
    EXPECT_EQ(empty->status, 200);
    EXPECT_EQ(json::parse(empty->body), json({{"items", json::array()}, {"next_cursor", nullptr}}));
    EXPECT_EQ(empty->get_header_value("ETag"), etag);
  }
  EXPECT_EQ(client_.get_json(persons)["items"].size(), 20u);
}

TEST_F(JournalFaults, AnswersThatAreNot200AreNotBrokenFurtherAndDoNotUseUpTheCount) {
  client_.set_faults({{"mode", "malformed"}, {"count", 1}});
  const auto refused = Client(sim_.port(), "wrong").get(persons);
  EXPECT_EQ(refused->status, 401);
  EXPECT_FALSE(json::parse(refused->body, nullptr, false).is_discarded());
  EXPECT_TRUE(json::parse(client_.get(persons)->body, nullptr, false).is_discarded());
}

TEST_F(JournalFaults, NeverTouchTheSimEndpoints) {
  client_.set_faults({{"mode", "5xx"}});
  EXPECT_EQ(client_.get_json("/sim/state")["organisations"].size(), 2u);
  EXPECT_EQ(client_.get_json("/sim/stats")["requests"], 0);
  EXPECT_EQ(client_.advance({{"days", 1}, {"movement", false}})["day"], "2026-09-02");
  EXPECT_EQ(client_.get(organisation)->status, 503);
}

TEST_F(JournalFaults, RefusesAnUnknownMode) {
  const auto result = client_.post("/sim/faults", {{"mode", "sometimes"}});
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(client_.get_json("/sim/faults")["mode"], "none");
}

}  // namespace
}  // namespace rosterd::sim::journal::test
