// The HTTP journal adapter against the real journal-sim binary (written apart from the adapter,
// from the same contract): generated schools, 304s, /sim/advance, injected faults, tokens.
#include <gtest/gtest.h>

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <thread>

#include "adapters/journal_http/http_journal.h"
#include "generator/generator.h"
#include "tests/adapters/journal_http/journal_fixture.h"
#include "tests/support/process.h"

namespace rosterd::adapters::journal_http {
namespace {

using nlohmann::json;

constexpr const char* school_token = "school-tok-A1";
constexpr const char* regional_token = "regional-tok-R9";

// journal-sim over two generated schools, with a school token for sch-a and a regional one.
class JournalSim : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto start = mapping::Date::from_ymd(2026, 9, 1);
    school_a_ = generator::make_school("sch-a", 11, start, generator::SchoolShape{4, 6});
    const auto school_b = generator::make_school("sch-b", 12, start, generator::SchoolShape{2, 5});
    generator::write_export(school_a_, scratch_.path() / "data" / "sch-a");
    generator::write_export(school_b, scratch_.path() / "data" / "sch-b");
    std::ofstream(scratch_.path() / "tokens") << school_token << " sch-a\n";
    std::ofstream(scratch_.path() / "regional") << regional_token << "\n";
    const auto log = scratch_.path() / "sim.log";
    sim_.emplace(std::vector<std::string>{JOURNAL_SIM_BIN, "--port", "0", "--data",
                                          (scratch_.path() / "data").string(), "--token-file",
                                          (scratch_.path() / "tokens").string(),
                                          "--regional-token-file",
                                          (scratch_.path() / "regional").string()},
                 log);
    port_ = wait_for_port(log);
    ASSERT_GT(port_, 0) << rosterd::testing::read_file(log);
  }

  static int wait_for_port(const std::filesystem::path& log) {
    const std::regex line("journal-sim: listening on 127\\.0\\.0\\.1:([0-9]+)");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      std::smatch match;
      const std::string text = rosterd::testing::read_file(log);
      if (std::regex_search(text, match, line)) return std::stoi(match[1].str());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
  }

  [[nodiscard]] HttpJournalOptions options(const std::string& org_id,
                                           const std::string& token = regional_token) const {
    auto o = testing::fast_options("http://127.0.0.1:" + std::to_string(port_), org_id);
    o.token = token;
    o.page_limit = 10;
    return o;
  }

  json sim(const std::string& method, const std::string& path, const json& body = {}) const {
    httplib::Client client("127.0.0.1", port_);
    const auto result = method == "GET" ? client.Get(path.c_str())
                                        : client.Post(path.c_str(), body.dump(), "application/json");
    if (!result || result->status != 200) {
      ADD_FAILURE() << method << " " << path << " failed";
      return json::object();
    }
    return json::parse(result->body);
  }

  // A change to sch-a that is sure to bump its version: its first person's account changes.
  void change_school_a() {
    ++linked_id_;
    const json event = {{"type", "link_account"},
                        {"person_id", school_a_.persons.front().id},
                        {"platform_user_id", linked_id_}};
    (void)sim("POST", "/sim/advance", {{"scenario", json::array({event})}});
  }

  testing::ScratchDir scratch_;
  std::int64_t linked_id_ = 900000;
  mapping::Roster school_a_;
  std::optional<rosterd::testing::Process> sim_;
  int port_ = 0;
};

std::size_t pages(std::size_t records, std::size_t limit) {
  return records == 0 ? 1 : (records + limit - 1) / limit;
}

TEST_F(JournalSim, FetchesTheGeneratedSchoolExactlyAcrossPages) {
  HttpJournal journal(options("sch-a"));

  const auto answer = journal.fetch();

  EXPECT_FALSE(answer.unchanged);
  EXPECT_EQ(testing::roster_text(*answer.roster), testing::roster_text(school_a_));
  const auto c = mapping::count(school_a_);
  ASSERT_GT(c.persons, 10U);  // several pages
  const json stats = sim("GET", "/sim/stats");
  EXPECT_EQ(stats["requests"], 1 + pages(c.groups, 10) + pages(c.persons, 10) +
                                   pages(c.enrolments, 10) + pages(c.relations, 10));
}

TEST_F(JournalSim, CostsOneRequestAnsweredNotModifiedWhenNothingChanged) {
  HttpJournal journal(options("sch-a"));
  const auto first = journal.fetch();
  (void)sim("POST", "/sim/stats/reset");

  const auto second = journal.fetch_if_changed(first.etag);

  EXPECT_TRUE(second.unchanged);
  EXPECT_EQ(second.roster, nullptr);
  const json stats = sim("GET", "/sim/stats");
  EXPECT_EQ(stats["requests"], 1);
  EXPECT_EQ(stats["not_modified"], 1);
}

TEST_F(JournalSim, SeesTheJournalMoveOnAfterAdvance) {
  HttpJournal a(options("sch-a"));
  HttpJournal b(options("sch-b"));
  const auto a_first = a.fetch();
  const auto b_first = b.fetch();
  const auto& enrolment = *std::find_if(
      school_a_.enrolments.begin(), school_a_.enrolments.end(),
      [](const mapping::Enrolment& e) { return e.role == mapping::EnrolmentRole::student; });
  const json event = {{"type", "withdraw"}, {"person_id", enrolment.person_id},
                      {"group_id", enrolment.group_id}, {"last_day", "2026-09-10"}};
  (void)sim("POST", "/sim/advance", {{"scenario", json::array({event})}});

  const auto answer = a.fetch_if_changed(a_first.etag);

  EXPECT_FALSE(answer.unchanged);
  bool withdrawn = false;
  for (const auto& e : answer.roster->enrolments) {
    if (e.person_id == enrolment.person_id && e.group_id == enrolment.group_id &&
        e.to == mapping::Date::from_ymd(2026, 9, 10) && e.reason == "withdrawn") {
      withdrawn = true;
    }
  }
  EXPECT_TRUE(withdrawn);
  EXPECT_TRUE(b.fetch_if_changed(b_first.etag).unchanged);  // the other school's did not move
}

TEST_F(JournalSim, RetriesServerErrorsAndSlowAnswers) {
  auto o = options("sch-a");
  o.timeout_ms = 400;
  HttpJournal journal(o);
  (void)sim("POST", "/sim/faults", {{"mode", "5xx"}, {"count", 3}});
  EXPECT_EQ(journal.fetch().roster->persons.size(), school_a_.persons.size());
  EXPECT_EQ(sim("GET", "/sim/stats")["faults"]["5xx"], 3);

  change_school_a();
  (void)sim("POST", "/sim/faults", {{"mode", "slow"}, {"count", 1}, {"slow_ms", 1200}});
  const auto answer = journal.fetch();
  EXPECT_FALSE(answer.unchanged);
  const auto& linked = *std::find_if(
      answer.roster->persons.begin(), answer.roster->persons.end(),
      [this](const mapping::Person& p) { return p.id == school_a_.persons.front().id; });
  EXPECT_EQ(linked.platform_user_id, linked_id_);
  EXPECT_EQ(sim("GET", "/sim/faults")["mode"], "none");  // the slow answer was used up
}

TEST_F(JournalSim, ThrowsOnBrokenAnswersAndKeepsTheLastGoodOne) {
  HttpJournal journal(options("sch-a"));
  const auto good = journal.fetch();
  for (const char* mode : {"truncated", "malformed"}) {
    SCOPED_TRACE(mode);
    change_school_a();
    (void)sim("POST", "/sim/faults", {{"mode", mode}, {"count", 1}});
    EXPECT_THROW((void)journal.fetch(), JournalAnswerError);
    (void)sim("POST", "/sim/faults", {{"mode", "none"}});
  }
  // Asked with the first answer's ETag, the next one reads the new day whole.
  const json state = sim("GET", "/sim/state/sch-a");
  const auto answer = journal.fetch_if_changed(good.etag);
  EXPECT_FALSE(answer.unchanged);
  EXPECT_EQ(answer.roster->persons.size(), state["persons"].size());
  EXPECT_EQ(answer.roster->enrolments.size(), state["enrollments"].size());
  EXPECT_EQ(good.roster->persons.size(), school_a_.persons.size());
}

TEST_F(JournalSim, AnswersAnEmptyServedJournalForTheGuardAndReadsItAgainNextTime) {
  HttpJournal journal(options("sch-a"));
  (void)sim("POST", "/sim/faults", {{"mode", "empty"}, {"count", 4}});

  const auto empty = journal.fetch();
  const auto again = journal.fetch_if_changed(empty.etag);

  EXPECT_EQ(mapping::count(*empty.roster), mapping::SourceCounts{});
  EXPECT_EQ(empty.etag, "");
  EXPECT_FALSE(again.unchanged);
  EXPECT_EQ(testing::roster_text(*again.roster), testing::roster_text(school_a_));
}

TEST_F(JournalSim, StopsAtOnceWhenTheTokenIsRefused) {
  HttpJournal wrong(options("sch-a", "no-such-token"));
  HttpJournal other(options("sch-b", school_token));

  try {
    (void)wrong.fetch();
    ADD_FAILURE() << "expected JournalAuthError";
  } catch (const JournalAuthError& e) {
    EXPECT_EQ(e.status(), 401);
  }
  try {
    (void)other.fetch();
    ADD_FAILURE() << "expected JournalAuthError";
  } catch (const JournalAuthError& e) {
    EXPECT_EQ(e.status(), 403);
    EXPECT_EQ(std::string(e.what()).find(school_token), std::string::npos);
  }
  EXPECT_EQ(sim("GET", "/sim/stats")["requests"], 2);
  EXPECT_EQ(HttpJournal(options("sch-a", school_token)).fetch().roster->org.id, "sch-a");
}

TEST_F(JournalSim, ListsTheOrganisationsEachTokenSees) {
  auto regional = options("");
  regional.page_limit = 1;
  const auto all = list_organisations(regional);
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].id, "sch-a");
  EXPECT_EQ(all[1].id, "sch-b");
  const auto own = list_organisations(options("", school_token));
  ASSERT_EQ(own.size(), 1U);
  EXPECT_EQ(own[0].id, "sch-a");
}

}  // namespace
}  // namespace rosterd::adapters::journal_http
