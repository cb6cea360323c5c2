#pragma once
// Internal to the config loader: a JSON value with its key path and the shared list of
// problems, so validation reports every problem at once rather than the first.

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rosterd::daemon::detail {

class Node {
 public:
  Node(const nlohmann::json& value, std::string path, std::vector<std::string>& problems)
      : value_(&value), path_(std::move(path)), problems_(&problems) {}

  [[nodiscard]] const nlohmann::json& value() const noexcept { return *value_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] std::vector<std::string>& problems() const noexcept { return *problems_; }
  void problem(std::string_view message) const;

  // Reports "must be an object" and returns false when it is not one.
  [[nodiscard]] bool object() const;
  [[nodiscard]] bool array() const;
  // Reports keys outside `known`; a key that looks like an inline secret gets its own message.
  void only_keys(std::initializer_list<std::string_view> known) const;
  // An absent member is nullopt; `required` reports it as missing.
  [[nodiscard]] std::optional<Node> member(std::string_view key, bool required = false) const;
  [[nodiscard]] std::vector<Node> elements() const;  // of an array, else a problem

  // Each reports a problem and returns nullopt when the value is not what is asked.
  [[nodiscard]] std::optional<std::string> text() const;  // a non-empty string
  [[nodiscard]] std::optional<bool> boolean() const;
  [[nodiscard]] std::optional<long long> integer(long long min) const;
  [[nodiscard]] std::optional<double> share() const;  // a number from 0 to 1
  [[nodiscard]] std::optional<double> positive() const;  // a number above 0

 private:
  const nlohmann::json* value_;
  std::string path_;
  std::vector<std::string>* problems_;
};

// "schools[0].source.path: duplicate key" for each key given twice in one object (a JSON
// parser keeps the last one silently). `text` is valid JSON with comments allowed.
[[nodiscard]] std::vector<std::string> duplicate_keys(std::string_view text);

}  // namespace rosterd::daemon::detail
