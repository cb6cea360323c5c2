// /sim/advance: generated days, and scenario events that change exactly what they say.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "sim_process.h"

namespace rosterd::sim::journal::test {
namespace {

using mapping::EnrolmentRole;

// What changed in one list between two fetches: items gone and items new, as JSON text.
struct ListChange {
  std::multiset<std::string> removed;
  std::multiset<std::string> added;
  friend bool operator==(const ListChange&, const ListChange&) = default;
};

std::multiset<std::string> texts(const json& items) {
  std::multiset<std::string> out;
  for (const auto& item : items) out.insert(item.dump());
  return out;
}

ListChange change(const json& before, const json& after) {
  const auto b = texts(before);
  const auto a = texts(after);
  ListChange out;
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(),
                      std::inserter(out.removed, out.removed.end()));
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(),
                      std::inserter(out.added, out.added.end()));
  return out;
}

void PrintTo(const ListChange& c, std::ostream* os) {
  *os << "removed:";
  for (const auto& r : c.removed) *os << "\n  " << r;
  *os << "\nadded:";
  for (const auto& a : c.added) *os << "\n  " << a;
}

constexpr std::array<const char*, 4> lists = {"groups", "persons", "enrollments", "relations"};

// The scenario runs on 2026-09-10: first days from, last days default to 2026-09-09.
class Scenario : public ::testing::Test {
 protected:
  void SetUp() override {
    client_.advance({{"days", 9}, {"movement", false}});
    before_ = client_.fetch_org("sch-a");
  }

  // Applies the events and checks every list of sch-a changed exactly as `expected` says
  // (lists it does not name must not change), and sch-b not at all.
  void expect_changes(const json& events, const std::map<std::string, ListChange>& expected) {
    const auto other = client_.fetch_org("sch-b");
    const auto answer = client_.advance({{"scenario", events}});
    EXPECT_EQ(answer["changed"], json::array({"sch-a"}));
    const auto after = client_.fetch_org("sch-a");
    EXPECT_NE(after["etag"], before_["etag"]);
    EXPECT_EQ(after["organisation"], before_["organisation"]);
    for (const char* list : lists) {
      const auto it = expected.find(list);
      EXPECT_EQ(change(before_[list], after[list]),
                it == expected.end() ? ListChange{} : it->second)
          << list;
    }
    EXPECT_EQ(client_.fetch_org("sch-b"), other);
  }

  // An item of a list by a predicate on it; fails the test when there is none.
  json find(const char* list, const std::function<bool(const json&)>& pick) const {
    for (const auto& item : before_[list]) {
      if (pick(item)) return item;
    }
    ADD_FAILURE() << "no such item in " << list;
    return json::object();
  }
  json open_enrolment(const std::string& role) const {
    return find("enrollments",
                [&](const json& e) { return e["role"] == role && e["to"].is_null(); });
  }
  json person(const std::string& id) const {
    return find("persons", [&](const json& p) { return p["id"] == id; });
  }

  DataDir data_;
  SimProcess sim_{data_};
  Client client_{sim_.port()};
  json before_;
};

ListChange replaced(const json& old_item, const json& new_item) {
  return {{old_item.dump()}, {new_item.dump()}};
}

TEST_F(Scenario, WithdrawEndsTheStudentsEnrolmentYesterday) {
  const json e = open_enrolment("student");
  json ended = e;
  ended["to"] = "2026-09-09";
  ended["reason"] = "withdrawn";
  expect_changes(
      {{{"type", "withdraw"}, {"person_id", e["person_id"]}, {"group_id", e["group_id"]}}},
      {{"enrollments", replaced(e, ended)}});
}

TEST_F(Scenario, TransferMovesTheStudentOnTheDayAfterTheLastDay) {
  const json e = open_enrolment("student");
  const json target = find("groups", [&](const json& g) { return g["id"] != e["group_id"]; });
  json ended = e;
  ended["to"] = "2026-09-14";
  ended["reason"] = "transfer";
  const json moved = {{"person_id", e["person_id"]},
                      {"group_id", target["id"]},
                      {"role", "student"},
                      {"from", "2026-09-15"},
                      {"to", nullptr},
                      {"reason", "transfer"}};
  expect_changes({{{"type", "transfer"},
                   {"person_id", e["person_id"]},
                   {"from_group_id", e["group_id"]},
                   {"to_group_id", target["id"]},
                   {"last_day", "2026-09-14"}}},
                 {{"enrollments", {{e.dump()}, {ended.dump(), moved.dump()}}}});
}

TEST_F(Scenario, ClassTeacherReplacesTheLeaderFromTheGivenDay) {
  const json leader = open_enrolment("leader");
  const json teacher = find("persons", [&](const json& p) {
    return p["id"] != leader["person_id"] && p["positions"] == json::array({"teacher"});
  });
  json ended = leader;
  ended["to"] = "2026-09-09";
  ended["reason"] = "replaced";
  const json appointed = {{"person_id", teacher["id"]},
                          {"group_id", leader["group_id"]},
                          {"role", "leader"},
                          {"from", "2026-09-10"},
                          {"to", nullptr},
                          {"reason", "appointed"}};
  expect_changes(
      {{{"type", "class_teacher"}, {"group_id", leader["group_id"]}, {"person_id", teacher["id"]}}},
      {{"enrollments", {{leader.dump()}, {ended.dump(), appointed.dump()}}}});
}

TEST_F(Scenario, TeacherLeavesEndsTheEmploymentAndEveryRunningDuty) {
  const json leader = open_enrolment("leader");
  const std::string id = leader["person_id"];
  ListChange duties;
  for (const auto& e : before_["enrollments"]) {
    if (e["person_id"] != id || !e["to"].is_null()) continue;
    json ended = e;
    ended["to"] = "2026-09-20";
    ended["reason"] = "left";
    duties.removed.insert(e.dump());
    duties.added.insert(ended.dump());
  }
  ASSERT_FALSE(duties.removed.empty());
  json left = person(id);
  left["employed_to"] = "2026-09-20";
  expect_changes({{{"type", "teacher_leaves"}, {"person_id", id}, {"last_day", "2026-09-20"}}},
                 {{"persons", replaced(person(id), left)}, {"enrollments", duties}});
}

TEST_F(Scenario, LinkAccountSetsThePlatformUserIdAndNothingElse) {
  const json unlinked =
      find("persons", [](const json& p) { return p["platform_user_id"].is_null(); });
  json linked = unlinked;
  linked["platform_user_id"] = 5550001;
  expect_changes(
      {{{"type", "link_account"}, {"person_id", unlinked["id"]}, {"platform_user_id", 5550001}}},
      {{"persons", replaced(unlinked, linked)}});
}

TEST_F(Scenario, EnrolAddsTheNewStudentTheirParentAndTheRelation) {
  const json group = before_["groups"][0];
  const json child = {
      {"id", "sch-a:new-1"},        {"roles", {"student"}},     {"last_name", "Новикова"},
      {"first_name", "Ева"},        {"middle_name", nullptr},   {"birth_date", "2018-05-01"},
      {"phone", nullptr},           {"email", nullptr},         {"platform_user_id", nullptr},
      {"positions", json::array()}, {"employed_from", nullptr}, {"employed_to", nullptr}};
  json mother = child;
  mother["id"] = "sch-a:new-2";
  mother["roles"] = {"parent"};
  mother["first_name"] = "Ольга";
  mother["birth_date"] = nullptr;
  mother["phone"] = "+79990001122";
  const json enrolment = {
      {"person_id", "sch-a:new-1"}, {"group_id", group["id"]}, {"role", "student"},
      {"from", "2026-09-10"},       {"to", nullptr},           {"reason", "enrolled"}};
  const json relation = {
      {"parent_id", "sch-a:new-2"}, {"child_id", "sch-a:new-1"}, {"kind", "mother"}};
  expect_changes({{{"type", "enrol"},
                   {"person", child},
                   {"group_id", group["id"]},
                   {"parents", {{{"person", mother}, {"kind", "mother"}}}}}},
                 {{"persons", {{}, {child.dump(), mother.dump()}}},
                  {"enrollments", {{}, {enrolment.dump()}}},
                  {"relations", {{}, {relation.dump()}}}});
}

TEST_F(Scenario, AnEventThatCannotBeAppliedChangesNothingAndIsNamed) {
  const json unlinked =
      find("persons", [](const json& p) { return p["platform_user_id"].is_null(); });
  const auto result = client_.post(
      "/sim/advance",
      {{"scenario",
        {{{"type", "link_account"}, {"person_id", unlinked["id"]}, {"platform_user_id", 9}},
         {{"type", "withdraw"},
          {"person_id", "sch-a:nobody"},
          {"group_id", before_["groups"][0]["id"]}}}}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_NE(result->body.find("scenario[1]"), std::string::npos) << result->body;
  EXPECT_EQ(client_.fetch_org("sch-a"), before_);
  EXPECT_EQ(client_.post("/sim/advance", {{"scenario", {{{"type", "graduate"}}}}})->status, 400);
  EXPECT_EQ(client_.post("/sim/advance", json::object())->status, 400);
}

TEST(JournalAdvance, ADayOfMovementChangesTheRosterAndTheSameSeedGivesTheSameDay) {
  DataDir data;
  SimProcess first(data, {"--seed", "5"});
  SimProcess second(data, {"--seed", "5"});
  SimProcess other_seed(data, {"--seed", "6"});
  Client a(first.port());
  Client b(second.port());
  Client c(other_seed.port());
  const auto before = a.fetch_org("sch-a");
  for (Client* client : {&a, &b, &c}) {
    const auto answer = client->advance({{"days", 2}});
    EXPECT_EQ(answer["day"], "2026-09-03");
    EXPECT_EQ(answer["changed"], json::array({"sch-a", "sch-b"}));
  }
  auto after = a.fetch_org("sch-a");
  const auto etag = after["etag"];
  EXPECT_NE(etag, before["etag"]);
  EXPECT_EQ(after["organisation"], before["organisation"]);
  after.erase("etag");
  const auto lists_of = [](json fetched) {
    fetched.erase("etag");
    return fetched;
  };
  EXPECT_NE(after, lists_of(before));
  EXPECT_EQ(lists_of(b.fetch_org("sch-a")), after);
  EXPECT_NE(lists_of(c.fetch_org("sch-a")), after);
  const auto state = a.get_json("/sim/state");
  EXPECT_EQ(state["day"], "2026-09-03");
  EXPECT_EQ(state["organisations"][0]["counts"]["persons"], after["persons"].size());
}

}  // namespace
}  // namespace rosterd::sim::journal::test
