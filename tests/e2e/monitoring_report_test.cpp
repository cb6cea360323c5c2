// `rosterd report monitoring` and `rosterd report history` on a generated region synced against
// platform-sim: the figures equal the test's own count from the journal and /sim/state
// (monitoring_model.h); the CSV is what Excel in a Russian locale opens; the weeks follow
// `sync --today`; the history names people and chats and words reasons in the reader's language.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "adapters/store/store.h"
#include "generator/generator.h"
#include "mapping/message.h"
#include "tests/e2e/monitoring_model.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;
using nlohmann::json;

const Date kStart = *Date::parse("2026-09-01");
const Date kMonday = *Date::parse("2026-09-07");
const std::vector<std::string> kSchools = {"sch-0001", "sch-0002", "sch-0003"};

// Three schools; the third has one student a class, so its class chats hold three people
// (the student, the class teacher, rosterd's own user): not active.
std::map<std::string, mapping::Roster> region() {
  return {{"sch-0001",
           generator::make_school("sch-0001", 31, kStart, {.classes = 4, .students_per_class = 6})},
          {"sch-0002",
           generator::make_school("sch-0002", 32, kStart, {.classes = 3, .students_per_class = 5})},
          {"sch-0003", generator::make_school("sch-0003", 33, kStart,
                                              {.classes = 3, .students_per_class = 1})}};
}

json report(const World& w, std::vector<std::string> args) {
  args.insert(args.begin(), {"report", "monitoring", "--format", "json"});
  const auto run = w.rosterd(args);
  EXPECT_EQ(run.status, 0) << run.output;
  return json::parse(run.output);
}

void expect_counted(const json& got, const Counted& want, const std::string& what) {
  EXPECT_EQ(got.at("total").get<int>(), want.total) << what;
  EXPECT_EQ(got.at("in").get<int>(), want.in) << what;
}

void expect_figures(const json& now, const MonitoringCount& want, const std::string& who) {
  const json& chats = now.at("chats");
  EXPECT_EQ(chats.at("class").get<int>(), want.class_chats) << who;
  EXPECT_EQ(chats.at("parents").get<int>(), want.parents_chats) << who;
  EXPECT_EQ(chats.at("staff").get<int>(), want.staff_chats) << who;
  EXPECT_EQ(chats.at("managed").get<int>(), want.managed) << who;
  EXPECT_EQ(chats.at("active").get<int>(), want.active) << who;
  expect_counted(now.at("classes"), want.classes, who + " classes");
  expect_counted(now.at("students"), want.students, who + " students");
  expect_counted(now.at("parents"), want.parents, who + " parents");
  expect_counted(now.at("staff"), want.staff, who + " staff");
}

void add(MonitoringCount& into, const MonitoringCount& c) {
  into.class_chats += c.class_chats;
  into.parents_chats += c.parents_chats;
  into.staff_chats += c.staff_chats;
  into.managed += c.managed;
  into.active += c.active;
  for (Counted MonitoringCount::*k : {&MonitoringCount::classes, &MonitoringCount::students,
                                      &MonitoringCount::parents, &MonitoringCount::staff}) {
    (into.*k).total += (c.*k).total;
    (into.*k).in += (c.*k).in;
  }
}

TEST(MonitoringReport, CountsWhatTheJournalAndThePlatformShowPerSchoolAndForTheRegion) {
  World w({.extra_config = {{"schools", export_schools(kSchools)}}});
  for (const auto& [id, roster] : region()) w.write_journal(roster);
  const auto sync = w.sync(kMonday);
  ASSERT_EQ(sync.status, 0) << sync.output;

  const json got = report(w, {"--today", "2026-09-09"});
  EXPECT_EQ(got.at("week"), "2026-09-07");
  const json state = w.state();
  MonitoringCount region_count;
  std::set<std::string> seen;
  for (const auto& school : got.at("schools")) {
    const auto id = school.at("id").get<std::string>();
    seen.insert(id);
    const auto journal = read_export_journal(w.dir() / "export" / id);
    const auto want = count_monitoring(journal, state, kMonday.iso());
    EXPECT_EQ(school.at("name"), journal.org["name"]) << id;
    expect_figures(school.at("now"), want, id);
    EXPECT_EQ(school.at("now").at("as_of"), kMonday.iso());
    add(region_count, want);
  }
  EXPECT_EQ(seen, std::set<std::string>(kSchools.begin(), kSchools.end()));
  expect_figures(got.at("region").at("now"), region_count, "region");

  // The world holds what the figures are about: families without accounts, chats of three
  // people, classes without a class teacher in their chats.
  EXPECT_LT(region_count.parents.in, region_count.parents.total);
  EXPECT_LT(region_count.active, region_count.managed);
  EXPECT_LT(region_count.classes.in, region_count.classes.total);
  EXPECT_GT(region_count.classes.in, 0);
  // Worst first: by the share of people in their chats.
  double last = -1;
  for (const auto& school : got.at("schools")) {
    const auto& now = school.at("now");
    int total = 0, in = 0;
    for (const char* k : {"students", "parents", "staff"}) {
      total += now.at(k).at("total").get<int>();
      in += now.at(k).at("in").get<int>();
    }
    const double share = total == 0 ? 1.0 : 1.0 * in / total;
    EXPECT_GE(share, last) << school.at("id");
    last = share;
  }
}

// The roster with an account for every parent who had none: the families join.
mapping::Roster with_parents_linked(mapping::Roster roster, std::set<std::string>& linked) {
  std::set<std::string> parents;
  for (const auto& r : roster.relations) parents.insert(r.parent_id);
  mapping::PlatformUserId next = 880'000'001;
  for (auto& p : roster.persons) {
    if (parents.contains(p.id) && !p.platform_user_id) {
      p.platform_user_id = next++;
      linked.insert(p.id);
    }
  }
  return roster;
}

TEST(MonitoringReport, ShowsWhatChangedSinceTheWeekBeforeFromTwoWeeksOfSyncs) {
  World w;
  const auto roster =
      generator::make_school("sch-0001", 41, kStart, {.classes = 3, .students_per_class = 5});
  w.write_journal(roster);
  ASSERT_EQ(w.sync(kMonday).status, 0);
  const json first = report(w, {"--today", kMonday.iso()});
  EXPECT_TRUE(first.at("schools")[0].at("week_before").is_null());

  std::set<std::string> linked;
  w.write_journal(with_parents_linked(roster, linked));
  ASSERT_FALSE(linked.empty()) << "the generated school must have parents without accounts";
  const Date next_week = kMonday.plus_days(8);  // Tuesday of the week after
  ASSERT_EQ(w.sync(next_week).status, 0);

  const json second = report(w, {"--today", next_week.iso()});
  const json& school = second.at("schools")[0];
  const auto journal = read_export_journal(w.dir() / "export" / "sch-0001");
  const auto want = count_monitoring(journal, w.state(), next_week.iso());
  expect_figures(school.at("now"), want, "second week");
  EXPECT_EQ(school.at("week_before"), first.at("schools")[0].at("now"));
  const int joined =
      want.parents.in - first.at("schools")[0].at("now").at("parents").at("in").get<int>();
  EXPECT_GT(joined, 0);
  EXPECT_NE(
      school.at("change").get<std::string>().find("родителей в чатах +" + std::to_string(joined)),
      std::string::npos)
      << school.at("change");
  ASSERT_EQ(school.at("trend").size(), 2U);
  EXPECT_EQ(school.at("trend")[0].at("week"), "2026-09-07");
  EXPECT_EQ(school.at("trend")[1].at("week"), "2026-09-14");

  // The text table says the same in Russian; the first week's report still reads as it was.
  const auto text = w.rosterd({"report", "monitoring", "--today", next_week.iso()});
  EXPECT_NE(text.output.find("неделя с 14.09.2026"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("родителей в чатах +" + std::to_string(joined)), std::string::npos)
      << text.output;
  EXPECT_EQ(report(w, {"--today", kMonday.iso()}).at("schools")[0].at("now"),
            first.at("schools")[0].at("now"));
  const auto english =
      w.rosterd({"report", "monitoring", "--lang", "en", "--today", next_week.iso()});
  EXPECT_NE(english.output.find("parents in +" + std::to_string(joined)), std::string::npos)
      << english.output;
}

TEST(MonitoringReport, WritesCsvForExcelInARussianLocale) {
  World w;
  auto roster =
      generator::make_school("sch-0001", 51, kStart, {.classes = 2, .students_per_class = 3});
  roster.org.name = "МБОУ \"Школа; № 5\"";
  w.write_journal(roster);
  ASSERT_EQ(w.sync(kMonday).status, 0);
  const auto csv = w.rosterd({"report", "monitoring", "--format", "csv", "--today", kMonday.iso()});
  ASSERT_EQ(csv.status, 0) << csv.output;
  const std::string& bytes = csv.output;
  ASSERT_EQ(bytes.substr(0, 3), "\xEF\xBB\xBF") << "a byte-order mark first";
  const auto header_end = bytes.find("\r\n");
  ASSERT_NE(header_end, std::string::npos) << "CRLF line ends";
  EXPECT_EQ(bytes.substr(3, header_end - 3).rfind("Код школы;Школа;Неделя;", 0), 0U)
      << bytes.substr(0, header_end);
  const auto school_line =
      bytes.substr(header_end + 2, bytes.find("\r\n", header_end + 2) - header_end - 2);
  EXPECT_EQ(school_line.rfind("sch-0001;\"МБОУ \"\"Школа; № 5\"\"\";2026-09-07;2026-09-07;", 0), 0U)
      << school_line;
  const auto region_line = bytes.substr(bytes.rfind("\r\n", bytes.size() - 3) + 2);
  EXPECT_EQ(region_line.rfind("*;Регион;2026-09-07;", 0), 0U) << region_line;
  // As many cells in every row (the name's ';' stays inside its quotes).
  std::vector<int> separators;
  bool quoted = false;
  int count = 0;
  for (std::size_t i = 3; i < bytes.size(); ++i) {
    if (bytes[i] == '"') quoted = !quoted;
    if (!quoted && bytes[i] == ';') ++count;
    if (!quoted && bytes[i] == '\n') {
      separators.push_back(count);
      count = 0;
    }
  }
  ASSERT_EQ(separators.size(), 3U);
  EXPECT_EQ(separators[1], separators[0]);
  EXPECT_EQ(separators[2], separators[0]);
}

TEST(MonitoringReport, DrawsEachSchoolInOneSelfContainedPage) {
  World w({.extra_config = {{"schools", export_schools(kSchools)}}});
  for (const auto& [id, roster] : region()) w.write_journal(roster);
  ASSERT_EQ(w.sync(kMonday).status, 0);
  const auto page =
      w.rosterd({"report", "monitoring", "--format", "html", "--today", kMonday.iso()});
  ASSERT_EQ(page.status, 0) << page.output;
  const std::string& html = page.output;
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos) << "no external assets";
  EXPECT_EQ(html.find("https://"), std::string::npos) << "no external assets";
  EXPECT_EQ(html.find("src="), std::string::npos) << "no external assets";
  for (const auto& id : kSchools) EXPECT_NE(html.find(id), std::string::npos) << id;
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("<polyline"), std::string::npos);
}

}  // namespace
}  // namespace rosterd::e2e
