#pragma once
// The journal export folder: one folder per organisation holding orgs.json, groups.json,
// persons.json, enrollments.json and relations.json, each a JSON array of the journal contract's
// entities (DESIGN: "The journal contract"). The format is in docs/export-format.md.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "mapping/model.h"

namespace rosterd::adapters::export_folder {

// One thing wrong with the input. Names places, never contact values (no phone, no e-mail).
struct Problem {
  std::string file;     // the file's path, e.g. "/exports/org-1/persons.json"
  std::string record;   // "[12] (id p-123)", "[17] (person p-123, group g-5a)"; empty: whole file
  std::string field;    // "birth_date"; empty when the problem is not one field's
  std::string message;  // "not a valid date (expected YYYY-MM-DD)"
};

// Everything wrong with one folder, found in one pass: the input must change before a retry helps.
// what() lists the first problems, one a line; problems() holds all of them.
class ExportError : public std::runtime_error {
 public:
  explicit ExportError(std::vector<Problem>);
  [[nodiscard]] const std::vector<Problem>& problems() const noexcept;

 private:
  std::vector<Problem> problems_;
};

// "persons.json[12] (id p-123): birth_date: not a valid date (expected YYYY-MM-DD)"
[[nodiscard]] std::string describe(const Problem& problem);

// Reads one organisation's folder. Returns the whole roster or throws ExportError: never a part.
[[nodiscard]] mapping::Roster read_export(
    const std::filesystem::path& folder);  // throws ExportError

// Organisation folders below a root (each sub-folder holding orgs.json), sorted by name.
// Throws ExportError naming the root when it is not a readable folder.
[[nodiscard]] std::vector<std::filesystem::path> list_export_folders(
    const std::filesystem::path& root);

}  // namespace rosterd::adapters::export_folder
