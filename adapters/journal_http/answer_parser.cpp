#include "adapters/journal_http/answer_parser.h"

#include <string_view>
#include <utility>

#include "adapters/export/entity_readers.h"
#include "adapters/export/field_reader.h"
#include "adapters/export/labels.h"
#include "adapters/export/reference_checks.h"

namespace rosterd::adapters::journal_http::detail {

namespace od = simdjson::ondemand;
namespace ed = export_folder::detail;

namespace {

// Answers are held in std::string; simdjson reads up to SIMDJSON_PADDING bytes past the end,
// which spare capacity provides without a copy.
od::document iterate(od::parser& parser, std::string& body) {
  body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  od::document document;
  ed::check_json(
      parser.iterate(simdjson::padded_string_view(body.data(), body.size(), body.capacity()))
          .get(document));
  return document;
}

// The root must be an object; false (and a problem) otherwise.
bool root_is_object(od::document& document, const std::string& request, std::string_view what,
                    std::vector<RawProblem>& problems) {
  od::json_type type{};
  ed::check_json(document.type().get(type));
  if (type == od::json_type::object) return true;
  problems.push_back(
      RawProblem{request, "", "",
                 "expected " + std::string(what) + ", found " + std::string(ed::type_name(type))});
  return false;
}

// Without this, "{...} {...}" would pass: On-Demand stops reading after the root's end.
bool ends_at_root(od::document& document, const std::string& request,
                  std::vector<RawProblem>& problems) {
  if (document.current_location().error() != simdjson::SUCCESS) return true;
  problems.push_back(
      RawProblem{request, "", "", "malformed JSON: content after the closing brace"});
  return false;
}

std::string label(std::size_t index, const mapping::Organisation& r) {
  return ed::id_label(index, r.id);
}
std::string label(std::size_t index, const mapping::Group& r) {
  return ed::id_label(index, r.id);
}
std::string label(std::size_t index, const mapping::Person& r) {
  return ed::id_label(index, r.id);
}
std::string label(std::size_t index, const mapping::Enrolment& r) {
  return ed::enrolment_label(index, r);
}
std::string label(std::size_t index, const mapping::Relation& r) {
  return ed::relation_label(index, r);
}

// The cursor of the next page: a non-empty string, or null on the last page. False when bad.
bool read_cursor(od::value& value, const std::string& request, std::optional<std::string>& out,
                 std::vector<RawProblem>& problems) {
  const od::json_type type = ed::type_of(value);
  std::string message;
  if (type == od::json_type::string) {
    std::string_view text;
    ed::check_json(value.get_string().get(text));
    if (!text.empty()) {
      out.emplace(text);
      return true;
    }
    message = "must not be empty (null means the last page)";
  } else if (type == od::json_type::null) {
    bool null = false;
    if (value.is_null().get(null) == simdjson::SUCCESS && null) return true;
    message = "malformed value";
  } else {
    message = "expected a string or null, found " + std::string(ed::type_name(type));
  }
  problems.push_back(RawProblem{request, "", "next_cursor", std::move(message)});
  return false;
}

// Appends every element of `items` as a record, even a bad one, so indexes match the answer.
// `current` is the index of the record being read, for a message if the JSON breaks inside it.
constexpr std::size_t no_record = static_cast<std::size_t>(-1);

template <class Record>
bool read_items(od::value& value, const std::string& request, ListRead<Record>& list,
                std::size_t& current, std::vector<RawProblem>& problems) {
  if (const od::json_type type = ed::type_of(value); type != od::json_type::array) {
    problems.push_back(
        RawProblem{request, "", "items",
                   "expected an array of records, found " + std::string(ed::type_name(type))});
    return false;
  }
  od::array array;
  ed::check_json(value.get_array().get(array));
  for (auto element : array) {
    current = list.records.size();
    Record& record = list.records.emplace_back();
    list.flawed.push_back(true);  // until read whole: the JSON may break inside it
    od::value item;
    ed::check_json(std::move(element).get(item));
    ed::RecordProblems record_problems;
    if (const od::json_type type = ed::type_of(item); type != od::json_type::object) {
      record_problems.add("", "expected an object, found " + std::string(ed::type_name(type)));
    } else {
      od::object object;
      ed::check_json(item.get_object().get(object));
      ed::read_record(object, record, record_problems);
    }
    const bool flawed = !record_problems.empty();
    if (flawed) record_problems.move_to(problems, request, label(current, record));
    list.flawed.back() = flawed;
  }
  current = no_record;
  return true;
}

}  // namespace

void AnswerParser::read_organisation(std::string& body, const std::string& request,
                                     mapping::Organisation& out,
                                     std::vector<RawProblem>& problems) {
  try {
    od::document document = iterate(parser_, body);
    if (!root_is_object(document, request, "the organisation object", problems)) return;
    od::object object;
    ed::check_json(document.get_object().get(object));
    ed::RecordProblems record_problems;
    ed::read_record(object, out, record_problems);
    record_problems.move_to(problems, request, "");
    (void)ends_at_root(document, request, problems);
  } catch (const ed::MalformedJson& malformed) {
    problems.push_back(RawProblem{request, "", "", ed::malformed_json(malformed.code)});
  }
}

template <class Record>
PageResult AnswerParser::read_any_page(std::string& body, const std::string& request,
                                       ListRead<Record>& list, std::vector<RawProblem>& problems) {
  PageResult result;
  std::size_t current = no_record;
  try {
    od::document document = iterate(parser_, body);
    if (!root_is_object(document, request, "a page object {items, next_cursor}", problems)) {
      return result;
    }
    od::object root;
    ed::check_json(document.get_object().get(root));
    bool items = false, cursor = false, shape_ok = true;
    for (auto member : root) {
      od::field field;
      ed::check_json(std::move(member).get(field));
      std::string_view key;
      ed::check_json(field.unescaped_key().get(key));
      if (key == "items") {
        // A second list would double the records or hide the first; neither is a page.
        if (items) {
          problems.push_back(RawProblem{request, "", "items", "given twice"});
          return result;
        }
        items = true;
        shape_ok = read_items(field.value(), request, list, current, problems) && shape_ok;
      } else if (key == "next_cursor") {
        cursor = true;
        result.next_cursor.reset();
        shape_ok = read_cursor(field.value(), request, result.next_cursor, problems) && shape_ok;
      }
    }
    if (!ends_at_root(document, request, problems)) return result;
    // Both are required: a page without next_cursor could be a server that drops the rest.
    for (const auto& [seen, name] : {std::pair{items, "items"}, std::pair{cursor, "next_cursor"}}) {
      if (!seen) problems.push_back(RawProblem{request, "", name, "required field is missing"});
    }
    result.complete = shape_ok && items && cursor;
  } catch (const ed::MalformedJson& malformed) {
    problems.push_back(RawProblem{request,
                                  current != no_record ? "[" + std::to_string(current) + "]" : "",
                                  "", ed::malformed_json(malformed.code)});
  }
  return result;
}

PageResult AnswerParser::read_page(std::string& body, const std::string& request,
                                   ListRead<mapping::Organisation>& list,
                                   std::vector<RawProblem>& problems) {
  return read_any_page(body, request, list, problems);
}
PageResult AnswerParser::read_page(std::string& body, const std::string& request,
                                   ListRead<mapping::Group>& list,
                                   std::vector<RawProblem>& problems) {
  return read_any_page(body, request, list, problems);
}
PageResult AnswerParser::read_page(std::string& body, const std::string& request,
                                   ListRead<mapping::Person>& list,
                                   std::vector<RawProblem>& problems) {
  return read_any_page(body, request, list, problems);
}
PageResult AnswerParser::read_page(std::string& body, const std::string& request,
                                   ListRead<mapping::Enrolment>& list,
                                   std::vector<RawProblem>& problems) {
  return read_any_page(body, request, list, problems);
}
PageResult AnswerParser::read_page(std::string& body, const std::string& request,
                                   ListRead<mapping::Relation>& list,
                                   std::vector<RawProblem>& problems) {
  return read_any_page(body, request, list, problems);
}

void check_across(mapping::Roster& roster, const std::vector<bool>& enrolments_flawed,
                  const std::vector<bool>& relations_flawed, const ListPaths& paths,
                  std::vector<RawProblem>& problems) {
  const auto groups = ed::index_ids(roster.groups, ed::FileContext{paths.groups, problems});
  const auto persons = ed::index_ids(roster.persons, ed::FileContext{paths.persons, problems});
  ed::check_unique(roster.enrolments, enrolments_flawed,
                   ed::FileContext{paths.enrolments, problems});
  ed::check_references(roster.enrolments, &persons, &groups,
                       ed::FileContext{paths.enrolments, problems}, roster.links,
                       "the persons list", "the groups list");
  ed::check_unique(roster.relations, relations_flawed, ed::FileContext{paths.relations, problems});
  ed::check_references(roster.relations, &persons, ed::FileContext{paths.relations, problems},
                       roster.links, "the persons list");
  // previous_group_id is not checked, as in the export: last year's group may be gone.
}

void check_organisations(const std::vector<mapping::Organisation>& organisations,
                         const std::string& path, std::vector<RawProblem>& problems) {
  (void)ed::index_ids(organisations, ed::FileContext{path, problems});
}

}  // namespace rosterd::adapters::journal_http::detail
