#include "daemon/i18n.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/russian_plural.h"

namespace rosterd::daemon {
namespace {

using rosterd::testing::russian_form;

class LanguageTest : public ::testing::Test {
 protected:
  void TearDown() override { set_language(Language::ru); }
};

TEST_F(LanguageTest, RussianPluralFormsFollowTheCount) {
  set_language(Language::ru);
  for (const long long n : {0, 1, 2, 3, 4, 5, 10, 11, 12, 14, 15, 20, 21, 22, 25, 101, 111, 112,
                            1000, 1001, 1004}) {
    EXPECT_EQ(tr_n("common.students", "{n} student", "{n} students", n),
              std::to_string(n) + " " + russian_form(n, "ученик", "ученика", "учеников"))
        << n;
    EXPECT_EQ(tr_n("common.schools", "{n} school", "{n} schools", n),
              std::to_string(n) + " " + russian_form(n, "школа", "школы", "школ"))
        << n;
  }
}

TEST_F(LanguageTest, EnglishHasTwoForms) {
  set_language(Language::en);
  EXPECT_EQ(tr_n("common.students", "{n} student", "{n} students", 1), "1 student");
  EXPECT_EQ(tr_n("common.students", "{n} student", "{n} students", 21), "21 students");
}

TEST_F(LanguageTest, AMessageMissingFromTheCatalogReadsInEnglish) {
  set_language(Language::ru);
  EXPECT_EQ(tr("test.absent", "not in any catalog {x}", {{"x", "1"}}), "not in any catalog 1");
  EXPECT_EQ(tr_n("test.absent_n", "{n} thing", "{n} things", 3), "3 things");
}

TEST_F(LanguageTest, ParsesOnlyTheLanguagesItHas) {
  EXPECT_EQ(parse_language("ru"), Language::ru);
  EXPECT_EQ(parse_language("en"), Language::en);
  EXPECT_FALSE(parse_language("de"));
  EXPECT_FALSE(parse_language(""));
}

}  // namespace
}  // namespace rosterd::daemon
