#pragma once
// Russian's three plural forms from the grammar (1, 21, 101 — one; 2–4, 22–24 — few; the rest
// and 11–14 — many), written here independently of the catalog's Plural-Forms formula: the
// expected values of the plural tests.

#include <string>

namespace rosterd::testing {

inline std::string russian_form(long long n, const std::string& one, const std::string& few,
                                const std::string& many) {
  const auto last2 = n % 100;
  const auto last = n % 10;
  if (last2 >= 11 && last2 <= 14) return many;
  if (last == 1) return one;
  if (last >= 2 && last <= 4) return few;
  return many;
}

}  // namespace rosterd::testing
