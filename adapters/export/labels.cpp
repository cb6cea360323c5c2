#include "adapters/export/labels.h"

#include "mapping/text.h"

namespace rosterd::adapters::export_folder::detail {

namespace {

[[nodiscard]] std::string index_part(std::size_t index) {
  return "[" + std::to_string(index) + "]";
}

[[nodiscard]] std::string or_unknown(std::string_view id) {
  return id.empty() ? std::string("?") : mapping::quote_id(id);
}

}  // namespace

std::string id_label(std::size_t index, std::string_view id) {
  if (id.empty()) return index_part(index);
  return index_part(index) + " (id " + mapping::quote_id(id) + ")";
}

std::string enrolment_label(std::size_t index, const mapping::Enrolment& enrolment) {
  if (enrolment.person_id.empty() && enrolment.group_id.empty()) return index_part(index);
  return index_part(index) + " (person " + or_unknown(enrolment.person_id) + ", group " +
         or_unknown(enrolment.group_id) + ")";
}

std::string relation_label(std::size_t index, const mapping::Relation& relation) {
  if (relation.parent_id.empty() && relation.child_id.empty()) return index_part(index);
  return index_part(index) + " (parent " + or_unknown(relation.parent_id) + ", child " +
         or_unknown(relation.child_id) + ")";
}

}  // namespace rosterd::adapters::export_folder::detail
