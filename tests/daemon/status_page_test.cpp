// The status page as a school administrator's phone receives it: every school, escaped
// text, nothing loaded from anywhere else.
#include "daemon/status_page.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "daemon/i18n.h"
#include "daemon/observability.h"

namespace rosterd::daemon {
namespace {

SchoolStatus school(std::string id, std::string_view result) {
  SchoolStatus s;
  s.id = std::move(id);
  s.name = "Школа " + s.id;
  s.last_result = mapping::parse_cycle_result(result).value();
  s.last_run_at = "2026-11-20T12:00:05Z";
  s.next_run_at = "2026-11-20T12:15:05Z";
  return s;
}

StatusPageData three_schools() {
  StatusPageData d;
  auto ok = school("sch-ok", "ok");
  ok.last_actions = {{"add_member", 12}, {"create_chat", 2}};
  auto held = school("sch-held", "held");
  held.held = 31;
  auto failing = school("sch-broken", "failed");
  failing.consecutive_failures = 5;
  failing.quarantined = true;
  failing.last_error = "journal: sch-broken/org.json: not JSON";
  SchoolStatus never;
  never.id = "sch-new";
  d.schools = {ok, held, failing, never};
  d.generated_at = "2026-11-20T12:01:00Z";
  return d;
}

TEST(StatusPage, EscapesAHostileErrorString) {
  auto d = three_schools();
  d.schools[2].last_error = R"(<script>alert("x")</script><img src=x onerror='y'> & more)";
  d.schools[1].name = "<b>Школа</b>";
  const auto page = render_status_page(d);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("<b>Школа</b>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x "
                      "onerror=&#39;y&#39;&gt; &amp; more"),
            std::string::npos)
      << page;
}

TEST(StatusPage, EscapesSchoolIdsInAttributesToo) {
  StatusPageData d;
  d.schools = {school(R"(x" onmouseover="y)", "failed")};
  const auto page = render_status_page(d);
  EXPECT_EQ(page.find(R"(" onmouseover=")"), std::string::npos);
  EXPECT_NE(page.find(R"(data-school="x&quot; onmouseover=&quot;y")"), std::string::npos);
  EXPECT_NE(page.find(R"(href="school/x%22%20onmouseover%3D%22y")"), std::string::npos);
}

// Where a school is listed: its card or its table row (each links to the school's page).
std::size_t listed_at(const std::string& page, const std::string& id) {
  return page.find("<a href=\"school/" + id + "\">");
}

TEST(StatusPage, ListsEverySchoolWithItsResult) {
  const auto page = render_status_page(three_schools());
  for (const char* id : {"sch-ok", "sch-held", "sch-broken", "sch-new"}) {
    EXPECT_NE(listed_at(page, id), std::string::npos) << id;
  }
  EXPECT_NE(page.find("\"><td><b><a href=\"school/sch-ok\">sch-ok</a></b><small>Школа sch-ok</small><td>Синхронизировано<td>"), std::string::npos);
  EXPECT_NE(page.find("Ждёт одобрения <small>held</small>"), std::string::npos);
  EXPECT_NE(page.find("Ошибка <small>failed</small>"), std::string::npos);
  EXPECT_NE(page.find("<td>Ещё не запускалась<td>"), std::string::npos);
  EXPECT_NE(page.find("Карантин</span>"), std::string::npos);
  EXPECT_NE(page.find("journal: sch-broken/org.json: not JSON"), std::string::npos);
}

// The card of one school, from its opening tag to its end.
std::string card_of(const std::string& page, const std::string& id) {
  const auto start = page.find("data-school=\"" + id + "\"");
  if (start == std::string::npos) return {};
  return page.substr(start, page.find("</article>", start) - start);
}

// The table row of one school.
std::string row_of(const std::string& page, const std::string& id) {
  const auto at = listed_at(page, id);
  if (at == std::string::npos) return {};
  const auto start = page.rfind("<tr", at);
  return page.substr(start, page.find('\n', at) - start);
}

TEST(StatusPage, ShowsActiveChatsAndCoverageFromTheLastLook) {
  auto d = three_schools();
  mapping::SchoolNumbers n;
  n.managed_chats = 12;
  n.active_chats = 5;
  n.expected = 150;
  n.expected_in = 149;  // 99.3 %: not yet everybody
  d.schools[0].numbers = n;
  n.expected = 0;
  n.expected_in = 0;
  d.schools[1].numbers = n;
  d.schools[2].numbers = n;
  const auto page = render_status_page(d);
  const auto ok = row_of(page, "sch-ok");
  EXPECT_NE(ok.find("<td>5/12<td>99 %<td>0"), std::string::npos) << ok;
  const auto held = card_of(page, "sch-held");
  EXPECT_NE(held.find("<dt>В чатах</dt><dd>100 % (0 из 0)</dd>"), std::string::npos) << held;
  const auto broken = card_of(page, "sch-broken");
  EXPECT_NE(broken.find("<dt>Активные чаты</dt><dd>5 из 12</dd>"), std::string::npos) << broken;
  const auto never = row_of(page, "sch-new");
  EXPECT_NE(never.find("<td>—<td>—<td>0"), std::string::npos) << never;
}

TEST(StatusPage, PutsTheMostUrgentSchoolsFirst) {
  const auto page = render_status_page(three_schools());
  EXPECT_LT(listed_at(page, "sch-broken"), listed_at(page, "sch-held"));
  EXPECT_LT(listed_at(page, "sch-held"), listed_at(page, "sch-new"));
  EXPECT_LT(listed_at(page, "sch-new"), listed_at(page, "sch-ok"));
  EXPECT_FALSE(card_of(page, "sch-broken").empty()) << "a failing school has a card";
  EXPECT_FALSE(card_of(page, "sch-held").empty()) << "a held school has a card";
  EXPECT_TRUE(card_of(page, "sch-ok").empty()) << "a healthy school has a table row";
}

TEST(StatusPage, LoadsNothingFromElsewhere) {
  const auto page = render_status_page(three_schools());
  for (const char* banned :
       {"http://", "https://", "<script", "<link", "@import", "url(", "src=", "@font-face"}) {
    EXPECT_EQ(page.find(banned), std::string::npos) << banned;
  }
}

TEST(StatusPage, IsAnHtml5PageSizedForPhones) {
  const auto page = render_status_page(three_schools());
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find(R"(<meta name="viewport" content="width=device-width, initial-scale=1">)"),
            std::string::npos);
  EXPECT_NE(page.find(R"(<meta charset="utf-8">)"), std::string::npos);
  EXPECT_NE(page.find("<style>"), std::string::npos);
}

TEST(StatusPage, ShowsTotalsAndAFailedReloadEscaped) {
  auto d = three_schools();
  d.reload_ok = false;
  d.reload_at = "2026-11-20T12:00:00Z";
  d.reload_error = "rosterd.json: schools[0].id: <missing>";
  const auto page = render_status_page(d);
  EXPECT_NE(page.find("<dt>школ</dt><dd>4</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>с ошибкой</dt><dd>1</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>в карантине</dt><dd>1</dd>"), std::string::npos);
  EXPECT_NE(page.find("не удалась"), std::string::npos);
  EXPECT_NE(page.find("schools[0].id: &lt;missing&gt;"), std::string::npos);
}

TEST(StatusPage, EscapesEveryHtmlSpecialCharacter) {
  const std::pair<std::string, std::string> cases[] = {
      {"a&b", "a&amp;b"},   {"<p>", "&lt;p&gt;"}, {"\"q\"", "&quot;q&quot;"},
      {"it's", "it&#39;s"}, {"школа", "школа"},   {"", ""},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(html_escape(in), out) << in;
}

TEST(StatusPage, ShowsNoControlCharacterButKeepsAnErrorsLines) {
  EXPECT_EQ(html_escape("2 problems:\n  p\x1b[2J\r\x07\x7f"), "2 problems:\n  p?[2J???");
}

TEST(StatusPage, ComesFromTheObservatoryWithEveryConfiguredSchool) {
  Observatory o;
  o.set_schools({"s-1", "s-2"});
  const auto page = o.status_html();
  EXPECT_NE(listed_at(page, "s-1"), std::string::npos);
  EXPECT_NE(listed_at(page, "s-2"), std::string::npos);
}


// A region: `n` healthy schools "sch-0000"…, named "Школа № i", then the given ones changed.
StatusPageData region(int n) {
  StatusPageData d;
  for (int i = 0; i < n; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "sch-%04d", i);
    auto s = school(id, "ok");
    s.name = "МБОУ «Средняя общеобразовательная школа № " + std::to_string(i) + "»";
    mapping::SchoolNumbers numbers;
    numbers.managed_chats = 70;
    numbers.active_chats = 64;
    numbers.expected = 1900;
    numbers.expected_in = 1700;
    s.numbers = numbers;
    s.last_success_at = s.last_run_at;
    d.schools.push_back(s);
  }
  d.generated_at = "2026-11-20T12:01:00Z";
  return d;
}

void fail(SchoolStatus& s, bool quarantined) {
  s.last_result = mapping::CycleResult::failed;
  s.consecutive_failures = quarantined ? 5 : 1;
  s.quarantined = quarantined;
  s.last_error = "journal: " + s.id + "/persons.json: record p-77: missing \"roles\"";
}

// The order people need: quarantined, failing, held, then the rest; in the region's order
// within each (the model of the order, written apart from the page's own).
TEST(StatusPageForARegion, ShowsFailingHeldAndQuarantinedSchoolsBeforeTheRest) {
  auto d = region(2000);
  fail(d.schools[1500], false);
  fail(d.schools[1999], true);
  fail(d.schools[12], false);
  d.schools[700].last_result = mapping::CycleResult::held;
  d.schools[700].held = 47;
  d.schools[3].held = 2;  // a failed cycle after a held one: the held actions still wait
  d.schools[3].last_result = mapping::CycleResult::ok;
  const auto page = render_status_page(d);
  const std::vector<std::string> first = {"sch-1999", "sch-0012", "sch-1500", "sch-0003",
                                          "sch-0700", "sch-0000", "sch-0001", "sch-0002"};
  for (std::size_t i = 0; i + 1 < first.size(); ++i) {
    EXPECT_LT(listed_at(page, first[i]), listed_at(page, first[i + 1])) << first[i];
  }
  EXPECT_NE(page.find("<h2>Требуют внимания (5)</h2>"), std::string::npos);
  EXPECT_NE(page.find("<h2>Остальные школы (1995)</h2>"), std::string::npos);
  EXPECT_NE(card_of(page, "sch-0700").find("<a href=\"school/sch-0700#held\">47 действий ждут "
                                           "одобрения</a>"),
            std::string::npos);
  EXPECT_NE(row_of(page, "sch-0001").find("<a href=\"school/sch-0001\">sch-0001</a>"),
            std::string::npos);
}

TEST(StatusPageForARegion, CountsTheRegionAtTheTop) {
  auto d = region(2000);
  fail(d.schools[5], true);
  fail(d.schools[6], false);
  d.schools[7].last_result = mapping::CycleResult::held;
  d.schools[7].held = 30;
  d.schools[8].held = 4;
  const auto page = render_status_page(d);
  EXPECT_NE(page.find("<dt>школ</dt><dd>2000</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>в порядке</dt><dd>1997</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>с ошибкой</dt><dd>2</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>в карантине</dt><dd>1</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>удержано действий</dt><dd>34</dd>"), std::string::npos);
}

// The bound docs/observability.md states: 2,000 schools fit in 600 KiB, three failing or all.
TEST(StatusPageForARegion, StaysUnderItsStatedSizeForTwoThousandSchools) {
  auto d = region(2000);
  for (const int i : {10, 900, 1800}) fail(d.schools[i], false);
  EXPECT_LT(render_status_page(d).size(), 600u * 1024);
  for (auto& s : d.schools) fail(s, true);
  const auto all_failing = render_status_page(d);
  EXPECT_LT(all_failing.size(), 600u * 1024);
  EXPECT_NE(all_failing.find("Ещё 1950 школ — первыми в таблице ниже"), std::string::npos);
}

TEST(StatusPageForARegion, FiltersByIdOrNameIgnoringCase) {
  auto d = region(300);
  d.schools[42].name = "МАОУ «Лицей № 42» г. Твери";
  struct Case {
    std::string query;
    std::vector<std::string> found;
  };
  const Case cases[] = {
      {"лицей", {"sch-0042"}},
      {"ЛИЦЕЙ № 42", {"sch-0042"}},
      {"  sch-0299 ", {"sch-0299"}},
      {"SCH-012", {"sch-0120", "sch-0121", "sch-0122", "sch-0123", "sch-0124", "sch-0125",
                   "sch-0126", "sch-0127", "sch-0128", "sch-0129"}},
      {"гимназия", {}},
  };
  for (const auto& c : cases) {
    d.query = c.query;
    const auto page = render_status_page(d);
    std::size_t listed = 0;
    for (const auto& s : d.schools) {
      const bool wanted = std::find(c.found.begin(), c.found.end(), s.id) != c.found.end();
      EXPECT_EQ(listed_at(page, s.id) != std::string::npos, wanted) << c.query << ": " << s.id;
      listed += listed_at(page, s.id) != std::string::npos ? 1 : 0;
    }
    EXPECT_EQ(listed, c.found.size()) << c.query;
    EXPECT_NE(page.find("<a href=\"./\">показать все</a>"), std::string::npos) << c.query;
  }
  d.query = "гимназия";
  EXPECT_NE(render_status_page(d).find("Ничего не найдено."), std::string::npos);
  d.query = "лицей";
  EXPECT_NE(render_status_page(d).find("Найдена 1 школа по запросу «лицей»"), std::string::npos);
}

// The filter is a plain GET form (the page has no scripts); what was typed comes back escaped.
TEST(StatusPageForARegion, FilterIsAFormThatNeedsNoScriptAndEchoesTheQueryEscaped) {
  auto d = region(3);
  d.query = R"("><script>x</script>)";
  const auto page = render_status_page(d);
  EXPECT_NE(page.find(R"(<form class="filter" method="get" action="")"), std::string::npos);
  EXPECT_NE(page.find(R"(name="q" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;")"),
            std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

// The config's language "en": the same page in English, the catalog's msgids.
TEST(StatusPageForARegion, SpeaksEnglishWhenTheLanguageIsEnglish) {
  auto d = three_schools();
  d.schools[1].held = 1;
  set_language(Language::en);
  const auto page = render_status_page(d);
  set_language(Language::ru);
  EXPECT_NE(page.find("<html lang=\"en\">"), std::string::npos);
  for (const char* words :
       {"<dt>schools</dt><dd>4</dd>", "<dt>failing</dt><dd>1</dd>", "Need attention (2)",
        "Waiting for approval <small>held</small>", "Error <small>failed</small>",
        "<td>Synchronized<td>", "1 action waits for approval", "Failures in a row",
        "yes: retried rarely", "Other schools (2)", "School name or id"}) {
    EXPECT_NE(page.find(words), std::string::npos) << words;
  }
  for (const char* russian : {"школ", "Ошибка", "Карантин", "Синхронизировано"}) {
    EXPECT_EQ(page.find(russian), std::string::npos) << russian;
  }
}

}  // namespace
}  // namespace rosterd::daemon

namespace rosterd::daemon {
namespace {

struct LabelCase {
  const char* result;
  const char* css;
  const char* label;
};

class ResultLabel : public ::testing::TestWithParam<LabelCase> {};

TEST_P(ResultLabel, ShowsEveryResultInRussianWithItsCode) {
  const auto& c = GetParam();
  StatusPageData d;
  d.schools = {school("sch-1", c.result)};
  const auto page = render_status_page(d);
  // A card for a school that needs a person, a row for the others: the label either way.
  const bool card = page.find("<article") != std::string::npos;
  if (card) {
    EXPECT_NE(page.find(std::string("<article class=\"school ") + c.css + "\""), std::string::npos);
    EXPECT_NE(page.find(std::string(c.label) + " <small>" + c.result + "</small>"),
              std::string::npos)
        << page;
  } else {
    EXPECT_NE(page.find(std::string("<tr class=\"") + c.css + "\"><td>"), std::string::npos);
    EXPECT_NE(page.find(std::string("</small><td>") + c.label + "<td>"), std::string::npos) << page;
  }
}

INSTANTIATE_TEST_SUITE_P(
    StatusPage, ResultLabel,
    ::testing::Values(LabelCase{"ok", "ok", "Синхронизировано"},
                      LabelCase{"partial", "partial", "Частично"},
                      LabelCase{"held", "held", "Ждёт одобрения"},
                      LabelCase{"source_failure", "failing", "Сбой журнала"},
                      LabelCase{"failed", "failing", "Ошибка"},
                      LabelCase{"stopped", "stopped", "Прервано остановкой"},
                      LabelCase{"leased", "stopped", "Занята другим процессом"}),
    [](const auto& info) { return std::string(info.param.result); });

}  // namespace
}  // namespace rosterd::daemon

namespace rosterd::daemon {
namespace {

// A daemon among a region's: the page names it and the others alive, and per school which
// daemon syncs it (this one, or another by name).
TEST(StatusPage, NamesThisDaemonTheOthersAndWhichDaemonSyncsEachSchool) {
  set_language(Language::en);
  auto d = three_schools();
  d.region.self = "host-a:101:aa11";
  d.region.members = {{"host-a:101:aa11", "", "", ""}, {"host-b:202:bb22", "", "", ""}};
  d.schools[0].owner = "host-a:101:aa11";  // in the table
  d.schools[1].owner = "host-b:202:bb22";  // held: a card
  const auto page = render_status_page(d);
  EXPECT_NE(page.find("This daemon: host-a:101:aa11; the others alive: host-b:202:bb22"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("<th>Daemon"), std::string::npos);
  EXPECT_NE(page.find("<td>this one"), std::string::npos);
  EXPECT_NE(page.find("<dt>Daemon</dt><dd><small>host-b:202:bb22</small>"), std::string::npos);
  // A daemon alone on its store says so; one of no region shows no column.
  d.region.members.resize(1);
  EXPECT_NE(render_status_page(d).find("no other daemon is alive"), std::string::npos);
  d.region = {};
  EXPECT_EQ(render_status_page(d).find("<th>Daemon"), std::string::npos);
  set_language(Language::ru);
}

}  // namespace
}  // namespace rosterd::daemon
