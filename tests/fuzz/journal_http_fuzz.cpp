// libFuzzer target: the HTTP journal adapter's answer parsing (adapters/journal_http/
// answer_parser.h), which turns answer bodies into records with the export adapter's readers.
// The first byte picks the answer kind; the rest is the body. Page answers are then put through
// the checks across records, as a fetch does. Built by tests/fuzz/build.sh, not by CMake.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/journal_http/answer_parser.h"

namespace jd = rosterd::adapters::journal_http::detail;
namespace mapping = rosterd::mapping;

namespace {

const std::string request = "GET /v1/organisations/org-1/list?limit=500";
const jd::ListPaths paths{"/groups", "/persons", "/enrollments", "/relations"};

template <class Record>
jd::ListRead<Record> read_twice(jd::AnswerParser& parser, const std::string& input,
                                std::vector<jd::RawProblem>& problems) {
  jd::ListRead<Record> list;
  // Twice, as two pages of one list: indexes continue and the parser's buffers are reused.
  for (int page = 0; page < 2; ++page) {
    std::string body = input;
    const jd::PageResult result = parser.read_page(body, request, list, problems);
    if (result.next_cursor && result.next_cursor->empty()) __builtin_trap();
    if (list.records.size() != list.flawed.size()) __builtin_trap();
  }
  return list;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static jd::AnswerParser parser;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<jd::RawProblem> problems;
  mapping::Roster roster;
  std::vector<bool> enrolments_flawed, relations_flawed;
  switch (data[0] % 6) {
    case 0: {
      std::string copy = body;
      parser.read_organisation(copy, request, roster.org, problems);
      return 0;
    }
    case 1: {
      auto list = read_twice<mapping::Organisation>(parser, body, problems);
      jd::check_organisations(list.records, "/v1/organisations", problems);
      return 0;
    }
    case 2:
      roster.groups = read_twice<mapping::Group>(parser, body, problems).records;
      break;
    case 3:
      roster.persons = read_twice<mapping::Person>(parser, body, problems).records;
      break;
    case 4: {
      auto list = read_twice<mapping::Enrolment>(parser, body, problems);
      roster.enrolments = std::move(list.records);
      enrolments_flawed = std::move(list.flawed);
      break;
    }
    default: {
      auto list = read_twice<mapping::Relation>(parser, body, problems);
      roster.relations = std::move(list.records);
      relations_flawed = std::move(list.flawed);
      break;
    }
  }
  jd::check_across(roster, enrolments_flawed, relations_flawed, paths, problems);
  return 0;
}
