#pragma once
// Hand-written OneRoster folders for the edge cases: a small valid school that each test bends.

#include <filesystem>
#include <map>
#include <string>

#include "adapters/oneroster/oneroster.h"
#include "mapping/model.h"

#include "tests/support/files.h"

namespace rosterd::adapters::oneroster::testing {

// The sample folders copied under tests/adapters/oneroster/data.
[[nodiscard]] std::filesystem::path sample(const std::string& name);

// A temporary folder, removed with the object, that writes OneRoster folders.
class TempFolder : public rosterd::testing::TempFolder {
 public:
  TempFolder() : rosterd::testing::TempFolder("oneroster-test") {}
  void write(const std::string& name, const std::string& text) const;
  // Writes every file (manifest.csv from `mode` for the five entity files) after removing the
  // old ones.
  void write_all(const std::map<std::string, std::string>& files, const std::string& mode) const;
};

// The small school: org "sch-1" (School No. 1), class "cls-5a" (5A, grade 5, term 2026/27) with
// primary teacher "t-1", other teacher "t-2", students "s-1" and "s-2"; "p-1" is s-1's mother.
[[nodiscard]] std::map<std::string, std::string> small_school();

[[nodiscard]] const mapping::Person* find_person(const mapping::Roster& roster,
                                                 const std::string& id);
[[nodiscard]] const mapping::Enrolment* find_enrolment(const mapping::Roster& roster,
                                                       const std::string& person,
                                                       const std::string& group);
// The only roster of a folder, or a test failure.
[[nodiscard]] mapping::Roster only_roster(const std::filesystem::path& folder,
                                          const Options& options = {});
// The describe()d problems of the error a read throws ("" when it does not throw).
[[nodiscard]] std::string read_error(const std::filesystem::path& folder,
                                     const Options& options = {});

}  // namespace rosterd::adapters::oneroster::testing
