#pragma once
// What the daemon tests share: a temporary folder, a small school written as an export
// folder by hand, and running the real rosterd binary.

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/files.h"

namespace rosterd::daemon::test_support {

using rosterd::testing::read_file;
using rosterd::testing::TempFolder;
using rosterd::testing::write_file;

// One class (5А) with two students, their parents, a class teacher and a director. Some
// people have no platform account (they need invites) and two share a phone number.
inline constexpr const char* school_id = "sch-t";
void write_school_export(const std::filesystem::path& folder,
                         const std::string& org_id = school_id);

// The contact values in that export: none may appear in any output.
[[nodiscard]] std::vector<std::string> contact_values();

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs build/bin/rosterd with these arguments, capturing stdout and stderr.
[[nodiscard]] ProcessResult run_rosterd(const std::vector<std::string>& args);
// The same with `input` as its standard input (a file: never a terminal).
[[nodiscard]] ProcessResult run_rosterd(const std::vector<std::string>& args,
                                        const std::string& input);

}  // namespace rosterd::daemon::test_support
