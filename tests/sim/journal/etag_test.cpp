// ETags, 304 Not Modified, versions and /sim/stats.
#include <gtest/gtest.h>

#include "sim_process.h"

namespace rosterd::sim::journal::test {
namespace {

httplib::Headers if_none_match(const std::string& etag) {
  return {{"If-None-Match", etag}};
}

TEST(JournalETag, AnswersAMatchingIfNoneMatchWith304AndNoBody) {
  DataDir data;
  SimProcess sim(data);
  Client client(sim.port());
  const auto first = client.get("/v1/organisations/sch-a");
  ASSERT_EQ(first->status, 200);
  const auto etag = first->get_header_value("ETag");
  EXPECT_EQ(etag, "\"sch-a-v1\"");
  const auto again = client.get("/v1/organisations/sch-a", if_none_match(etag));
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(again->get_header_value("ETag"), etag);
  EXPECT_EQ(client.get("/v1/organisations/sch-a", if_none_match("W/" + etag))->status, 304);
  EXPECT_EQ(client.get("/v1/organisations/sch-a", if_none_match("\"x\", " + etag))->status, 304);
  EXPECT_EQ(client.get("/v1/organisations/sch-a", if_none_match("\"sch-a-v0\""))->status, 200);
  // Each organisation has its own tag.
  EXPECT_EQ(client.get("/v1/organisations/sch-b", if_none_match(etag))->status, 200);
}

TEST(JournalETag, AfterADayOfMovementAnswers200WithANewETag) {
  DataDir data;
  SimProcess sim(data);
  Client client(sim.port());
  const auto etag = client.get("/v1/organisations/sch-a")->get_header_value("ETag");
  const auto advanced = client.advance({{"days", 1}});
  EXPECT_EQ(advanced["day"], "2026-09-02");
  EXPECT_EQ(advanced["versions"]["sch-a"], 2);
  const auto after = client.get("/v1/organisations/sch-a", if_none_match(etag));
  ASSERT_EQ(after->status, 200);
  const auto new_etag = after->get_header_value("ETag");
  EXPECT_NE(new_etag, etag);
  EXPECT_EQ(client.get("/v1/organisations/sch-a", if_none_match(new_etag))->status, 304);
  EXPECT_EQ(client.get_json("/sim/state")["day"], "2026-09-02");
}

TEST(JournalETag, KeepsTheVersionWhenNothingChanged) {
  DataDir data;
  SimProcess sim(data);
  Client client(sim.port());
  const auto etag = client.get("/v1/organisations/sch-a")->get_header_value("ETag");
  const auto advanced = client.advance({{"days", 3}, {"movement", false}});
  EXPECT_EQ(advanced["day"], "2026-09-04");
  EXPECT_EQ(advanced["changed"], json::array());
  EXPECT_EQ(client.get("/v1/organisations/sch-a", if_none_match(etag))->status, 304);
  // A scenario that changes one school leaves the other's version alone.
  const auto scenario = client.advance({{"scenario",
                                         {{{"type", "link_account"},
                                           {"person_id", data.roster("sch-b").persons.back().id},
                                           {"platform_user_id", 77}}}}});
  EXPECT_EQ(scenario["changed"], json::array({"sch-b"}));
  EXPECT_EQ(scenario["versions"], json({{"sch-a", 1}, {"sch-b", 2}}));
  EXPECT_EQ(client.get("/v1/organisations/sch-a", if_none_match(etag))->status, 304);
}

TEST(JournalStats, CountsRequestsByPathAndStatusAndThe304s) {
  DataDir data;
  SimProcess sim(data);
  Client client(sim.port());
  const auto etag = client.get("/v1/organisations/sch-a")->get_header_value("ETag");
  (void)client.get("/v1/organisations/sch-a", if_none_match(etag));
  (void)client.get("/v1/organisations/sch-a", if_none_match(etag));
  (void)client.get("/v1/organisations/sch-b/groups");
  (void)Client(sim.port(), "").get("/v1/organisations");
  (void)client.get_json("/sim/state");  // /sim requests are not counted
  const auto stats = client.get_json("/sim/stats");
  EXPECT_EQ(stats["requests"], 5);
  EXPECT_EQ(stats["not_modified"], 2);
  EXPECT_EQ(stats["by_status"], json({{"200", 2}, {"304", 2}, {"401", 1}}));
  EXPECT_EQ(stats["by_path"], json({{"/v1/organisations", 1},
                                    {"/v1/organisations/sch-a", 3},
                                    {"/v1/organisations/sch-b/groups", 1}}));
  ASSERT_EQ(client.post("/sim/stats/reset", json::object())->status, 200);
  EXPECT_EQ(client.get_json("/sim/stats")["requests"], 0);
}

}  // namespace
}  // namespace rosterd::sim::journal::test
