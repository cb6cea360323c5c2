#pragma once
// Internal: one reader per export file. Each reads a document's array of records, appends one
// record per element (so a record's index is its place in the file) and the problems it found.
// Each says whether the file was read to its end (not so for malformed JSON or a root that is not
// an array: its records are then incomplete, and references into it cannot be checked) and which
// records had problems (their bad fields hold defaults, so they are left out of equality checks).

#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

#include "adapters/export/export_reader.h"
#include "adapters/export/field_reader.h"
#include "mapping/model.h"

namespace rosterd::adapters::export_folder::detail {

// The file being read (its path, as problems name it) and where its problems go.
struct FileContext {
  std::string file;
  std::vector<Problem>& problems;
};

struct FileOutcome {
  bool complete = false;
  std::vector<bool> flawed;  // by record index
};

[[nodiscard]] FileOutcome read_organisations(simdjson::ondemand::document& document,
                                             FileContext context,
                                             std::vector<mapping::Organisation>& out);
[[nodiscard]] FileOutcome read_groups(simdjson::ondemand::document& document, FileContext context,
                                      std::vector<mapping::Group>& out);
[[nodiscard]] FileOutcome read_persons(simdjson::ondemand::document& document, FileContext context,
                                       std::vector<mapping::Person>& out);
[[nodiscard]] FileOutcome read_enrolments(simdjson::ondemand::document& document,
                                          FileContext context,
                                          std::vector<mapping::Enrolment>& out);
[[nodiscard]] FileOutcome read_relations(simdjson::ondemand::document& document,
                                         FileContext context, std::vector<mapping::Relation>& out);

// One file's text already in memory, as read_export reads each file after loading it: a problem
// for JSON that does not parse, else the records. The fuzz target (tests/fuzz) enters here.
template <class Record>
[[nodiscard]] FileOutcome read_text(simdjson::ondemand::parser& parser,
                                    const simdjson::padded_string& json, FileContext context,
                                    FileOutcome (*read_records)(simdjson::ondemand::document&,
                                                                FileContext, std::vector<Record>&),
                                    std::vector<Record>& out) {
  simdjson::ondemand::document document;
  if (const auto code = parser.iterate(json).get(document)) {
    context.problems.push_back(Problem{context.file, "", "", malformed_json(code)});
    return {};
  }
  return read_records(document, std::move(context), out);
}

// One record from its JSON object, without the list around it: the same field rules for every
// source of the contract's entities. adapters/journal_http reads its paged HTTP answers with these.
// Problems go to `problems` (the caller names the record); MalformedJson is thrown when the JSON
// text itself is broken.
void read_record(simdjson::ondemand::object& object, mapping::Organisation& out,
                 RecordProblems& problems);
void read_record(simdjson::ondemand::object& object, mapping::Group& out,
                 RecordProblems& problems);
void read_record(simdjson::ondemand::object& object, mapping::Person& out,
                 RecordProblems& problems);
void read_record(simdjson::ondemand::object& object, mapping::Enrolment& out,
                 RecordProblems& problems);
void read_record(simdjson::ondemand::object& object, mapping::Relation& out,
                 RecordProblems& problems);

}  // namespace rosterd::adapters::export_folder::detail
