// The SQLite driver of the state store: the only file that includes sqlite3.h.
#include <sqlite3.h>

#include <cctype>
#include <chrono>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "adapters/store/sql_session.h"
#include "adapters/store/sql_store.h"
#include "adapters/store/store.h"

namespace rosterd::adapters::store {
namespace {

using detail::SqlParams;
using detail::SqlRows;

// Long enough to outlast another process's write transaction (a batch of intents or outcomes);
// short enough that a stuck peer is reported rather than waited on forever.
constexpr int busy_timeout_ms = 10'000;

// The logic writes PostgreSQL's `$1`; SQLite reads `$1` as a named parameter numbered by first
// appearance, so it becomes `?1`, which SQLite numbers as written.
std::string to_sqlite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  bool in_literal = false;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') in_literal = !in_literal;
    const bool placeholder = !in_literal && c == '$' && i + 1 < sql.size() &&
                             std::isdigit(static_cast<unsigned char>(sql[i + 1]));
    out += placeholder ? '?' : c;
  }
  return out;
}

class SqliteSession final : public detail::SqlSession {
 public:
  explicit SqliteSession(const std::filesystem::path& path) : description_(path.string()) {
    const int rc = sqlite3_open_v2(description_.c_str(), &db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
      const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw StoreError("cannot open state store " + description_ + ": " + why);
    }
    try {
      sqlite3_busy_timeout(db_, busy_timeout_ms);
      // WAL: readers do not block the writer, and several processes may share the file.
      // synchronous=FULL: an intent is on disk before the platform call it announces.
      to_wal();
      run_script("PRAGMA synchronous = FULL");
      run_script("PRAGMA foreign_keys = ON");
    } catch (const StoreError&) {
      close();  // the error names the path already
      throw;
    }
  }
  SqliteSession(const SqliteSession&) = delete;
  SqliteSession& operator=(const SqliteSession&) = delete;
  ~SqliteSession() override { close(); }

  [[nodiscard]] detail::Dialect dialect() const noexcept override {
    return detail::Dialect::sqlite;
  }
  [[nodiscard]] const std::string& description() const noexcept override { return description_; }

  void begin(detail::TxMode mode) override {
    run_script(mode == detail::TxMode::write ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  void commit() override { run_script("COMMIT"); }
  void rollback() noexcept override {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  std::size_t exec(std::string_view sql, const SqlParams& params) override {
    run(sql, params, nullptr);
    return static_cast<std::size_t>(sqlite3_changes(db_));
  }

  [[nodiscard]] SqlRows query(std::string_view sql, const SqlParams& params) override {
    SqlRows rows;
    run(sql, params, &rows);
    return rows;
  }

  void lock_for_migrations() override {}  // BEGIN IMMEDIATE already admits one writer

 private:
  void close() noexcept {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    statements_.clear();
    sqlite3_close(db_);
    db_ = nullptr;
  }

  [[noreturn]] void fail(std::string_view sql) const {
    throw StoreError("state store " + description_ + ": " + sqlite3_errmsg(db_) + " (in \"" +
                     std::string{sql.substr(0, 60)} + "\")");
  }

  void run_script(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }

  // Switching a fresh file to WAL needs an exclusive lock, and SQLite answers "database is
  // locked" at once, without its busy handler, when another process opening the same new file
  // holds a lock in between. The switch is tried again until the busy timeout; once the file is
  // in WAL (a setting kept in the file) the statement takes no such lock.
  void to_wal() {
    constexpr const char* sql = "PRAGMA journal_mode = WAL";
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    while (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      if ((sqlite3_errcode(db_) & 0xff) != SQLITE_BUSY ||
          std::chrono::steady_clock::now() >= deadline)
        fail(sql);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  sqlite3_stmt* prepared(std::string_view sql) {
    const std::string key{sql};
    if (const auto found = statements_.find(key); found != statements_.end()) return found->second;
    const auto text = to_sqlite_placeholders(sql);
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, text.c_str(), static_cast<int>(text.size()), &statement, nullptr) !=
        SQLITE_OK) {
      fail(sql);
    }
    statements_.emplace(key, statement);
    return statement;
  }

  void bind(sqlite3_stmt* statement, std::string_view sql, const SqlParams& params) {
    if (sqlite3_bind_parameter_count(statement) != static_cast<int>(params.size())) {
      throw StoreError("state store: " + std::to_string(params.size()) + " parameters for \"" +
                       std::string{sql.substr(0, 60)} + "\"");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      const auto& p = params[i];
      // SQLITE_STATIC: the parameters outlive the statement's run (reset before returning).
      const int rc =
          std::holds_alternative<std::nullptr_t>(p) ? sqlite3_bind_null(statement, at)
          : std::holds_alternative<std::int64_t>(p)
              ? sqlite3_bind_int64(statement, at, std::get<std::int64_t>(p))
              : sqlite3_bind_text(statement, at, std::get<std::string>(p).data(),
                                  static_cast<int>(std::get<std::string>(p).size()), SQLITE_STATIC);
      if (rc != SQLITE_OK) fail(sql);
    }
  }

  void run(std::string_view sql, const SqlParams& params, SqlRows* rows) {
    sqlite3_stmt* statement = prepared(sql);
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{statement};
    bind(statement, sql, params);
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) return;
      if (rc != SQLITE_ROW) fail(sql);
      if (rows != nullptr) rows->push_back(read_row(statement));
    }
  }

  static detail::SqlRow read_row(sqlite3_stmt* statement) {
    detail::SqlRow row;
    const int columns = sqlite3_column_count(statement);
    row.cells.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (sqlite3_column_type(statement, c) == SQLITE_NULL) {
        row.cells.emplace_back(std::nullopt);
        continue;
      }
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
      row.cells.emplace_back(
          std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, c))));
    }
    return row;
  }

  std::string description_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

std::unique_ptr<mapping::StateStore> open_sqlite_store(const std::filesystem::path& path) {
  return std::make_unique<detail::SqlStore>(std::make_unique<SqliteSession>(path));
}

}  // namespace rosterd::adapters::store
