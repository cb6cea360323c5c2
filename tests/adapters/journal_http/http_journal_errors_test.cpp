// Bad answers: nothing partial is returned, the kept answer stays, and errors name the request,
// the record and the field, never the token or a contact value.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "adapters/journal_http/http_journal.h"
#include "tests/adapters/journal_http/fake_journal_server.h"
#include "tests/adapters/journal_http/journal_fixture.h"

namespace rosterd::adapters::journal_http {
namespace {

using nlohmann::json;
using testing::FakeAnswer;
using testing::FakeJournalServer;
using testing::JournalData;

// The fetch's error, checked for what no error may carry.
JournalAnswerError fetch_error(HttpJournal& journal) {
  try {
    (void)journal.fetch();
  } catch (const JournalAnswerError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find(testing::token), std::string::npos) << what;
    EXPECT_EQ(what.find(testing::tiny_phone), std::string::npos) << what;
    EXPECT_EQ(what.find(testing::tiny_email), std::string::npos) << what;
    return e;
  }
  ADD_FAILURE() << "expected JournalAnswerError";
  return JournalAnswerError({});
}

std::string persons_page() {
  return testing::page(testing::tiny_journal().persons, nullptr);
}

struct BodyCase {
  std::string name;
  std::string path_suffix;  // which request gets the bad body
  std::string body;
  std::string request;  // expected in the problem
  std::string message;  // expected in the problem's message
};

class HttpJournalBadBody : public ::testing::TestWithParam<BodyCase> {};

TEST_P(HttpJournalBadBody, ThrowsNamingTheRequestAndKeepsThePreviousAnswer) {
  const BodyCase& c = GetParam();
  FakeJournalServer server(testing::tiny_journal());
  HttpJournal journal(testing::fast_options(server.base_url()));
  const auto good = journal.fetch();
  server.change([](JournalData& d) { d.relations.erase(d.relations.begin()); });
  server.fault(c.path_suffix, FakeAnswer{200, c.body, "\"v2\"", {}});

  const JournalAnswerError error = fetch_error(journal);

  ASSERT_FALSE(error.problems().empty());
  EXPECT_EQ(error.problems()[0].request, c.request);
  EXPECT_NE(error.problems()[0].message.find(c.message), std::string::npos)
      << describe(error.problems()[0]);
  // The previous ETag is still the one to ask with: the failed fetch left nothing behind...
  server.clear_requests();
  const auto after = journal.fetch_if_changed(good.etag);
  EXPECT_EQ(server.requests().at(0).if_none_match, "\"v1\"");
  // ...and the next good answer is whole.
  EXPECT_FALSE(after.unchanged);
  EXPECT_EQ(after.roster->relations.size(), 1U);
  EXPECT_EQ(good.roster->relations.size(), 2U);
}

const std::string org = "GET /v1/organisations/org-1";

INSTANTIATE_TEST_SUITE_P(
    Cases, HttpJournalBadBody,
    ::testing::Values(
        BodyCase{"TruncatedPage", "/persons", persons_page().substr(0, persons_page().size() / 2),
                 org + "/persons?limit=500", "malformed JSON"},
        BodyCase{"TruncatedOrganisation", "/org-1", R"({"id": "org-1", "name": "Шко)", org,
                 "malformed JSON"},
        BodyCase{"NotJson", "/groups", "<html>502 Bad Gateway</html>", org + "/groups?limit=500",
                 "malformed JSON"},
        BodyCase{"EmptyBody", "/enrollments", "", org + "/enrollments?limit=500",
                 "malformed JSON"},
        BodyCase{"RootIsAnArray", "/groups", "[]", org + "/groups?limit=500",
                 "expected a page object {items, next_cursor}, found array"},
        BodyCase{"ItemsNotAnArray", "/groups", R"({"items": {}, "next_cursor": null})",
                 org + "/groups?limit=500", "expected an array of records, found object"},
        BodyCase{"NoNextCursor", "/relations", R"({"items": []})", org + "/relations?limit=500",
                 "required field is missing"},
        BodyCase{"NoItems", "/relations", R"({"next_cursor": null})",
                 org + "/relations?limit=500", "required field is missing"},
        BodyCase{"NumericCursor", "/relations", R"({"items": [], "next_cursor": 2})",
                 org + "/relations?limit=500", "expected a string or null, found number"},
        BodyCase{"EmptyCursor", "/relations", R"({"items": [], "next_cursor": ""})",
                 org + "/relations?limit=500", "must not be empty"},
        BodyCase{"ItemsTwice", "/relations", R"({"items": [], "items": [], "next_cursor": null})",
                 org + "/relations?limit=500", "given twice"},
        BodyCase{"ContentAfterTheEnd", "/relations", R"({"items": [], "next_cursor": null} {})",
                 org + "/relations?limit=500", "content after"},
        BodyCase{"OrganisationIsAnArray", "/org-1", "[]", org,
                 "expected the organisation object, found array"},
        BodyCase{"AnotherOrganisation", "/org-1",
                 R"({"id": "org-2", "name": "x", "kind": "school", "timezone": "UTC"})", org,
                 "not the organisation asked for"}),
    [](const auto& test) { return test.param.name; });

TEST(HttpJournal, TreatsAnUnexpectedStatusAsABadAnswerWithoutRetrying) {
  FakeJournalServer server(testing::tiny_journal());
  server.fault("/persons", FakeAnswer{404, R"({"error": "not_found"})", "", {}});
  HttpJournal journal(testing::fast_options(server.base_url()));

  const JournalAnswerError error = fetch_error(journal);

  EXPECT_EQ(describe(error.problems().at(0)),
            "GET /v1/organisations/org-1/persons?limit=500: HTTP 404: unknown organisation or path");
  EXPECT_EQ(server.requests().size(), 3U);
}

TEST(HttpJournal, RefusesACursorThatLoopsBackOnItself) {
  FakeJournalServer server(testing::tiny_journal());
  server.fault("/groups", FakeAnswer{200, testing::page(json::array(), "c1"), "\"v1\"", {}});
  server.fault("/groups", FakeAnswer{200, testing::page(json::array(), "c1"), "\"v1\"", {}});
  HttpJournal journal(testing::fast_options(server.base_url()));

  const JournalAnswerError error = fetch_error(journal);

  EXPECT_EQ(error.problems().at(0).message, "next_cursor repeats the cursor of this page");
}

struct RecordCase {
  std::string name;
  std::function<void(JournalData&)> spoil;
  std::string request;
  std::string record;
  std::string field;
  std::string message;
};

class HttpJournalBadRecord : public ::testing::TestWithParam<RecordCase> {};

TEST_P(HttpJournalBadRecord, NamesThePageTheRecordAndTheField) {
  const RecordCase& c = GetParam();
  JournalData data = testing::tiny_journal();
  c.spoil(data);
  FakeJournalServer server(data);
  auto options = testing::fast_options(server.base_url());
  options.page_limit = 2;
  HttpJournal journal(options);

  const JournalAnswerError error = fetch_error(journal);

  ASSERT_EQ(error.problems().size(), 1U) << error.what();
  const Problem& p = error.problems()[0];
  EXPECT_EQ(p.request, c.request);
  EXPECT_EQ(p.record, c.record);
  EXPECT_EQ(p.field, c.field);
  EXPECT_EQ(p.message, c.message);
  // Every list was still read: record problems do not stop the paging.
  EXPECT_EQ(server.requests().back().path, "/v1/organisations/org-1/relations");
}

const std::string persons = "GET /v1/organisations/org-1/persons";

INSTANTIATE_TEST_SUITE_P(
    Cases, HttpJournalBadRecord,
    ::testing::Values(
        RecordCase{"ImpossibleDate", [](JournalData& d) { d.persons[3]["employed_from"] = "2026-02-30"; },
                   persons + "?cursor=2%40v1&limit=2", "[3] (id p-4)", "employed_from",
                   "not a valid date (expected YYYY-MM-DD)"},
        RecordCase{"MissingRequiredField", [](JournalData& d) { d.persons[4].erase("last_name"); },
                   persons + "?cursor=4%40v1&limit=2", "[4] (id p-5)", "last_name",
                   "required field is missing"},
        RecordCase{"UnknownEnumValue", [](JournalData& d) { d.groups[1]["kind"] = "clas"; },
                   "GET /v1/organisations/org-1/groups?limit=2", "[1] (id g-2b)", "kind",
                   "unknown value 'clas' (expected class, kindergarten_group or association)"},
        RecordCase{"PhoneInTheRolesColumn",
                   [](JournalData& d) { d.persons[0]["roles"] = {testing::tiny_phone}; },
                   persons + "?limit=2", "[0] (id p-1)", "roles[0]",
                   "unknown value (expected student, parent or staff)"},
        RecordCase{"EmailInADateColumn",
                   [](JournalData& d) { d.persons[1]["birth_date"] = testing::tiny_email; },
                   persons + "?limit=2", "[1] (id p-2)", "birth_date",
                   "not a valid date (expected YYYY-MM-DD)"},
        RecordCase{"DuplicateIdAcrossPages", [](JournalData& d) { d.persons.push_back(d.persons[0]); },
                   "/v1/organisations/org-1/persons", "[5] (id p-1)", "id",
                   "duplicate id (first at [0])"},
        RecordCase{"EnrolmentOfAnUnknownPerson",
                   [](JournalData& d) { d.enrollments[2]["person_id"] = "p-404"; },
                   "/v1/organisations/org-1/enrollments", "[2] (person p-404, group g-1a)",
                   "person_id", "unknown person p-404 (not in the persons list)"},
        RecordCase{"DuplicateRelation",
                   [](JournalData& d) { d.relations.push_back(d.relations[0]); },
                   "/v1/organisations/org-1/relations", "[2] (parent p-3, child p-1)", "",
                   "duplicate of [0] (equal in every field)"},
        RecordCase{"ItemNotAnObject",
                   [](JournalData& d) { d.enrollments[4] = "p-5 g-1a"; },
                   "GET /v1/organisations/org-1/enrollments?cursor=4%40v1&limit=2", "[4]", "",
                   "expected an object, found string"}),
    [](const auto& test) { return test.param.name; });

TEST(HttpJournal, ListsEveryBadRecordOfTheFetchInOneError) {
  JournalData data = testing::tiny_journal();
  data.groups[0]["grade"] = 12;
  data.persons[2]["platform_user_id"] = "1001";
  data.relations[1]["kind"] = nullptr;
  FakeJournalServer server(data);
  HttpJournal journal(testing::fast_options(server.base_url()));

  const JournalAnswerError error = fetch_error(journal);

  ASSERT_EQ(error.problems().size(), 3U) << error.what();
  const std::string what = error.what();
  EXPECT_EQ(what.rfind("3 problems in the journal's answer:", 0), 0U) << what;
  EXPECT_NE(what.find("GET /v1/organisations/org-1/groups?limit=500[0] (id g-1a): grade: out of "
                      "range (expected 1..11)"),
            std::string::npos)
      << what;
  EXPECT_NE(what.find("[2] (id p-3): platform_user_id: expected an integer, found string"),
            std::string::npos)
      << what;
  EXPECT_NE(what.find("[1] (parent p-3, child p-2): kind: must not be null"), std::string::npos)
      << what;
}

}  // namespace
}  // namespace rosterd::adapters::journal_http
