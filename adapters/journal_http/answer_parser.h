#pragma once
// Internal: turns the journal's answer bodies into records, with simdjson On-Demand and the
// export adapter's per-record readers, so an HTTP item and an export record obey the same field
// rules (docs/export-format.md). Problems are collected, never thrown, except that the caller
// decides what a problem means for the fetch. This is what the fuzz target drives.

#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

#include "adapters/export/export_reader.h"
#include "mapping/model.h"

namespace rosterd::adapters::journal_http::detail {

// Problems as the export adapter's checks record them; `file` holds the request.
using RawProblem = export_folder::Problem;

// One list read page by page: record indexes count across pages.
template <class Record>
struct ListRead {
  std::vector<Record> records;
  std::vector<bool> flawed;  // by index: records with a bad field (left out of duplicate checks)
};

struct PageResult {
  bool complete = false;  // false: malformed JSON or not a page; stop paging, the fetch fails
  std::optional<std::string> next_cursor;  // none on the last page
};

class AnswerParser {
 public:
  // The organisation object of /v1/organisations/{id}. `body` gains padding capacity.
  void read_organisation(std::string& body, const std::string& request, mapping::Organisation& out,
                         std::vector<RawProblem>& problems);

  // One page {"items": [...], "next_cursor": "..." | null}: appends its records to `list`.
  [[nodiscard]] PageResult read_page(std::string& body, const std::string& request,
                                     ListRead<mapping::Organisation>& list,
                                     std::vector<RawProblem>& problems);
  [[nodiscard]] PageResult read_page(std::string& body, const std::string& request,
                                     ListRead<mapping::Group>& list,
                                     std::vector<RawProblem>& problems);
  [[nodiscard]] PageResult read_page(std::string& body, const std::string& request,
                                     ListRead<mapping::Person>& list,
                                     std::vector<RawProblem>& problems);
  [[nodiscard]] PageResult read_page(std::string& body, const std::string& request,
                                     ListRead<mapping::Enrolment>& list,
                                     std::vector<RawProblem>& problems);
  [[nodiscard]] PageResult read_page(std::string& body, const std::string& request,
                                     ListRead<mapping::Relation>& list,
                                     std::vector<RawProblem>& problems);

 private:
  template <class Record>
  PageResult read_any_page(std::string& body, const std::string& request, ListRead<Record>& list,
                           std::vector<RawProblem>& problems);

  // Reused for every answer: its buffers grow once.
  simdjson::ondemand::parser parser_;
};

// The lists' paths as checks across records name them: "/v1/organisations/org-1/persons".
struct ListPaths {
  std::string groups;
  std::string persons;
  std::string enrolments;
  std::string relations;
};

// The checks across records, once every list is read: duplicate ids, duplicate enrolments and
// relations, enrolments and relations naming unknown persons or groups. Keeps the positions the
// references resolve to in roster.links.
void check_across(mapping::Roster& roster, const std::vector<bool>& enrolments_flawed,
                  const std::vector<bool>& relations_flawed, const ListPaths& paths,
                  std::vector<RawProblem>& problems);

// Duplicate organisation ids in /v1/organisations.
void check_organisations(const std::vector<mapping::Organisation>& organisations,
                         const std::string& path, std::vector<RawProblem>& problems);

}  // namespace rosterd::adapters::journal_http::detail
