#include "adapters/store/numbers_rows.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

#include "adapters/store/clock.h"
#include "adapters/store/row_codec.h"

namespace rosterd::adapters::store::detail {
namespace {

// The school's figures, the same columns in school_numbers and school_weeks, in the order
// append_school_params binds them and school_from_row reads them.
constexpr std::string_view school_columns =
    "managed_chats, active_chats, expected, expected_in, day, name, classes, classes_covered, "
    "class_chats, class_active, class_people, class_people_in, "
    "parents_chats, parents_active, parents_people, parents_people_in, "
    "association_chats, association_active, association_people, association_people_in, "
    "staff_chats, staff_active, staff_people, staff_people_in";
constexpr std::size_t school_column_count = 24;

// "$first, $first+1, …" for `count` parameters.
std::string placeholders(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out += ", ";
    out += '$' + std::to_string(first + i);
  }
  return out;
}

// "managed_chats = excluded.managed_chats, …": an upsert replaces every figure.
std::string replace_all() {
  std::string out;
  std::string_view rest = school_columns;
  while (!rest.empty()) {
    const auto comma = rest.find(", ");
    const auto column = rest.substr(0, comma);
    out += std::string(column) + " = excluded." + std::string(column) + ", ";
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 2);
  }
  return out + "updated_at = excluded.updated_at";
}

void append_school_params(SqlParams& params, const mapping::SchoolNumbers& n) {
  for (const auto count : {n.managed_chats, n.active_chats, n.expected, n.expected_in})
    params.push_back(count_param(count));
  params.push_back(param(n.day));
  params.emplace_back(n.name);
  params.push_back(count_param(n.classes));
  params.push_back(count_param(n.classes_covered));
  for (const auto& k : n.kinds) {
    for (const auto count : {k.chats, k.active, k.people, k.people_in})
      params.push_back(count_param(count));
  }
}

mapping::SchoolNumbers school_from_row(const SqlRow& row, std::size_t first) {
  mapping::SchoolNumbers n;
  n.managed_chats = count_cell(row, first);
  n.active_chats = count_cell(row, first + 1);
  n.expected = count_cell(row, first + 2);
  n.expected_in = count_cell(row, first + 3);
  n.day = opt_date_cell(row, first + 4);
  n.name = text_cell(row, first + 5);
  n.classes = count_cell(row, first + 6);
  n.classes_covered = count_cell(row, first + 7);
  std::size_t at = first + 8;
  for (auto& k : n.kinds) {
    k = {count_cell(row, at), count_cell(row, at + 1), count_cell(row, at + 2),
         count_cell(row, at + 3)};
    at += 4;
  }
  return n;
}

void replace_week(SqlSession& session, const std::string& org_id,
                  const mapping::SchoolNumbers& numbers) {
  SqlParams params{org_id, mapping::week_start(*numbers.day).iso()};
  append_school_params(params, numbers);
  params.emplace_back(utc_now_iso());
  session.exec("INSERT INTO school_weeks (org_id, week, " + std::string(school_columns) +
                   ", updated_at) VALUES (" + placeholders(1, school_column_count + 3) +
                   ") ON CONFLICT (org_id, week) DO UPDATE SET " + replace_all(),
               params);
}

}  // namespace

std::optional<mapping::SchoolNumbers> select_numbers(SqlSession& session,
                                                     const std::string& org_id) {
  const SqlParams org{org_id};
  const auto school = session.query(
      "SELECT " + std::string(school_columns) + " FROM school_numbers WHERE org_id = $1", org);
  if (school.empty()) return std::nullopt;
  auto numbers = school_from_row(school.front(), 0);
  for (const auto& chat :
       session.query("SELECT chat_key, members_seen, expected, expected_in, missing, active "
                     "FROM chat_numbers WHERE org_id = $1 ORDER BY seq",
                     org)) {
    numbers.chats.push_back({text_cell(chat, 0), count_cell(chat, 1), count_cell(chat, 2),
                             count_cell(chat, 3), count_cell(chat, 4), bool_cell(chat, 5)});
  }
  return numbers;
}

void replace_numbers(SqlSession& session, const std::string& org_id,
                     const mapping::SchoolNumbers& numbers) {
  SqlParams params{org_id};
  append_school_params(params, numbers);
  params.emplace_back(utc_now_iso());
  session.exec("INSERT INTO school_numbers (org_id, " + std::string(school_columns) +
                   ", updated_at) VALUES (" + placeholders(1, school_column_count + 2) +
                   ") ON CONFLICT (org_id) DO UPDATE SET " + replace_all(),
               params);
  session.exec("DELETE FROM chat_numbers WHERE org_id = $1", {org_id});
  std::int64_t seq = 0;
  for (const auto& chat : numbers.chats) {
    session.exec(
        "INSERT INTO chat_numbers (org_id, seq, chat_key, members_seen, expected, expected_in, "
        "missing, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {org_id, seq++, chat.key, count_param(chat.members_seen), count_param(chat.expected),
         count_param(chat.expected_in), count_param(chat.missing), param(chat.active)});
  }
  if (numbers.day) replace_week(session, org_id, numbers);
}

std::vector<mapping::WeekNumbers> select_weeks(SqlSession& session, const std::string& org_id,
                                               std::size_t limit) {
  constexpr auto most = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  std::vector<mapping::WeekNumbers> weeks;
  for (const auto& row :
       session.query("SELECT week, " + std::string(school_columns) +
                         " FROM school_weeks WHERE org_id = $1 ORDER BY week DESC LIMIT $2",
                     {org_id, static_cast<std::int64_t>(std::min(limit, most))})) {
    weeks.push_back({date_cell(row, 0), school_from_row(row, 1)});
  }
  return weeks;
}

}  // namespace rosterd::adapters::store::detail
