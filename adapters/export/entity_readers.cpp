#include "adapters/export/entity_readers.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

#include "adapters/export/field_reader.h"
#include "adapters/export/labels.h"

namespace rosterd::adapters::export_folder::detail {

namespace {

constexpr std::string_view org_kinds = "school, kindergarten or additional";
constexpr std::string_view group_kinds = "class, kindergarten_group or association";
constexpr std::string_view person_roles = "student, parent or staff";
constexpr std::string_view enrolment_roles = "student, leader or teacher";
constexpr std::string_view relation_kinds = "mother, father or guardian";

// Which required fields a record had. Kept apart from the values so that a field present with a
// bad value is reported once, as bad, and not a second time as missing.
class Presence {
 public:
  void saw(unsigned bit) noexcept { seen_ |= 1U << bit; }
  void require(unsigned bit, std::string_view field, RecordProblems& problems) const {
    if ((seen_ & (1U << bit)) == 0) problems.add(field, "required field is missing");
  }

 private:
  unsigned seen_ = 0;
};

void set(std::string& out, std::optional<std::string_view> text) {
  if (text) out.assign(text->data(), text->size());
}

void set(std::optional<std::string>& out, std::optional<std::string_view> text) {
  if (text) out.emplace(*text);
}

// A key as written, without copying it, unless it holds an escape (legal, but no exporter of ours
// writes one): unescaping every key would cost a copy per field.
std::string_view key_of(od::field& field) {
  const char* const raw = field.key().raw();
  const char* end = raw;
  while (*end != '"' && *end != '\\') ++end;
  if (*end == '"') return {raw, static_cast<std::size_t>(end - raw)};
  std::string_view key;
  check_json(field.unescaped_key().get(key));
  return key;
}

// Iterates the object once, in the file's order; On-Demand skips any value left unread, which is
// how unknown fields are ignored.
template <class ReadField>
void for_each_field(od::object& object, ReadField read_field) {
  for (auto member : object) {
    od::field field;
    check_json(std::move(member).get(field));
    read_field(key_of(field), field.value());
  }
}

// Reads one element of the array into `record`; true when it had problems.
template <class Record, class ReadRecord, class Label>
bool read_element(od::value& value, std::size_t index, Record& record, FileContext& context,
                  ReadRecord read_record, Label label) {
  RecordProblems problems;
  if (const od::json_type type = type_of(value); type != od::json_type::object) {
    problems.add("", "expected an object, found " + std::string(type_name(type)));
  } else {
    od::object object;
    check_json(value.get_object().get(object));
    read_record(object, record, problems);
  }
  if (problems.empty()) return false;
  problems.move_to(context.problems, context.file, label(index, record));
  return true;
}

// The root must be an array; each element becomes one record, even a bad one, so that indexes
// match the file.
template <class Record, class ReadRecord, class Label>
FileOutcome read_array(od::document& document, FileContext context, std::vector<Record>& out,
                       ReadRecord read_record, Label label) {
  bool in_records = false;  // once true, out.back() is the record being read if the JSON breaks
  FileOutcome outcome;
  try {
    od::json_type root{};
    check_json(document.type().get(root));
    if (root != od::json_type::array) {
      context.problems.push_back(
          Problem{context.file, "", "",
                  "expected a JSON array of records, found " + std::string(type_name(root))});
      return outcome;
    }
    od::array array;
    check_json(document.get_array().get(array));
    // Counting first is a quick pass over the structure; it saves growing the vector, which
    // costs more (moves, and memory touched twice).
    std::size_t count = 0;
    check_json(array.count_elements().get(count));
    out.reserve(count);
    outcome.flawed.reserve(count);
    for (auto element : array) {
      in_records = true;
      out.emplace_back();
      od::value value;
      check_json(std::move(element).get(value));
      const bool flawed =
          read_element(value, out.size() - 1, out.back(), context, read_record, label);
      outcome.flawed.push_back(flawed);
    }
    in_records = false;
    // Without this, "[...] [...]" would pass: On-Demand stops reading after the root's end.
    if (document.current_location().error() == simdjson::SUCCESS) {
      context.problems.push_back(
          Problem{context.file, "", "", "malformed JSON: content after the closing bracket"});
      return outcome;
    }
  } catch (const MalformedJson& malformed) {
    context.problems.push_back(Problem{context.file,
                                       in_records ? "[" + std::to_string(out.size() - 1) + "]" : "",
                                       "", malformed_json(malformed.code)});
    return outcome;
  }
  outcome.complete = true;
  return outcome;
}

void read_organisation(od::object& object, mapping::Organisation& org, RecordProblems& problems) {
  enum : unsigned { id, name, kind, timezone };
  Presence presence;
  for_each_field(object, [&](std::string_view key, od::value& value) {
    if (key == "id") {
      presence.saw(id);
      set(org.id, read_string(value, key, Need::required, problems));
    } else if (key == "name") {
      presence.saw(name);
      set(org.name, read_string(value, key, Need::required, problems));
    } else if (key == "short_name") {
      set(org.short_name, read_string(value, key, Need::nullable, problems));
    } else if (key == "kind") {
      presence.saw(kind);
      org.kind =
          read_enum(value, key, mapping::parse_org_kind, org_kinds, problems).value_or(org.kind);
    } else if (key == "timezone") {
      presence.saw(timezone);
      set(org.timezone, read_string(value, key, Need::required, problems));
    }
  });
  presence.require(id, "id", problems);
  presence.require(name, "name", problems);
  presence.require(kind, "kind", problems);
  presence.require(timezone, "timezone", problems);
}

// A reference to another record: null or absent means none, but an empty string is a mistake.
std::optional<std::string_view> read_reference(od::value& value, std::string_view field,
                                               RecordProblems& problems) {
  auto text = read_string(value, field, Need::nullable, problems);
  if (text && text->empty()) {
    problems.add(field, "must not be empty (null means none)");
    return std::nullopt;
  }
  return text;
}

void read_group(od::object& object, mapping::Group& group, RecordProblems& problems) {
  enum : unsigned { id, name, kind, academic_year };
  constexpr std::int64_t first_grade = 1, last_grade = 11, first_year = 1000, last_year = 9999;
  Presence presence;
  for_each_field(object, [&](std::string_view key, od::value& value) {
    if (key == "id") {
      presence.saw(id);
      set(group.id, read_string(value, key, Need::required, problems));
    } else if (key == "name") {
      presence.saw(name);
      set(group.name, read_string(value, key, Need::required, problems));
    } else if (key == "kind") {
      presence.saw(kind);
      group.kind = read_enum(value, key, mapping::parse_group_kind, group_kinds, problems)
                       .value_or(group.kind);
    } else if (key == "grade") {
      if (auto grade =
              read_integer(value, key, Need::nullable, first_grade, last_grade, problems)) {
        group.grade = static_cast<int>(*grade);
      }
    } else if (key == "academic_year") {
      presence.saw(academic_year);
      group.academic_year = static_cast<int>(
          read_integer(value, key, Need::required, first_year, last_year, problems).value_or(0));
    } else if (key == "previous_group_id") {
      set(group.previous_group_id, read_reference(value, key, problems));
    } else if (key == "opened_on") {
      group.opened_on = read_date(value, key, Need::nullable, problems);
    } else if (key == "closed_on") {
      group.closed_on = read_date(value, key, Need::nullable, problems);
    }
  });
  presence.require(id, "id", problems);
  presence.require(name, "name", problems);
  presence.require(kind, "kind", problems);
  presence.require(academic_year, "academic_year", problems);
}

std::uint8_t read_roles(od::value& value, RecordProblems& problems) {
  std::uint8_t roles = 0;
  read_string_array(
      value, "roles", Need::required, problems, [&](std::size_t index, std::string_view text) {
        if (auto role = mapping::parse_person_role(text)) {
          roles |= *role;
        } else {
          problems.add("roles[" + std::to_string(index) + "]", unknown_value(text, person_roles));
        }
      });
  return roles;
}

std::vector<std::string> read_positions(od::value& value, RecordProblems& problems) {
  std::vector<std::string> positions;
  read_string_array(value, "positions", Need::nullable, problems,
                    [&](std::size_t, std::string_view text) { positions.emplace_back(text); });
  return positions;
}

// Reads one field of a person; returns the presence bit of a required field, or -1.
int read_person_field(std::string_view key, od::value& value, mapping::Person& person,
                      RecordProblems& problems) {
  constexpr std::int64_t largest_id = std::numeric_limits<std::int64_t>::max();
  if (key == "id") {
    set(person.id, read_string(value, key, Need::required, problems));
    return 0;
  }
  if (key == "roles") {
    person.roles = read_roles(value, problems);
    return 1;
  }
  if (key == "last_name") {
    set(person.last_name, read_string(value, key, Need::required, problems));
    return 2;
  }
  if (key == "first_name") {
    set(person.first_name, read_string(value, key, Need::required, problems));
    return 3;
  }
  if (key == "middle_name") {
    set(person.middle_name, read_string(value, key, Need::nullable, problems));
  } else if (key == "birth_date") {
    person.birth_date = read_date(value, key, Need::nullable, problems);
  } else if (key == "phone") {
    // Contact values are read like any string; read_string never puts a value in a message.
    set(person.phone, read_string(value, key, Need::nullable, problems));
  } else if (key == "email") {
    set(person.email, read_string(value, key, Need::nullable, problems));
  } else if (key == "platform_user_id") {
    person.platform_user_id = read_integer(value, key, Need::nullable, 1, largest_id, problems);
  } else if (key == "positions") {
    person.positions = read_positions(value, problems);
  } else if (key == "employed_from") {
    person.employed_from = read_date(value, key, Need::nullable, problems);
  } else if (key == "employed_to") {
    person.employed_to = read_date(value, key, Need::nullable, problems);
  }
  return -1;
}

void read_person(od::object& object, mapping::Person& person, RecordProblems& problems) {
  Presence presence;
  for_each_field(object, [&](std::string_view key, od::value& value) {
    if (const int bit = read_person_field(key, value, person, problems); bit >= 0) {
      presence.saw(static_cast<unsigned>(bit));
    }
  });
  presence.require(0, "id", problems);
  presence.require(1, "roles", problems);
  presence.require(2, "last_name", problems);
  presence.require(3, "first_name", problems);
}

void read_enrolment(od::object& object, mapping::Enrolment& enrolment, RecordProblems& problems) {
  enum : unsigned { person_id, group_id, role };
  Presence presence;
  for_each_field(object, [&](std::string_view key, od::value& value) {
    if (key == "person_id") {
      presence.saw(person_id);
      set(enrolment.person_id, read_string(value, key, Need::required, problems));
    } else if (key == "group_id") {
      presence.saw(group_id);
      set(enrolment.group_id, read_string(value, key, Need::required, problems));
    } else if (key == "role") {
      presence.saw(role);
      enrolment.role =
          read_enum(value, key, mapping::parse_enrolment_role, enrolment_roles, problems)
              .value_or(enrolment.role);
    } else if (key == "from") {
      enrolment.from = read_date(value, key, Need::nullable, problems);
    } else if (key == "to") {
      enrolment.to = read_date(value, key, Need::nullable, problems);
    } else if (key == "reason") {
      set(enrolment.reason, read_string(value, key, Need::nullable, problems));
    }
  });
  presence.require(person_id, "person_id", problems);
  presence.require(group_id, "group_id", problems);
  presence.require(role, "role", problems);
}

void read_relation(od::object& object, mapping::Relation& relation, RecordProblems& problems) {
  enum : unsigned { parent_id, child_id, kind };
  Presence presence;
  for_each_field(object, [&](std::string_view key, od::value& value) {
    if (key == "parent_id") {
      presence.saw(parent_id);
      set(relation.parent_id, read_string(value, key, Need::required, problems));
    } else if (key == "child_id") {
      presence.saw(child_id);
      set(relation.child_id, read_string(value, key, Need::required, problems));
    } else if (key == "kind") {
      presence.saw(kind);
      relation.kind = read_enum(value, key, mapping::parse_relation_kind, relation_kinds, problems)
                          .value_or(relation.kind);
    }
  });
  presence.require(parent_id, "parent_id", problems);
  presence.require(child_id, "child_id", problems);
  presence.require(kind, "kind", problems);
}

template <class Record>
std::string label_by_id(std::size_t index, const Record& record) {
  return id_label(index, record.id);
}

}  // namespace

FileOutcome read_organisations(od::document& document, FileContext context,
                               std::vector<mapping::Organisation>& out) {
  FileOutcome outcome =
      read_array(document, context, out, read_organisation, label_by_id<mapping::Organisation>);
  if (outcome.complete && out.size() != 1) {
    context.problems.push_back(
        Problem{context.file, "", "",
                "expected exactly one organisation, found " + std::to_string(out.size())});
  }
  return outcome;
}

FileOutcome read_groups(od::document& document, FileContext context,
                        std::vector<mapping::Group>& out) {
  return read_array(document, context, out, read_group, label_by_id<mapping::Group>);
}

FileOutcome read_persons(od::document& document, FileContext context,
                         std::vector<mapping::Person>& out) {
  return read_array(document, context, out, read_person, label_by_id<mapping::Person>);
}

FileOutcome read_enrolments(od::document& document, FileContext context,
                            std::vector<mapping::Enrolment>& out) {
  return read_array(document, context, out, read_enrolment, enrolment_label);
}

FileOutcome read_relations(od::document& document, FileContext context,
                           std::vector<mapping::Relation>& out) {
  return read_array(document, context, out, read_relation, relation_label);
}

void read_record(od::object& object, mapping::Organisation& out, RecordProblems& problems) {
  read_organisation(object, out, problems);
}
void read_record(od::object& object, mapping::Group& out, RecordProblems& problems) {
  read_group(object, out, problems);
}
void read_record(od::object& object, mapping::Person& out, RecordProblems& problems) {
  read_person(object, out, problems);
}
void read_record(od::object& object, mapping::Enrolment& out, RecordProblems& problems) {
  read_enrolment(object, out, problems);
}
void read_record(od::object& object, mapping::Relation& out, RecordProblems& problems) {
  read_relation(object, out, problems);
}

}  // namespace rosterd::adapters::export_folder::detail
