#include "tests/adapters/store/store_target.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <pqxx/pqxx>
#include <stdexcept>

#include "adapters/store/store.h"
#include "tests/support/pg_cluster.h"

namespace rosterd::adapters::store::testing {
namespace {

namespace fs = std::filesystem;

[[maybe_unused]] const auto* const pg_environment =
    ::testing::AddGlobalTestEnvironment(new test_support::PgEnvironment);

class SqliteTarget final : public StoreTarget {
 public:
  SqliteTarget() {
    std::string pattern = (fs::temp_directory_path() / "rosterd-store-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    folder_ = pattern;
  }
  ~SqliteTarget() override {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  [[nodiscard]] std::unique_ptr<mapping::StateStore> open() const override {
    return open_sqlite_store(path());
  }
  [[nodiscard]] std::string description() const override { return path().string(); }

  void exec_raw(const std::string& sql) const override {
    with_db([&](sqlite3* db) {
      char* error = nullptr;
      if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string why = error != nullptr ? error : "?";
        sqlite3_free(error);
        throw std::runtime_error("exec_raw: " + why);
      }
    });
  }

  [[nodiscard]] std::int64_t query_int(const std::string& sql) const override {
    std::int64_t value = 0;
    with_db([&](sqlite3* db) {
      sqlite3_stmt* statement = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK ||
          sqlite3_step(statement) != SQLITE_ROW) {
        sqlite3_finalize(statement);
        throw std::runtime_error(std::string{"query_int: "} + sqlite3_errmsg(db));
      }
      value = sqlite3_column_int64(statement, 0);
      sqlite3_finalize(statement);
    });
    return value;
  }

 private:
  [[nodiscard]] fs::path path() const { return folder_ / "state.db"; }

  template <class Body>
  void with_db(Body&& body) const {
    sqlite3* db = nullptr;
    sqlite3_open(path().c_str(), &db);
    sqlite3_busy_timeout(db, 5000);
    try {
      body(db);
    } catch (...) {
      sqlite3_close(db);
      throw;
    }
    sqlite3_close(db);
  }

  fs::path folder_;
};

class PostgresTarget final : public StoreTarget {
 public:
  PostgresTarget() : conninfo_(test_support::PgEnvironment::cluster().create_database()) {}

  [[nodiscard]] std::unique_ptr<mapping::StateStore> open() const override {
    return open_postgres_store(conninfo_);
  }
  [[nodiscard]] std::string description() const override { return "PostgreSQL " + conninfo_; }

  void exec_raw(const std::string& sql) const override {
    pqxx::connection connection{conninfo_};
    pqxx::nontransaction work{connection};
    work.exec(sql);
  }

  [[nodiscard]] std::int64_t query_int(const std::string& sql) const override {
    pqxx::connection connection{conninfo_};
    pqxx::nontransaction work{connection};
    return work.exec1(sql)[0].as<std::int64_t>();
  }

 private:
  std::string conninfo_;
};

}  // namespace

void StoreTest::SetUp() {
  try {
    if (GetParam() == Backend::sqlite) {
      target_ = std::make_unique<SqliteTarget>();
    } else {
      target_ = std::make_unique<PostgresTarget>();
    }
  } catch (const std::exception& e) {
    FAIL() << "cannot set up the " << (GetParam() == Backend::sqlite ? "SQLite" : "PostgreSQL")
           << " store: " << e.what();
  }
}

void StoreTest::TearDown() {
  store_.reset();
  target_.reset();
}

mapping::StateStore& StoreTest::store() {
  if (!store_) {
    store_ = target_->open();
    lease(*store_, {"sch-1", "sch-2", "sch-unknown"});
  }
  return *store_;
}

void lease(mapping::StateStore& store, std::initializer_list<std::string> org_ids) {
  for (const auto& org : org_ids) {
    if (!store.acquire_lease(org, "store-test", std::chrono::hours(1)).acquired)
      throw std::runtime_error("store test: could not lease " + org);
  }
}

void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::sqlite ? "SQLite" : "PostgreSQL");
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgres";
}

}  // namespace rosterd::adapters::store::testing
