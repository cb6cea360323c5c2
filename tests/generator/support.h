#pragma once
// Queries over generated rosters shared by the generator tests.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "mapping/model.h"

namespace rosterd::generator::test {

// Every problem found: duplicate ids, enrolments and relations pointing nowhere, reversed
// date ranges. Empty when the roster is consistent.
[[nodiscard]] std::vector<std::string> integrity_problems(const mapping::Roster& roster);

[[nodiscard]] const mapping::Person* find_person(const mapping::Roster& r, const std::string& id);
[[nodiscard]] const mapping::Group* find_group(const mapping::Roster& r, const std::string& id);
[[nodiscard]] std::map<std::string, std::set<std::string>> parents_by_child(
    const mapping::Roster& r);
// The groups each person is a student of on `day`.
[[nodiscard]] std::map<std::string, std::set<std::string>> classes_by_student(
    const mapping::Roster& r, mapping::Date day);
// Active class groups on `day` without an active leader.
[[nodiscard]] std::vector<std::string> classes_without_leader(const mapping::Roster& r,
                                                              mapping::Date day);
// The five export files of a folder, concatenated: equal strings mean equal exports.
[[nodiscard]] std::string read_export_bytes(const std::string& folder);
// A fresh empty folder under the system temp dir, unique to this test.
[[nodiscard]] std::string fresh_temp_folder(const std::string& name);

}  // namespace rosterd::generator::test
