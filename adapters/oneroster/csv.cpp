#include "adapters/oneroster/csv.h"

#include <string>
#include <utility>

#include "adapters/oneroster/oneroster.h"
#include "adapters/oneroster/tables.h"

namespace rosterd::adapters::oneroster::detail {

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

std::string record_id(const CsvRecord& record, std::size_t id_column) {
  return id_column < record.fields.size() ? std::string(trim(record.fields[id_column])) : "";
}

// Walks the text once, one record at a time, counting physical lines.
class Scanner {
 public:
  Scanner(std::string_view text, const std::string& file) : text_(text), file_(file) {
    if (text_.starts_with(utf8_bom)) pos_ = utf8_bom.size();
  }

  [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }
  void set_id_column(std::size_t column) noexcept { id_column_ = column; }
  [[nodiscard]] std::size_t id_column() const noexcept { return id_column_; }

  // Skips blank lines; false at the end of the text.
  [[nodiscard]] bool next_record(CsvRecord& record) {
    while (!at_end() && at_line_break()) skip_line_break();
    if (at_end()) return false;
    record.line = line_;
    record.fields.clear();
    current_ = &record;
    for (;;) {
      record.fields.push_back(read_field(record.line));
      if (at_end()) break;
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      skip_line_break();  // read_field stops only at a comma, a line break or the end
      break;
    }
    return true;
  }

 private:
  [[nodiscard]] bool at_line_break() const noexcept {
    return text_[pos_] == '\n' || text_[pos_] == '\r';
  }

  void skip_line_break() noexcept {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  // The record is named by its sourcedId when that column was read before the fault.
  [[noreturn]] void fail(std::size_t line, std::string message) const {
    throw OneRosterError(
        {Problem{file_, line, record_id(*current_, id_column_), "", std::move(message)}});
  }

  [[nodiscard]] std::string read_field(std::size_t record_line) {
    if (!at_end() && text_[pos_] == '"') return read_quoted();
    const std::size_t start = pos_;
    while (!at_end() && text_[pos_] != ',' && !at_line_break()) {
      if (text_[pos_] == '"') fail(record_line, "a quote inside an unquoted field");
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  [[nodiscard]] std::string read_quoted() {
    const std::size_t opened_on = line_;
    ++pos_;
    std::string value;
    for (;;) {
      const std::size_t quote = text_.find('"', pos_);
      if (quote == std::string_view::npos) fail(opened_on, "a quoted field is never closed");
      count_lines(text_.substr(pos_, quote - pos_));
      value.append(text_.substr(pos_, quote - pos_));
      pos_ = quote + 1;
      if (!at_end() && text_[pos_] == '"') {  // a doubled quote stands for one
        value.push_back('"');
        ++pos_;
        continue;
      }
      if (!at_end() && text_[pos_] != ',' && !at_line_break()) {
        fail(line_, "text after the closing quote of a field");
      }
      return value;
    }
  }

  void count_lines(std::string_view chunk) noexcept {
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (chunk[i] == '\n' ||
          (chunk[i] == '\r' && (i + 1 == chunk.size() || chunk[i + 1] != '\n'))) {
        ++line_;
      }
    }
  }

  std::string_view text_;
  const std::string& file_;
  const CsvRecord* current_ = nullptr;
  std::size_t id_column_ = std::string::npos;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

bool same_name(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  constexpr std::string_view space = " \t\r\n";
  const auto first = s.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(space) - first + 1);
}

CsvTable parse_csv(std::string_view text, const std::string& file) {
  Scanner scanner(text, file);
  CsvTable table;
  CsvRecord record;
  if (!scanner.next_record(record)) return table;
  table.header = std::move(record.fields);
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    if (same_name(trim(table.header[i]), "sourcedId")) scanner.set_id_column(i);
  }
  while (scanner.next_record(record)) {
    if (record.fields.size() != table.header.size()) {
      throw OneRosterError(
          {Problem{file, record.line, record_id(record, scanner.id_column()), "",
                   std::to_string(record.fields.size()) + " fields where the header has " +
                       std::to_string(table.header.size())}});
    }
    table.records.push_back(std::move(record));
    record = CsvRecord{};
  }
  return table;
}

std::vector<std::string> split_values(std::string_view field) {
  std::vector<std::string> values;
  while (!field.empty()) {
    const auto comma = field.find(',');
    const auto value = trim(field.substr(0, comma));
    if (!value.empty()) values.emplace_back(value);
    if (comma == std::string_view::npos) break;
    field.remove_prefix(comma + 1);
  }
  return values;
}

}  // namespace rosterd::adapters::oneroster::detail
