// `rosterd report invites` after a real sync against platform-sim: the printed page carries
// QR codes that decode (Chromium prints it to PDF, poppler turns the pages into images, zbar
// reads them) to the live links platform-sim holds, names each missing parent with their
// child, and no contact; a link replaced after a hand-out is marked on the next report; the
// CSV is what Excel in a Russian locale opens.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "generator/generator.h"
#include "tests/support/files.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

namespace fs = std::filesystem;
using mapping::Date;
using nlohmann::json;

const Date kStart = *Date::parse("2026-09-01");

bool on_path(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs `command`; its stdout (stderr goes beside it, to `out`.err).
std::string sh(const std::string& command, const fs::path& out) {
  const int rc =
      std::system((command + " >'" + out.string() + "' 2>'" + out.string() + ".err'").c_str());
  (void)rc;  // zbarimg exits 4 for a page without a code: the decoded text is what counts
  return testing::read_file(out);
}

// The page as a person prints it: headless Chromium prints it to PDF (A4 from its @page
// rule), pdftoppm makes each page an image, zbarimg reads every QR code on them.
struct Printed {
  std::string pdf_info;
  std::vector<fs::path> pages;
  std::multiset<std::string> codes;
};

Printed print_and_scan(const fs::path& html, const fs::path& dir) {
  const fs::path pdf = dir / "invites.pdf";
  // As root the sandbox cannot start; everything that would reach the network is off.
  const std::string browser =
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --disable-dev-shm-usage --no-pdf-header-footer --user-data-dir='" +
      (dir / "profile").string() + "' --print-to-pdf='" + pdf.string() + "' 'file://" +
      html.string() + "'";
  sh(browser, dir / "chromium.log");
  Printed printed;
  if (!fs::exists(pdf)) return printed;
  printed.pdf_info = sh("pdfinfo '" + pdf.string() + "'", dir / "pdfinfo.txt");
  sh("pdftoppm -r 150 -png '" + pdf.string() + "' '" + (dir / "page").string() + "'",
     dir / "pdftoppm.log");
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().starts_with("page-")) printed.pages.push_back(entry.path());
  }
  std::sort(printed.pages.begin(), printed.pages.end());
  for (const auto& page : printed.pages) {
    std::istringstream lines(sh("zbarimg --quiet --raw '" + page.string() + "'", dir / "zbar.txt"));
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) printed.codes.insert(line);
    }
  }
  return printed;
}

// Families' chats with a live member link, as platform-sim holds them: title → link.
std::map<std::string, std::string> live_family_links(const json& state) {
  std::map<std::string, std::string> links;
  for (const auto& chat : state.at("chats")) {
    const auto title = chat.at("title").get<std::string>();
    const auto& link = chat.at("invite_links").at("member");
    if (chat.at("archived").get<bool>() || link.is_null() || title.starts_with("Педагоги")) continue;
    links[title] = link.get<std::string>();
  }
  return links;
}

std::string escaped(std::string text) {  // the test's own HTML escaping of a name
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string display(const mapping::Person& p) { return p.last_name + " " + p.first_name; }

struct MissingParent {
  std::string group, parent, child;
};

// From the journal: each class's students' parents without a platform account on `day`.
std::vector<MissingParent> missing_parents(const mapping::Roster& roster, Date day) {
  std::map<std::string, const mapping::Person*> persons;
  for (const auto& p : roster.persons) persons[p.id] = &p;
  std::map<std::string, std::string> groups;
  for (const auto& g : roster.groups) {
    if (g.kind == mapping::GroupKind::class_group && g.active_on(day)) groups[g.id] = g.name;
  }
  std::vector<MissingParent> out;
  for (const auto& e : roster.enrolments) {
    if (e.role != mapping::EnrolmentRole::student || !e.active_on(day) || !groups.contains(e.group_id))
      continue;
    for (const auto& r : roster.relations) {
      const auto* parent = persons.at(r.parent_id);
      if (r.child_id == e.person_id && !parent->platform_user_id)
        out.push_back({groups[e.group_id], display(*parent), display(*persons.at(e.person_id))});
    }
  }
  return out;
}

// The section of the page that holds one class (from its heading to the next section).
std::string class_page(const std::string& html, const std::string& group) {
  const auto at = html.find("data-class=\"" + escaped(group) + "\"");
  if (at == std::string::npos) return {};
  return html.substr(at, html.find("<section", at) - at);
}

// A parent of one child with a name a CSV or a page could break on, and no account; returns
// the relation.
mapping::Relation add_awkward_parent(mapping::Roster& roster) {
  std::map<std::string, int> children;
  for (const auto& r : roster.relations) ++children[r.parent_id];
  for (const auto& r : roster.relations) {
    if (children[r.parent_id] != 1) continue;
    for (auto& p : roster.persons) {
      if (p.id != r.parent_id) continue;
      p.last_name = "Орлова; \"Мила\"";
      p.first_name = "Анна";
      p.platform_user_id.reset();
      return r;
    }
  }
  throw std::logic_error("no parent of one child");
}

void require_tools() {
  for (const char* tool : {"chromium", "pdftoppm", "pdfinfo", "zbarimg"}) {
    ASSERT_TRUE(on_path(tool)) << tool << " not found: ./scripts/deps installs it";
  }
}

TEST(InvitesReport, PrintsEveryFamiliesChatsLiveLinkAsAQrCodeAndNamesEachMissingParentWithTheirChild) {
  require_tools();
  World w;
  auto roster = generator::make_school("sch-0001", 21, kStart, {.classes = 4, .students_per_class = 6});
  add_awkward_parent(roster);
  w.write_journal(roster);
  auto run = w.sync(kStart);
  ASSERT_EQ(run.status, 0) << run.output;

  const auto report = w.rosterd({"report", "invites", "--format", "html", "--today", kStart.iso()});
  ASSERT_EQ(report.status, 0) << report.output;
  const fs::path html = w.dir() / "invites.html";
  testing::write_file(html, report.output);

  const auto links = live_family_links(w.state());
  ASSERT_FALSE(links.empty());
  const auto printed = print_and_scan(html, w.dir());
  ASSERT_FALSE(printed.pages.empty()) << testing::read_file(w.dir() / "chromium.log.err");
  EXPECT_NE(printed.pdf_info.find("(A4)"), std::string::npos) << printed.pdf_info;
  std::multiset<std::string> want;
  for (const auto& [title, link] : links) want.insert(link);
  EXPECT_EQ(printed.codes, want) << "every family chat's live link once, and nothing else";

  for (const auto& m : missing_parents(roster, kStart)) {
    const auto page = class_page(report.output, m.group);
    EXPECT_NE(page.find("<tr><td>" + escaped(m.parent) + "</td><td>"), std::string::npos)
        << m.parent << " on the page of " << m.group;
    const auto row = page.substr(page.find(escaped(m.parent)));
    EXPECT_NE(row.substr(0, row.find("</tr>")).find(escaped(m.child)), std::string::npos)
        << m.parent << " named with " << m.child;
  }
  std::string text = report.output;
  for (const auto& [title, link] : links) {
    for (auto at = text.find(link); at != std::string::npos; at = text.find(link)) text.erase(at, link.size());
  }
  EXPECT_FALSE(std::regex_search(text, std::regex(R"(\+7\d|\b8\d{10}\b|\d{3}[- ]\d{2}[- ]\d{2})")));
  EXPECT_FALSE(std::regex_search(text, std::regex(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")));
  for (const auto& p : roster.persons) {
    if (!p.phone.empty()) EXPECT_EQ(report.output.find(p.phone), std::string::npos) << p.id;
    if (!p.email.empty()) EXPECT_EQ(report.output.find(p.email), std::string::npos) << p.id;
  }
  if (const char* keep = std::getenv("ROSTERD_TEST_OUTPUT_DIR"); keep && *keep && printed.pages.size() > 1) {
    fs::create_directories(keep);
    fs::copy_file(printed.pages[1], fs::path(keep) / "invites-page.png",
                  fs::copy_options::overwrite_existing);
  }
}

// Everybody in the first class has an account: its chats need no link on the first day.
std::string link_first_class(mapping::Roster& roster) {
  const auto& group = roster.groups.front();
  std::set<std::string> ids;
  for (const auto& e : roster.enrolments) {
    if (e.group_id == group.id && e.role == mapping::EnrolmentRole::student) ids.insert(e.person_id);
  }
  for (const auto& r : roster.relations) {
    if (ids.contains(r.child_id)) ids.insert(r.parent_id);
  }
  mapping::PlatformUserId next = 880'000'001;
  for (auto& p : roster.persons) {
    if (ids.contains(p.id)) p.platform_user_id = next++;
  }
  return group.id;
}

// A new student of `group_id` from `day`, with a parent, neither with an account.
void enrol_new_family(mapping::Roster& roster, const std::string& group_id, Date day) {
  const mapping::Enrolment* was = nullptr;
  for (const auto& e : roster.enrolments) {
    if (e.group_id == group_id && e.role == mapping::EnrolmentRole::student) was = &e;
  }
  const mapping::Relation* rel = nullptr;
  for (const auto& r : roster.relations) {
    if (r.child_id == was->person_id) rel = &r;
  }
  mapping::Person student, parent;
  for (const auto& p : roster.persons) {
    if (p.id == was->person_id) student = p;
    if (p.id == rel->parent_id) parent = p;
  }
  student.id = "p-new-student";
  student.last_name = "Новикова";
  student.first_name = "Вера";
  parent.id = "p-new-parent";
  parent.last_name = "Новиков";
  parent.first_name = "Олег";
  student.platform_user_id.reset();
  parent.platform_user_id.reset();
  student.phone.clear();
  parent.phone.clear();
  student.email.clear();
  parent.email.clear();
  mapping::Enrolment enrolment = *was;
  enrolment.person_id = student.id;
  enrolment.from = day;
  roster.persons.push_back(student);
  roster.persons.push_back(parent);
  roster.enrolments.push_back(enrolment);
  roster.relations.push_back({parent.id, student.id, mapping::RelationKind::mother});
  roster.links = {};
}

std::string group_name(const mapping::Roster& roster, const std::string& id) {
  for (const auto& g : roster.groups) {
    if (g.id == id) return g.name;
  }
  return {};
}

TEST(InvitesReport, MarksTheClassesWhoseHandedOutLinkWasReplacedAndNoOther) {
  WorldOptions options;
  options.extra_config = {{"defaults", {{"policy", {{"invite_ttl_days", 3}}}}}};
  World w(options);
  auto roster = generator::make_school("sch-0001", 22, kStart, {.classes = 3, .students_per_class = 5});
  const auto fresh_group = link_first_class(roster);
  w.write_journal(roster);
  ASSERT_EQ(w.sync(kStart).status, 0);
  const Date second = kStart.plus_days(1);
  enrol_new_family(roster, fresh_group, second);  // its chats' links are issued a day later
  w.write_journal(roster);
  ASSERT_EQ(w.sync(second).status, 0);

  const auto handed = w.rosterd({"report", "invites", "--format", "text", "--today", second.iso()});
  ASSERT_EQ(handed.status, 0) << handed.output;
  EXPECT_EQ(handed.output.find("Ссылка заменена"), std::string::npos) << "nothing handed out before";
  const auto before = live_family_links(w.state());

  const Date later = kStart.plus_days(3);  // the first day's links are 3 days old: replaced
  const auto sync = w.sync(later);
  ASSERT_EQ(sync.status, 0) << sync.output;
  const auto after = live_family_links(w.state());
  std::set<std::string> replaced_titles;
  for (const auto& [title, link] : after) {
    if (before.contains(title) && before.at(title) != link) replaced_titles.insert(title);
  }
  ASSERT_FALSE(replaced_titles.empty());
  std::size_t said = 0;
  for (auto at = sync.output.find("handed out to families was replaced"); at != std::string::npos;
       at = sync.output.find("handed out to families was replaced", at + 1)) {
    ++said;
  }
  EXPECT_EQ(said, replaced_titles.size()) << "one line per handed-out link replaced\n" << sync.output;
  const auto report = w.rosterd({"report", "invites", "--format", "html", "--today", later.iso()});
  ASSERT_EQ(report.status, 0) << report.output;

  const std::string mark = "Ссылка заменена 04.09.2026 — раздайте новую";
  std::set<std::string> classes_marked_by_the_sim;
  for (const auto& g : roster.groups) {
    if (g.kind != mapping::GroupKind::class_group) continue;
    const bool replaced = replaced_titles.contains(g.name + " · " + roster.org.short_name) ||
                          replaced_titles.contains(g.name + " · родители · " + roster.org.short_name);
    if (replaced) classes_marked_by_the_sim.insert(g.name);
    const auto page = class_page(report.output, g.name);
    EXPECT_EQ(page.find(mark) != std::string::npos, replaced) << g.name << "\n" << page;
  }
  EXPECT_FALSE(classes_marked_by_the_sim.contains(group_name(roster, fresh_group)));
  EXPECT_NE(class_page(report.output, group_name(roster, fresh_group)), "");
  const auto top = report.output.substr(0, report.output.find("data-class"));
  for (const auto& g : classes_marked_by_the_sim) {
    EXPECT_NE(top.find(g), std::string::npos) << g << " listed at the top";
  }
  EXPECT_EQ(top.find(group_name(roster, fresh_group)), std::string::npos);

  const auto again = w.rosterd({"report", "invites", "--format", "html", "--today", later.iso()});
  EXPECT_EQ(again.output.find("Ссылка заменена"), std::string::npos)
      << "the new links were handed out by the report before";
}

std::string csv_cell(const std::string& value) {  // the test's own quoting, as Excel reads it
  if (value.find_first_of(";\"") == std::string::npos) return value;
  std::string out = "\"";
  for (const char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

TEST(InvitesReport, WritesACsvExcelOpensWithAQuotedNameKeptInOneCell) {
  World w;
  auto roster = generator::make_school("sch-0001", 23, kStart, {.classes = 2, .students_per_class = 4});
  const auto awkward = add_awkward_parent(roster);
  w.write_journal(roster);
  ASSERT_EQ(w.sync(kStart).status, 0);
  const auto report = w.rosterd({"report", "invites", "--format", "csv", "--today", kStart.iso()});
  ASSERT_EQ(report.status, 0) << report.output;

  EXPECT_TRUE(report.output.starts_with(
      "\xEF\xBB\xBFШкола;Класс;Чат;Ссылка;Выдана;Будет заменена;Заменена после прошлой раздачи;"
      "Кто;Имя;Ребёнок\r\n"))
      << report.output.substr(0, 200);
  std::string group, child;
  for (const auto& e : roster.enrolments) {
    if (e.person_id == awkward.child_id && e.role == mapping::EnrolmentRole::student && e.active_on(kStart))
      group = group_name(roster, e.group_id);
  }
  for (const auto& p : roster.persons) {
    if (p.id == awkward.child_id) child = display(p);
  }
  const auto title = group + " · родители · " + roster.org.short_name;
  const auto links = live_family_links(w.state());
  ASSERT_TRUE(links.contains(title));
  const std::string row = csv_cell(roster.org.name) + ";" + csv_cell(group) + ";" + csv_cell(title) +
                          ";" + links.at(title) + ";2026-09-01;2026-09-15;;родитель;" +
                          "\"Орлова; \"\"Мила\"\" Анна\";" + csv_cell(child) + "\r\n";
  EXPECT_NE(report.output.find("\r\n" + row), std::string::npos) << row << "\n" << report.output;
}

}  // namespace
}  // namespace rosterd::e2e
