#pragma once
// The forms the reports share: CSV for Excel in a Russian locale, and HTML escaping. Names in
// reports come from the journal as any text: a name with a ';', a quote or a '<' must stay one
// cell, one name.

#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

namespace rosterd::daemon {

// CSV as Excel in a Russian locale opens it by a double click: UTF-8 with a byte-order mark,
// ';' between cells (',' is the decimal separator there), CRLF line ends, and a cell quoted
// (quotes doubled) when it holds ';', '"', a line break or starts with a space. A cell starting
// with '=', '+', '-' or '@' gets a leading apostrophe, so a name cannot be a formula.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out);  // writes the byte-order mark
  void row(std::initializer_list<std::string_view> cells);
  void cell(std::string_view value);  // one cell of the current row
  void end_row();

 private:
  std::ostream& out_;
  bool first_ = true;
};

// & < > " ' as character references: safe in text and in quoted attributes. Line breaks stay;
// other control characters read as '?'.
[[nodiscard]] std::string html_escape(std::string_view text);

}  // namespace rosterd::daemon
