#pragma once
// Internal: checks across records, run once a file has been read: duplicates within a file and
// references from one file into another.

#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/export/entity_readers.h"
#include "mapping/model.h"

namespace rosterd::adapters::export_folder::detail {

// Id -> index of its first record. Views point into the records, which must outlive the map.
using IdIndex = std::unordered_map<std::string_view, std::size_t>;

// Reports every repeated id and returns the ids seen (records without an id are skipped: their
// missing id is already a problem).
[[nodiscard]] IdIndex index_ids(const std::vector<mapping::Organisation>& records,
                                FileContext context);
[[nodiscard]] IdIndex index_ids(const std::vector<mapping::Group>& records, FileContext context);
[[nodiscard]] IdIndex index_ids(const std::vector<mapping::Person>& records, FileContext context);

// Enrolments and relations have no id: a duplicate is a record equal in every field. Flawed
// records are skipped: their bad fields hold defaults, which would make false twins.
void check_unique(const std::vector<mapping::Enrolment>& records, const std::vector<bool>& flawed,
                  FileContext context);
void check_unique(const std::vector<mapping::Relation>& records, const std::vector<bool>& flawed,
                  FileContext context);

// A null index means its file could not be read, so references into it are not checked. The
// names say where a missing record was looked for ("not in persons.json"): another source of the
// same records (adapters/journal_http) names its lists. The positions found are kept in `links`
// (mapping::RosterLinks), so the core does not look the ids up a second time.
void check_references(const std::vector<mapping::Enrolment>& records, const IdIndex* persons,
                      const IdIndex* groups, FileContext context, mapping::RosterLinks& links,
                      std::string_view persons_name = "persons.json",
                      std::string_view groups_name = "groups.json");
void check_references(const std::vector<mapping::Relation>& records, const IdIndex* persons,
                      FileContext context, mapping::RosterLinks& links,
                      std::string_view persons_name = "persons.json");

}  // namespace rosterd::adapters::export_folder::detail
