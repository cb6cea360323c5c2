#pragma once
// Russian names for synthetic people: surnames in the masculine form, first names with
// the patronymics they give, group names of kindergartens and associations.

#include <span>
#include <string>
#include <string_view>

namespace rosterd::generator::names {

struct MaleName {
  std::string_view first;
  std::string_view son_patronymic;       // Александрович
  std::string_view daughter_patronymic;  // Александровна
};

[[nodiscard]] std::span<const std::string_view> surnames();
[[nodiscard]] std::span<const MaleName> male_names();
[[nodiscard]] std::span<const std::string_view> female_names();
[[nodiscard]] std::span<const std::string_view> kindergarten_groups();
[[nodiscard]] std::span<const std::string_view> associations();
// Class letters in journal order ("А", "Б", ...) and their Latin form for ids ("a", "b").
[[nodiscard]] std::span<const std::string_view> class_letters();
[[nodiscard]] std::span<const std::string_view> class_letters_latin();

// "Иванов" → "Иванова", "Островский" → "Островская", "Черных" → "Черных".
[[nodiscard]] std::string feminine_surname(std::string_view masculine);

}  // namespace rosterd::generator::names
