// Cursor paging: every record exactly once, consistent cursors, a pinned snapshot.
#include "sim/journal/paging.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "sim_process.h"

namespace rosterd::sim::journal::test {
namespace {

// A record's identity as the test sees it, from the roster it generated itself.
template <typename Record>
std::string key_of(const Record& r);
template <>
std::string key_of(const mapping::Group& g) {
  return g.id;
}
template <>
std::string key_of(const mapping::Person& p) {
  return p.id;
}
template <>
std::string key_of(const mapping::Enrolment& e) {
  return e.person_id + "|" + e.group_id + "|" + std::string(mapping::name(e.role)) + "|" +
         (e.from ? e.from->iso() : "");
}
template <>
std::string key_of(const mapping::Relation& r) {
  return r.parent_id + "|" + r.child_id + "|" + std::string(mapping::name(r.kind));
}

std::string key_of_item(const std::string& list, const json& item) {
  if (list == "groups" || list == "persons") return item.at("id");
  if (list == "enrollments") {
    return item.at("person_id").get<std::string>() + "|" + item.at("group_id").get<std::string>() +
           "|" + item.at("role").get<std::string>() + "|" +
           (item.at("from").is_null() ? "" : item.at("from").get<std::string>());
  }
  return item.at("parent_id").get<std::string>() + "|" + item.at("child_id").get<std::string>() +
         "|" + item.at("kind").get<std::string>();
}

template <typename Record>
std::multiset<std::string> keys(const std::vector<Record>& records) {
  std::multiset<std::string> out;
  for (const auto& r : records) out.insert(key_of(r));
  return out;
}

std::multiset<std::string> expected_keys(const mapping::Roster& r, const std::string& list) {
  if (list == "groups") return keys(r.groups);
  if (list == "persons") return keys(r.persons);
  if (list == "enrollments") return keys(r.enrolments);
  return keys(r.relations);
}

struct PagingCase {
  std::string list;
  std::size_t limit;
};

class Paging : public ::testing::TestWithParam<PagingCase> {
 protected:
  static void SetUpTestSuite() {
    data_ = new DataDir;
    sim_ = new SimProcess(*data_);
  }
  static void TearDownTestSuite() {
    delete sim_;
    delete data_;
  }
  static DataDir* data_;
  static SimProcess* sim_;
};
DataDir* Paging::data_ = nullptr;
SimProcess* Paging::sim_ = nullptr;

TEST_P(Paging, ReturnsEveryRecordExactlyOnceWithTheOrganisationsETagOnEveryPage) {
  const auto& [list, limit] = GetParam();
  Client client(sim_->port());
  const auto etag = client.get("/v1/organisations/sch-a")->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  const auto items = client.fetch_all("/v1/organisations/sch-a/" + list, limit, etag);
  std::multiset<std::string> seen;
  for (const auto& item : items) seen.insert(key_of_item(list, item));
  const auto expected = expected_keys(data_->roster("sch-a"), list);
  ASSERT_GT(expected.size(), limit) << "the case must span several pages";
  EXPECT_EQ(seen, expected);
}

INSTANTIATE_TEST_SUITE_P(ListsAndLimits, Paging,
                         ::testing::Values(PagingCase{"groups", 1}, PagingCase{"groups", 3},
                                           PagingCase{"persons", 7}, PagingCase{"persons", 50},
                                           PagingCase{"enrollments", 9},
                                           PagingCase{"relations", 11}),
                         [](const auto& test) {
                           return test.param.list + "_" + std::to_string(test.param.limit);
                         });

TEST(JournalPaging, UsesThePageSizeAsTheDefaultLimitAndAnswersAListShorterThanItInOnePage) {
  DataDir data;
  SimProcess sim(data, {"--page-size", "5"});
  Client client(sim.port());
  const auto first = client.get_json("/v1/organisations/sch-a/persons");
  EXPECT_EQ(first["items"].size(), 5u);
  EXPECT_TRUE(first["next_cursor"].is_string());
  const auto orgs = client.get_json("/v1/organisations");
  EXPECT_EQ(orgs["items"].size(), 2u);
  EXPECT_TRUE(orgs["next_cursor"].is_null());
}

TEST(JournalPaging, PagesTheOrganisationsListToo) {
  DataDir data;
  SimProcess sim(data);
  Client client(sim.port());
  std::vector<std::string> ids;
  for (const auto& org : client.fetch_all("/v1/organisations", 1)) ids.push_back(org["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"sch-a", "sch-b"}));
}

TEST(JournalPaging, RefusesABadLimitACursorOfAnotherListAndGarbageWith400) {
  DataDir data;
  SimProcess sim(data);
  Client client(sim.port());
  const auto page = client.get_json("/v1/organisations/sch-a/persons?limit=2");
  const std::string cursor = page["next_cursor"];
  for (const std::string& path : std::vector<std::string>{
           "/v1/organisations/sch-a/persons?limit=0", "/v1/organisations/sch-a/persons?limit=x",
           "/v1/organisations/sch-a/groups?cursor=" + cursor,
           "/v1/organisations/sch-b/persons?cursor=" + cursor,
           "/v1/organisations/sch-a/persons?cursor=zz"}) {
    const auto result = client.get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 400) << path;
  }
}

TEST(JournalPaging, ClampsALimitAboveTheMaximum) {
  DataDir data;
  SimProcess sim(data);
  Client client(sim.port());
  const auto page = client.get_json("/v1/organisations/sch-a/persons?limit=5000");
  EXPECT_EQ(page["items"].size(), data.roster("sch-a").persons.size());
  EXPECT_LE(page["items"].size(), max_page_size);
}

TEST(JournalPaging, AStaleCursorIsAnswered409SnapshotChanged) {
  DataDir data;
  SimProcess sim(data);
  Client client(sim.port());
  const auto page = client.get_json("/v1/organisations/sch-a/persons?limit=10");
  const std::string cursor = page["next_cursor"];
  client.advance({{"scenario",
                   {{{"type", "link_account"},
                     {"person_id", data.roster("sch-a").persons.front().id},
                     {"platform_user_id", 424242}}}}});
  const auto stale = client.get("/v1/organisations/sch-a/persons?limit=10&cursor=" + cursor);
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 409);
  EXPECT_EQ(json::parse(stale->body), json({{"error", "snapshot_changed"}}));
  // Another organisation's cursor is not pinned to this change.
  const auto other = client.get_json("/v1/organisations/sch-b/persons?limit=10");
  EXPECT_EQ(client
                .get("/v1/organisations/sch-b/persons?limit=10&cursor=" +
                     other["next_cursor"].get<std::string>())
                ->status,
            200);
}

TEST(JournalCursor, DecodesWhatItEncodedAndNothingElse) {
  const Cursor cursor{"org|1", "persons", 1500, 7};
  EXPECT_EQ(decode_cursor(encode_cursor(cursor)), cursor);
  EXPECT_EQ(decode_cursor(""), std::nullopt);
  EXPECT_EQ(decode_cursor("abc"), std::nullopt);
  EXPECT_EQ(decode_cursor("6a63317c"), std::nullopt);  // "jc1|"
}

}  // namespace
}  // namespace rosterd::sim::journal::test
