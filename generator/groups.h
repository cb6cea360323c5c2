#pragma once
// Internal: group ids and names shared by the makers and the rollover.

#include <optional>
#include <string>
#include <string_view>

namespace rosterd::generator::detail {

// "sch-0001:g-5a-2026" for class "5А" of the 2026/27 year.
[[nodiscard]] std::string class_group_id(std::string_view org_id, int grade, std::size_t letter,
                                         int academic_year);
[[nodiscard]] std::string class_name(int grade, std::size_t letter);
// The letter index of a class name ("5Б" → 1); nullopt for a name without a known letter.
[[nodiscard]] std::optional<std::size_t> class_letter(std::string_view name, int grade);
// "kg-0001:g-k03-2026": a numbered group of a kindergarten ("k") or association ("a").
[[nodiscard]] std::string numbered_group_id(std::string_view org_id, char prefix, int number,
                                            int academic_year);
// The same group id for another academic year: the year suffix is replaced.
[[nodiscard]] std::string with_year(std::string_view group_id, int academic_year);

}  // namespace rosterd::generator::detail
