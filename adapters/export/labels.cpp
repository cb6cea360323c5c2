#include "adapters/export/labels.h"

namespace rosterd::adapters::export_folder::detail {

namespace {

[[nodiscard]] std::string index_part(std::size_t index) {
  return "[" + std::to_string(index) + "]";
}

[[nodiscard]] std::string or_unknown(std::string_view id) {
  return id.empty() ? std::string("?") : printable(id);
}

}  // namespace

std::string printable(std::string_view id) {
  constexpr std::size_t longest = 64;
  std::size_t size = id.size();
  if (size > longest) {
    size = longest;
    // Cut on a character boundary, not inside a UTF-8 sequence.
    while (size > 0 && (static_cast<unsigned char>(id[size]) & 0xC0U) == 0x80U) --size;
  }
  std::string out(id.substr(0, size));
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20U || byte == 0x7FU) c = '?';
  }
  if (size < id.size()) out += "...";
  return out;
}

std::string id_label(std::size_t index, std::string_view id) {
  if (id.empty()) return index_part(index);
  return index_part(index) + " (id " + printable(id) + ")";
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
