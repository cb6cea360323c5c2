#include "generator/groups.h"

#include "generator/builder.h"
#include "generator/names.h"

namespace rosterd::generator::detail {

std::string class_group_id(std::string_view org_id, int grade, std::size_t letter,
                           int academic_year) {
  return std::string{org_id} + ":g-" + std::to_string(grade) +
         std::string{names::class_letters_latin()[letter]} + "-" + std::to_string(academic_year);
}

std::string class_name(int grade, std::size_t letter) {
  return std::to_string(grade) + std::string{names::class_letters()[letter]};
}

std::optional<std::size_t> class_letter(std::string_view name, int grade) {
  const std::string prefix = std::to_string(grade);
  if (!name.starts_with(prefix)) return std::nullopt;
  const std::string_view letter = name.substr(prefix.size());
  const auto letters = names::class_letters();
  for (std::size_t i = 0; i < letters.size(); ++i) {
    if (letters[i] == letter) return i;
  }
  return std::nullopt;
}

std::string numbered_group_id(std::string_view org_id, char prefix, int number, int academic_year) {
  return std::string{org_id} + ":g-" + prefix + two_digits(number) + "-" +
         std::to_string(academic_year);
}

std::string with_year(std::string_view group_id, int academic_year) {
  const auto dash = group_id.rfind('-');
  const std::string_view base =
      dash == std::string_view::npos ? group_id : group_id.substr(0, dash);
  return std::string{base} + "-" + std::to_string(academic_year);
}

}  // namespace rosterd::generator::detail
