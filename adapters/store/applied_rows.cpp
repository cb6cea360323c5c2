#include "adapters/store/applied_rows.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "adapters/store/clock.h"
#include "adapters/store/row_codec.h"
#include "adapters/store/store.h"
#include "mapping/chat.h"

namespace rosterd::adapters::store::detail {
namespace {

// The columns chat_from_row and member_from_row read, in order.
constexpr std::array<std::string_view, 12> chat_columns{
    "chat_key", "kind",          "group_id",    "chat_id",        "title", "archived",
    "managed",  "missing_since", "observed_at", "observed_title", "drift", "members_seen"};
constexpr std::array<std::string_view, 8> member_columns{
    "chat_key", "person_id",     "platform_user_id", "role",
    "origin",   "missing_since", "presence",         "presence_since"};

template <std::size_t N>
std::string select_list(const std::array<std::string_view, N>& columns) {
  std::string out;
  for (const auto column : columns) out += (out.empty() ? "" : ", ") + std::string{column};
  return out;
}

// Reads one row of `table`, whose first column is the chat key; a cell that does not decode is
// an error naming the school, the chat, the row (`subject`) and the column.
template <std::size_t N, class Read>
auto read_row(const std::string& org_id, const SqlRow& row, std::string_view table,
              const std::array<std::string_view, N>& columns, std::string_view subject,
              Read&& read) {
  try {
    return read(row);
  } catch (const UnreadableCell& e) {
    const auto cell = [&](std::size_t i) {
      return i < row.cells.size() ? row.cells[i].value_or("?") : std::string{"?"};
    };
    std::string where = "state store: school " + org_id + ", chat '" + cell(0) + "'";
    if (!subject.empty()) where += ", " + std::string{subject} + " '" + cell(1) + "'";
    const auto column = e.column() < N ? columns[e.column()] : std::string_view{"?"};
    throw StoreError(where + ": " + std::string{table} + "." + std::string{column} + ": " +
                     e.problem());
  }
}

mapping::AppliedChat chat_from_row(const SqlRow& row) {
  mapping::AppliedChat chat;
  chat.key = text_cell(row, 0);
  chat.kind = chat_kind_cell(row, 1);
  chat.group_id = text_cell(row, 2);
  chat.chat_id = opt_int64_cell(row, 3);
  chat.title = text_cell(row, 4);
  chat.archived = bool_cell(row, 5);
  chat.managed = bool_cell(row, 6);
  chat.missing_since = opt_date_cell(row, 7);
  chat.observed_at = opt_int64_cell(row, 8);
  chat.observed_title = opt_text_cell(row, 9);
  chat.drift = drift_cell(row, 10);
  chat.members_seen = count_cell(row, 11);
  return chat;
}

mapping::AppliedMember member_from_row(const SqlRow& row) {
  // Column 0 is the chat key.
  mapping::AppliedMember member;
  member.person_id = text_cell(row, 1);
  member.platform_user_id = opt_int64_cell(row, 2);
  member.role = role_cell(row, 3);
  member.origin = origin_cell(row, 4);
  member.missing_since = opt_date_cell(row, 5);
  member.presence = presence_cell(row, 6);
  member.presence_since = opt_date_cell(row, 7);
  return member;
}

mapping::AppliedChat& chat_of(std::vector<mapping::AppliedChat>& chats,
                              const std::unordered_map<std::string, std::size_t>& index,
                              const std::string& key, std::string_view table) {
  const auto found = index.find(key);
  if (found == index.end()) {
    // The foreign keys make this impossible unless the database was edited by hand.
    throw StoreError("state store: a row of " + std::string{table} + " names chat '" + key +
                     "', which has no row in chats");
  }
  return chats[found->second];
}

void delete_chat(SqlSession& session, const std::string& org_id, const std::string& key,
                 bool keep_chat_row) {
  const SqlParams params{org_id, key};
  session.exec("DELETE FROM members WHERE org_id = $1 AND chat_key = $2", params);
  session.exec("DELETE FROM invites WHERE org_id = $1 AND chat_key = $2", params);
  if (!keep_chat_row) session.exec("DELETE FROM chats WHERE org_id = $1 AND chat_key = $2", params);
}

void insert_chat(SqlSession& session, const std::string& org_id, const mapping::AppliedChat& chat) {
  session.exec(
      "INSERT INTO chats (org_id, chat_key, kind, group_id, chat_id, title, archived, managed, "
      "missing_since, observed_at, observed_title, drift, members_seen) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
      "ON CONFLICT (org_id, chat_key) DO UPDATE SET kind = excluded.kind, "
      "group_id = excluded.group_id, chat_id = excluded.chat_id, title = excluded.title, "
      "archived = excluded.archived, managed = excluded.managed, "
      "missing_since = excluded.missing_since, observed_at = excluded.observed_at, "
      "observed_title = excluded.observed_title, drift = excluded.drift, "
      "members_seen = excluded.members_seen",
      {org_id, chat.key, std::string{mapping::name(chat.kind)}, chat.group_id, param(chat.chat_id),
       chat.title, param(chat.archived), param(chat.managed), param(chat.missing_since),
       param(chat.observed_at), param(chat.observed_title), std::string{name(chat.drift)},
       count_param(chat.members_seen)});
  for (const auto& m : chat.members) {
    session.exec(
        "INSERT INTO members (org_id, chat_key, person_id, platform_user_id, role, origin, "
        "missing_since, presence, presence_since) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        {org_id, chat.key, m.person_id, param(m.platform_user_id),
         std::string{mapping::name(m.role)}, std::string{name(m.origin)}, param(m.missing_since),
         std::string{name(m.presence)}, param(m.presence_since)});
  }
  std::int64_t seq = 0;
  for (const auto& invite : chat.invites) {
    session.exec(
        "INSERT INTO invites (org_id, chat_key, role, seq, link, issued_on) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {org_id, chat.key, std::string{mapping::name(invite.role)}, seq++, invite.link,
         invite.issued_on.iso()});
  }
}

}  // namespace

std::vector<mapping::AppliedChat> select_chats(SqlSession& session, const std::string& org_id) {
  const SqlParams org{org_id};
  std::vector<mapping::AppliedChat> chats;
  for (const auto& row : session.query(
           "SELECT " + select_list(chat_columns) + " FROM chats WHERE org_id = $1", org)) {
    chats.push_back(read_row(org_id, row, "chats", chat_columns, "", chat_from_row));
  }
  // Sorted here, not by ORDER BY: a PostgreSQL collation need not be byte order.
  std::sort(chats.begin(), chats.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < chats.size(); ++i) index.emplace(chats[i].key, i);

  for (const auto& row : session.query(
           "SELECT " + select_list(member_columns) + " FROM members WHERE org_id = $1", org)) {
    chat_of(chats, index, text_cell(row, 0), "members")
        .members.push_back(
            read_row(org_id, row, "members", member_columns, "person", member_from_row));
  }
  for (const auto& row : session.query(
           "SELECT chat_key, role, link, issued_on FROM invites WHERE org_id = $1 ORDER BY seq",
           org)) {
    chat_of(chats, index, text_cell(row, 0), "invites")
        .invites.push_back({role_cell(row, 1), text_cell(row, 2), date_cell(row, 3)});
  }
  for (auto& chat : chats) {
    std::sort(chat.members.begin(), chat.members.end(),
              [](const auto& a, const auto& b) { return a.person_id < b.person_id; });
  }
  return chats;
}

void replace_chats(SqlSession& session, const std::string& org_id,
                   std::span<const mapping::AppliedChat> chats,
                   std::span<const std::string> removed_keys) {
  for (const auto& key : removed_keys) delete_chat(session, org_id, key, false);
  for (const auto& chat : chats) {
    delete_chat(session, org_id, chat.key, true);
    insert_chat(session, org_id, chat);
  }
}

std::optional<mapping::SourceCounts> select_counts(SqlSession& session, const std::string& org_id) {
  const auto rows = session.query(
      "SELECT group_count, person_count, enrolment_count, relation_count, leader_count "
      "FROM source_counts "
      "WHERE org_id = $1",
      {org_id});
  if (rows.empty()) return std::nullopt;
  const auto& row = rows.front();
  const auto count = [&](std::size_t column) {
    return static_cast<std::size_t>(int64_cell(row, column));
  };
  // A row saved before schema version 2 has no leader count: 0, which the guard reads as
  // "nothing to compare with".
  const auto leaders = static_cast<std::size_t>(opt_int64_cell(row, 4).value_or(0));
  return mapping::SourceCounts{count(0), count(1), count(2), count(3), leaders};
}

void upsert_counts(SqlSession& session, const std::string& org_id,
                   const mapping::SourceCounts& counts) {
  const auto count = [](std::size_t n) { return SqlParam{static_cast<std::int64_t>(n)}; };
  session.exec(
      "INSERT INTO source_counts (org_id, group_count, person_count, enrolment_count, "
      "relation_count, leader_count, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
      "ON CONFLICT (org_id) DO UPDATE SET group_count = excluded.group_count, "
      "person_count = excluded.person_count, enrolment_count = excluded.enrolment_count, "
      "relation_count = excluded.relation_count, leader_count = excluded.leader_count, "
      "updated_at = excluded.updated_at",
      {org_id, count(counts.groups), count(counts.persons), count(counts.enrolments),
       count(counts.relations), count(counts.leaders), utc_now_iso()});
}

}  // namespace rosterd::adapters::store::detail
