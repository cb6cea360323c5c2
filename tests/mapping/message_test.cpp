#include "mapping/message.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace rosterd::mapping {
namespace {

// An independent wording: a table from code to the words, with its own placeholders.
std::string_view table(const MessageKey& key) {
  static const std::map<std::string_view, std::string_view> words{
      {"t.since", "{role} класса {group} с {date}"},
      {"t.moved", "переведён в «{chat}»: {why}"},
      {"t.left", "выбыл, последний день {date}"},
  };
  const auto it = words.find(key.code);
  return it == words.end() ? key.english : it->second;
}

TEST(Message, ReadsInEnglishWithItsValuesFilledIn) {
  const auto m = msg("t.since", "{role} of {group} since {date}",
                     {{"role", "student"}, {"group", "10А"}, {"date", "2026-09-01"}});
  EXPECT_EQ(english(m), "student of 10А since 2026-09-01");
  EXPECT_EQ(message_code(m), "t.since");
  EXPECT_TRUE(has_message(m));
}

TEST(Message, NestedMessagesAreWordedInTheSameLanguage) {
  const auto why = msg("t.left", "left, last day {date}", {{"date", "2026-10-01"}});
  const auto m = msg("t.moved", "moved to «{chat}»: {why}", {{"chat", "5Б"}, {"why", why}});
  EXPECT_EQ(english(m), "moved to «5Б»: left, last day 2026-10-01");
  EXPECT_EQ(render(m, table), "переведён в «5Б»: выбыл, последний день 2026-10-01");
}

TEST(Message, PlainTextAroundMessagesAndOldPlainReasonsStayAsTheyAre) {
  EXPECT_EQ(english("left, last day 2025-05-31"), "left, last day 2025-05-31");
  const auto mixed = "x: " + msg("t.left", "left, last day {date}", {{"date", "D"}}) + " ;y";
  EXPECT_EQ(render(mixed, table), "x: выбыл, последний день D ;y");
}

TEST(Message, PluralPicksTheEnglishFormByCount) {
  for (const auto& [n, want] : std::map<long long, std::string>{
           {0, "0 students"}, {1, "1 student"}, {2, "2 students"}, {21, "21 students"}}) {
    EXPECT_EQ(english(msg_n("t.n", "{n} student", "{n} students", n)), want) << n;
  }
}

TEST(Message, TheCountReachesTheTranslation) {
  long long seen = -1;
  const auto m = msg_n("t.n", "{n} student", "{n} students", 22);
  (void)render(m, [&seen](const MessageKey& key) {
    seen = key.n;
    return key.english_plural;
  });
  EXPECT_EQ(seen, 22);
}

TEST(Message, AValueCannotBreakTheMessageItIsIn) {
  // Separators and a stray close in a value (from untrusted data) are dropped, not obeyed.
  const std::string evil = std::string("a\x1f") + "role\x1d" "admin\x04" + "b\x01";
  const auto m = msg("t.left", "left, last day {date}", {{"date", evil}});
  const auto after = m + msg("t.left", "left, last day {date}", {{"date", "X"}});
  EXPECT_EQ(english(m), "left, last day aroleadminb");
  EXPECT_EQ(english(after), "left, last day aroleadminbleft, last day X");
}

TEST(Message, APlaceholderWithoutAValueStaysAsWritten) {
  EXPECT_EQ(english(msg("t.x", "{a} and {b}", {{"a", "1"}})), "1 and {b}");
}

TEST(Message, AppendedMessagesReadOneAfterAnother) {
  std::string out;
  append_msg(out, "t.left", "left, last day {date}", {{"date", "1"}});
  out += "; ";
  append_msg(out, "t.left", "left, last day {date}", {{"date", "2"}});
  EXPECT_EQ(english(out), "left, last day 1; left, last day 2");
}

}  // namespace
}  // namespace rosterd::mapping
