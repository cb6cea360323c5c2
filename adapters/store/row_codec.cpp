#include "adapters/store/row_codec.h"

#include <array>
#include <charconv>
#include <limits>
#include <system_error>
#include <utility>

#include "adapters/store/store.h"
#include "mapping/chat.h"

namespace rosterd::adapters::store::detail {
namespace {

[[noreturn]] void unreadable(std::size_t column, std::string_view expected,
                             const std::optional<std::string>& cell) {
  throw UnreadableCell(column, "expected " + std::string{expected} + ", found " +
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

// An enumeration's stored names, indexed by its value.
template <class Enum, std::size_t N>
struct EnumNames {
  std::string_view what;  // "a member origin"
  std::array<std::string_view, N> names;

  [[nodiscard]] std::string_view name(Enum value) const noexcept {
    const auto i = static_cast<std::size_t>(value);
    return i < N ? names[i] : "?";
  }
  [[nodiscard]] std::optional<Enum> parse(std::string_view s) const noexcept {
    for (std::size_t i = 0; i < N; ++i) {
      if (names[i] == s) return static_cast<Enum>(i);
    }
    return std::nullopt;
  }
  // "a member origin (ours, observed, joined)", for the error about a cell that is none.
  [[nodiscard]] std::string expected() const {
    std::string out{what};
    for (std::size_t i = 0; i < N; ++i) out += (i == 0 ? " (" : ", ") + std::string{names[i]};
    return out + ")";
  }
};

constexpr EnumNames<mapping::MemberOrigin, 3> origins{"a member origin",
                                                      {"ours", "observed", "joined"}};
constexpr EnumNames<mapping::MemberPresence, 3> presences{"a member presence",
                                                          {"present", "removed", "left"}};
constexpr EnumNames<mapping::ChatDrift, 3> drifts{"a chat drift",
                                                  {"none", "archived_by_hand", "deleted_by_hand"}};

template <class Enum, std::size_t N>
Enum named_cell(const SqlRow& row, std::size_t column, const EnumNames<Enum, N>& names) {
  const auto& cell = cell_at(row, column);
  const auto value = cell ? names.parse(*cell) : std::nullopt;
  if (!value) unreadable(column, names.expected(), cell);
  return *value;
}

}  // namespace

UnreadableCell::UnreadableCell(std::size_t column, std::string problem)
    : StoreError("state store: unreadable cell in column " + std::to_string(column) + ": " +
                 problem),
      column_(column),
      problem_(std::move(problem)) {}

SqlParam param(std::optional<std::int64_t> value) {
  if (!value) return nullptr;
  return *value;
}

SqlParam param(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return *value;
}

SqlParam count_param(std::uint32_t count) {
  return std::int64_t{count};
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

std::optional<std::string> opt_text_cell(const SqlRow& row, std::size_t column) {
  return cell_at(row, column);
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
  return named_cell(row, column, origins);
}

mapping::MemberPresence presence_cell(const SqlRow& row, std::size_t column) {
  return named_cell(row, column, presences);
}

mapping::ChatDrift drift_cell(const SqlRow& row, std::size_t column) {
  return named_cell(row, column, drifts);
}

std::uint32_t count_cell(const SqlRow& row, std::size_t column) {
  const auto value = int64_cell(row, column);
  if (value < 0 || value > std::numeric_limits<std::uint32_t>::max()) {
    unreadable(column, "a count from 0 to 4294967295", std::to_string(value));
  }
  return static_cast<std::uint32_t>(value);
}

std::string_view name(mapping::MemberOrigin origin) noexcept {
  return origins.name(origin);
}

std::string_view name(mapping::MemberPresence presence) noexcept {
  return presences.name(presence);
}

std::string_view name(mapping::ChatDrift drift) noexcept {
  return drifts.name(drift);
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
