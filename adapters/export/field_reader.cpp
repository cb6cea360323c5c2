#include "adapters/export/field_reader.h"

namespace rosterd::adapters::export_folder::detail {

void throw_malformed(simdjson::error_code code) {
  throw MalformedJson{code};
}

std::string malformed_json(simdjson::error_code code) {
  // simdjson says "ended early" also for content after the root's end.
  if (code == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
    return "malformed JSON: an array or object is not closed, or content follows its end";
  }
  return std::string("malformed JSON: ") + simdjson::error_message(code);
}

void RecordProblems::add(std::string_view field, std::string message) {
  items_.emplace_back(std::string(field), std::move(message));
}

void RecordProblems::move_to(std::vector<Problem>& out, const std::string& file,
                             const std::string& record) {
  for (auto& [field, message] : items_) {
    out.push_back(Problem{file, record, std::move(field), std::move(message)});
  }
  items_.clear();
}

std::string_view type_name(od::json_type type) noexcept {
  switch (type) {
    case od::json_type::array:
      return "array";
    case od::json_type::object:
      return "object";
    case od::json_type::number:
      return "number";
    case od::json_type::string:
      return "string";
    case od::json_type::boolean:
      return "boolean";
    case od::json_type::null:
      return "null";
  }
  return "unknown";
}

namespace {

// type() only peeks at the first byte: "nul" or "nulls" still says null.
[[nodiscard]] bool is_real_null(od::value& value) {
  bool null = false;
  return value.is_null().get(null) == simdjson::SUCCESS && null;
}

// Common handling of null for a scalar field; true when the caller should stop (value was null).
[[nodiscard]] bool handled_null(od::value& value, od::json_type type, std::string_view field,
                                Need need, RecordProblems& problems) {
  if (type != od::json_type::null) return false;
  if (!is_real_null(value)) {
    problems.add(field, "malformed value");
  } else if (need == Need::required) {
    problems.add(field, "must not be null");
  }
  return true;
}

}  // namespace

std::optional<std::string_view> string_problem(od::value& value, simdjson::error_code code,
                                               std::string_view field, Need need,
                                               RecordProblems& problems) {
  if (code == simdjson::SUCCESS) {
    problems.add(field, "must not be empty");  // the only way a string read ends here
    return std::nullopt;
  }
  if (code != simdjson::INCORRECT_TYPE) throw MalformedJson{code};
  const od::json_type type = type_of(value);
  if (!handled_null(value, type, field, need, problems)) {
    problems.add(field, "expected a string, found " + std::string(type_name(type)));
  }
  return std::nullopt;
}

std::optional<std::int64_t> integer_problem(od::value& value, simdjson::error_code code,
                                            std::string_view field, Need need, std::int64_t low,
                                            std::int64_t high, RecordProblems& problems) {
  if (code == simdjson::SUCCESS) {
    problems.add(
        field, "out of range (expected " + std::to_string(low) + ".." + std::to_string(high) + ")");
    return std::nullopt;
  }
  // A fraction, an out-of-range or malformed number and a non-number all land here; the value
  // stays unread and the object's iteration skips it.
  const od::json_type type = type_of(value);
  if (!handled_null(value, type, field, need, problems)) {
    problems.add(field, "expected an integer, found " + std::string(type_name(type)));
  }
  return std::nullopt;
}

std::string unknown_value(std::string_view value, std::string_view expected) {
  constexpr std::size_t longest_quoted = 32;
  bool looks_like_a_name = !value.empty() && value.size() <= longest_quoted;
  for (char c : value) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-')) {
      looks_like_a_name = false;
    }
  }
  std::string message = "unknown value";
  if (looks_like_a_name) message += " '" + std::string(value) + "'";
  message += " (expected ";
  message += expected;
  message += ")";
  return message;
}

}  // namespace rosterd::adapters::export_folder::detail
