#pragma once
// Internal: reads one JSON value of a record with simdjson On-Demand, turning a wrong type or value
// into a problem of that record instead of an exception, so one pass finds every bad field.

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/export/export_reader.h"
#include "mapping/date.h"

namespace rosterd::adapters::export_folder::detail {

namespace od = simdjson::ondemand;

// The JSON text itself is broken: On-Demand cannot go on in this file, so reading it stops there.
struct MalformedJson {
  simdjson::error_code code;
};

[[noreturn]] void throw_malformed(simdjson::error_code code);

// Throws MalformedJson for any error but a recoverable one.
inline void check_json(simdjson::error_code code) {
  if (code != simdjson::SUCCESS) [[unlikely]]
    throw_malformed(code);
}

// "malformed JSON: ..." in words a person editing the file can act on.
[[nodiscard]] std::string malformed_json(simdjson::error_code code);

// A record's problems, held until the end of the record: its label needs its id, which may come
// after the bad field (fields are in any order).
class RecordProblems {
 public:
  void add(std::string_view field, std::string message);
  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }
  void move_to(std::vector<Problem>& out, const std::string& file, const std::string& record);

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

enum class Need : std::uint8_t { nullable, required };

[[nodiscard]] std::string_view type_name(od::json_type type) noexcept;

[[nodiscard]] inline od::json_type type_of(od::value& value) {
  od::json_type type{};
  check_json(value.type().get(type));
  return type;
}

// The readers below are inline: they run for every field of every record, and a call per field
// costs more than the reading. What is not the common case (a wrong type, null, a bad value) goes
// to the out-of-line *_problem functions, which record it and return nullopt.

[[nodiscard]] std::optional<std::string_view> string_problem(od::value& value,
                                                             simdjson::error_code code,
                                                             std::string_view field, Need need,
                                                             RecordProblems& problems);
[[nodiscard]] std::optional<std::int64_t> integer_problem(od::value& value,
                                                          simdjson::error_code code,
                                                          std::string_view field, Need need,
                                                          std::int64_t low, std::int64_t high,
                                                          RecordProblems& problems);

// nullopt when null or bad (a bad value, or null where required, is recorded). A required string
// must not be empty. The view lives as long as the document.
[[nodiscard]] inline std::optional<std::string_view> read_string(od::value& value,
                                                                 std::string_view field, Need need,
                                                                 RecordProblems& problems) {
  // The expected type is tried first, costing one look at the value; INCORRECT_TYPE leaves the
  // value unread for the slow path to classify.
  std::string_view text;
  const auto code = value.get_string().get(text);
  if (code == simdjson::SUCCESS && (!text.empty() || need == Need::nullable)) [[likely]]
    return text;
  return string_problem(value, code, field, need, problems);
}

// An integer within [low, high], or null.
[[nodiscard]] inline std::optional<std::int64_t> read_integer(od::value& value,
                                                              std::string_view field, Need need,
                                                              std::int64_t low, std::int64_t high,
                                                              RecordProblems& problems) {
  std::int64_t number = 0;
  const auto code = value.get_int64().get(number);
  if (code == simdjson::SUCCESS && low <= number && number <= high) [[likely]]
    return number;
  return integer_problem(value, code, field, need, low, high, problems);
}

// A strict ISO date "YYYY-MM-DD", or null.
[[nodiscard]] inline std::optional<mapping::Date> read_date(od::value& value,
                                                            std::string_view field, Need need,
                                                            RecordProblems& problems) {
  const auto text = read_string(value, field, need, problems);
  if (!text) return std::nullopt;
  auto date = mapping::Date::parse(*text);
  // The value is not quoted: a birth date is personal data.
  if (!date) [[unlikely]]
    problems.add(field, "not a valid date (expected YYYY-MM-DD)");
  return date;
}

// A contract enumeration: `parse` is one of mapping's parse_* helpers; `expected` lists the names.
template <class Enum>
[[nodiscard]] std::optional<Enum> read_enum(od::value& value, std::string_view field,
                                            std::optional<Enum> (*parse)(std::string_view) noexcept,
                                            std::string_view expected, RecordProblems& problems);

// "unknown value 'clas' (expected ...)"; the value is quoted only when it looks like an enum name,
// so a contact value in the wrong column never reaches a message.
[[nodiscard]] std::string unknown_value(std::string_view value, std::string_view expected);

// Calls on_item(index, text) for each string of an array of strings. Null counts as empty unless
// required; a required array must not be empty.
template <class OnItem>
void read_string_array(od::value& value, std::string_view field, Need need,
                       RecordProblems& problems, OnItem on_item);

// ---- templates ----

template <class Enum>
std::optional<Enum> read_enum(od::value& value, std::string_view field,
                              std::optional<Enum> (*parse)(std::string_view) noexcept,
                              std::string_view expected, RecordProblems& problems) {
  const auto text = read_string(value, field, Need::required, problems);
  if (!text) return std::nullopt;
  auto parsed = parse(*text);
  if (!parsed) problems.add(field, unknown_value(*text, expected));
  return parsed;
}

template <class OnItem>
void read_string_array(od::value& value, std::string_view field, Need need,
                       RecordProblems& problems, OnItem on_item) {
  const od::json_type type = type_of(value);
  if (type == od::json_type::null && need == Need::nullable) return;
  if (type != od::json_type::array) {
    problems.add(field, "expected an array of strings, found " + std::string(type_name(type)));
    return;
  }
  od::array array;
  check_json(value.get_array().get(array));
  std::size_t index = 0;
  for (auto element : array) {
    od::value item;
    check_json(std::move(element).get(item));
    const od::json_type item_type = type_of(item);
    if (item_type == od::json_type::string) {
      std::string_view text;
      check_json(item.get_string().get(text));
      on_item(index, text);
    } else {
      problems.add(std::string(field) + "[" + std::to_string(index) + "]",
                   "expected a string, found " + std::string(type_name(item_type)));
    }
    ++index;
  }
  if (index == 0 && need == Need::required) problems.add(field, "must not be empty");
}

}  // namespace rosterd::adapters::export_folder::detail
