#pragma once
// The simulator's own reading and writing of the journal entities (docs/export-format.md).
// It shares nothing with adapters/: a bug shared by the client and its test peer hides itself.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "mapping/model.h"

namespace rosterd::sim::journal {

// A record that cannot be read; what() names the file or event and the record, never a value.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The sub-folders of `root` holding an orgs.json, sorted by name, dot names skipped.
[[nodiscard]] std::vector<std::filesystem::path> export_folders(const std::filesystem::path& root);

// One export folder as a Roster; throws DataError naming the file and record.
[[nodiscard]] mapping::Roster read_folder(const std::filesystem::path& folder);

// One record from its JSON object; `where` names it in a DataError ("persons.json[3]").
[[nodiscard]] mapping::Organisation organisation_from_json(const nlohmann::json& j,
                                                           const std::string& where);
[[nodiscard]] mapping::Group group_from_json(const nlohmann::json& j, const std::string& where);
[[nodiscard]] mapping::Person person_from_json(const nlohmann::json& j, const std::string& where);
[[nodiscard]] mapping::Enrolment enrolment_from_json(const nlohmann::json& j,
                                                     const std::string& where);
[[nodiscard]] mapping::Relation relation_from_json(const nlohmann::json& j,
                                                   const std::string& where);

// The contract's JSON of each entity, field names as the export folder spells them.
[[nodiscard]] nlohmann::json to_json(const mapping::Organisation& o);
[[nodiscard]] nlohmann::json to_json(const mapping::Group& g);
[[nodiscard]] nlohmann::json to_json(const mapping::Person& p);
[[nodiscard]] nlohmann::json to_json(const mapping::Enrolment& e);
[[nodiscard]] nlohmann::json to_json(const mapping::Relation& r);

// A JSON value as text; invalid UTF-8 is replaced rather than thrown on.
[[nodiscard]] std::string dump(const nlohmann::json& value);

}  // namespace rosterd::sim::journal
