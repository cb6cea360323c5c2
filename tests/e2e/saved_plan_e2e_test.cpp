// `rosterd plan --out FILE`, then `rosterd apply FILE`, against a real platform-sim: the apply
// makes exactly the writes the saved plan lists and the platform ends as the test's own model
// of the journal says; a second apply of the same file refuses and sends nothing; so does an
// apply after the journal changed (an export edited, or journal-sim's day advanced).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>

#include "generator/generator.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;
using nlohmann::json;

const Date kStart = *Date::parse("2026-09-01");

mapping::Roster small_school(std::uint64_t seed) {
  return generator::make_school("sch-0001", seed, kStart, {.classes = 4, .students_per_class = 6});
}

unsigned mode_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 07777;
  return st.st_mode & 07777;
}

// The saved plan's actions that reach the platform (not held, not an adoption), by type.
std::map<std::string, int> platform_writes(const json& saved) {
  std::map<std::string, int> out;
  for (const auto& school : saved.at("schools")) {
    for (const auto& a : school.at("actions")) {
      if (!a.at("held").get<bool>() && a.at("type") != "adopt_chat")
        ++out[a.at("type").get<std::string>()];
    }
  }
  return out;
}

int total(const std::map<std::string, int>& counts) {
  int n = 0;
  for (const auto& [_, c] : counts) n += c;
  return n;
}

TEST(SavedPlanEndToEnd, ApplyMakesExactlyThePlannedWritesAndASecondApplyRefuses) {
  World w;
  const auto roster = small_school(17);
  w.write_journal(roster);
  const auto file = w.dir() / "plan.json";

  const auto planned =
      w.rosterd({"plan", "--today", kStart.iso(), "--out", file.string(), "--lang", "en"});
  ASSERT_EQ(planned.status, 0) << planned.output;
  EXPECT_EQ(w.stats()["writes"], 0) << "planning writes nothing";
  EXPECT_EQ(mode_of(file), 0600u);
  const auto saved = json::parse(testing::read_file(file));
  EXPECT_EQ(saved["format"], "rosterd-saved-plan/1");
  const auto writes = platform_writes(saved);
  ASSERT_GT(writes.at("create_chat"), 0);

  // The saved file holds nobody's phone number or e-mail (the generator gives people both).
  const auto text = testing::read_file(file);
  std::size_t contacts = 0;
  for (const auto& p : roster.persons) {
    for (const auto* contact : {&p.phone, &p.email}) {
      if (contact->empty()) continue;
      ++contacts;
      EXPECT_EQ(text.find(*contact), std::string::npos) << p.id;
    }
  }
  EXPECT_GT(contacts, 0u) << "the test needs people with contacts";

  const auto applied = w.rosterd({"apply", file.string(), "--lang", "en"});
  ASSERT_EQ(applied.status, 0) << applied.output;
  const auto after = w.stats();
  EXPECT_EQ(after["writes"].get<int>(), total(writes)) << after.dump();
  EXPECT_EQ(after["by_method"]["messages.createChat"].get<int>(), writes.at("create_chat"));
  // 4 classes x (class chat + parents' chat) + the staff chat, as the test's model says.
  EXPECT_EQ(writes.at("create_chat"), 9);
  const auto want = expected_view(w, roster.org.id, kStart);
  const auto got = observed_view(w.state());
  EXPECT_EQ(describe_difference(want, got), "");
  EXPECT_EQ(got.live.size(), want.live.size());

  // The store moved on with the apply: the same file is refused, and nothing is sent.
  const auto again = w.rosterd({"apply", file.string(), "--lang", "en"});
  EXPECT_EQ(again.status, 3) << again.output;
  EXPECT_NE(again.output.find("sch-0001: refused: the store changed since the plan"),
            std::string::npos)
      << again.output;
  EXPECT_EQ(again.output.find("journal changed"), std::string::npos) << again.output;
  EXPECT_EQ(w.stats()["requests"], after["requests"]) << "a refused apply calls nothing";
  EXPECT_EQ(w.stats()["writes"], after["writes"]);

  // A new plan over the converged platform is empty, and applying it is allowed once.
  const auto file2 = w.dir() / "plan2.json";
  ASSERT_EQ(w.rosterd({"plan", "--today", kStart.iso(), "--out", file2.string()}).status, 0);
  EXPECT_EQ(total(platform_writes(json::parse(testing::read_file(file2)))), 0);
  const auto empty = w.rosterd({"apply", file2.string(), "--lang", "en"});
  EXPECT_EQ(empty.status, 0) << empty.output;
  EXPECT_EQ(w.stats()["writes"], after["writes"]);
}

TEST(SavedPlanEndToEnd, RefusesWhenTheExportChangedSinceThePlan) {
  World w;
  auto roster = small_school(18);
  w.write_journal(roster);
  ASSERT_EQ(w.sync(kStart).status, 0);
  const auto file = w.dir() / "plan.json";
  const Date next = kStart.plus_days(1);
  roster = generator::next_day(roster, 181, next);
  w.write_journal(roster);
  ASSERT_EQ(w.rosterd({"plan", "--today", next.iso(), "--out", file.string()}).status, 0);
  // Edited again after the plan was made.
  roster = generator::next_day(roster, 182, next.plus_days(1));
  w.write_journal(roster);
  const auto before = w.stats();
  const auto applied = w.rosterd({"apply", file.string(), "--lang", "en"});
  EXPECT_EQ(applied.status, 3) << applied.output;
  EXPECT_NE(applied.output.find("sch-0001: refused: the journal changed since the plan"),
            std::string::npos)
      << applied.output;
  EXPECT_EQ(applied.output.find("store changed"), std::string::npos) << applied.output;
  EXPECT_EQ(w.stats()["requests"], before["requests"]);
  // In Russian by default.
  const auto russian = w.rosterd({"apply", file.string()});
  EXPECT_EQ(russian.status, 3);
  EXPECT_NE(russian.output.find("sch-0001: "), std::string::npos);
  EXPECT_EQ(russian.output.find("the journal changed"), std::string::npos) << russian.output;
  EXPECT_EQ(w.stats()["writes"], before["writes"]);
}

TEST(SavedPlanEndToEnd, RefusesWhenJournalSimMovedToTheNextDay) {
  const testing::TempFolder journal_dir("rosterd-saved-plan");
  JournalSim journal(journal_dir.path(), small_school(19));
  WorldOptions options;
  options.journal_url = journal.url();
  World w(options);
  const auto file = w.dir() / "plan.json";
  ASSERT_EQ(w.rosterd({"plan", "--today", kStart.iso(), "--out", file.string()}).status, 0);
  const auto saved = json::parse(testing::read_file(file));
  EXPECT_EQ(saved["schools"][0]["journal_version"].get<std::string>().rfind("etag:", 0), 0u)
      << "an HTTP journal's version is its ETag";
  journal.advance();
  const auto applied = w.rosterd({"apply", file.string(), "--lang", "en"});
  EXPECT_EQ(applied.status, 3) << applied.output;
  EXPECT_NE(applied.output.find("the journal changed since the plan"), std::string::npos)
      << applied.output;
  EXPECT_EQ(w.stats()["writes"], 0);
  EXPECT_TRUE(w.state()["chats"].empty());

  // Planned again from the journal as it is now, the plan applies and the platform follows it.
  ASSERT_EQ(w.rosterd({"plan", "--today", kStart.iso(), "--out", file.string()}).status, 0);
  const auto second = w.rosterd({"apply", file.string(), "--lang", "en"});
  ASSERT_EQ(second.status, 0) << second.output;
  const auto want =
      model_view(journal_from_sim_state(journal.roster()), kStart.iso(), kFallbackAdmin);
  EXPECT_EQ(describe_difference(want, observed_view(w.state())), "");
}

}  // namespace
}  // namespace rosterd::e2e
