#include "daemon/event_log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace rosterd::daemon {
namespace {

const LogFields fields{{"school", "sch-0001"},
                       {"result", "ok"},
                       {"duration_s", 1.25},
                       {"written", 17},
                       {"error", "orgs.json: record \"o1\" broken"}};

TEST(EventLog, TextLinesStartWithTheEventNameAndQuoteValuesWithSpaces) {
  EXPECT_EQ(EventLog::render(LogFormat::text, "info", "sync.cycle.finished", fields),
            "sync.cycle.finished school=sch-0001 result=ok duration_s=1.250 written=17 "
            "error=\"orgs.json: record \\\"o1\\\" broken\"");
}

TEST(EventLog, TextLinesNameTheLevelOnlyForWarningsAndErrors) {
  EXPECT_EQ(EventLog::render(LogFormat::text, "warning", "school.quarantined", {{"school", "s"}}),
            "school.quarantined level=warning school=s");
}

TEST(EventLog, JsonLinesKeepNumbersAsNumbers) {
  const auto text = EventLog::render(LogFormat::json, "info", "sync.cycle.finished", fields);
  EXPECT_EQ(text.rfind("{\"event\":\"sync.cycle.finished\",", 0), 0U)
      << "the event name comes first: " << text;
  const auto line = nlohmann::json::parse(text);
  EXPECT_EQ(line["event"], "sync.cycle.finished");
  EXPECT_EQ(line["level"], "info");
  EXPECT_EQ(line["school"], "sch-0001");
  EXPECT_EQ(line["written"], 17);
  EXPECT_DOUBLE_EQ(line["duration_s"].get<double>(), 1.25);
  EXPECT_EQ(line["error"], "orgs.json: record \"o1\" broken");
}

TEST(EventLog, AValueCannotStartALineOfItsOwnNorDriveATerminal) {
  const LogFields hostile{{"school", "s1\nsync.cycle.finished school=s2 result=ok"},
                          {"error", "p\x1b[2J \"q\" \\ \r"}};
  const auto text = EventLog::render(LogFormat::text, "error", "sync.cycle.finished", hostile);
  EXPECT_EQ(text,
            "sync.cycle.finished level=error "
            "school=\"s1\\nsync.cycle.finished school=s2 result=ok\" "
            "error=\"p\\x1b[2J \\\"q\\\" \\\\ \\r\"");
  const auto json_line = EventLog::render(LogFormat::json, "error", "sync.cycle.finished", hostile);
  EXPECT_EQ(json_line.find('\n'), std::string::npos);
  EXPECT_EQ(json_line.find('\x1b'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(json_line)["error"], "p\x1b[2J \"q\" \\ \r");
}

}  // namespace
}  // namespace rosterd::daemon
