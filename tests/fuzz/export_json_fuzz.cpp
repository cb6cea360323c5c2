// libFuzzer target: the journal export's per-file JSON reading (adapters/export), as read_export
// reads each file. The first byte picks the file (orgs, groups, persons, enrollments, relations);
// the rest is its text. Problems are data; any exception, crash or sanitizer report is a finding.

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "adapters/export/entity_readers.h"

namespace ex = rosterd::adapters::export_folder;

namespace {

template <class Record>
void read(simdjson::ondemand::parser& parser, const simdjson::padded_string& json,
          ex::detail::FileOutcome (*read_records)(simdjson::ondemand::document&,
                                                  ex::detail::FileContext, std::vector<Record>&)) {
  std::vector<ex::Problem> problems;
  std::vector<Record> records;
  (void)ex::detail::read_text(parser, json, ex::detail::FileContext{"fuzz.json", problems},
                              read_records, records);
  for (const auto& p : problems) (void)ex::describe(p);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static simdjson::ondemand::parser parser;
  const simdjson::padded_string json(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0: read(parser, json, ex::detail::read_organisations); break;
    case 1: read(parser, json, ex::detail::read_groups); break;
    case 2: read(parser, json, ex::detail::read_persons); break;
    case 3: read(parser, json, ex::detail::read_enrolments); break;
    default: read(parser, json, ex::detail::read_relations); break;
  }
  return 0;
}
