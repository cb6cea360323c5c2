// One school's page: what it held back and the command that decides each action, what its last
// cycle found, its monitoring figures and its last cycles; and the small helpers that make its
// links and commands safe to follow and to paste.
#include <gtest/gtest.h>

#include <string>

#include "daemon/i18n.h"
#include "daemon/status_page.h"
#include "mapping/message.h"

namespace rosterd::daemon {
namespace {

mapping::Action removal(std::string chat, std::string person) {
  mapping::Action a;
  a.type = mapping::ActionType::remove_member;
  a.chat_key = std::move(chat);
  a.person_id = std::move(person);
  a.reason = mapping::msg("test.reason", "left class {group}", {{"group", "5А"}});
  a.held = true;
  a.held_reason = mapping::msg("test.held", "more than {n} removals", {{"n", "30"}});
  return a;
}

SchoolPageData held_school() {
  SchoolPageData d;
  d.status.id = "sch-0002";
  d.status.name = "МБОУ «Гимназия № 2»";
  d.status.last_result = mapping::CycleResult::held;
  d.status.held = 2;
  d.status.findings = {{mapping::FindingCode::no_contact, {"p-9"},
                        mapping::msg("test.no_contact", "{who} has no contact",
                                     {{"who", "Петров Пётр (5А)"}})}};
  d.status.findings_total = 1;
  SchoolDetail detail;
  detail.held = {removal("class:g-5a", "p-7"), removal("parents:g-5a", "p'8")};
  mapping::RunRecord run;
  run.started_at = "2026-11-20T12:00:00Z";
  run.finished_at = "2026-11-20T12:00:04Z";
  run.result = mapping::CycleResult::held;
  run.summary = "2 remove_member; 2 held";
  detail.runs = {run};
  mapping::SchoolNumbers n;
  n.managed_chats = 12;
  n.active_chats = 5;
  n.expected = 150;
  n.expected_in = 130;
  detail.numbers = n;
  d.detail = detail;
  d.config_file = "/etc/rosterd/rosterd.json";
  d.generated_at = "2026-11-20T12:01:00Z";
  return d;
}

TEST(SchoolPage, ListsEachHeldActionWithTheCommandsThatDecideIt) {
  const auto page = render_school_page(held_school());
  const std::string command = "rosterd approve --config /etc/rosterd/rosterd.json --school sch-0002";
  EXPECT_NE(page.find("<h2 id=\"held\">Удержанные действия (2)</h2>"), std::string::npos);
  EXPECT_NE(page.find("<code class=\"cmd\">" + command + "</code>"), std::string::npos) << page;
  // The ids are mapping::action_id's, quoted for a shell (they hold spaces; one a quote).
  EXPECT_NE(page.find(command + " --action &#39;remove_member class:g-5a p-7&#39;"),
            std::string::npos);
  EXPECT_NE(page.find(command + " --reject &#39;remove_member class:g-5a p-7&#39;"),
            std::string::npos);
  EXPECT_NE(page.find(command + " --action &#39;remove_member parents:g-5a p&#39;\\&#39;&#39;8&#39;"),
            std::string::npos);
  // What, who, which chat, why and why held.
  EXPECT_NE(page.find("<li><b>удалить участника</b><dl class=\"facts\"><dt>Кто</dt><dd>p-7</dd>"
                      "<dt>Чат</dt><dd>class:g-5a</dd><dt>Почему</dt><dd>left class 5А</dd>"
                      "<dt>Почему удержано</dt><dd>more than 30 removals</dd></dl>"),
            std::string::npos)
      << page;
}

TEST(SchoolPage, ShowsFindingsMonitoringAndTheLastCycles) {
  const auto page = render_school_page(held_school());
  EXPECT_NE(page.find("<small>no_contact</small> Петров Пётр (5А) has no contact"),
            std::string::npos);
  EXPECT_NE(page.find("<dt>Чатов под управлением</dt><dd>12</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>Активные чаты (больше 3 участников)</dt><dd>5</dd>"), std::string::npos);
  EXPECT_NE(page.find("<dt>Люди в своих чатах</dt><dd>86 % (130 из 150)</dd>"), std::string::npos);
  EXPECT_NE(page.find("<tr class=\"held\"><td>2026-11-20 12:00<td class=\"w\">2026-11-20 "
                      "12:00<td class=\"r\">Ждёт одобрения<td>2 remove_member; 2 held"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("<a href=\"../\">"), std::string::npos) << "a way back to all schools";
}

TEST(SchoolPage, SaysWhenTheStoreCouldNotBeReadAndKeepsWhatTheCyclesReported) {
  auto d = held_school();
  d.detail = SchoolDetail{};
  d.detail->error = "store: database is locked";
  const auto page = render_school_page(d);
  EXPECT_NE(page.find("Не удалось прочитать хранилище: store: database is locked"),
            std::string::npos);
  EXPECT_NE(page.find("Петров Пётр (5А) has no contact"), std::string::npos);
}

TEST(SchoolPage, OffersTheRetryCommandForAQuarantinedSchool) {
  auto d = held_school();
  d.status.quarantined = true;
  const auto page = render_school_page(d);
  EXPECT_NE(page.find("rosterd retry --config /etc/rosterd/rosterd.json --school sch-0002"),
            std::string::npos);
}

TEST(SchoolPage, SpeaksEnglishWhenTheLanguageIsEnglish) {
  set_language(Language::en);
  const auto page = render_school_page(held_school());
  set_language(Language::ru);
  for (const char* words : {"Held actions (2)", "Approve or reject", "remove a member",
                            "People in their chats", "86 % (130 of 150)", "Last cycles"}) {
    EXPECT_NE(page.find(words), std::string::npos) << words;
  }
}

TEST(StatusLinks, EncodeAnIdAsOnePathSegment) {
  const std::pair<std::string, std::string> cases[] = {
      {"sch-0001", "sch-0001"},     {"a b", "a%20b"},       {"a/b", "a%2Fb"},
      {"школа", "%D1%88%D0%BA%D0%BE%D0%BB%D0%B0"},          {"x\"<", "x%22%3C"},
      {"a.b_c~d", "a.b_c~d"},       {"?q=1#f", "%3Fq%3D1%23f"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(url_segment(in), out) << in;
}

TEST(StatusLinks, QuoteAShellWordOnlyWhenItNeedsIt) {
  const std::pair<std::string, std::string> cases[] = {
      {"sch-0001", "sch-0001"},
      {"/etc/rosterd/rosterd.json", "/etc/rosterd/rosterd.json"},
      {"remove_member class:g p7", "'remove_member class:g p7'"},
      {"it's", "'it'\\''s'"},
      {"$(rm -rf /)", "'$(rm -rf /)'"},
      {"школа", "'школа'"},
      {"", "''"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(shell_word(in), out) << in;
}

TEST(StatusLinks, TellALoopbackPeerFromAnyOther) {
  const std::pair<const char*, bool> cases[] = {
      {"127.0.0.1", true},     {"127.3.2.1", true},  {"::1", true},
      {"::ffff:127.0.0.1", true}, {"10.0.0.5", false}, {"192.168.1.2", false},
      {"::ffff:10.0.0.5", false}, {"fe80::1", false},  {"", false},
      {"localhost", false},
  };
  for (const auto& [address, loopback] : cases)
    EXPECT_EQ(is_loopback_address(address), loopback) << address;
}

}  // namespace
}  // namespace rosterd::daemon
