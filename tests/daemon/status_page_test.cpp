// The status page as a school administrator's phone receives it: every school, escaped
// text, nothing loaded from anywhere else.
#include "daemon/status_page.h"

#include <gtest/gtest.h>

#include <string>

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
  d.schools = {ok, held, failing,
               SchoolStatus{"sch-new", {}, {}, {}, {}, 0, {}, 0, 0, false, {}, {}, {}}};
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
  d.schools = {school(R"(x" onmouseover="y)", "ok")};
  const auto page = render_status_page(d);
  EXPECT_EQ(page.find(R"(" onmouseover=")"), std::string::npos);
  EXPECT_NE(page.find(R"(data-school="x&quot; onmouseover=&quot;y")"), std::string::npos);
}

TEST(StatusPage, ListsEverySchoolWithItsResult) {
  const auto page = render_status_page(three_schools());
  for (const char* id : {"sch-ok", "sch-held", "sch-broken", "sch-new"}) {
    EXPECT_NE(page.find(std::string("data-school=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_NE(page.find("Синхронизировано <small>ok</small>"), std::string::npos);
  EXPECT_NE(page.find("Ждёт одобрения <small>held</small>"), std::string::npos);
  EXPECT_NE(page.find("Ошибка <small>failed</small>"), std::string::npos);
  EXPECT_NE(page.find("Ещё не запускалась"), std::string::npos);
  EXPECT_NE(page.find("Карантин</span>"), std::string::npos);
  EXPECT_NE(page.find("добавить участника: <b>12</b>"), std::string::npos);
  EXPECT_NE(page.find("journal: sch-broken/org.json: not JSON"), std::string::npos);
}

// The card of one school, from its opening tag to its end.
std::string card_of(const std::string& page, const std::string& id) {
  const auto start = page.find("data-school=\"" + id + "\"");
  if (start == std::string::npos) return {};
  return page.substr(start, page.find("</article>", start) - start);
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
  const auto page = render_status_page(d);
  const auto ok = card_of(page, "sch-ok");
  EXPECT_NE(ok.find("<dt>Активные чаты</dt><dd>5 из 12</dd>"), std::string::npos) << ok;
  EXPECT_NE(ok.find("<dt>В чатах</dt><dd>99 % (149 из 150)</dd>"), std::string::npos) << ok;
  const auto held = card_of(page, "sch-held");
  EXPECT_NE(held.find("<dt>В чатах</dt><dd>100 % (0 из 0)</dd>"), std::string::npos) << held;
  const auto never = card_of(page, "sch-new");
  EXPECT_NE(never.find("<dt>Активные чаты</dt><dd>—</dd>"), std::string::npos) << never;
  EXPECT_NE(never.find("<dt>В чатах</dt><dd>—</dd>"), std::string::npos) << never;
}

TEST(StatusPage, PutsTheMostUrgentSchoolsFirst) {
  const auto page = render_status_page(three_schools());
  const auto broken = page.find("data-school=\"sch-broken\"");
  const auto held = page.find("data-school=\"sch-held\"");
  const auto ok = page.find("data-school=\"sch-ok\"");
  EXPECT_LT(broken, held);
  EXPECT_LT(held, ok);
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
  EXPECT_NE(page.find("data-school=\"s-1\""), std::string::npos);
  EXPECT_NE(page.find("data-school=\"s-2\""), std::string::npos);
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
  EXPECT_NE(page.find(std::string("<article class=\"school ") + c.css + "\""), std::string::npos)
      << page;
  EXPECT_NE(page.find(std::string(c.label) + " <small>" + c.result + "</small>"), std::string::npos)
      << page;
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
