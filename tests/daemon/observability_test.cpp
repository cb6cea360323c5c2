// The Observatory as the scheduler feeds it: metrics parsed back from the exposition text,
// the STATUS= line, and what a reload of the school list does.
#include "daemon/observability.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace rosterd::daemon {
namespace {

using mapping::ActionType;

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;  // unescaped
  std::string value;
};

// A strict reader of the text format: every sample belongs to a family declared by a
// preceding # HELP and # TYPE; label values are unescaped; anything else fails the test.
class Exposition {
 public:
  explicit Exposition(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) parse_line(line);
  }
  [[nodiscard]] std::optional<double> value(
      const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
    for (const auto& s : samples_) {
      if (s.name == name && s.labels == labels) return std::stod(s.value);
    }
    return std::nullopt;
  }
  [[nodiscard]] const std::map<std::string, std::string>& types() const { return types_; }
  [[nodiscard]] const std::vector<Sample>& samples() const { return samples_; }

 private:
  void parse_line(const std::string& line) {
    ASSERT_FALSE(line.empty()) << "blank line in the exposition";
    if (line.rfind("# HELP ", 0) == 0) {
      const auto name = line.substr(7, line.find(' ', 7) - 7);
      ASSERT_FALSE(helps_.contains(name)) << "second HELP for " << name;
      helps_.insert({name, true});
      return;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream w(line.substr(7));
      std::string name, type;
      w >> name >> type;
      ASSERT_TRUE(helps_.contains(name)) << "TYPE before HELP: " << name;
      ASSERT_TRUE(type == "counter" || type == "gauge" || type == "histogram") << line;
      types_[name] = type;
      return;
    }
    Sample s;
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') s.name += line[i++];
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (line.at(i) != '}') {
        const auto eq = line.find("=\"", i);
        ASSERT_NE(eq, std::string::npos) << line;
        const std::string key = line.substr(i, eq - i);
        std::string v;
        for (i = eq + 2; line.at(i) != '"'; ++i) {
          if (line[i] == '\\') {
            const char e = line.at(++i);
            ASSERT_TRUE(e == '\\' || e == '"' || e == 'n') << "bad escape in " << line;
            v += e == 'n' ? '\n' : e;
          } else {
            v += line[i];
          }
        }
        s.labels[key] = v;
        ++i;
        if (line.at(i) == ',') ++i;
      }
      ++i;
    }
    ASSERT_EQ(line.at(i), ' ') << line;
    s.value = line.substr(i + 1);
    ASSERT_FALSE(s.value.empty()) << line;
    ASSERT_TRUE(types_.contains(family_of(s.name))) << "sample without TYPE: " << line;
    samples_.push_back(std::move(s));
  }
  [[nodiscard]] std::string family_of(const std::string& name) const {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string sf = suffix;
      if (name.size() > sf.size() && name.ends_with(sf)) {
        const auto base = name.substr(0, name.size() - sf.size());
        if (types_.contains(base) && types_.at(base) == "histogram") return base;
      }
    }
    return name;
  }

  std::map<std::string, bool> helps_;
  std::map<std::string, std::string> types_;
  std::vector<Sample> samples_;
};

// The first `done` actions not held were done.
SyncResult result_of(std::string_view result, std::vector<std::pair<ActionType, bool>> actions,
                     std::size_t done, std::string error = {}) {
  SyncResult r;
  r.result = mapping::parse_cycle_result(result).value();
  r.error = std::move(error);
  for (const auto& [type, held] : actions) {
    mapping::Action a;
    a.type = type;
    a.held = held;
    r.plan.actions.push_back(a);
    if (!held && done > 0) {
      r.writes.add(type, mapping::WriteStatus::done);
      --done;
    }
  }
  return r;
}

CycleReport report_of(const std::string& school, const SyncResult& r, double duration = 1,
                      const std::string& at = "2026-11-20T12:00:05Z", double unix = 1795003205) {
  CycleReport c;
  c.school_id = school;
  c.result = &r;
  c.duration_s = duration;
  c.finished_at = at;
  c.finished_unix = unix;
  c.consecutive_failures = r.result == mapping::CycleResult::failed ||
                                   r.result == mapping::CycleResult::source_failure
                               ? 1
                               : 0;
  c.next_run_at = "2026-11-20T12:15:05Z";
  return c;
}

TEST(Observatory, CountsCyclesBySchoolAndResult) {
  Observatory o;
  o.set_schools({"s1", "s2"});
  const auto ok = result_of("ok", {}, 0);
  const auto failed = result_of("failed", {}, 0, "journal: sch/org.json: missing");
  o.record_cycle(report_of("s1", ok));
  o.record_cycle(report_of("s1", ok));
  o.record_cycle(report_of("s1", failed));
  o.record_cycle(report_of("s2", failed));
  const Exposition e(o.prometheus_text());
  EXPECT_EQ(e.value("rosterd_cycles_total", {{"school", "s1"}, {"result", "ok"}}), 2);
  EXPECT_EQ(e.value("rosterd_cycles_total", {{"school", "s1"}, {"result", "failed"}}), 1);
  EXPECT_EQ(e.value("rosterd_cycles_total", {{"school", "s2"}, {"result", "failed"}}), 1);
  EXPECT_FALSE(e.value("rosterd_cycles_total", {{"school", "s2"}, {"result", "ok"}}));
  EXPECT_EQ(e.value("rosterd_schools"), 2);
  EXPECT_EQ(e.types().at("rosterd_cycles_total"), "counter");
}

TEST(Observatory, KeepsCumulativeDurationBucketsPerResult) {
  Observatory o;
  o.set_schools({"s1"});
  const auto ok = result_of("ok", {}, 0);
  const auto failed = result_of("failed", {}, 0, "x");
  for (const double d : {0.05, 0.3, 3.0, 700.0}) o.record_cycle(report_of("s1", ok, d));
  o.record_cycle(report_of("s1", failed, 20));
  const Exposition e(o.prometheus_text());
  const auto bucket = [&](const std::string& result, const std::string& le) {
    return e.value("rosterd_cycle_duration_seconds_bucket", {{"result", result}, {"le", le}});
  };
  EXPECT_EQ(e.types().at("rosterd_cycle_duration_seconds"), "histogram");
  EXPECT_EQ(bucket("ok", "0.1"), 1);
  EXPECT_EQ(bucket("ok", "0.25"), 1);
  EXPECT_EQ(bucket("ok", "0.5"), 2);
  EXPECT_EQ(bucket("ok", "2.5"), 2);
  EXPECT_EQ(bucket("ok", "5"), 3);
  EXPECT_EQ(bucket("ok", "600"), 3);
  EXPECT_EQ(bucket("ok", "+Inf"), 4);
  EXPECT_EQ(e.value("rosterd_cycle_duration_seconds_count", {{"result", "ok"}}), 4);
  EXPECT_DOUBLE_EQ(*e.value("rosterd_cycle_duration_seconds_sum", {{"result", "ok"}}), 703.35);
  EXPECT_EQ(bucket("failed", "10"), 0);
  EXPECT_EQ(bucket("failed", "30"), 1);
  EXPECT_EQ(bucket("failed", "+Inf"), 1);
  // Buckets never decrease, and every result has all thirteen of them.
  std::map<std::string, std::vector<double>> by_result;
  for (const auto& s : e.samples()) {
    if (s.name == "rosterd_cycle_duration_seconds_bucket")
      by_result[s.labels.at("result")].push_back(std::stod(s.value));
  }
  ASSERT_EQ(by_result.size(), 2u);
  for (const auto& [result, counts] : by_result) {
    EXPECT_EQ(counts.size(), 13u) << result;
    EXPECT_TRUE(std::is_sorted(counts.begin(), counts.end())) << result;
  }
}

TEST(Observatory, EscapesLabelValues) {
  const std::string hostile = "a\"b\\c\nd";
  Observatory o;
  o.set_schools({hostile});
  const auto ok = result_of("ok", {}, 0);
  o.record_cycle(report_of(hostile, ok));
  o.add_platform_calls({{"messages.\"x\"", 1}}, {});
  const auto text = o.prometheus_text();
  EXPECT_NE(text.find(R"(rosterd_held_actions{school="a\"b\\c\nd"} 0)"), std::string::npos) << text;
  const Exposition e(text);
  EXPECT_EQ(e.value("rosterd_cycles_total", {{"school", hostile}, {"result", "ok"}}), 1);
  EXPECT_EQ(e.value("rosterd_platform_calls_total", {{"method", "messages.\"x\""}}), 1);
}

TEST(Observatory, CountsWritesDoneByActionTypeAndNeverHeldOnes) {
  Observatory o;
  o.set_schools({"s1"});
  const auto r = result_of("held",
                           {{ActionType::create_chat, false},
                            {ActionType::create_chat, false},
                            {ActionType::add_member, false},
                            {ActionType::add_member, false},
                            {ActionType::add_member, false},
                            {ActionType::remove_member, true}},
                           5);
  o.record_cycle(report_of("s1", r));
  o.record_cycle(report_of("s1", r));
  const Exposition e(o.prometheus_text());
  EXPECT_EQ(e.value("rosterd_actions_applied_total", {{"type", "create_chat"}}), 4);
  EXPECT_EQ(e.value("rosterd_actions_applied_total", {{"type", "add_member"}}), 6);
  EXPECT_EQ(e.value("rosterd_actions_applied_total", {{"type", "remove_member"}}), 0);
  EXPECT_EQ(e.value("rosterd_writes_total", {{"outcome", "done"}}), 10);
  EXPECT_EQ(e.value("rosterd_held_actions", {{"school", "s1"}}), 1);
}

TEST(Observatory, CountsPartlyDoneWritesByTheTypeTheCycleCountedThemUnder) {
  Observatory o;
  o.set_schools({"s1"});
  auto r = result_of("partial",
                     {{ActionType::archive_chat, false},
                      {ActionType::add_member, false},
                      {ActionType::add_member, false},
                      {ActionType::create_chat, false}},
                     0);
  r.writes.add(ActionType::create_chat, mapping::WriteStatus::done);
  r.writes.add(ActionType::add_member, mapping::WriteStatus::done);
  r.writes.add(ActionType::add_member, mapping::WriteStatus::rejected);
  r.writes.add(ActionType::archive_chat, mapping::WriteStatus::rejected);
  o.record_cycle(report_of("s1", r));
  const Exposition e(o.prometheus_text());
  EXPECT_EQ(e.value("rosterd_actions_applied_total", {{"type", "create_chat"}}), 1);
  EXPECT_EQ(e.value("rosterd_actions_applied_total", {{"type", "add_member"}}), 1);
  EXPECT_EQ(e.value("rosterd_actions_applied_total", {{"type", "archive_chat"}}), 0);
  EXPECT_EQ(e.value("rosterd_writes_total", {{"outcome", "rejected"}}), 2);
}

TEST(Observatory, ReportsLastSuccessFailingSchoolsAndQuarantine) {
  Observatory o;
  o.set_schools({"ok", "broken", "new"});
  const auto ok = result_of("ok", {}, 0);
  const auto failed = result_of("failed", {}, 0, "journal: broken/org.json: not JSON");
  o.record_cycle(report_of("ok", ok, 1, "2026-11-20T12:00:05Z", 1795003205));
  o.record_cycle(report_of("broken", ok, 1, "2026-11-20T11:00:00Z", 1794999600));
  auto quarantined = report_of("broken", failed);
  quarantined.consecutive_failures = 5;
  quarantined.quarantined = true;
  o.record_cycle(quarantined);
  const Exposition e(o.prometheus_text());
  EXPECT_EQ(e.value("rosterd_last_success_timestamp_seconds", {{"school", "ok"}}), 1795003205);
  EXPECT_EQ(e.value("rosterd_last_success_timestamp_seconds", {{"school", "broken"}}), 1794999600);
  EXPECT_FALSE(e.value("rosterd_last_success_timestamp_seconds", {{"school", "new"}}));
  EXPECT_EQ(e.value("rosterd_school_failing", {{"school", "ok"}}), 0);
  EXPECT_EQ(e.value("rosterd_school_failing", {{"school", "broken"}}), 1);
  EXPECT_EQ(e.value("rosterd_school_failing", {{"school", "new"}}), 0);
  EXPECT_EQ(e.value("rosterd_quarantined_schools"), 1);
  EXPECT_EQ(e.value("rosterd_school_quarantined", {{"school", "broken"}}), 1);
  EXPECT_EQ(e.value("rosterd_school_quarantined", {{"school", "ok"}}), 0);
  EXPECT_EQ(e.value("rosterd_school_quarantined", {{"school", "new"}}), 0);
  const auto schools = o.schools();
  ASSERT_EQ(schools.size(), 3u);
  const auto& broken = schools[0];
  EXPECT_EQ(broken.id, "broken");
  EXPECT_EQ(broken.last_result, mapping::CycleResult::failed);
  EXPECT_EQ(broken.last_success_at, "2026-11-20T11:00:00Z");
  EXPECT_EQ(broken.consecutive_failures, 5u);
  EXPECT_TRUE(broken.quarantined);
  EXPECT_EQ(broken.last_error, "journal: broken/org.json: not JSON");
}

// 2,000 schools: one quarantine series per school, never more (no series per failure or per
// retry), and the count of quarantined schools beside them.
TEST(Observatory, LabelsQuarantineBySchoolWithOneSeriesEach) {
  Observatory o;
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) ids.push_back("sch-" + std::to_string(i));
  o.set_schools(ids);
  const auto failed = result_of("failed", {}, 0, "journal: timed out");
  for (const char* id : {"sch-7", "sch-1999"}) {
    for (int cycle = 0; cycle < 3; ++cycle) {
      auto r = report_of(id, failed);
      r.consecutive_failures = static_cast<std::size_t>(cycle + 5);
      r.quarantined = true;
      o.record_cycle(r);
    }
  }
  const Exposition e(o.prometheus_text());
  std::size_t series = 0;
  std::size_t quarantined = 0;
  for (const auto& s : e.samples()) {
    if (s.name != "rosterd_school_quarantined") continue;
    ++series;
    quarantined += s.value == "1" ? 1 : 0;
  }
  EXPECT_EQ(series, 2000u);
  EXPECT_EQ(quarantined, 2u);
  EXPECT_EQ(e.value("rosterd_school_quarantined", {{"school", "sch-7"}}), 1);
  EXPECT_EQ(e.value("rosterd_school_quarantined", {{"school", "sch-8"}}), 0);
  EXPECT_EQ(e.value("rosterd_quarantined_schools"), 2);
}

// The school's page shows its last cycle's findings: the first 100 and how many there were,
// kept when a later cycle failed before it planned.
TEST(Observatory, KeepsTheLastCyclesFindingsForTheSchoolsPage) {
  Observatory o;
  o.set_schools({"s1"});
  auto r = result_of("ok", {}, 0);
  for (int i = 0; i < 130; ++i)
    r.plan.findings.push_back({mapping::FindingCode::no_contact, {"p-" + std::to_string(i)},
                               "p-" + std::to_string(i) + " has no contact"});
  o.record_cycle(report_of("s1", r));
  const auto failed = result_of("failed", {}, 0, "journal: timed out");
  o.record_cycle(report_of("s1", failed));
  const auto s1 = o.school("s1");
  ASSERT_TRUE(s1);
  ASSERT_EQ(s1->findings.size(), 100u);
  EXPECT_EQ(s1->findings_total, 130u);
  EXPECT_EQ(s1->findings[99].message, "p-99 has no contact");
  EXPECT_TRUE(o.schools().at(0).findings.empty()) << "the main page does not copy them";
  EXPECT_FALSE(o.school("s2"));
  const auto page = o.school_html("s1", {});
  ASSERT_TRUE(page);
  EXPECT_NE(page->find("p-99 has no contact"), std::string::npos);
  EXPECT_EQ(page->find("p-100 has no contact"), std::string::npos);
  EXPECT_FALSE(o.school_html("s2", {}));
}

TEST(Observatory, CountsSourceFailuresAsFailingWithTheFindingAsError) {
  Observatory o;
  o.set_schools({"s1"});
  auto r = result_of("source_failure", {}, 0);
  r.plan.findings.push_back({mapping::FindingCode::source_failure, {"s1"}, "the journal lists 40% fewer people"});
  o.record_cycle(report_of("s1", r));
  EXPECT_EQ(Exposition(o.prometheus_text()).value("rosterd_school_failing", {{"school", "s1"}}), 1);
  EXPECT_EQ(o.schools().at(0).last_error, "the journal lists 40% fewer people");
}

TEST(Observatory, KeepsTheHeldCountWhenACycleFailsBeforePlanning) {
  Observatory o;
  o.set_schools({"s1"});
  const auto held = result_of("held",
                              {{ActionType::remove_member, true},
                               {ActionType::archive_chat, true},
                               {ActionType::add_member, false}},
                              1);
  const auto failed = result_of("failed", {}, 0, "store: locked");
  o.record_cycle(report_of("s1", held));
  EXPECT_EQ(o.schools().at(0).last_actions,
            (std::map<std::string, std::size_t>{{"add_member", 1}}));
  o.record_cycle(report_of("s1", failed));
  EXPECT_EQ(o.schools().at(0).held, 2u);
  EXPECT_TRUE(o.schools().at(0).last_actions.empty());
}

TEST(Observatory, AddsPlatformCallAndErrorDeltas) {
  Observatory o;
  o.add_platform_calls({{"execute", 3}, {"sferum.listChats", 1}}, {{"6", 2}});
  o.add_platform_calls({{"execute", 2}}, {{"6", 1}, {"http_503", 1}});
  const Exposition e(o.prometheus_text());
  EXPECT_EQ(e.value("rosterd_platform_calls_total", {{"method", "execute"}}), 5);
  EXPECT_EQ(e.value("rosterd_platform_calls_total", {{"method", "sferum.listChats"}}), 1);
  EXPECT_EQ(e.value("rosterd_platform_errors_total", {{"code", "6"}}), 3);
  EXPECT_EQ(e.value("rosterd_platform_errors_total", {{"code", "http_503"}}), 1);
}

TEST(Observatory, ReloadGaugeFollowsTheLastReload) {
  Observatory o;
  EXPECT_EQ(Exposition(o.prometheus_text()).value("rosterd_reload_success"), 1);
  o.set_reload_result(false, "2026-11-20T12:00:00Z", "rosterd.json: schools[0].id: missing");
  EXPECT_EQ(Exposition(o.prometheus_text()).value("rosterd_reload_success"), 0);
  EXPECT_NE(o.status_line().find("reload failed"), std::string::npos);
  o.set_reload_result(true, "2026-11-20T12:05:00Z", "");
  EXPECT_EQ(Exposition(o.prometheus_text()).value("rosterd_reload_success"), 1);
}

TEST(Observatory, DropsSchoolsNoLongerConfiguredAndTheirLateReports) {
  Observatory o;
  o.set_schools({"s1", "s2"});
  const auto ok = result_of("ok", {}, 0);
  o.record_cycle(report_of("s2", ok));
  o.set_schools({"s1"});
  o.record_cycle(report_of("s2", ok));  // its cycle was in flight during the reload
  const auto text = o.prometheus_text();
  EXPECT_EQ(text.find("\"s2\""), std::string::npos) << text;
  ASSERT_EQ(o.schools().size(), 1u);
  EXPECT_EQ(o.schools()[0].id, "s1");
}

TEST(Observatory, DeclaresEveryFamilyEvenBeforeAnyCycle) {
  const Exposition e(Observatory().prometheus_text());
  for (const char* family :
       {"rosterd_cycles_total", "rosterd_cycle_duration_seconds", "rosterd_actions_applied_total",
        "rosterd_platform_calls_total", "rosterd_platform_errors_total",
        "rosterd_last_success_timestamp_seconds", "rosterd_held_actions", "rosterd_school_failing",
        "rosterd_quarantined_schools", "rosterd_school_quarantined", "rosterd_reload_success",
        "rosterd_chats_managed",
        "rosterd_chats_active", "rosterd_members_coverage_ratio", "rosterd_chats_read_total"}) {
    EXPECT_TRUE(e.types().contains(family)) << family;
  }
  EXPECT_EQ(e.value("rosterd_actions_applied_total", {{"type", "annul_invite"}}), 0);
}

// What the cycle saw on the platform: `managed` chats, `active` of them, `in` of `expected`.
mapping::SchoolNumbers numbers_of(std::uint32_t managed, std::uint32_t active, std::uint32_t in,
                                  std::uint32_t expected) {
  mapping::SchoolNumbers n;
  n.managed_chats = managed;
  n.active_chats = active;
  n.expected_in = in;
  n.expected = expected;
  return n;
}

TEST(Observatory, ShowsEachSchoolsChatsAndCoverageFromItsLastLook) {
  Observatory o;
  o.set_schools({"s1", "s2", "s3"});
  auto r1 = result_of("ok", {}, 0);
  r1.numbers = numbers_of(12, 5, 130, 150);
  r1.chats_read = 12;
  auto r2 = result_of("ok", {}, 0);
  r2.numbers = numbers_of(3, 0, 0, 0);
  r2.chats_read = 3;
  o.record_cycle(report_of("s1", r1));
  o.record_cycle(report_of("s2", r2));
  const Exposition e(o.prometheus_text());
  EXPECT_EQ(e.types().at("rosterd_chats_managed"), "gauge");
  EXPECT_EQ(e.types().at("rosterd_chats_active"), "gauge");
  EXPECT_EQ(e.types().at("rosterd_members_coverage_ratio"), "gauge");
  EXPECT_EQ(e.types().at("rosterd_chats_read_total"), "counter");
  EXPECT_EQ(e.value("rosterd_chats_managed", {{"school", "s1"}}), 12);
  EXPECT_EQ(e.value("rosterd_chats_active", {{"school", "s1"}}), 5);
  EXPECT_DOUBLE_EQ(*e.value("rosterd_members_coverage_ratio", {{"school", "s1"}}), 130.0 / 150);
  EXPECT_EQ(e.value("rosterd_members_coverage_ratio", {{"school", "s2"}}), 1);  // nobody expected
  EXPECT_FALSE(e.value("rosterd_chats_managed", {{"school", "s3"}}));  // never looked
  EXPECT_EQ(e.value("rosterd_chats_read_total"), 15);
}

TEST(Observatory, KeepsTheLastKnownNumbersWhenACycleDidNotLook) {
  Observatory o;
  o.set_schools({"s1"});
  auto looked = result_of("ok", {}, 0);
  looked.numbers = numbers_of(12, 5, 130, 150);
  looked.chats_read = 12;
  o.record_cycle(report_of("s1", looked));
  o.record_cycle(report_of("s1", result_of("failed", {}, 0, "store: locked")));
  o.record_cycle(report_of("s1", result_of("ok", {}, 0)));
  const Exposition e(o.prometheus_text());
  EXPECT_EQ(e.value("rosterd_chats_managed", {{"school", "s1"}}), 12);
  EXPECT_EQ(e.value("rosterd_chats_active", {{"school", "s1"}}), 5);
  EXPECT_EQ(e.value("rosterd_chats_read_total"), 12);
  EXPECT_EQ(o.schools().at(0).numbers, numbers_of(12, 5, 130, 150));
}

// A revoked token while the journal has no change: the cycle's one authenticated call fails it,
// and the page and the failure metrics show it (the platform's error code is counted by the
// client's deltas).
TEST(Observatory, ShowsARevokedTokenOnThePageAndInTheFailureMetrics) {
  Observatory o;
  o.set_schools({"s1"});
  auto ok = result_of("ok", {}, 0);
  ok.numbers = numbers_of(4, 4, 20, 20);
  o.record_cycle(report_of("s1", ok, 1, "2026-11-20T12:00:05Z", 1795003205));
  const std::string error =
      "platform refused the token: sferum.listChats: error 5: User authorization failed";
  o.record_cycle(report_of("s1", result_of("failed", {}, 0, error), 1, "2026-11-20T12:15:05Z"));
  o.add_platform_calls({{"sferum.listChats", 1}}, {{"5", 1}});
  const Exposition e(o.prometheus_text());
  EXPECT_EQ(e.value("rosterd_school_failing", {{"school", "s1"}}), 1);
  EXPECT_EQ(e.value("rosterd_cycles_total", {{"school", "s1"}, {"result", "failed"}}), 1);
  EXPECT_EQ(e.value("rosterd_platform_errors_total", {{"code", "5"}}), 1);
  EXPECT_EQ(e.value("rosterd_last_success_timestamp_seconds", {{"school", "s1"}}), 1795003205);
  EXPECT_EQ(e.value("rosterd_chats_active", {{"school", "s1"}}), 4);  // last known
  const auto page = o.status_html();
  EXPECT_NE(page.find("<b>Последняя ошибка:</b> <code>" + error + "</code>"), std::string::npos)
      << page;
  EXPECT_NE(page.find("school failing"), std::string::npos);
  EXPECT_NE(o.status_line().find("1 failing"), std::string::npos);
}

TEST(Observatory, SummarisesItselfInOneStatusLine) {
  Observatory o;
  EXPECT_EQ(o.status_line(), "0 schools, no cycle yet, 0 failing, 0 held");
  o.set_schools({"a", "b", "c"});
  const auto ok = result_of("ok", {}, 0);
  const auto held =
      result_of("held", {{ActionType::remove_member, true}, {ActionType::remove_member, true}}, 0);
  const auto failed = result_of("failed", {}, 0, "x");
  o.record_cycle(report_of("a", ok, 1, "2026-11-20T11:59:00Z"));
  o.record_cycle(report_of("b", held, 1, "2026-11-20T12:00:05Z"));
  o.record_cycle(report_of("c", failed, 1, "2026-11-20T11:58:00Z"));
  EXPECT_EQ(o.status_line(), "3 schools, last cycle 12:00:05Z, 1 failing, 2 held");
}

}  // namespace
}  // namespace rosterd::daemon
