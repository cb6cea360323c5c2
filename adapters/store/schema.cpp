#include "adapters/store/schema.h"

#include <array>
#include <string>
#include <string_view>

#include "adapters/store/clock.h"
#include "adapters/store/row_codec.h"
#include "adapters/store/store.h"

namespace rosterd::adapters::store::detail {
namespace {

// One schema version: statements run in order. `@ID@` stands for the dialect's auto-assigned
// 64-bit primary key; everything else is SQL both dialects accept.
struct Migration {
  int version;
  std::string_view description;
  std::array<std::string_view, 24> statements;  // unused slots stay empty
};

// Append new versions at the end; never edit one that has shipped (hence no shared fragments:
// the action columns are spelled out in both tables that hold actions).
constexpr std::array migrations{
    Migration{
        1,
        "applied state, source counts, run log, action log, held actions, approvals",
        {
            R"(CREATE TABLE chats (
                 org_id TEXT NOT NULL, chat_key TEXT NOT NULL, kind TEXT NOT NULL,
                 group_id TEXT NOT NULL, chat_id BIGINT, title TEXT NOT NULL,
                 archived INTEGER NOT NULL, managed INTEGER NOT NULL, missing_since TEXT,
                 PRIMARY KEY (org_id, chat_key)))",
            R"(CREATE TABLE members (
                 org_id TEXT NOT NULL, chat_key TEXT NOT NULL, person_id TEXT NOT NULL,
                 platform_user_id BIGINT, role TEXT NOT NULL, origin TEXT NOT NULL,
                 missing_since TEXT,
                 PRIMARY KEY (org_id, chat_key, person_id),
                 FOREIGN KEY (org_id, chat_key) REFERENCES chats (org_id, chat_key)
                   ON DELETE CASCADE))",
            R"(CREATE TABLE invites (
                 org_id TEXT NOT NULL, chat_key TEXT NOT NULL, role TEXT NOT NULL,
                 seq INTEGER NOT NULL, link TEXT NOT NULL, issued_on TEXT NOT NULL,
                 PRIMARY KEY (org_id, chat_key, role),
                 FOREIGN KEY (org_id, chat_key) REFERENCES chats (org_id, chat_key)
                   ON DELETE CASCADE))",
            R"(CREATE TABLE source_counts (
                 org_id TEXT PRIMARY KEY, group_count BIGINT NOT NULL,
                 person_count BIGINT NOT NULL, enrolment_count BIGINT NOT NULL,
                 relation_count BIGINT NOT NULL, updated_at TEXT NOT NULL))",
            R"(CREATE TABLE runs (
                 id @ID@, org_id TEXT NOT NULL, started_at TEXT NOT NULL,
                 finished_at TEXT NOT NULL, result TEXT NOT NULL, summary TEXT NOT NULL))",
            "CREATE INDEX runs_by_org ON runs (org_id, id)",
            R"(CREATE TABLE action_log (
                 id @ID@, org_id TEXT NOT NULL, run_id BIGINT NOT NULL,
                 type TEXT NOT NULL, chat_key TEXT NOT NULL, chat_kind TEXT NOT NULL,
                 group_id TEXT NOT NULL, title TEXT NOT NULL, person_id TEXT NOT NULL,
                 platform_user_id BIGINT, role TEXT NOT NULL, reason TEXT NOT NULL,
                 chat_id BIGINT, status TEXT NOT NULL, error_code INTEGER NOT NULL,
                 message TEXT NOT NULL, intended_at TEXT NOT NULL, updated_at TEXT NOT NULL))",
            "CREATE INDEX action_log_by_status ON action_log (org_id, status, id)",
            R"(CREATE TABLE held_actions (
                 org_id TEXT NOT NULL, seq INTEGER NOT NULL,
                 type TEXT NOT NULL, chat_key TEXT NOT NULL, chat_kind TEXT NOT NULL,
                 group_id TEXT NOT NULL, title TEXT NOT NULL, person_id TEXT NOT NULL,
                 platform_user_id BIGINT, role TEXT NOT NULL, reason TEXT NOT NULL,
                 held_reason TEXT NOT NULL, PRIMARY KEY (org_id, seq)))",
            R"(CREATE TABLE approvals (
                 org_id TEXT NOT NULL, action_id TEXT NOT NULL, approved_at TEXT NOT NULL,
                 PRIMARY KEY (org_id, action_id)))",
        },
    },
    Migration{
        2,
        "leases with fencing tokens, leader assignment counts",
        {
            // A lease row is never deleted: its token only grows, so a token once handed out
            // is never current again for another holder. Times are Unix milliseconds from the
            // database's clock, so that daemons on several machines agree on expiry.
            R"(CREATE TABLE leases (
                 org_id TEXT PRIMARY KEY, holder TEXT NOT NULL, token BIGINT NOT NULL,
                 acquired_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL))",
            "ALTER TABLE source_counts ADD COLUMN leader_count BIGINT",
        },
    },
    Migration{
        3,
        "observed state of chats and members, adopted chats' ids in held actions, numbers",
        {
            // Rows saved before were never looked at on the platform: the defaults say so.
            "ALTER TABLE chats ADD COLUMN observed_at BIGINT",
            "ALTER TABLE chats ADD COLUMN observed_title TEXT",
            "ALTER TABLE chats ADD COLUMN drift TEXT NOT NULL DEFAULT 'none'",
            "ALTER TABLE chats ADD COLUMN members_seen BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE members ADD COLUMN presence TEXT NOT NULL DEFAULT 'present'",
            "ALTER TABLE members ADD COLUMN presence_since TEXT",
            "ALTER TABLE held_actions ADD COLUMN chat_id BIGINT",
            R"(CREATE TABLE school_numbers (
                 org_id TEXT PRIMARY KEY, managed_chats BIGINT NOT NULL,
                 active_chats BIGINT NOT NULL, expected BIGINT NOT NULL,
                 expected_in BIGINT NOT NULL, updated_at TEXT NOT NULL))",
            // Not tied to chats: the numbers are a report of one look, kept as they were.
            R"(CREATE TABLE chat_numbers (
                 org_id TEXT NOT NULL, seq INTEGER NOT NULL, chat_key TEXT NOT NULL,
                 members_seen BIGINT NOT NULL, expected BIGINT NOT NULL,
                 expected_in BIGINT NOT NULL, missing BIGINT NOT NULL, active INTEGER NOT NULL,
                 PRIMARY KEY (org_id, seq)))",
        },
    },
    Migration{
        4,
        "held actions an administrator rejected",
        {
            R"(CREATE TABLE rejected_actions (
                 org_id TEXT NOT NULL, action_id TEXT NOT NULL, rejected_at TEXT NOT NULL,
                 PRIMARY KEY (org_id, action_id)))",
        },
    },
    Migration{
        5,
        "invite links handed out to families",
        {
            // Not tied to chats: a hand-out is what was printed, kept as it was.
            R"(CREATE TABLE invite_hand_outs (
                 org_id TEXT NOT NULL, chat_key TEXT NOT NULL, role TEXT NOT NULL,
                 link TEXT NOT NULL, handed_on TEXT NOT NULL,
                 PRIMARY KEY (org_id, chat_key, role)))",
        },
    },
    Migration{
        6,
        "weekly monitoring: the numbers by kind of chat and of the classes, one row a week; "
        "the action log by person and by chat",
        {
            // Numbers saved before were never counted so: zero until the next cycle's look.
            "ALTER TABLE school_numbers ADD COLUMN day TEXT",
            "ALTER TABLE school_numbers ADD COLUMN name TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE school_numbers ADD COLUMN classes BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN classes_covered BIGINT NOT NULL DEFAULT 0",
            // Per kind of chat (class, parents, association, staff): chats, active ones, the
            // people they are for, of them in.
            "ALTER TABLE school_numbers ADD COLUMN class_chats BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN class_active BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN class_people BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN class_people_in BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN parents_chats BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN parents_active BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN parents_people BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN parents_people_in BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN association_chats BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN association_active BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN association_people BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN association_people_in BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN staff_chats BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN staff_active BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN staff_people BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE school_numbers ADD COLUMN staff_people_in BIGINT NOT NULL DEFAULT 0",
            R"(CREATE TABLE school_weeks (
                 org_id TEXT NOT NULL, week TEXT NOT NULL, day TEXT NOT NULL,
                 name TEXT NOT NULL, managed_chats BIGINT NOT NULL, active_chats BIGINT NOT NULL,
                 expected BIGINT NOT NULL, expected_in BIGINT NOT NULL, classes BIGINT NOT NULL,
                 classes_covered BIGINT NOT NULL,
                 class_chats BIGINT NOT NULL, class_active BIGINT NOT NULL,
                 class_people BIGINT NOT NULL, class_people_in BIGINT NOT NULL,
                 parents_chats BIGINT NOT NULL, parents_active BIGINT NOT NULL,
                 parents_people BIGINT NOT NULL, parents_people_in BIGINT NOT NULL,
                 association_chats BIGINT NOT NULL, association_active BIGINT NOT NULL,
                 association_people BIGINT NOT NULL, association_people_in BIGINT NOT NULL,
                 staff_chats BIGINT NOT NULL, staff_active BIGINT NOT NULL,
                 staff_people BIGINT NOT NULL, staff_people_in BIGINT NOT NULL,
                 updated_at TEXT NOT NULL, PRIMARY KEY (org_id, week)))",
            "CREATE INDEX action_log_by_person ON action_log (org_id, person_id, id)",
            "CREATE INDEX action_log_by_chat ON action_log (org_id, chat_key, id)",
        },
    },
    Migration{
        7,
        "journal marks: what a school's last clean cycle leaves so that the next one can skip "
        "planning while the journal answers unchanged",
        {
            // A cleared mark keeps its row (etag '') and counts up `version`, so a cycle that
            // read the mark before an approval does not save over it.
            R"(CREATE TABLE journal_marks (
                 org_id TEXT NOT NULL PRIMARY KEY, etag TEXT NOT NULL, next_change TEXT,
                 zone TEXT NOT NULL, audit_due BIGINT, settings TEXT NOT NULL,
                 version BIGINT NOT NULL, updated_at TEXT NOT NULL))",
        },
    },
    Migration{
        8,
        "several daemons of a region: their membership, and each platform token's shared "
        "send budget",
        {
            // Times are Unix milliseconds of the database's clock, as the leases' are.
            R"(CREATE TABLE daemons (
                 name TEXT PRIMARY KEY, since_ms BIGINT NOT NULL, heartbeat_ms BIGINT NOT NULL,
                 expires_ms BIGINT NOT NULL))",
            // The next free send slot of a token (by its name, never its secret), Unix
            // microseconds of the database's clock.
            R"(CREATE TABLE token_budgets (name TEXT PRIMARY KEY, next_us BIGINT NOT NULL))",
        },
    },
    Migration{
        9,
        "source states: what a journal source keeps between processes (a OneRoster folder's "
        "tables, which its deltas apply to)",
        {
            R"(CREATE TABLE source_states (
                 source_key TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at TEXT NOT NULL))",
        },
    },
    Migration{
        10,
        "store versions: a school's counter that every change recorded for it moves, so that a "
        "saved plan (rosterd plan --out) is applied only to the state it was made from",
        {
            // No row: version 0 (nothing recorded since the table was made).
            R"(CREATE TABLE store_versions (
                 org_id TEXT NOT NULL PRIMARY KEY, version BIGINT NOT NULL))",
        },
    },
};

std::string dialect_sql(std::string_view sql, Dialect dialect) {
  constexpr std::string_view token = "@ID@";
  const std::string_view id = dialect == Dialect::sqlite
                                  ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                                  : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
  std::string out{sql};
  for (auto at = out.find(token); at != std::string::npos; at = out.find(token, at)) {
    out.replace(at, token.size(), id);
  }
  return out;
}

int current_version(SqlSession& session) {
  const auto rows = session.query("SELECT MAX(version) FROM schema_migrations", {});
  return rows.empty() ? 0 : static_cast<int>(opt_int64_cell(rows.front(), 0).value_or(0));
}

}  // namespace

void migrate(SqlSession& session) {
  in_transaction(session, TxMode::write, [&] {
    session.lock_for_migrations();
    session.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "description TEXT NOT NULL, applied_at TEXT NOT NULL)",
        {});
    const int current = current_version(session);
    if (current > latest_schema_version()) {
      throw StoreError("state store " + session.description() + ": the database is at schema " +
                       "version " + std::to_string(current) + ", newer than this rosterd knows (" +
                       std::to_string(latest_schema_version()) + "); upgrade rosterd");
    }
    for (const auto& migration : migrations) {
      if (migration.version <= current) continue;
      for (const auto statement : migration.statements) {
        if (!statement.empty()) session.exec(dialect_sql(statement, session.dialect()), {});
      }
      session.exec(
          "INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)",
          {std::int64_t{migration.version}, std::string{migration.description}, utc_now_iso()});
    }
  });
}

}  // namespace rosterd::adapters::store::detail

namespace rosterd::adapters::store {

int latest_schema_version() noexcept {
  return detail::migrations.back().version;
}

}  // namespace rosterd::adapters::store
