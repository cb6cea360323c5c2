#pragma once
// Internal: how a problem names its record. Records are named by their place in the file and by
// their ids (through mapping::quote_id: escaped, cut, and masked when an id looks like a phone
// number or an e-mail), never by a contact value.

#include <cstddef>
#include <string>
#include <string_view>

#include "mapping/model.h"

namespace rosterd::adapters::export_folder::detail {

// "[12] (id p-123)", or "[12]" while the id is unknown.
[[nodiscard]] std::string id_label(std::size_t index, std::string_view id);
// "[17] (person p-123, group g-5a)", "[17] (person ?, group g-5a)"; "[17]" when neither is known.
[[nodiscard]] std::string enrolment_label(std::size_t index, const mapping::Enrolment& enrolment);
// "[4] (parent p-1, child p-2)"
[[nodiscard]] std::string relation_label(std::size_t index, const mapping::Relation& relation);

}  // namespace rosterd::adapters::export_folder::detail
