// The fetch sequence against a scripted server: paging, ETag/304, 409, retries, auth.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/journal_http/http_journal.h"
#include "tests/adapters/journal_http/fake_journal_server.h"
#include "tests/adapters/journal_http/journal_fixture.h"

namespace rosterd::adapters::journal_http {
namespace {

using testing::FakeAnswer;
using testing::FakeJournalServer;
using testing::JournalData;
using testing::RecordedRequest;

std::vector<std::string> targets(const std::vector<RecordedRequest>& requests) {
  std::vector<std::string> out;
  for (const auto& r : requests) out.push_back(r.target);
  return out;
}

std::size_t count_path(const std::vector<RecordedRequest>& requests, const std::string& path) {
  std::size_t n = 0;
  for (const auto& r : requests) n += r.path == path ? 1 : 0;
  return n;
}

// A loopback port nothing listens on: bound for a moment to learn a free one, then closed.
int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST(HttpJournal, FetchesEveryPageOfEveryListFollowingTheCursors) {
  FakeJournalServer server(testing::tiny_journal());
  auto options = testing::fast_options(server.base_url());
  options.page_limit = 2;
  HttpJournal journal(options);

  const auto answer = journal.fetch();

  EXPECT_FALSE(answer.unchanged);
  const std::string org = "/v1/organisations/org-1";
  EXPECT_EQ(targets(server.requests()),
            (std::vector<std::string>{
                org,
                org + "/groups?limit=2",
                org + "/persons?limit=2",
                org + "/persons?cursor=2%40v1&limit=2",
                org + "/persons?cursor=4%40v1&limit=2",
                org + "/enrollments?limit=2",
                org + "/enrollments?cursor=2%40v1&limit=2",
                org + "/enrollments?cursor=4%40v1&limit=2",
                org + "/relations?limit=2",
            }));
  for (const auto& request : server.requests()) {
    EXPECT_EQ(request.authorization, std::string("Bearer ") + testing::token);
    EXPECT_EQ(request.if_none_match, "");
  }
  EXPECT_EQ(mapping::count(*answer.roster), (mapping::SourceCounts{2, 5, 5, 2, 2}));
  EXPECT_EQ(answer.roster->persons[4].id, "p-5");  // the journal's order, across pages
  EXPECT_EQ(answer.roster->persons[2].phone, testing::tiny_phone);
  EXPECT_EQ(answer.roster->groups[1].previous_group_id, "g-1b-2025");
}

TEST(HttpJournal, ReturnsTheGeneratedSchoolExactlyAsTheJournalHoldsIt) {
  testing::ScratchDir scratch;
  auto school = testing::generated_school("org-7", scratch.path());
  FakeJournalServer server(school.data);
  auto options = testing::fast_options(server.base_url(), "org-7");
  options.page_limit = 7;

  const auto answer = HttpJournal(options).fetch();

  ASSERT_GT(school.roster.persons.size(), 7U);
  EXPECT_EQ(testing::roster_text(*answer.roster), testing::roster_text(school.roster));
  // ... and keeps where each reference points, for the core.
  const auto& r = *answer.roster;
  ASSERT_EQ(r.links.enrolment_person.size(), r.enrolments.size());
  ASSERT_EQ(r.links.relation_child.size(), r.relations.size());
  for (std::size_t i = 0; i < r.enrolments.size(); ++i) {
    EXPECT_EQ(r.persons.at(r.links.enrolment_person[i]).id, r.enrolments[i].person_id);
    EXPECT_EQ(r.groups.at(r.links.enrolment_group[i]).id, r.enrolments[i].group_id);
  }
  for (std::size_t i = 0; i < r.relations.size(); ++i) {
    EXPECT_EQ(r.persons.at(r.links.relation_parent[i]).id, r.relations[i].parent_id);
    EXPECT_EQ(r.persons.at(r.links.relation_child[i]).id, r.relations[i].child_id);
  }
}

TEST(HttpJournal, CostsOneRequestWhenTheJournalAnswersNotModified) {
  FakeJournalServer server(testing::tiny_journal());
  HttpJournal journal(testing::fast_options(server.base_url()));
  const auto first = journal.fetch();
  server.clear_requests();

  const auto second = journal.fetch_if_changed(first.etag);

  EXPECT_TRUE(second.unchanged);
  EXPECT_EQ(second.roster, nullptr);  // nothing kept: the caller needs none
  EXPECT_EQ(first.etag, "\"v1\"");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].target, "/v1/organisations/org-1");
  EXPECT_EQ(requests[0].if_none_match, "\"v1\"");
}

TEST(HttpJournal, FetchesEverythingAgainWhenTheJournalChanged) {
  FakeJournalServer server(testing::tiny_journal());
  HttpJournal journal(testing::fast_options(server.base_url()));
  const auto first = journal.fetch();
  server.change([](JournalData& d) { d.enrollments.erase(d.enrollments.begin()); });
  server.clear_requests();

  const auto answer = journal.fetch_if_changed(first.etag);

  EXPECT_FALSE(answer.unchanged);
  EXPECT_EQ(answer.roster->enrolments.size(), 4U);
  EXPECT_EQ(server.requests().front().if_none_match, "\"v1\"");
  EXPECT_EQ(server.requests().size(), 5U);
  server.clear_requests();
  EXPECT_TRUE(journal.fetch_if_changed(answer.etag).unchanged);  // the new ETag is answered
  EXPECT_EQ(server.requests().at(0).if_none_match, "\"v2\"");
}

TEST(HttpJournal, StartsOverWhenTheSnapshotChangesDuringTheFetch) {
  FakeJournalServer server(testing::tiny_journal());
  bool changed = false;
  server.on_request([&changed](const RecordedRequest& r, JournalData& d) {
    if (!changed && r.path.ends_with("/persons") && !r.cursor.empty()) {
      changed = true;
      d.persons.erase(d.persons.begin() + 4);  // p-5 leaves...
      d.enrollments.erase(d.enrollments.begin() + 3, d.enrollments.end());  // ...with their rows
      ++d.version;
    }
  });
  auto options = testing::fast_options(server.base_url());
  options.page_limit = 2;
  HttpJournal journal(options);

  const auto answer = journal.fetch();

  EXPECT_EQ(count_path(server.requests(), "/v1/organisations/org-1"), 2U);
  EXPECT_EQ(mapping::count(*answer.roster), (mapping::SourceCounts{2, 4, 3, 2, 1}));
  server.clear_requests();
  EXPECT_TRUE(journal.fetch_if_changed(answer.etag).unchanged);
  EXPECT_EQ(server.requests().at(0).if_none_match, "\"v2\"");
}

TEST(HttpJournal, StartsOverWhenAPageComesFromAnotherVersion) {
  FakeJournalServer server(testing::tiny_journal());
  server.fault("/relations", FakeAnswer{200, testing::page(nlohmann::json::array(), nullptr),
                                        "\"v9\"", {}});
  HttpJournal journal(testing::fast_options(server.base_url()));

  const auto answer = journal.fetch();

  EXPECT_EQ(count_path(server.requests(), "/v1/organisations/org-1"), 2U);
  EXPECT_EQ(answer.roster->relations.size(), 2U);
}

TEST(HttpJournal, GivesUpWhenTheSnapshotKeepsChanging) {
  FakeJournalServer server(testing::tiny_journal());
  server.on_request([](const RecordedRequest& r, JournalData& d) {
    if (r.path.ends_with("/groups")) ++d.version;
  });
  auto options = testing::fast_options(server.base_url());
  options.max_snapshot_restarts = 2;
  HttpJournal journal(options);

  try {
    (void)journal.fetch();
    FAIL() << "expected JournalUnavailable";
  } catch (const JournalUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("organisation org-1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count_path(server.requests(), "/v1/organisations/org-1"), 3U);
}

TEST(HttpJournal, RetriesServerErrorsWithBackoffThenSucceeds) {
  FakeJournalServer server(testing::tiny_journal());
  server.fault("/persons", FakeAnswer{503, "busy", "", {}});
  server.fault("/persons", FakeAnswer{500, "", "", {}});
  server.fault("/org-1", FakeAnswer{502, "", "", {}});
  HttpJournal journal(testing::fast_options(server.base_url()));

  const auto answer = journal.fetch();

  EXPECT_EQ(answer.roster->persons.size(), 5U);
  EXPECT_EQ(count_path(server.requests(), "/v1/organisations/org-1/persons"), 3U);
  EXPECT_EQ(count_path(server.requests(), "/v1/organisations/org-1"), 2U);
}

TEST(HttpJournal, RetriesARequestThatTimesOut) {
  FakeJournalServer server(testing::tiny_journal());
  server.fault("/groups", FakeAnswer{200, testing::page(nlohmann::json::array(), nullptr), "\"v1\"",
                                     std::chrono::milliseconds(800)});
  auto options = testing::fast_options(server.base_url());
  options.timeout_ms = 200;

  const auto answer = HttpJournal(options).fetch();

  EXPECT_EQ(answer.roster->groups.size(), 2U);  // the retry's answer, not the slow one
  EXPECT_EQ(count_path(server.requests(), "/v1/organisations/org-1/groups"), 2U);
}

TEST(HttpJournal, SaysWhichRequestFailedWhenRetriesRunOut) {
  FakeJournalServer server(testing::tiny_journal());
  for (int i = 0; i < 4; ++i) server.fault("/relations", FakeAnswer{500, "", "", {}});
  HttpJournal journal(testing::fast_options(server.base_url()));

  try {
    (void)journal.fetch();
    FAIL() << "expected JournalUnavailable";
  } catch (const JournalUnavailable& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("GET /v1/organisations/org-1/relations?limit=500"), std::string::npos)
        << what;
    EXPECT_NE(what.find("HTTP 500 (4 attempts)"), std::string::npos) << what;
    EXPECT_EQ(what.find(testing::token), std::string::npos);
  }
  EXPECT_EQ(count_path(server.requests(), "/v1/organisations/org-1/relations"), 4U);
}

// A daemon told to stop must not wait out every attempt (4 × 10 s outlive systemd's stop
// timeout): the stop asked while the first attempt was answered ends the retries.
TEST(HttpJournal, StopsRetryingOnceAStopIsRequested) {
  FakeJournalServer server(testing::tiny_journal());
  for (int i = 0; i < 4; ++i) server.fault("/relations", FakeAnswer{500, "", "", {}});
  std::atomic<bool> stop{false};
  server.on_request([&stop](const RecordedRequest& request, JournalData&) {
    if (request.path.ends_with("/relations")) stop = true;
  });
  auto options = testing::fast_options(server.base_url());
  options.stop_requested = [&stop] { return stop.load(); };
  HttpJournal journal(options);

  try {
    (void)journal.fetch();
    FAIL() << "expected JournalUnavailable";
  } catch (const JournalUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("stopping"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count_path(server.requests(), "/v1/organisations/org-1/relations"), 1U)
      << "no request after the stop";
}

TEST(HttpJournal, RetriesWhenNothingListensThenReportsTheJournalUnavailable) {
  const int port = unused_port();
  auto options = testing::fast_options("http://127.0.0.1:" + std::to_string(port));
  options.max_attempts = 2;
  HttpJournal journal(options);

  EXPECT_THROW((void)journal.fetch(), JournalUnavailable);
}

struct AuthCase {
  std::string name;
  std::string token;
  std::string org_id;
  long status;
};

class HttpJournalAuth : public ::testing::TestWithParam<AuthCase> {};

TEST_P(HttpJournalAuth, StopsAtOnceWithoutRetryingWhenTheTokenIsRefused) {
  FakeJournalServer server(testing::tiny_journal());
  auto options = testing::fast_options(server.base_url(), GetParam().org_id);
  options.token = GetParam().token;
  HttpJournal journal(options);

  try {
    (void)journal.fetch();
    FAIL() << "expected JournalAuthError";
  } catch (const JournalAuthError& e) {
    EXPECT_EQ(e.status(), GetParam().status);
    const std::string what = e.what();
    EXPECT_NE(what.find("organisation " + GetParam().org_id), std::string::npos) << what;
    EXPECT_EQ(what.find(GetParam().token), std::string::npos) << what;
  }
  EXPECT_EQ(server.requests().size(), 1U);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HttpJournalAuth,
    ::testing::Values(AuthCase{"UnknownToken", "tok-wrong-91d2", "org-1", 401},
                      AuthCase{"OrganisationNotSeen", testing::token, "org-2", 403}),
    [](const auto& test) { return test.param.name; });

TEST(HttpJournal, AnswersAnEmptyJournalWithAnEmptyRosterForTheGuardToJudge) {
  JournalData data = testing::tiny_journal();
  data.persons = data.enrollments = data.relations = nlohmann::json::array();
  FakeJournalServer server(data);

  HttpJournal journal(testing::fast_options(server.base_url()));

  const auto answer = journal.fetch();

  EXPECT_FALSE(answer.unchanged);
  EXPECT_EQ(mapping::count(*answer.roster), (mapping::SourceCounts{2, 0, 0, 0}));
  EXPECT_EQ(answer.roster->org.id, "org-1");
  // Not trusted for a 304: no ETag to ask with, so the next cycle reads the lists again.
  EXPECT_EQ(answer.etag, "");
  server.clear_requests();
  (void)journal.fetch_if_changed(answer.etag);
  EXPECT_EQ(server.requests().at(0).if_none_match, "");
  EXPECT_EQ(server.requests().size(), 5U);
}

TEST(HttpJournalOptions, RefusesOptionsThatCannotWork) {
  const auto with = [](auto edit) {
    auto options = testing::fast_options("http://127.0.0.1:1");
    edit(options);
    return options;
  };
  EXPECT_THROW(HttpJournal(with([](auto& o) { o.token.clear(); })), std::invalid_argument);
  EXPECT_THROW(HttpJournal(with([](auto& o) { o.org_id.clear(); })), std::invalid_argument);
  EXPECT_THROW(HttpJournal(with([](auto& o) { o.page_limit = 1001; })), std::invalid_argument);
  EXPECT_THROW(HttpJournal(with([](auto& o) { o.max_attempts = 0; })), std::invalid_argument);
  EXPECT_NO_THROW(HttpJournal(with([](auto&) {})));
}

TEST(ListOrganisations, ListsEveryOrganisationTheTokenSeesAcrossPages) {
  JournalData data = testing::tiny_journal();
  for (const char* id : {"org-2", "org-3", "org-4"}) {
    data.other_orgs.push_back({{"id", id}, {"name", std::string("Школа ") + id},
                               {"kind", "kindergarten"}, {"timezone", "Asia/Yekaterinburg"}});
  }
  FakeJournalServer server(data);
  auto options = testing::fast_options(server.base_url(), "");
  options.page_limit = 3;

  const auto organisations = list_organisations(options);

  ASSERT_EQ(organisations.size(), 4U);
  EXPECT_EQ(organisations[0].id, "org-1");
  EXPECT_EQ(organisations[3].id, "org-4");
  EXPECT_EQ(organisations[3].kind, mapping::OrgKind::kindergarten);
  EXPECT_EQ(targets(server.requests()),
            (std::vector<std::string>{"/v1/organisations?limit=3",
                                      "/v1/organisations?cursor=3%40v1&limit=3"}));
}

TEST(ListOrganisations, NamesTheListOnAnAuthFailure) {
  FakeJournalServer server(testing::tiny_journal());
  auto options = testing::fast_options(server.base_url(), "");
  options.token = "tok-wrong-91d2";
  try {
    (void)list_organisations(options);
    FAIL() << "expected JournalAuthError";
  } catch (const JournalAuthError& e) {
    EXPECT_NE(std::string(e.what()).find("the organisations list"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("tok-wrong"), std::string::npos);
  }
}

}  // namespace
}  // namespace rosterd::adapters::journal_http
