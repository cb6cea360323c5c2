// Saved plans (daemon/saved_plan.h, SchoolSync::plan_dry / apply_saved): the file's format,
// and the cycle that applies a saved plan exactly or refuses it when the journal, the store or
// the settings moved on. The expected writes are worked out by hand from the roster (fakes.h
// five_a), as school_sync_test.cpp's are.
#include "daemon/saved_plan.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "daemon/sync.h"
#include "mapping/message.h"
#include "tests/daemon/fakes.h"
#include "tests/mapping/builders.h"
#include "tests/support/files.h"

namespace rosterd::daemon::testing {
namespace {

using mapping::CycleResult;
using mapping::testing::D;
namespace fs = std::filesystem;

// ---- The file ------------------------------------------------------------------------------

mapping::Action removal() {
  mapping::Action a;
  a.type = mapping::ActionType::remove_member;
  a.chat_key = "class:g5a";
  a.chat_kind = mapping::ChatKind::class_chat;
  a.group_id = "g5a";
  a.person_id = "s3";
  a.platform_user_id = 1003;
  a.reason = mapping::msg("test.left", "left {group}", {{"group", "5А"}});
  a.held = true;
  a.held_reason = "1 remove_member exceeds the share of 10 %";
  return a;
}

SavedPlan a_plan() {
  SavedSchoolPlan s;
  s.school_id = "org1";
  s.org_name = "Школа 1";
  s.today = D("2026-11-30");
  s.basis = {"etag:\"v-7\"", 12, "0123456789abcdef"};
  s.counts = mapping::SourceCounts{1, 4, 4, 0, 1};
  s.plan.org_id = "org1";
  s.plan.today = s.today;
  mapping::Action create;
  create.type = mapping::ActionType::create_chat;
  create.chat_key = "parents:g5a";
  create.chat_kind = mapping::ChatKind::parents;
  create.group_id = "g5a";
  create.title = "5А · родители · Школа 1";
  create.reason = "no parents' chat yet";
  mapping::Action adopt = create;
  adopt.type = mapping::ActionType::adopt_chat;
  adopt.chat_key = "class:g5a";
  adopt.chat_id = 500;
  s.plan.actions = {create, adopt, removal()};
  mapping::StateChange change;
  change.type = mapping::StateChangeType::rebind_chat;
  change.chat_key = "class:g4a";
  change.new_key = "class:g5a";
  change.new_group_id = "g5a";
  change.since = D("2026-09-01");
  change.reason = "4А became 5А";
  s.plan.state_changes = {change};
  mapping::AppliedChat seen;  // the chat adopted, as the plan's look saw it
  seen.key = "class:g5a";
  seen.group_id = "g5a";
  seen.chat_id = 500;
  seen.title = "5А";
  seen.observed_at = 1'790'000'000;
  seen.members_seen = 2;
  mapping::AppliedMember teacher;
  teacher.person_id = "t1";
  teacher.platform_user_id = 9001;
  teacher.role = mapping::MemberRole::admin;
  teacher.origin = mapping::MemberOrigin::observed;
  seen.members = {teacher};
  s.seen = {seen};
  SavedSchoolPlan failed;
  failed.school_id = "org2";
  failed.today = D("2026-11-30");
  failed.basis = {"content:00000000000000ff", 0, "fedcba9876543210"};
  failed.source_failure = true;
  failed.plan.org_id = "org2";
  failed.plan.today = failed.today;
  return {"2026-11-30T12:00:00Z", "/etc/rosterd/rosterd.json", {s, failed}};
}

// What a saved plan keeps of a school, field by field (findings and invite lists are for
// reading the plan, not for applying it, and are not saved).
void expect_same(const SavedPlan& got, const SavedPlan& want) {
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.config_file, want.config_file);
  ASSERT_EQ(got.schools.size(), want.schools.size());
  for (std::size_t i = 0; i < want.schools.size(); ++i) {
    const auto& g = got.schools[i];
    const auto& w = want.schools[i];
    SCOPED_TRACE(w.school_id);
    EXPECT_EQ(g.school_id, w.school_id);
    EXPECT_EQ(g.org_name, w.org_name);
    EXPECT_EQ(g.today, w.today);
    EXPECT_EQ(g.basis, w.basis);
    EXPECT_EQ(g.source_failure, w.source_failure);
    EXPECT_EQ(g.counts, w.counts);
    EXPECT_EQ(g.plan.org_id, w.plan.org_id);
    EXPECT_EQ(g.plan.today, w.plan.today);
    EXPECT_EQ(g.plan.actions, w.plan.actions);
    EXPECT_EQ(g.plan.state_changes, w.plan.state_changes);
    EXPECT_EQ(g.seen, w.seen);
  }
}

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 07777;
  return st.st_mode & 07777;
}

std::string error_of(const std::string& text) {
  try {
    (void)parse_saved_plan(text, "plan.json");
  } catch (const SavedPlanError& e) {
    return e.what();
  }
  return "";
}

TEST(SavedPlanFile, RoundTripsEveryField) {
  const auto plan = a_plan();
  expect_same(parse_saved_plan(format_saved_plan(plan), "plan.json"), plan);
}

TEST(SavedPlanFile, IsCreatedForItsOwnerOnlyAndReplacedWhole) {
  const auto previous = ::umask(022);
  const rosterd::testing::TempFolder dir;
  const auto file = dir.path() / "plan.json";
  std::ofstream(file) << "an older plan";
  ::chmod(file.c_str(), 0644);
  write_saved_plan(file, a_plan());
  ::umask(previous);
  EXPECT_EQ(mode_of(file), 0600u);
  expect_same(read_saved_plan(file), a_plan());
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1)
      << "no temporary file is left";
}

TEST(SavedPlanFile, RefusesAnotherFormatNamingTheFileAndTheField) {
  auto text = format_saved_plan(a_plan());
  text.replace(text.find("rosterd-saved-plan/1"), 20, "rosterd-saved-plan/2");
  const auto error = error_of(text);
  EXPECT_NE(error.find("plan.json: format: is \"rosterd-saved-plan/2\""), std::string::npos)
      << error;
}

TEST(SavedPlanFile, NamesTheFileAndTheFieldOfAMalformedDocument) {
  auto text = format_saved_plan(a_plan());
  text.replace(text.find("\"remove_member\""), 15, "\"remove_membr\"");
  EXPECT_NE(error_of(text).find("plan.json: schools[0].actions[2].type: not a known value"),
            std::string::npos)
      << error_of(text);
  text = format_saved_plan(a_plan());
  text.replace(text.find("\"store_version\": 12"), 19, "\"store_version\": \"12\"");
  EXPECT_NE(error_of(text).find("plan.json: schools[0].store_version"), std::string::npos)
      << error_of(text);
  EXPECT_NE(error_of("{\"format\": ").find("plan.json: malformed JSON at line 1"),
            std::string::npos);
  const rosterd::testing::TempFolder dir;
  try {
    (void)read_saved_plan(dir.path() / "missing.json");
    FAIL() << "read a missing file";
  } catch (const SavedPlanError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.json: cannot open"), std::string::npos);
  }
}

TEST(SavedPlanFile, IsNotWrittenForAPersonWhoseIdIsAContact) {
  auto plan = a_plan();
  plan.schools[0].plan.actions[2].person_id = "+79161234567";
  try {
    (void)format_saved_plan(plan);
    FAIL() << "a contact was saved";
  } catch (const SavedPlanError& e) {
    EXPECT_EQ(std::string(e.what()).find("79161234567"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("school org1"), std::string::npos) << e.what();
  }
}

// ---- The cycle -----------------------------------------------------------------------------

struct World {
  FakeDatabase db;
  FakePlatform platform;
  FakeJournal journal{five_a()};
  FakeStore store{db};

  SyncSettings settings() {
    SyncSettings s;
    s.org_id = "org1";
    s.rules.school.class_chats = {
        {mapping::ChatKind::class_chat, "{group.name} · {org.short_name}", false}};
    s.holder = "host-a:1:aaaaaa";
    s.batch_size = 25;
    s.now_iso = [] { return std::string("2026-11-30T12:00:10Z"); };
    return s;
  }
  SavedSchoolPlan plan(mapping::Date today) {
    SchoolSync sync(settings(), journal, platform, store);
    return sync.plan_dry(today).saved;
  }
  SyncResult apply(const SavedSchoolPlan& saved, SyncSettings s) {
    SchoolSync sync(std::move(s), journal, platform, store);
    return sync.apply_saved(saved, "2026-11-30T12:00:00Z");
  }
  SyncResult apply(const SavedSchoolPlan& saved) { return apply(saved, settings()); }
  FakeDatabase::School& school() { return db.schools["org1"]; }
};

// Before s3 left: the chat, its four members, then t1's admin right.
const std::vector<std::string> first_writes = {"create_chat 5А · Школа 1", "add_member 100 1001",
                                               "add_member 100 1002",      "add_member 100 1003",
                                               "add_member 100 9001",      "set_admin 100 9001"};

TEST(SavedPlanCycle, PlanningRecordsNothingAndApplyingMakesExactlyThePlannedWrites) {
  World w;
  const auto saved = w.plan(D("2026-11-10"));
  EXPECT_TRUE(w.platform.writes.empty());
  EXPECT_EQ(w.school().version, 0) << "a dry cycle records nothing";
  EXPECT_TRUE(w.school().runs.empty());
  EXPECT_EQ(saved.basis.journal_version.rfind("content:", 0), 0u) << "a source without ETags";
  EXPECT_EQ(saved.plan.actions.size(), first_writes.size());

  const auto applied = w.apply(saved);
  EXPECT_EQ(applied.result, CycleResult::ok) << applied.error;
  EXPECT_EQ(w.platform.writes, first_writes);
  ASSERT_EQ(w.school().runs.size(), 1u);
  EXPECT_EQ(w.school().log.size(), first_writes.size());
  EXPECT_TRUE(w.school().counts.has_value()) << "a clean apply keeps the baseline";
}

TEST(SavedPlanCycle, ASecondApplyOfTheSamePlanIsRefusedAndWritesNothing) {
  World w;
  const auto saved = w.plan(D("2026-11-10"));
  ASSERT_EQ(w.apply(saved).result, CycleResult::ok);
  const auto version = w.school().version;
  const auto again = w.apply(saved);
  EXPECT_TRUE(again.failed());
  EXPECT_TRUE(again.stale.store);
  EXPECT_FALSE(again.stale.journal);
  EXPECT_FALSE(again.stale.settings);
  EXPECT_EQ(w.platform.writes, first_writes);
  EXPECT_EQ(w.school().version, version);
  EXPECT_EQ(w.school().runs.size(), 1u);
}

TEST(SavedPlanCycle, RefusesWhenTheJournalOrTheSettingsChanged) {
  for (const bool etag : {false, true}) {
    SCOPED_TRACE(etag ? "HTTP journal" : "export folder");
    World w;
    w.journal.has_etag = etag;
    const auto saved = w.plan(D("2026-11-10"));
    auto other = five_a();
    other.persons[0].last_name += "а";  // any field: a content fingerprint sees it too
    w.journal.set(other);
    const auto refused = w.apply(saved);
    EXPECT_TRUE(refused.stale.journal);
    EXPECT_FALSE(refused.stale.store);
    EXPECT_TRUE(w.platform.writes.empty());
    EXPECT_EQ(w.school().version, 0);
  }
  World w;
  const auto saved = w.plan(D("2026-11-10"));
  auto settings = w.settings();
  settings.limits.max_removals = 1;
  const auto refused = w.apply(saved, settings);
  EXPECT_TRUE(refused.stale.settings);
  EXPECT_FALSE(refused.stale.journal);
  EXPECT_TRUE(w.platform.writes.empty());
}

TEST(SavedPlanCycle, AdoptsTheChatThePlatformMadeAsASyncWould) {
  World w;
  // The platform made 5А's chat from the journal: the class teacher and s1 are in it.
  w.platform.chats[42] = {"5А · Школа 1", false, {{9001, true}, {1001, false}}, 0};
  const auto saved = w.plan(D("2026-11-10"));
  ASSERT_FALSE(saved.plan.actions.empty());
  EXPECT_EQ(saved.plan.actions[0].type, mapping::ActionType::adopt_chat);
  EXPECT_TRUE(w.platform.writes.empty());
  EXPECT_TRUE(w.school().chats.empty()) << "planning records nothing";
  const auto applied =
      w.apply(parse_saved_plan(format_saved_plan({"2026-11-10T08:00:00Z", "rosterd.json", {saved}}),
                               "plan.json")
                  .schools[0]);
  EXPECT_EQ(applied.result, CycleResult::ok) << applied.error;
  // s2 and s3 join the chat the platform made; nobody else is written, no second chat.
  EXPECT_EQ(w.platform.writes,
            (std::vector<std::string>{"add_member 42 1002", "add_member 42 1003"}));
  EXPECT_EQ(w.platform.chats.size(), 1u);
  const auto& chat = w.school().chats.at("class:g5a");
  EXPECT_EQ(chat.chat_id, 42);
  std::vector<std::string> members;
  for (const auto& m : chat.members) members.push_back(m.person_id);
  EXPECT_EQ(members, (std::vector<std::string>{"s1", "s2", "s3", "t1"}));
  ASSERT_FALSE(w.school().log.empty());
  EXPECT_EQ(w.school().log.front().action.type, mapping::ActionType::adopt_chat);
}

TEST(SavedPlanCycle, AnApprovalAfterThePlanRefusesItAndHeldActionsStayHeld) {
  World w;
  ASSERT_EQ(w.apply(w.plan(D("2026-11-10"))).result, CycleResult::ok);
  // s3 left on 2026-11-20: removing one of four members exceeds the 10 % share: held.
  const auto saved = w.plan(D("2026-11-30"));
  ASSERT_EQ(saved.plan.actions.size(), 1u);
  EXPECT_TRUE(saved.plan.actions[0].held);
  const auto applied = w.apply(saved);
  EXPECT_EQ(applied.result, CycleResult::held) << applied.error;
  EXPECT_EQ(w.platform.writes, first_writes) << "a held action is not sent";
  ASSERT_EQ(w.school().held.size(), 1u);
  EXPECT_EQ(w.school().held[0].person_id, "s3");

  // Approved after this plan was made: that plan is out of date; a new one applies it.
  const auto stale = w.plan(D("2026-11-30"));
  ASSERT_EQ(w.store.approve_actions("org1", std::vector{mapping::action_id(w.school().held[0])}),
            1u);
  EXPECT_TRUE(w.apply(stale).stale.store);
  const auto fresh = w.plan(D("2026-11-30"));
  ASSERT_EQ(fresh.plan.actions.size(), 1u);
  EXPECT_FALSE(fresh.plan.actions[0].held);
  EXPECT_EQ(w.apply(fresh).result, CycleResult::ok);
  EXPECT_EQ(w.platform.writes.back(), "remove_member 100 1003");
  EXPECT_TRUE(w.school().approved.empty()) << "the approval is used up";
}

}  // namespace
}  // namespace rosterd::daemon::testing
