#pragma once
// Export folders written by the tests: a temporary folder that removes itself, and a minimal
// valid organisation whose records a test can replace one at a time.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/files.h"

namespace rosterd::adapters::export_folder::testing {

using rosterd::testing::TempFolder;
using rosterd::testing::write_file;

// The records of each file as JSON texts, written as "[record, record, ...]".
// Starts as a small valid organisation:
//   orgs.json        org-1
//   groups.json      [0] g-5a
//   persons.json     [0] p-child (student), [1] p-parent (parent)
//   enrollments.json [0] p-child in g-5a
//   relations.json   [0] p-parent mother of p-child
class ExportFiles {
 public:
  ExportFiles();

  std::vector<std::string>& records(const std::string& file) { return records_.at(file); }
  // Writes this text instead of the file's records (for malformed files).
  void replace_file(const std::string& file, std::string text) { raw_[file] = std::move(text); }
  void remove_file(const std::string& file) { records_.erase(file); }

  void write_to(const std::filesystem::path& folder) const;

 private:
  std::map<std::string, std::vector<std::string>> records_;
  std::map<std::string, std::string> raw_;
};

}  // namespace rosterd::adapters::export_folder::testing
