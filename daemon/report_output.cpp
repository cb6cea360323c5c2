#include "daemon/report_output.h"

namespace rosterd::daemon {

CsvWriter::CsvWriter(std::ostream& out) : out_(out) { out_ << "\xEF\xBB\xBF"; }

void CsvWriter::row(std::initializer_list<std::string_view> cells) {
  for (const auto c : cells) cell(c);
  end_row();
}

void CsvWriter::cell(std::string_view value) {
  if (!first_) out_ << ';';
  first_ = false;
  std::string text;
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) {
    text += '\'';
  }
  text += value;
  const bool quote = text.find_first_of(";\"\r\n") != std::string::npos ||
                     (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) {
    out_ << text;
    return;
  }
  out_ << '"';
  for (const char c : text) {
    if (c == '"') out_ << '"';
    out_ << c;
  }
  out_ << '"';
}

void CsvWriter::end_row() {
  out_ << "\r\n";
  first_ = true;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Errors keep their lines (one problem a line); no other control reaches a page.
        out += (static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == '\x7f' ? '?' : c;
    }
  }
  return out;
}

}  // namespace rosterd::daemon
