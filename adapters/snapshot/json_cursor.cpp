#include "adapters/snapshot/json_cursor.h"

#include <algorithm>

namespace rosterd::adapters::snapshot::detail {

namespace {

std::string child_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string{key};
  std::string path = parent;
  path += '.';
  path += key;
  return path;
}

}  // namespace

PathError::PathError(const std::string& path, std::string_view problem)
    : std::runtime_error((path.empty() ? std::string{"(top level)"} : path) + ": " +
                         std::string{problem}) {}

void Cursor::fail(std::string_view problem) const {
  throw PathError(path_, problem);
}

void Cursor::expect_object() const {
  if (!value_->is_object()) fail("must be an object");
}

void Cursor::expect_array() const {
  if (!value_->is_array()) fail("must be an array");
}

Cursor Cursor::at(std::string_view key) const {
  auto found = find(key);
  if (!found) Cursor(*value_, child_path(path_, key)).fail("missing");
  return *found;
}

std::optional<Cursor> Cursor::find(std::string_view key) const {
  expect_object();
  auto it = value_->find(key);
  if (it == value_->end()) return std::nullopt;
  return Cursor(*it, child_path(path_, key));
}

Cursor Cursor::at(std::size_t index) const {
  return Cursor((*value_)[index], path_ + "[" + std::to_string(index) + "]");
}

void Cursor::only_keys(std::initializer_list<std::string_view> known) const {
  expect_object();
  for (const auto& item : value_->items()) {
    if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
      Cursor(item.value(), child_path(path_, item.key())).fail("unknown key");
    }
  }
}

std::string Cursor::string() const {
  if (!value_->is_string()) fail("must be a string");
  return value_->get<std::string>();
}

std::optional<std::string> Cursor::optional_string() const {
  if (value_->is_null()) return std::nullopt;
  if (!value_->is_string()) fail("must be a string or null");
  return value_->get<std::string>();
}

bool Cursor::boolean() const {
  if (!value_->is_boolean()) fail("must be true or false");
  return value_->get<bool>();
}

std::int64_t Cursor::int64() const {
  if (value_->is_number_unsigned()) {
    auto u = value_->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) fail("must be an integer (too large)");
    return static_cast<std::int64_t>(u);
  }
  if (!value_->is_number_integer()) fail("must be an integer");
  return value_->get<std::int64_t>();
}

std::optional<std::int64_t> Cursor::optional_int64() const {
  if (value_->is_null()) return std::nullopt;
  return int64();
}

mapping::Date Cursor::date() const {
  if (!value_->is_string()) fail("must be a date YYYY-MM-DD");
  auto parsed = mapping::Date::parse(value_->get_ref<const std::string&>());
  if (!parsed) fail("must be a date YYYY-MM-DD");
  return *parsed;
}

std::optional<mapping::Date> Cursor::optional_date() const {
  if (value_->is_null()) return std::nullopt;
  std::optional<mapping::Date> parsed;
  if (value_->is_string()) parsed = mapping::Date::parse(value_->get_ref<const std::string&>());
  if (!parsed) fail("must be a date YYYY-MM-DD or null");
  return parsed;
}

}  // namespace rosterd::adapters::snapshot::detail
