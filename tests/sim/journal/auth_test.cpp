// Tokens: 401 without or with a wrong one, 403 for another school's organisation, 404 for
// an unknown one, and a regional token that sees every organisation.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include "sim_process.h"

namespace rosterd::sim::journal::test {
namespace {

int status_of(int port, const std::string& token, const std::string& path) {
  const auto result = Client(port, token).get(path);
  return result ? result->status : -1;
}

TEST(JournalTokens, AMissingOrUnknownTokenIs401Unauthorized) {
  DataDir data;
  SimProcess sim(data);
  const auto missing = Client(sim.port(), "").get("/v1/organisations/sch-a");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(json::parse(missing->body), json({{"error", "unauthorized"}}));
  EXPECT_EQ(status_of(sim.port(), "wrong", "/v1/organisations/sch-a"), 401);
  EXPECT_EQ(status_of(sim.port(), "wrong", "/v1/organisations"), 401);
  EXPECT_EQ(status_of(sim.port(), "test-token", "/v1/organisations/sch-a"), 200);
}

class TokenFiles : public ::testing::Test {
 protected:
  DataDir data_;
  std::string school_file_ = data_.write_file("school-tokens",
                                              "# school tokens\n"
                                              "token-a sch-a\n"
                                              "\n"
                                              "token-b  sch-b\n");
  std::string regional_file_ = data_.write_file("regional-token", "  token-region\n");
  SimProcess sim_{
      data_, {"--token-file", school_file_, "--regional-token-file", regional_file_, "--verbose"}};
};

TEST_F(TokenFiles, ASchoolTokenSeesItsOwnOrganisationAndGets403ForAnother) {
  EXPECT_EQ(status_of(sim_.port(), "token-a", "/v1/organisations/sch-a"), 200);
  EXPECT_EQ(status_of(sim_.port(), "token-a", "/v1/organisations/sch-a/persons"), 200);
  EXPECT_EQ(status_of(sim_.port(), "token-a", "/v1/organisations/sch-b"), 403);
  EXPECT_EQ(status_of(sim_.port(), "token-a", "/v1/organisations/sch-b/persons"), 403);
  EXPECT_EQ(status_of(sim_.port(), "token-a", "/v1/organisations/nowhere"), 403);
  const auto listed = Client(sim_.port(), "token-b").get_json("/v1/organisations");
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["id"], "sch-b");
}

TEST_F(TokenFiles, TheRegionalTokenListsEveryOrganisationAndGets404ForAnUnknownOne) {
  std::vector<std::string> ids;
  for (const auto& org : Client(sim_.port(), "token-region").fetch_all("/v1/organisations", 10)) {
    ids.push_back(org["id"]);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"sch-a", "sch-b"}));
  EXPECT_EQ(status_of(sim_.port(), "token-region", "/v1/organisations/sch-b/relations"), 200);
  EXPECT_EQ(status_of(sim_.port(), "token-region", "/v1/organisations/nowhere"), 404);
  EXPECT_EQ(status_of(sim_.port(), "token-region", "/v1/organisations/nowhere/groups"), 404);
}

TEST_F(TokenFiles, WithTokenFilesTheTestTokenIsRefused) {
  EXPECT_EQ(status_of(sim_.port(), "test-token", "/v1/organisations"), 401);
}

TEST_F(TokenFiles, NeverWritesATokenToItsLog) {
  (void)status_of(sim_.port(), "token-a", "/v1/organisations/sch-a");
  (void)status_of(sim_.port(), "token-region", "/v1/organisations");
  (void)status_of(sim_.port(), "token-secret-wrong", "/v1/organisations");
  ASSERT_EQ(sim_.stop(SIGTERM), 0);
  const auto log = sim_.stderr_text();
  EXPECT_NE(log.find("journal.request"), std::string::npos) << "--verbose logs requests";
  for (const char* token : {"token-a", "token-region", "token-secret-wrong"}) {
    EXPECT_EQ(log.find(token), std::string::npos) << token;
  }
}

TEST(JournalTokens, ABadTokenFileLineStopsTheStartWithTheLineNamedAndNotTheToken) {
  DataDir data;
  const auto file = data.write_file("bad-tokens", "ok-token sch-a\nlonely-token\n");
  const auto err = data.path() / "err";
  const int status =
      run_to_end({"--port", "0", "--data", data.path().string(), "--token-file", file}, err);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const auto message = read_text(err);
  EXPECT_NE(message.find("bad-tokens:2: expected TOKEN ORG_ID"), std::string::npos) << message;
  EXPECT_EQ(message.find("lonely-token"), std::string::npos) << message;
}

}  // namespace
}  // namespace rosterd::sim::journal::test

namespace rosterd::sim::journal::test {
namespace {

// /sim/organisations: an organisation leaves the journal and comes back, as in a region.
TEST_F(TokenFiles, AHiddenOrganisationIsNotListedAndAnswers404UntilShownAgain) {
  Client sim(sim_.port(), "");
  const auto ids = [&] {
    std::vector<std::string> out;
    for (const auto& org : Client(sim_.port(), "token-region").fetch_all("/v1/organisations", 10))
      out.push_back(org["id"]);
    return out;
  };
  const auto hidden = sim.post("/sim/organisations", json{{"hide", {"sch-a"}}});
  ASSERT_TRUE(hidden);
  EXPECT_EQ(json::parse(hidden->body), json({{"hidden", {"sch-a"}}}));
  EXPECT_EQ(ids(), std::vector<std::string>{"sch-b"});
  EXPECT_EQ(status_of(sim_.port(), "token-region", "/v1/organisations/sch-a"), 404);
  EXPECT_EQ(status_of(sim_.port(), "token-region", "/v1/organisations/sch-a/persons"), 404);
  EXPECT_EQ(status_of(sim_.port(), "token-b", "/v1/organisations/sch-a"), 403);

  ASSERT_TRUE(sim.post("/sim/organisations", json{{"show", {"sch-a"}}}));
  EXPECT_EQ(ids(), (std::vector<std::string>{"sch-a", "sch-b"}));
  EXPECT_EQ(status_of(sim_.port(), "token-region", "/v1/organisations/sch-a"), 200);

  const auto unknown = sim.post("/sim/organisations", json{{"hide", {"sch-a", "nowhere"}}});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(ids(), (std::vector<std::string>{"sch-a", "sch-b"})) << "all or nothing";
}

}  // namespace
}  // namespace rosterd::sim::journal::test
