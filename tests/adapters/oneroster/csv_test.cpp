// The CSV reader on its own: RFC 4180 quoting, BOM, line ends, and where it says a fault is.

#include "adapters/oneroster/csv.h"

#include <gtest/gtest.h>

#include "adapters/oneroster/oneroster.h"

namespace rosterd::adapters::oneroster::detail {
namespace {

using Fields = std::vector<std::string>;

std::string error_of(std::string_view text) {
  try {
    (void)parse_csv(text, "f.csv");
  } catch (const OneRosterError& error) {
    return describe(error.problems().at(0));
  }
  return "";
}

struct Case {
  std::string name;
  std::string text;
  Fields header;
  std::vector<Fields> records;
};

class CsvReads : public ::testing::TestWithParam<Case> {};

TEST_P(CsvReads, TheFieldsAsWritten) {
  const auto table = parse_csv(GetParam().text, "f.csv");
  EXPECT_EQ(table.header, GetParam().header);
  std::vector<Fields> records;
  for (const auto& r : table.records) records.push_back(r.fields);
  EXPECT_EQ(records, GetParam().records);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc4180, CsvReads,
    ::testing::Values(
        Case{"Plain", "a,b\n1,2\n", {"a", "b"}, {{"1", "2"}}},
        Case{"NoFinalLineBreak", "a,b\n1,2", {"a", "b"}, {{"1", "2"}}},
        Case{"Crlf", "a,b\r\n1,2\r\n3,4\r\n", {"a", "b"}, {{"1", "2"}, {"3", "4"}}},
        Case{"Bom",
             "\xEF\xBB\xBF"
             "a,b\n1,2\n",
             {"a", "b"},
             {{"1", "2"}}},
        Case{"QuotedComma", "a,b\n\"x, y\",2\n", {"a", "b"}, {{"x, y", "2"}}},
        Case{"DoubledQuote", "a,b\n\"say \"\"hi\"\"\",2\n", {"a", "b"}, {{"say \"hi\"", "2"}}},
        Case{"LineBreakInQuotes", "a,b\n\"one\r\ntwo\",2\n", {"a", "b"}, {{"one\r\ntwo", "2"}}},
        Case{"EmptyFields", "a,b,c\n,,\n", {"a", "b", "c"}, {{"", "", ""}}},
        Case{"EmptyQuoted", "a,b\n\"\",\"\"\n", {"a", "b"}, {{"", ""}}},
        Case{"BlankLinesSkipped", "a\n\n1\r\n\r\n2\n", {"a"}, {{"1"}, {"2"}}},
        Case{"Empty", "", {}, {}}),
    [](const auto& test) { return test.param.name; });

TEST(CsvReader, CountsLinesInsideQuotesForTheNextRecord) {
  const auto table = parse_csv("id,n\n1,\"a\nb\nc\"\n2,x\n", "f.csv");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[0].line, 2u);
  EXPECT_EQ(table.records[1].line, 5u);
}

TEST(CsvReader, NamesTheLineAndSourcedIdOfAnUnclosedQuote) {
  EXPECT_EQ(error_of("sourcedId,n\nu-1,ok\nu-2,\"open\n"),
            "f.csv:3 (sourcedId u-2): a quoted field is never closed");
}

TEST(CsvReader, RefusesTextAfterAClosingQuote) {
  EXPECT_EQ(error_of("sourcedId,n\nu-1,\"a\"b\n"),
            "f.csv:2 (sourcedId u-1): text after the closing quote of a field");
}

TEST(CsvReader, RefusesAQuoteInsideAnUnquotedField) {
  EXPECT_EQ(error_of("sourcedId,n\nu-1,a\"b\n"),
            "f.csv:2 (sourcedId u-1): a quote inside an unquoted field");
}

TEST(CsvReader, NamesARecordWiderThanTheHeader) {
  EXPECT_EQ(error_of("sourcedId,n\nu-1,a\nu-2,b,c\n"),
            "f.csv:3 (sourcedId u-2): 3 fields where the header has 2");
}

TEST(CsvReader, SplitsMultiValueFieldsAndDropsEmptyOnes) {
  EXPECT_EQ(split_values(" a, b ,,c"), (Fields{"a", "b", "c"}));
  EXPECT_TRUE(split_values("").empty());
}

}  // namespace
}  // namespace rosterd::adapters::oneroster::detail
