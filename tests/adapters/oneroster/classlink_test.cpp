// A district export shaped like ClassLink's (fixtures/make_classlink.py): schoolYear written as
// the year the school year starts, course sections sharing titles, deltas after a restart,
// problems in file order, and a manifest's `absent` named as the cause. Every expected value
// was worked out by hand from the fixture's rows (the comments say how).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "mapping/message.h"
#include "tests/adapters/oneroster/folder_fixture.h"

namespace rosterd::adapters::oneroster {
namespace {

namespace fs = std::filesystem;
using mapping::FindingCode;
using testing::find_enrolment;
using testing::TempFolder;

fs::path fixture(const std::string& name) { return fs::path(ONEROSTER_FIXTURES) / name; }

// Copies a fixture folder's files into `dir`, after removing what was there.
void copy_into(const TempFolder& dir, const std::string& name) {
  for (const auto& entry : fs::directory_iterator(dir.path())) fs::remove(entry.path());
  for (const auto& entry : fs::directory_iterator(fixture(name))) {
    fs::copy_file(entry.path(), dir.path() / entry.path().filename());
  }
}

Options sferum() {
  Options options;
  options.platform_id_type = "sferum";
  return options;
}

const mapping::Roster& roster_of(const std::vector<mapping::Roster>& rosters,
                                 const std::string& org) {
  const auto it = std::find_if(rosters.begin(), rosters.end(),
                               [&](const mapping::Roster& r) { return r.org.id == org; });
  if (it == rosters.end()) throw std::runtime_error("no roster " + org);
  return *it;
}

std::vector<const mapping::Finding*> of_code(const Findings& findings, const std::string& org,
                                             FindingCode code) {
  std::vector<const mapping::Finding*> out;
  const auto it = findings.find(org);
  if (it == findings.end()) return out;
  for (const auto& f : it->second) {
    if (f.code == code) out.push_back(&f);
  }
  return out;
}

// ---- 1. schoolYear: the dates are followed, a contradicting year is a finding ----------------

TEST(ClassLinkExport, FollowsTheTermDatesNotTheStartYearInSchoolYear) {
  Findings findings;
  const auto rosters = read_oneroster(fixture("classlink-district"), sferum(), &findings);
  // Every term runs within 2018-08-15 .. 2019-06-05: school year 2018/19, academic_year 2018.
  // Read as the spec says, ClassLink's schoolYear 2018 would give 2017.
  for (const auto& roster : rosters) {
    for (const auto& g : roster.groups) EXPECT_EQ(g.academic_year, 2018) << g.id;
  }
  // hs-1's classes use fall-2018, spring-2019 and sy-2018 (all schoolYear 2018): one finding
  // each. ms-1's term says 2019, the year 2018/19 ends: no finding.
  const auto mismatches = of_code(findings, "hs-1", FindingCode::term_year_mismatch);
  std::vector<std::string> terms;
  for (const auto* f : mismatches) terms.push_back(f->subject_ids.at(0));
  std::sort(terms.begin(), terms.end());
  EXPECT_EQ(terms, (std::vector<std::string>{"fall-2018", "spring-2019", "sy-2018"}));
  EXPECT_TRUE(of_code(findings, "ms-1", FindingCode::term_year_mismatch).empty());
  const auto fall = std::find_if(mismatches.begin(), mismatches.end(), [](const auto* f) {
    return f->subject_ids.at(0) == "fall-2018";
  });
  ASSERT_NE(fall, mismatches.end());
  EXPECT_EQ(mapping::english((*fall)->message),
            "term fall-2018 (" + (fixture("classlink-district") / "academicSessions.csv").string() +
                ":3) runs 2018-08-15 to 2018-12-21, school year 2018/19, but its schoolYear 2018 "
                "is the year that school year starts, where OneRoster names the year it ends (as "
                "ClassLink writes it): the dates are followed");
}

TEST(ClassLinkExport, AYearThatIsNeitherStartNorEndIsItsOwnFinding) {
  TempFolder dir;
  copy_into(dir, "classlink-district");
  auto sessions = rosterd::testing::read_file(dir.path() / "academicSessions.csv");
  const std::string ms = R"("2018-08-20","2019-05-31","","2019")";
  ASSERT_NE(sessions.find(ms), std::string::npos);
  sessions.replace(sessions.find(ms), ms.size(), R"("2018-08-20","2019-05-31","","2021")");
  dir.write("academicSessions.csv", sessions);
  Findings findings;
  const auto rosters = read_oneroster(dir.path(), sferum(), &findings);
  EXPECT_EQ(roster_of(rosters, "ms-1").groups.at(0).academic_year, 2018);
  const auto ms_findings = of_code(findings, "ms-1", FindingCode::term_year_mismatch);
  ASSERT_EQ(ms_findings.size(), 1u);
  EXPECT_EQ(mapping::english(ms_findings[0]->message),
            "term ms-sy-2018 (" + (dir.path() / "academicSessions.csv").string() +
                ":5) runs 2018-08-20 to 2019-05-31, school year 2018/19, but its schoolYear 2021 "
                "names school year 2020/21: the dates are followed");
}

// ---- 2. titles unique per school ------------------------------------------------------------

TEST(ClassLinkExport, SectionsSharingATitleAreToldApartByWhatDiffers) {
  Findings findings;
  const auto rosters = read_oneroster(fixture("classlink-district"), sferum(), &findings);
  std::map<std::string, std::string> names;
  for (const auto& g : roster_of(rosters, "hs-1").groups) names[g.id] = g.name;
  // Algebra I: Smith teaches periods 1 and 3, Jones period 2: the teacher does not tell the
  // three apart, the period does. English 9: both period 4, two teachers. Biology: the same
  // teacher, period and classCode: nothing does, the title stays. Chemistry is alone.
  EXPECT_EQ(names, (std::map<std::string, std::string>{
                       {"cls-alg-1", "Algebra I (period 1)"},
                       {"cls-alg-2", "Algebra I (period 3)"},
                       {"cls-alg-3", "Algebra I (period 2)"},
                       {"cls-bio-1", "Biology"},
                       {"cls-bio-2", "Biology"},
                       {"cls-chem-1", "Chemistry"},
                       {"cls-eng-1", "English 9 (Brown E.)"},
                       {"cls-eng-2", "English 9 (Davis M.)"}}));
  // Unique per school: ms-1's only Algebra I keeps its title.
  EXPECT_EQ(roster_of(rosters, "ms-1").groups.at(0).name, "Algebra I");

  const auto alike = of_code(findings, "hs-1", FindingCode::duplicate_title);
  ASSERT_EQ(alike.size(), 1u);
  EXPECT_EQ(alike[0]->subject_ids, (std::vector<std::string>{"cls-bio-1", "cls-bio-2"}));
  const auto classes = (fixture("classlink-district") / "classes.csv").string();
  EXPECT_EQ(mapping::english(alike[0]->message),
            "classes " + classes + ":7 (sourcedId cls-bio-1) and " + classes +
                ":8 (sourcedId cls-bio-2) are both named «Biology», and neither teacher, period "
                "nor classCode tells them apart: their chats have the same title");
  EXPECT_TRUE(of_code(findings, "ms-1", FindingCode::duplicate_title).empty());
}

TEST(ClassLinkExport, TheJournalSourceHandsItsFindingsToTheSchoolInFileOrder) {
  auto folder = std::make_shared<OneRosterFolder>(fixture("classlink-district"), sferum());
  OneRosterJournal hs(folder, "hs-1"), ms(folder, "ms-1");
  const auto answer = hs.fetch();
  // classes.csv:8 (the Biology pair), then academicSessions.csv lines 2, 3, 4.
  std::vector<std::vector<std::string>> subjects;
  for (const auto& f : answer.findings) subjects.push_back(f.subject_ids);
  EXPECT_EQ(subjects, (std::vector<std::vector<std::string>>{{"cls-bio-1", "cls-bio-2"},
                                                             {"sy-2018"},
                                                             {"fall-2018"},
                                                             {"spring-2019"}}));
  EXPECT_TRUE(ms.fetch().findings.empty());
}

// ---- 3. an ended enrolment carries no made-up reason ----------------------------------------

TEST(ClassLinkExport, AnEnrolmentEndedByADeltaHasItsLastDayAndNoReason) {
  TempFolder dir;
  OneRosterFolder folder(dir.path(), sferum());
  copy_into(dir, "classlink-district");
  (void)folder.read();
  copy_into(dir, "classlink-delta");
  const auto roster = *folder.read()->rosters.at("hs-1");
  const auto* ended = find_enrolment(roster, "stu-3", "cls-alg-1");
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->to, mapping::Date::from_ymd(2018, 10, 31));
  EXPECT_EQ(ended->reason, "") << "OneRoster says nothing of why: the core words it";
  ASSERT_NE(find_enrolment(roster, "stu-5", "cls-alg-1"), nullptr);
}

// ---- 4. the delta state outlives the process ------------------------------------------------

// A state store in memory, shared by the folder objects that stand for two processes.
struct MemoryKeeper {
  std::map<std::string, std::string> kept;
  int saves = 0;
  StateKeeping keeping(bool save = true) {
    StateKeeping k;
    k.load = [this](const std::string& key) -> std::optional<std::string> {
      const auto it = kept.find(key);
      if (it == kept.end()) return std::nullopt;
      return it->second;
    };
    if (save) {
      k.save = [this](const std::string& key, const std::string& state) {
        kept[key] = state;
        ++saves;
      };
    }
    return k;
  }
};

TEST(ClassLinkExport, ADeltaAppliesAfterARestartOnTheKeptState) {
  TempFolder dir;
  MemoryKeeper store;
  copy_into(dir, "classlink-district");
  {
    OneRosterFolder first(dir.path(), sferum(), store.keeping());
    (void)first.read();
  }
  EXPECT_EQ(store.saves, 1);
  copy_into(dir, "classlink-delta");
  OneRosterFolder after_restart(dir.path(), sferum(), store.keeping());
  const auto snapshot = after_restart.read();
  const auto& roster = *snapshot->rosters.at("hs-1");
  EXPECT_EQ(find_enrolment(roster, "stu-3", "cls-alg-1")->to, mapping::Date::from_ymd(2018, 10, 31));
  ASSERT_NE(find_enrolment(roster, "stu-5", "cls-alg-1"), nullptr);
  // What the delta does not name came from the kept state: 8 classes, 6 teachers' and
  // students' enrolments of hs-1 outside Algebra I (period 1) as in the bulk.
  EXPECT_EQ(roster.groups.size(), 8u);
  EXPECT_EQ(roster.groups.at(0).name, "Algebra I (period 1)");
  EXPECT_EQ(snapshot->findings.at("hs-1").size(), 4u) << "findings come from kept rows too";
  // Contacts are not kept; the platform ids are.
  for (const auto& [key, text] : store.kept) {
    EXPECT_EQ(text.find("@example"), std::string::npos);
  }
  const auto* t = testing::find_person(roster, "t-smith");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->platform_user_id, 3001);
  EXPECT_EQ(t->last_name, "Smith");
  EXPECT_EQ(store.saves, 2);
}

TEST(ClassLinkExport, WithoutAKeptStateTheDeltaAfterARestartIsRefused) {
  TempFolder dir;
  MemoryKeeper store;
  copy_into(dir, "classlink-district");
  {
    OneRosterFolder first(dir.path(), sferum());  // keeps nothing
    (void)first.read();
  }
  copy_into(dir, "classlink-delta");
  OneRosterFolder after_restart(dir.path(), sferum(), store.keeping());
  EXPECT_THROW((void)after_restart.read(), OneRosterError);
}

TEST(ClassLinkExport, AnUnchangedFolderAfterARestartIsBuiltFromTheKeptStateAsItWas) {
  TempFolder dir;
  MemoryKeeper store;
  // The last process read the bulk, then the delta, and kept its state; the folder still
  // holds the delta when the next process starts.
  {
    copy_into(dir, "classlink-district");
    OneRosterFolder first(dir.path(), sferum(), store.keeping());
    (void)first.read();
    copy_into(dir, "classlink-delta");
    (void)first.read();
  }
  EXPECT_EQ(store.saves, 2);
  OneRosterFolder plan(dir.path(), sferum(), store.keeping(false));  // a plan: reads, never saves
  const auto roster = *plan.read()->rosters.at("hs-1");
  EXPECT_EQ(find_enrolment(roster, "stu-3", "cls-alg-1")->to, mapping::Date::from_ymd(2018, 10, 31));
  EXPECT_EQ(store.saves, 2);
}

TEST(ClassLinkExport, KeptStateReadsBackEveryField) {
  // Awkward values survive: tabs, line breaks, backslashes, a list separator, bytes that are
  // not UTF-8, and Cyrillic text.
  TempFolder dir;
  auto files = testing::small_school();
  auto& users = files.at("users.csv");
  users.replace(users.find("Boris,Petrov"), 12, "\"Bo\tris\\\",\"Pe\ntrov\x1f\xff\xd0\x91\"");
  dir.write_all(files, "bulk");
  const auto direct = testing::only_roster(dir.path(), sferum());
  MemoryKeeper store;
  { OneRosterFolder first(dir.path(), sferum(), store.keeping()); (void)first.read(); }
  // The same bytes after a restart: built from the kept state without reading the rows again.
  OneRosterFolder again(dir.path(), sferum(), store.keeping());
  const auto kept = *again.read()->rosters.at("sch-1");
  ASSERT_EQ(kept.persons.size(), direct.persons.size());
  for (std::size_t i = 0; i < kept.persons.size(); ++i) {
    const auto& a = direct.persons[i];
    const auto& b = kept.persons[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.first_name, b.first_name);
    EXPECT_EQ(a.last_name, b.last_name);
    EXPECT_EQ(a.middle_name, b.middle_name);
    EXPECT_EQ(a.platform_user_id, b.platform_user_id);
    EXPECT_EQ(a.roles, b.roles);
    EXPECT_EQ(a.email.empty(), b.email.empty());
    EXPECT_EQ(a.phone.empty(), b.phone.empty());
  }
  EXPECT_EQ(kept.enrolments.size(), direct.enrolments.size());
  EXPECT_EQ(kept.relations.size(), direct.relations.size());
  EXPECT_EQ(kept.groups.at(0).academic_year, direct.groups.at(0).academic_year);
  const auto& text = store.kept.begin()->second;
  EXPECT_EQ(text.find('\0'), std::string::npos);
  EXPECT_EQ(text.find("+70000000001"), std::string::npos) << "no phone kept";
}

// ---- 5. problems in file order ----------------------------------------------------------------

TEST(ClassLinkExport, ProblemsAreListedByFileThenLine) {
  TempFolder dir;
  copy_into(dir, "classlink-district");
  // Every enrolment names a class no file has: 19 problems in enrollments.csv, lines 2..20,
  // which a hash map would list in no order; and t-brown (users.csv, line 4) in an org no file
  // has, found after the enrolments but listed before them.
  auto enrollments = rosterd::testing::read_file(dir.path() / "enrollments.csv");
  for (std::size_t at = 0; (at = enrollments.find("\"cls-", at)) != std::string::npos;) {
    enrollments.replace(at, 5, "\"gone-");
  }
  dir.write("enrollments.csv", enrollments);
  auto users = rosterd::testing::read_file(dir.path() / "users.csv");
  const std::string brown = "\"t-brown\",\"active\",\"2018-08-20T10:15:32.000Z\",\"true\",\"hs-1\"";
  ASSERT_NE(users.find(brown), std::string::npos);
  users.replace(users.find(brown) + brown.size() - 5, 4, "hs-9");
  dir.write("users.csv", users);
  std::vector<std::pair<std::string, std::size_t>> got;
  try {
    (void)read_oneroster(dir.path(), sferum());
    FAIL() << "the folder has problems";
  } catch (const OneRosterError& error) {
    for (const auto& p : error.problems()) {
      got.emplace_back(fs::path(p.file).filename().string(), p.line);
    }
  }
  std::vector<std::pair<std::string, std::size_t>> want = {{"users.csv", 4}};
  for (std::size_t line = 2; line <= 20; ++line) want.emplace_back("enrollments.csv", line);
  EXPECT_EQ(got, want);
}

// ---- 6. the manifest's `absent` named as the cause; the missing session's id ---------------

TEST(ClassLinkExport, AReferenceIntoAFileTheDeltaLeftOutNamesTheManifest) {
  TempFolder dir;
  OneRosterFolder folder(dir.path(), sferum());
  copy_into(dir, "classlink-district");
  (void)folder.read();
  // The delta adds a class in a term it does not send: academicSessions is absent.
  const std::string classes_header =
      "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,"
      "location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n";
  dir.write_all({{"classes.csv", classes_header + "cls-geo-1,active,,Geometry,10,crs-geo,GEO-1,"
                                                  "scheduled,,hs-1,winter-2019,,,7\n"}},
                "delta");
  try {
    (void)folder.read();
    FAIL() << "winter-2019 is in no table";
  } catch (const OneRosterError& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(describe(error.problems()[0]),
              (dir.path() / "classes.csv").string() +
                  ":2 (sourcedId cls-geo-1): termSourcedIds: no session winter-2019 in "
                  "academicSessions.csv (" +
                  (dir.path() / "manifest.csv").string() +
                  " marks file.academicSessions absent, so it was not read: the records kept "
                  "from earlier reads have no session winter-2019)");
  }
}

TEST(ClassLinkExport, AMissingSessionIsNamedByItsId) {
  TempFolder dir;
  copy_into(dir, "classlink-district");
  auto classes = rosterd::testing::read_file(dir.path() / "classes.csv");
  const std::string chem = "\"hs-1\",\"sy-2018\"";
  classes.replace(classes.find(chem), chem.size(), "\"hs-1\",\"sy-2019\"");
  dir.write("classes.csv", classes);
  EXPECT_EQ(testing::read_error(dir.path(), sferum()),
            (dir.path() / "classes.csv").string() +
                ":9 (sourcedId cls-chem-1): termSourcedIds: no session sy-2019 in "
                "academicSessions.csv\n");
}

}  // namespace
}  // namespace rosterd::adapters::oneroster
