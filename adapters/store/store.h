#pragma once
// The state store adapters: mapping::StateStore over SQLite (the embedded default, a file) or
// PostgreSQL (regional operators, several daemons sharing one database). One logic, two thin
// drivers; the schema, its migrations and the action log's states are in docs/state-store.md.
//
// A store object holds one connection and is not thread-safe: one per thread. Several
// processes may open the same SQLite file or the same PostgreSQL database. Every public method
// is one transaction: a process killed mid-method leaves the database as it was before.

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "mapping/ports.h"

namespace rosterd::adapters::store {

// The store could not be opened or a statement failed (I/O, lock timeout, lost connection, a
// database written by a newer rosterd, a corrupt row). The message names the database (the file
// path, or the connection string without its password) and the operation; never a contact.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The schema version this binary creates and understands; a database at a higher version is
// refused at open.
[[nodiscard]] int latest_schema_version() noexcept;

// Opens (creating if needed) the SQLite database at `path` and applies pending migrations.
// The parent folder must exist. Throws StoreError naming the path.
[[nodiscard]] std::unique_ptr<mapping::StateStore> open_sqlite_store(
    const std::filesystem::path& path);

// Connects to PostgreSQL with a libpq connection string ("host=… dbname=… user=…" or a
// postgresql:// URI) and applies pending migrations. Throws StoreError naming the connection
// string with any password redacted.
[[nodiscard]] std::unique_ptr<mapping::StateStore> open_postgres_store(const std::string& conninfo);

// The connection string as it may appear in logs and errors: `password=…` and the password of a
// URI replaced by `***`.
[[nodiscard]] std::string redact_conninfo(const std::string& conninfo);

}  // namespace rosterd::adapters::store
