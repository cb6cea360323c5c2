#pragma once
// Internal: an RFC 4180 CSV reader. Quoted fields may hold commas, doubled quotes and line breaks;
// records end with CRLF, LF or CR; a UTF-8 BOM at the start is skipped; blank lines are skipped.
// Written here because Debian offers no kept C++ CSV library that reads line breaks in quotes.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rosterd::adapters::oneroster::detail {

struct CsvRecord {
  std::size_t line = 0;  // the physical line the record starts on (1 = the first line)
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;  // empty for an empty file
  std::vector<CsvRecord> records;   // every record after the header, each as wide as the header
};

// Throws OneRosterError naming `file` and the line: an unterminated quote, text after a closing
// quote, a quote inside an unquoted field, or a record whose width is not the header's.
[[nodiscard]] CsvTable parse_csv(std::string_view text, const std::string& file);

// A multi-value field ("a,b, c"): the values, trimmed, empty ones dropped.
[[nodiscard]] std::vector<std::string> split_values(std::string_view field);

[[nodiscard]] std::string_view trim(std::string_view s) noexcept;

}  // namespace rosterd::adapters::oneroster::detail
