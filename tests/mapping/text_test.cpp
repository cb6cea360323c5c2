// Untrusted text stays text: names are cleaned before use, output escapes what is left, and an
// id that looks like a contact is never quoted.
#include "mapping/text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace rosterd::mapping {
namespace {

struct CleanCase {
  const char* name;
  std::string input;
  std::size_t limit;
  std::string expected;
};

class CleanTextTest : public ::testing::TestWithParam<CleanCase> {};

TEST_P(CleanTextTest, KeepsOnlyVisibleTextWithinTheLimit) {
  const CleanCase& c = GetParam();
  EXPECT_EQ(clean_text(c.input, c.limit), c.expected);
}

// A string of n copies of a piece.
std::string times(std::size_t n, const std::string& piece) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Names, CleanTextTest,
    ::testing::Values(CleanCase{"PlainCyrillic", "Иванова Анна", 256, "Иванова Анна"},
                      CleanCase{"ForgedPlanLine", "Иван\n  remove_member class:x p1\x1b[2J", 256,
                                "Иван remove_member class:x p1[2J"},
                      CleanCase{"CarriageReturnAndBell", "5\rА\x07", 256, "5 А"},
                      CleanCase{"NulAndDelete", std::string("a\0b\x7f", 4) + "c", 256, "abc"},
                      CleanCase{"C1ControlsAsUtf8",
                                "a\xc2\x9b"
                                "31mb\xc2\x85"
                                "c",
                                256, "a31mb c"},
                      CleanCase{"LineAndParagraphSeparators",
                                "a\xe2\x80\xa8"
                                "b\xe2\x80\xa9"
                                "c",
                                256, "a b c"},
                      CleanCase{"BidiOverridesAndIsolates",
                                "\xe2\x80\xae"
                                "abc\xe2\x80\xac\xe2\x81\xa6"
                                "d\xe2\x81\xa9\xe2\x80\x8f"
                                "e",
                                256, "abcde"},
                      CleanCase{"InvalidUtf8Dropped",
                                "a\xff\xc0\xaf"
                                "b\xe2\x82"
                                "c\xed\xa0\x80"
                                "d",
                                256, "abcd"},
                      CleanCase{"SpacesCollapsedAndTrimmed", "  5  \t А  ", 256, "5 А"},
                      CleanCase{"OnlyControlsLeaveNothing", "\x1b\x07\n\r", 256, ""},
                      CleanCase{"CutOnACodePointBoundary", times(300, "Ж"), 256, times(256, "Ж")},
                      CleanCase{"CutNeverEndsOnASpace", times(3, "ab "), 6, "ab ab"},
                      CleanCase{"TitleLimit", times(200, "я"), 128, times(128, "я")},
                      CleanCase{"EmojiKeptWhole", "класс \xf0\x9f\x8e\x92", 7,
                                "класс \xf0\x9f\x8e\x92"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(CleanText, ReadsNoFurtherThanTheCutInAHugeName) {
  const std::string huge = "Иван" + std::string(10 * 1024 * 1024, 'x');
  const std::string cleaned = clean_text(huge);
  EXPECT_EQ(count_code_points(cleaned), longest_name);
  EXPECT_EQ(cleaned.substr(0, 8), "Иван");
}

struct FlawCase {
  const char* name;
  std::string input;
  bool controls;
  bool too_long;
};

class NameFlawsTest : public ::testing::TestWithParam<FlawCase> {};

TEST_P(NameFlawsTest, NamesWhatIsWrong) {
  const FlawCase& c = GetParam();
  const NameFlaws flaws = name_flaws(c.input);
  EXPECT_EQ(flaws.controls, c.controls);
  EXPECT_EQ(flaws.too_long, c.too_long);
}

INSTANTIATE_TEST_SUITE_P(
    Names, NameFlawsTest,
    ::testing::Values(FlawCase{"Clean", "Иванова Анна", false, false},
                      FlawCase{"ExtraSpacesAreNoFlaw", "  Иванова   Анна ", false, false},
                      FlawCase{"Newline", "Иван\nПётр", true, false},
                      FlawCase{"Escape", "\x1b[2J", true, false},
                      FlawCase{"BidiOverride",
                               "\xe2\x80\xae"
                               "abc",
                               true, false},
                      FlawCase{"InvalidUtf8", "a\xff", true, false},
                      FlawCase{"ExactlyTheLimit", times(256, "Ж"), false, false},
                      FlawCase{"OneOverTheLimit", times(257, "Ж"), false, true},
                      FlawCase{"Both", times(300, "Ж") + "\a", true, true}),
    [](const auto& test) { return std::string(test.param.name); });

struct PrintCase {
  const char* name;
  std::string input;
  std::string expected;
};

class PrintableTest : public ::testing::TestWithParam<PrintCase> {};

TEST_P(PrintableTest, ShowsControlsAsEscapes) {
  EXPECT_EQ(printable(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Output, PrintableTest,
    ::testing::Values(PrintCase{"Plain", "class:g-5а p1", "class:g-5а p1"},
                      PrintCase{"Newline", "p1\n  remove_member", "p1\\n  remove_member"},
                      PrintCase{"CarriageReturnAndTab", "a\rb\tc", "a\\rb\\tc"},
                      PrintCase{"Escape", "\x1b[2J", "\\x1b[2J"},
                      PrintCase{"Delete", "a\x7f", "a\\x7f"},
                      PrintCase{"C1", "a\xc2\x9b", "a\\u{009b}"},
                      PrintCase{"LineSeparator",
                                "a\xe2\x80\xa8"
                                "b",
                                "a\\u{2028}b"},
                      PrintCase{"BidiOverride",
                                "\xe2\x80\xae"
                                "abc",
                                "\\u{202e}abc"},
                      PrintCase{"InvalidByte",
                                "a\xff"
                                "b",
                                "a\\xffb"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(PrintableLines, KeepsAnErrorsLinesAndEscapesTheRest) {
  EXPECT_EQ(printable_lines("2 problems:\n  a.json[1] (id p\x1b[2J)\n  b\r"),
            "2 problems:\n  a.json[1] (id p\\x1b[2J)\n  b\\r");
}

struct IdCase {
  const char* name;
  std::string id;
  std::string quoted;
};

class QuoteIdTest : public ::testing::TestWithParam<IdCase> {};

TEST_P(QuoteIdTest, QuotesIdsButNeverContacts) {
  EXPECT_EQ(quote_id(GetParam().id), GetParam().quoted);
}

INSTANTIATE_TEST_SUITE_P(
    Ids, QuoteIdTest,
    ::testing::Values(
        IdCase{"JournalId", "sch-0001:p-000042", "sch-0001:p-000042"},
        IdCase{"NumericId", "123456", "123456"},
        IdCase{"LongNumericIdThatIsNoNumber", "1234567890123", "1234567890123"},
        IdCase{"InternationalPhone", "+7 900 123-45-67", "<id that looks like a phone number>"},
        IdCase{"PhoneWithEightPrefix", "8(900)1234567", "<id that looks like a phone number>"},
        IdCase{"PhoneDigitsOnly", "79001234567", "<id that looks like a phone number>"},
        IdCase{"MobileWithoutPrefix", "9001234567", "<id that looks like a phone number>"},
        IdCase{"Email", "anna.ivanova@example.org", "<id that looks like an e-mail>"},
        IdCase{"AtSignWithoutDomain", "group@5a", "group@5a"},
        IdCase{"ControlsEscaped", "p1\n\x1b[2J", "p1\\n\\x1b[2J"},
        IdCase{"LongIdCut", times(70, "ж"), times(64, "ж") + "..."}),
    [](const auto& test) { return std::string(test.param.name); });

}  // namespace
}  // namespace rosterd::mapping

namespace rosterd::mapping {
namespace {

TEST(NaturalLess, PutsClassesInTheOrderPeopleCountThem) {
  std::vector<std::string> classes{"10А", "1Б", "11А", "2А", "1А", "10Б", "9В", "01В"};
  std::sort(classes.begin(), classes.end(), natural_less);
  EXPECT_EQ(classes,
            (std::vector<std::string>{"1А", "1Б", "01В", "2А", "9В", "10А", "10Б", "11А"}));
}

TEST(NaturalLess, ReadsYoAsYeAndCaseAsNoDifference) {
  EXPECT_TRUE(natural_less("Ёлкина", "Жуков"));     // ё with е, before ж
  EXPECT_FALSE(natural_less("родители 5а", "Родители 5А") &&
               natural_less("Родители 5А", "родители 5а"));  // a strict order all the same
  EXPECT_TRUE(natural_less("Родители 2А", "родители 10а"));
}

}  // namespace
}  // namespace rosterd::mapping
