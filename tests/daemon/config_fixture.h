#pragma once
// Table-driven config error tests: a bad config and the problem it must report.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "daemon/config.h"

namespace rosterd::daemon::test_support {

inline const std::filesystem::path config_base{"/etc/rosterd"};

// The problems parse_config reports for `text` (relative paths against config_base); empty
// when it loads.
[[nodiscard]] inline std::vector<std::string> problems_of(const std::string& text) {
  try {
    (void)parse_config(text, config_base, "test.json");
  } catch (const ConfigError& e) {
    return e.problems();
  }
  return {};
}

struct BadConfig {
  std::string name;
  std::string json;
  std::string problem;  // one of the problems reported, exactly
};

inline void PrintTo(const BadConfig& bad, std::ostream* out) { *out << bad.name; }

// A config of one school read from an export folder, with `extra` members added to the school.
[[nodiscard]] inline std::string school_with(const std::string& extra) {
  return R"({"schools": [{"id": "sch-1", "source": {"type": "export", "path": "x"})" + extra +
         "}]}";
}

}  // namespace rosterd::daemon::test_support
