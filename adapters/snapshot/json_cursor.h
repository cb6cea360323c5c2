#pragma once
// Internal to the snapshot adapter: reads a JSON value while knowing its path, so that
// every error names where it is ("schools.sch-0001.chats[3].members[0].role").

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mapping/date.h"

namespace rosterd::adapters::snapshot::detail {

// Thrown by Cursor; the caller adds the file name.
class PathError : public std::runtime_error {
 public:
  PathError(const std::string& path, std::string_view problem);
};

class Cursor {
 public:
  Cursor(const nlohmann::json& value, std::string path) : value_(&value), path_(std::move(path)) {}

  [[nodiscard]] const nlohmann::json& value() const noexcept { return *value_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[noreturn]] void fail(std::string_view problem) const;

  // Object members: `at` requires the key, `find` gives nullopt when it is absent.
  [[nodiscard]] Cursor at(std::string_view key) const;
  [[nodiscard]] std::optional<Cursor> find(std::string_view key) const;
  [[nodiscard]] Cursor at(std::size_t index) const;
  // Rejects keys outside `known`, so a misspelt key is an error rather than ignored.
  void only_keys(std::initializer_list<std::string_view> known) const;

  void expect_object() const;
  void expect_array() const;
  [[nodiscard]] std::string string() const;
  [[nodiscard]] std::optional<std::string> optional_string() const;  // null allowed
  [[nodiscard]] bool boolean() const;
  [[nodiscard]] std::int64_t int64() const;
  [[nodiscard]] std::optional<std::int64_t> optional_int64() const;  // null allowed
  [[nodiscard]] mapping::Date date() const;
  [[nodiscard]] std::optional<mapping::Date> optional_date() const;  // null allowed

 private:
  const nlohmann::json* value_;
  std::string path_;
};

}  // namespace rosterd::adapters::snapshot::detail
