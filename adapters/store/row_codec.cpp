#include "adapters/store/row_codec.h"

#include <charconv>
#include <system_error>

#include "adapters/store/store.h"
#include "mapping/chat.h"

namespace rosterd::adapters::store::detail {
namespace {

[[noreturn]] void unreadable(std::size_t column, std::string_view expected,
                             const std::optional<std::string>& cell) {
  throw StoreError("state store: unreadable cell in column " + std::to_string(column) +
                   ": expected " + std::string{expected} + ", found " +
                   (cell ? "'" + *cell + "'" : std::string{"NULL"}));
}

const std::optional<std::string>& cell_at(const SqlRow& row, std::size_t column) {
  if (column >= row.cells.size()) {
    throw StoreError("state store: a result row has no column " + std::to_string(column));
  }
  return row.cells[column];
}

template <class Parse>
auto enum_cell(const SqlRow& row, std::size_t column, std::string_view expected, Parse parse) {
  const auto& cell = cell_at(row, column);
  if (!cell) unreadable(column, expected, cell);
  const auto value = parse(*cell);
  if (!value) unreadable(column, expected, cell);
  return *value;
}

std::optional<mapping::MemberOrigin> parse_origin(std::string_view s) noexcept {
  if (s == "ours") return mapping::MemberOrigin::ours;
  if (s == "observed") return mapping::MemberOrigin::observed;
  return std::nullopt;
}

}  // namespace

SqlParam param(std::optional<std::int64_t> value) {
  if (!value) return nullptr;
  return *value;
}

SqlParam param(const std::optional<mapping::Date>& value) {
  if (!value) return nullptr;
  return value->iso();
}

SqlParam param(bool value) {
  return std::int64_t{value ? 1 : 0};
}

std::string text_cell(const SqlRow& row, std::size_t column) {
  const auto& cell = cell_at(row, column);
  if (!cell) unreadable(column, "text", cell);
  return *cell;
}

std::optional<std::int64_t> opt_int64_cell(const SqlRow& row, std::size_t column) {
  const auto& cell = cell_at(row, column);
  if (!cell) return std::nullopt;
  std::int64_t value = 0;
  const auto* end = cell->data() + cell->size();
  const auto [ptr, ec] = std::from_chars(cell->data(), end, value);
  if (ec != std::errc{} || ptr != end) unreadable(column, "an integer", cell);
  return value;
}

std::int64_t int64_cell(const SqlRow& row, std::size_t column) {
  const auto value = opt_int64_cell(row, column);
  if (!value) unreadable(column, "an integer", std::nullopt);
  return *value;
}

bool bool_cell(const SqlRow& row, std::size_t column) {
  const auto value = int64_cell(row, column);
  if (value != 0 && value != 1) unreadable(column, "0 or 1", std::to_string(value));
  return value == 1;
}

std::optional<mapping::Date> opt_date_cell(const SqlRow& row, std::size_t column) {
  const auto& cell = cell_at(row, column);
  if (!cell) return std::nullopt;
  const auto date = mapping::Date::parse(*cell);
  if (!date) unreadable(column, "an ISO date", cell);
  return date;
}

mapping::Date date_cell(const SqlRow& row, std::size_t column) {
  const auto date = opt_date_cell(row, column);
  if (!date) unreadable(column, "an ISO date", std::nullopt);
  return *date;
}

mapping::ChatKind chat_kind_cell(const SqlRow& row, std::size_t column) {
  return enum_cell(row, column, "a chat kind", mapping::parse_chat_kind);
}

mapping::MemberRole role_cell(const SqlRow& row, std::size_t column) {
  return enum_cell(row, column, "a member role", mapping::parse_member_role);
}

mapping::MemberOrigin origin_cell(const SqlRow& row, std::size_t column) {
  return enum_cell(row, column, "a member origin", parse_origin);
}

std::string_view name(mapping::MemberOrigin origin) noexcept {
  return origin == mapping::MemberOrigin::ours ? "ours" : "observed";
}

void append_action_params(SqlParams& params, const mapping::Action& action) {
  params.emplace_back(std::string{mapping::name(action.type)});
  params.emplace_back(action.chat_key);
  params.emplace_back(std::string{mapping::name(action.chat_kind)});
  params.emplace_back(action.group_id);
  params.emplace_back(action.title);
  params.emplace_back(action.person_id);
  params.push_back(param(action.platform_user_id));
  params.emplace_back(std::string{mapping::name(action.role)});
  params.emplace_back(action.reason);
}

mapping::Action action_from_row(const SqlRow& row, std::size_t first) {
  mapping::Action action;
  action.type = enum_cell(row, first, "an action type", mapping::parse_action_type);
  action.chat_key = text_cell(row, first + 1);
  action.chat_kind = chat_kind_cell(row, first + 2);
  action.group_id = text_cell(row, first + 3);
  action.title = text_cell(row, first + 4);
  action.person_id = text_cell(row, first + 5);
  action.platform_user_id = opt_int64_cell(row, first + 6);
  action.role = role_cell(row, first + 7);
  action.reason = text_cell(row, first + 8);
  return action;
}

}  // namespace rosterd::adapters::store::detail
