#include "adapters/snapshot/snapshot.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace rosterd::adapters::snapshot {
namespace {

using mapping::Date;

mapping::AppliedState sample_state(const std::string& org_id) {
  mapping::AppliedState state;
  state.org_id = org_id;
  mapping::AppliedChat chat;
  chat.key = "class:g-5a";
  chat.kind = mapping::ChatKind::class_chat;
  chat.group_id = "g-5a";
  chat.chat_id = 4211;
  chat.title = "5А — класс";
  chat.members = {
      {"p-1", 9000000001, mapping::MemberRole::admin, mapping::MemberOrigin::ours, std::nullopt},
      {"p-2", std::nullopt, mapping::MemberRole::member, mapping::MemberOrigin::ours,
       Date::from_ymd(2026, 11, 20)},
      {"uid:77", 77, mapping::MemberRole::member, mapping::MemberOrigin::observed, std::nullopt},
  };
  chat.invites = {
      {mapping::MemberRole::member, "https://vk.me/join/abc", Date::from_ymd(2026, 9, 1)}};
  // Observed state: every value away from its default somewhere in the file.
  chat.observed_at = 1'795'000'123;
  chat.observed_title = "5А — переименован";
  chat.members_seen = 4'294'967'295;
  chat.members[1].presence = mapping::MemberPresence::removed;
  chat.members[1].presence_since = Date::from_ymd(2026, 11, 21);
  chat.members[2].presence = mapping::MemberPresence::left;
  chat.members[2].presence_since = Date::from_ymd(2026, 11, 22);
  chat.members.push_back(
      {"uid:78", 78, mapping::MemberRole::member, mapping::MemberOrigin::joined, std::nullopt});
  mapping::AppliedChat archived;
  archived.key = "parents:g-old";
  archived.kind = mapping::ChatKind::parents;
  archived.group_id = "g-old";
  archived.title = "Родители 11Б";
  archived.archived = true;
  archived.managed = false;
  archived.missing_since = Date::from_ymd(2026, 6, 30);
  archived.drift = mapping::ChatDrift::archived_by_hand;
  archived.observed_title = "";
  mapping::AppliedChat deleted = archived;
  deleted.key = "parents:g-older";
  deleted.drift = mapping::ChatDrift::deleted_by_hand;
  deleted.observed_at = 0;
  state.chats = {chat, archived, deleted};
  state.last_good_counts = mapping::SourceCounts{30, 2200, 900, 1300, 28};
  return state;
}

TEST(Snapshot, RoundTripsEveryFieldOfSeveralSchools) {
  Snapshot original;
  original.put(sample_state("sch-0001"));
  auto second = sample_state("sch-0002");
  second.last_good_counts.reset();
  second.chats.pop_back();
  original.put(second);

  const auto text = format_snapshot(original);
  const auto parsed = parse_snapshot(text, "applied.json");

  EXPECT_EQ(parsed.schools, original.schools);
  EXPECT_EQ(format_snapshot(parsed), text);
}

TEST(Snapshot, GivesAnEmptyStateForASchoolTheFileDoesNotHold) {
  Snapshot snapshot;
  snapshot.put(sample_state("sch-0001"));
  const auto state = snapshot.school("sch-0009");
  EXPECT_EQ(state.org_id, "sch-0009");
  EXPECT_TRUE(state.chats.empty());
  EXPECT_FALSE(state.last_good_counts.has_value());
}

TEST(Snapshot, SortsChatsAndMembersAndFillsOptionalFields) {
  const auto parsed = parse_snapshot(R"({"format": "rosterd-applied/1", "schools": {"s": {"chats": [
      {"key": "staff:s", "kind": "staff", "group_id": "s", "title": "Педагоги"},
      {"key": "class:g1", "kind": "class", "group_id": "g1", "title": "1А",
       "members": [{"person_id": "p9", "role": "member"}, {"person_id": "p1", "role": "admin"}]}
  ]}}})",
                                     "t");
  const auto state = parsed.school("s");
  ASSERT_EQ(state.chats.size(), 2U);
  EXPECT_EQ(state.chats[0].key, "class:g1");
  EXPECT_EQ(state.chats[0].members[0].person_id, "p1");
  EXPECT_EQ(state.chats[1].chat_id, std::nullopt);
  EXPECT_TRUE(state.chats[1].managed);
  EXPECT_FALSE(state.chats[1].archived);
  EXPECT_EQ(state.chats[0].members[1].origin, mapping::MemberOrigin::ours);
  // A snapshot written before rosterd observed the platform: nothing seen yet.
  EXPECT_EQ(state.chats[1].observed_at, std::nullopt);
  EXPECT_EQ(state.chats[1].observed_title, std::nullopt);
  EXPECT_EQ(state.chats[1].drift, mapping::ChatDrift::none);
  EXPECT_EQ(state.chats[1].members_seen, 0U);
  EXPECT_EQ(state.chats[0].members[1].presence, mapping::MemberPresence::present);
  EXPECT_EQ(state.chats[0].members[1].presence_since, std::nullopt);
}

TEST(Snapshot, ReadsTheObservedFieldsAsWritten) {
  const auto parsed = parse_snapshot(R"({"format": "rosterd-applied/1", "schools": {"s": {"chats": [
      {"key": "class:g1", "kind": "class", "group_id": "g1", "title": "1А",
       "observed_at": 1795000123, "observed_title": "1А — старое", "drift": "deleted_by_hand",
       "members_seen": 2,
       "members": [{"person_id": "uid:5", "role": "member", "origin": "joined",
                    "presence": "left", "presence_since": "2026-11-30"}]}
  ]}}})",
                                     "t");
  const auto chat = parsed.school("s").chats.at(0);
  EXPECT_EQ(chat.observed_at, 1'795'000'123);
  EXPECT_EQ(chat.observed_title, "1А — старое");
  EXPECT_EQ(chat.drift, mapping::ChatDrift::deleted_by_hand);
  EXPECT_EQ(chat.members_seen, 2U);
  const auto& m = chat.members.at(0);
  EXPECT_EQ(m.origin, mapping::MemberOrigin::joined);
  EXPECT_EQ(m.presence, mapping::MemberPresence::left);
  EXPECT_EQ(m.presence_since, Date::from_ymd(2026, 11, 30));
}

struct BadSnapshot {
  std::string name;
  std::string json;
  std::string expected;  // the message after "bad.json: "
};

void PrintTo(const BadSnapshot& bad, std::ostream* out) {
  *out << bad.name;
}

class SnapshotErrors : public ::testing::TestWithParam<BadSnapshot> {};

std::string one_chat(const std::string& chat_fields) {
  return R"({"format": "rosterd-applied/1", "schools": {"sch-0001": {"chats": [)"
         R"({"key": "class:g1", "kind": "class", "group_id": "g1", "title": "1А"},)"
         R"({"key": "class:g2", "kind": "class", "group_id": "g2", "title": "2А")" +
         chat_fields + "}]}}}";
}

TEST_P(SnapshotErrors, NameTheFileAndTheJsonPath) {
  try {
    (void)parse_snapshot(GetParam().json, "bad.json");
    FAIL() << "no error for " << GetParam().name;
  } catch (const SnapshotError& e) {
    EXPECT_EQ(std::string{e.what()}, "bad.json: " + GetParam().expected);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Snapshot, SnapshotErrors,
    ::testing::Values(
        BadSnapshot{"bad_role", one_chat(R"(, "members": [{"person_id": "p1", "role": "owner"}])"),
                    "schools.sch-0001.chats[1].members[0].role: must be one of member, admin"},
        BadSnapshot{
            "missing_person",
            one_chat(R"(, "members": [{"person_id": "p1", "role": "admin"}, {"role": "admin"}])"),
            "schools.sch-0001.chats[1].members[1].person_id: missing"},
        BadSnapshot{"bad_date", one_chat(R"(, "missing_since": "2026-13-01")"),
                    "schools.sch-0001.chats[1].missing_since: must be a date YYYY-MM-DD or null"},
        BadSnapshot{"unknown_key", one_chat(R"(, "archieved": true)"),
                    "schools.sch-0001.chats[1].archieved: unknown key"},
        BadSnapshot{"bad_kind",
                    R"({"format": "rosterd-applied/1", "schools": {"s": {"chats": [
                       {"key": "club:g1", "kind": "club", "group_id": "g1", "title": "1А"}]}}})",
                    "schools.s.chats[0].kind: must be one of class, parents, association, staff"},
        BadSnapshot{"chat_id_text", one_chat(R"(, "chat_id": "12")"),
                    "schools.sch-0001.chats[1].chat_id: must be an integer"},
        BadSnapshot{
            "invite_without_date",
            one_chat(R"(, "invites": [{"role": "member", "link": "https://vk.me/join/secret"}])"),
            "schools.sch-0001.chats[1].invites[0].issued_on: missing"},
        BadSnapshot{
            "duplicate_member",
            one_chat(
                R"(, "members": [{"person_id": "p1", "role": "admin"}, {"person_id": "p1", "role": "member"}])"),
            "schools.sch-0001.chats[1].members: person p1 appears twice"},
        BadSnapshot{"duplicate_chat",
                    R"({"format": "rosterd-applied/1", "schools": {"s": {"chats": [
                       {"key": "class:g1", "kind": "class", "group_id": "g1", "title": "1А"},
                       {"key": "class:g1", "kind": "class", "group_id": "g1", "title": "1А"}]}}})",
                    "schools.s.chats: chat class:g1 appears twice"},
        BadSnapshot{"negative_count",
                    R"({"format": "rosterd-applied/1", "schools": {"s": {"last_good_counts":
                       {"groups": -1, "persons": 0, "enrolments": 0, "relations": 0}}}})",
                    "schools.s.last_good_counts.groups: must be an integer >= 0"},
        BadSnapshot{"bad_drift", one_chat(R"(, "drift": "stolen")"),
                    "schools.sch-0001.chats[1].drift: must be one of none, archived_by_hand, "
                    "deleted_by_hand"},
        BadSnapshot{
            "bad_origin",
            one_chat(R"(, "members": [{"person_id": "p1", "role": "member", "origin": "guest"}])"),
            "schools.sch-0001.chats[1].members[0].origin: must be one of ours, observed, "
            "joined"},
        BadSnapshot{
            "bad_presence",
            one_chat(R"(, "members": [{"person_id": "p1", "role": "member", "presence": "away"}])"),
            "schools.sch-0001.chats[1].members[0].presence: must be one of present, removed, left"},
        BadSnapshot{
            "bad_presence_since",
            one_chat(
                R"(, "members": [{"person_id": "p1", "role": "member", "presence_since": 5}])"),
            "schools.sch-0001.chats[1].members[0].presence_since: must be a date YYYY-MM-DD or "
            "null"},
        BadSnapshot{"negative_members_seen", one_chat(R"(, "members_seen": -1)"),
                    "schools.sch-0001.chats[1].members_seen: must be an integer from 0 to "
                    "4294967295"},
        BadSnapshot{"huge_members_seen", one_chat(R"(, "members_seen": 4294967296)"),
                    "schools.sch-0001.chats[1].members_seen: must be an integer from 0 to "
                    "4294967295"},
        BadSnapshot{"observed_at_text", one_chat(R"(, "observed_at": "yesterday")"),
                    "schools.sch-0001.chats[1].observed_at: must be an integer"},
        BadSnapshot{"observed_title_number", one_chat(R"(, "observed_title": 5)"),
                    "schools.sch-0001.chats[1].observed_title: must be a string or null"},
        BadSnapshot{"wrong_format", R"({"format": "rosterd-plan/1", "schools": {}})",
                    "format: must be \"rosterd-applied/1\""},
        BadSnapshot{"schools_array", R"({"format": "rosterd-applied/1", "schools": []})",
                    "schools: must be an object"},
        BadSnapshot{"not_an_object", R"([1, 2])", "(top level): must be an object"},
        BadSnapshot{"malformed_json", "{\"format\": \"rosterd-applied/1\",\n  \"schools\": {,}}",
                    "malformed JSON at line 2, column 15"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Snapshot, NeverQuotesAValueInAnError) {
  const auto text = one_chat(
      R"(, "invites": [{"role": "https://vk.me/join/secret", "issued_on": "2026-09-01"}])");
  try {
    (void)parse_snapshot(text, "bad.json");
    FAIL();
  } catch (const SnapshotError& e) {
    EXPECT_EQ(std::string{e.what()}.find("secret"), std::string::npos) << e.what();
  }
}

class SnapshotFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rosterd-snapshot-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(SnapshotFile, IsWrittenIntoANewFolderAndReadBack) {
  Snapshot original;
  original.put(sample_state("sch-0001"));
  const auto file = dir_ / "nested" / "applied.json";
  write_snapshot(file, original);
  EXPECT_EQ(read_snapshot(file).schools, original.schools);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(file.parent_path()),
                          std::filesystem::directory_iterator{}),
            1)
      << "the file written aside was left behind";
}

TEST_F(SnapshotFile, ThatIsMissingIsAnErrorNamingIt) {
  const auto file = dir_ / "absent.json";
  try {
    (void)read_snapshot(file);
    FAIL();
  } catch (const SnapshotError& e) {
    EXPECT_EQ(std::string{e.what()}, file.string() + ": cannot open");
  }
}

}  // namespace
}  // namespace rosterd::adapters::snapshot
