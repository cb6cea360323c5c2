#pragma once
// Internal: the tiny SQL session the store's logic is written over, so that one logic serves
// SQLite and PostgreSQL. Statements use PostgreSQL's `$1` placeholders (the SQLite driver
// translates them); values travel as NULL, a 64-bit integer or text, and come back as text.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace rosterd::adapters::store::detail {

enum class Dialect : std::uint8_t { sqlite, postgres };

using SqlParam = std::variant<std::nullptr_t, std::int64_t, std::string>;
using SqlParams = std::vector<SqlParam>;

// One result row; a cell is nullopt for NULL. Integers come back as their decimal text.
struct SqlRow {
  std::vector<std::optional<std::string>> cells;
};
using SqlRows = std::vector<SqlRow>;

enum class TxMode : std::uint8_t {
  read,   // SQLite: BEGIN (deferred); sees one snapshot
  write,  // SQLite: BEGIN IMMEDIATE, so a writer waits (busy_timeout) instead of failing later
};

// One connection. Statements run only inside begin() … commit()/rollback(). Errors are thrown
// as StoreError naming the database; the transaction is then to be rolled back.
class SqlSession {
 public:
  virtual ~SqlSession() = default;
  [[nodiscard]] virtual Dialect dialect() const noexcept = 0;
  // The database as errors name it: the file path, or the connection string sans password.
  [[nodiscard]] virtual const std::string& description() const noexcept = 0;

  virtual void begin(TxMode mode) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  // Runs a statement; returns the number of rows it changed.
  virtual std::size_t exec(std::string_view sql, const SqlParams& params) = 0;
  [[nodiscard]] virtual SqlRows query(std::string_view sql, const SqlParams& params) = 0;

  // Called first in the migration transaction: makes concurrent openers apply migrations one
  // after the other (SQLite's write transaction already does; PostgreSQL takes a lock).
  virtual void lock_for_migrations() = 0;
};

// Runs `body` in one transaction: commits when it returns, rolls back when it throws.
template <class Body>
decltype(auto) in_transaction(SqlSession& session, TxMode mode, Body&& body) {
  session.begin(mode);
  try {
    if constexpr (std::is_void_v<decltype(body())>) {
      body();
      session.commit();
    } else {
      auto result = body();
      session.commit();
      return result;
    }
  } catch (...) {
    session.rollback();
    throw;
  }
}

}  // namespace rosterd::adapters::store::detail
