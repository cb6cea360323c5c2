#pragma once
// Internal: reading one CSV record's fields by header name, turning a bad value into a problem of
// that record (file, line, sourcedId, column) so one pass finds every bad field.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/oneroster/csv.h"
#include "adapters/oneroster/oneroster.h"
#include "adapters/oneroster/tables.h"
#include "mapping/date.h"

namespace rosterd::adapters::oneroster::detail {

// Header names, matched without regard to case; unknown columns are simply never asked for.
class Columns {
 public:
  explicit Columns(const std::vector<std::string>& header);
  [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const;
  // False, with a problem naming the file and the column, when the header lacks it.
  [[nodiscard]] bool require(std::string_view name, const std::string& file,
                             std::vector<Problem>& problems) const;

 private:
  std::unordered_map<std::string, std::size_t> index_;
};

class RowReader {
 public:
  RowReader(const CsvRecord& record, const Columns& columns, const std::string& file,
            std::vector<Problem>& problems);

  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  // status: empty or active -> false; tobedeleted (or OneRoster 1.0's inactive) -> true.
  [[nodiscard]] bool deleted();
  // The trimmed value; empty when the column is not in the file.
  [[nodiscard]] std::string get(std::string_view column) const;
  [[nodiscard]] std::string required(std::string_view column);
  [[nodiscard]] std::optional<mapping::Date> date(std::string_view column);
  [[nodiscard]] bool flag(std::string_view column);
  void problem(std::string_view column, std::string message);

 private:
  const CsvRecord& record_;
  const Columns& columns_;
  const std::string& file_;
  std::vector<Problem>& problems_;
  std::string id_;
};

[[nodiscard]] std::string lower(std::string_view s);
[[nodiscard]] std::optional<UserRole> parse_user_role(std::string_view s) noexcept;
// "09" -> 9; nothing for several grades, a grade outside 1..11 or a code such as KG.
// "2027" -> 2027; nothing for anything but four digits.
[[nodiscard]] std::optional<int> parse_year(std::string_view s) noexcept;
[[nodiscard]] std::optional<int> single_grade(std::string_view grades) noexcept;
// The id of the {TYPE:ID} entry of userIds whose TYPE is `type` (nothing when `type` is empty).
[[nodiscard]] std::optional<std::int64_t> platform_id(RowReader& reader, std::string_view type);

}  // namespace rosterd::adapters::oneroster::detail
