#pragma once
// Internal: values to SQL parameters and result cells back to values. Enumerations are stored
// as their names (mapping's name()/parse_*()), dates as ISO text, booleans as 0/1. A cell that
// does not decode throws StoreError naming the column: the database was written by something else.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/store/sql_session.h"
#include "adapters/store/store.h"
#include "mapping/plan.h"
#include "mapping/state.h"

namespace rosterd::adapters::store::detail {

// A cell that does not decode: which one (its position in the row) and what is wrong with it,
// so that a caller who knows the row can name the record and the column.
class UnreadableCell : public StoreError {
 public:
  UnreadableCell(std::size_t column, std::string problem);
  [[nodiscard]] std::size_t column() const noexcept { return column_; }
  [[nodiscard]] const std::string& problem() const noexcept { return problem_; }

 private:
  std::size_t column_;
  std::string problem_;
};

[[nodiscard]] SqlParam param(std::optional<std::int64_t> value);
[[nodiscard]] SqlParam param(const std::optional<std::string>& value);
[[nodiscard]] SqlParam param(const std::optional<mapping::Date>& value);
[[nodiscard]] SqlParam param(bool value);

[[nodiscard]] std::string text_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] std::optional<std::string> opt_text_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] std::int64_t int64_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] std::optional<std::int64_t> opt_int64_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] bool bool_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] mapping::Date date_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] std::optional<mapping::Date> opt_date_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] mapping::ChatKind chat_kind_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] mapping::MemberRole role_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] mapping::MemberOrigin origin_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] mapping::MemberPresence presence_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] mapping::ChatDrift drift_cell(const SqlRow& row, std::size_t column);
// A count the core keeps as 32 bits: anything outside 0 … 2^32-1 is unreadable.
[[nodiscard]] std::uint32_t count_cell(const SqlRow& row, std::size_t column);
[[nodiscard]] SqlParam count_param(std::uint32_t count);

// The names these enumerations are stored under (mapping has no name() for them).
[[nodiscard]] std::string_view name(mapping::MemberOrigin origin) noexcept;
[[nodiscard]] std::string_view name(mapping::MemberPresence presence) noexcept;
[[nodiscard]] std::string_view name(mapping::ChatDrift drift) noexcept;

// An action's columns, in the order action_params() binds them and action_from_row() reads them.
inline constexpr std::string_view action_columns =
    "type, chat_key, chat_kind, group_id, title, person_id, platform_user_id, role, reason";
inline constexpr std::size_t action_column_count = 9;
// Appends the action's nine column values to `params`.
void append_action_params(SqlParams& params, const mapping::Action& action);
// Reads the nine action columns starting at `first`; held and held_reason are left default.
[[nodiscard]] mapping::Action action_from_row(const SqlRow& row, std::size_t first);

}  // namespace rosterd::adapters::store::detail
