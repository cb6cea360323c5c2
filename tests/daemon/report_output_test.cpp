#include "daemon/report_output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace rosterd::daemon {
namespace {

TEST(CsvWriter, WritesWhatExcelInARussianLocaleOpensAsItIs) {
  std::ostringstream out;
  CsvWriter csv(out);
  csv.row({"Класс", "Родитель"});
  csv.row({"5А", "Иванова; Анна \"Аня\""});
  csv.row({" пробел", "=HYPERLINK(1)"});
  EXPECT_EQ(out.str(),
            "\xEF\xBB\xBF"
            "Класс;Родитель\r\n"
            "5А;\"Иванова; Анна \"\"Аня\"\"\"\r\n"
            "\" пробел\";'=HYPERLINK(1)\r\n");
}

TEST(HtmlEscape, KeepsANameOneName) {
  EXPECT_EQ(html_escape("<b>\"А&Б\"</b>'"), "&lt;b&gt;&quot;А&amp;Б&quot;&lt;/b&gt;&#39;");
  EXPECT_EQ(html_escape("a\x1b[2Jb"), "a?[2Jb");
}

}  // namespace
}  // namespace rosterd::daemon
