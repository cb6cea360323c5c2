// Migrations at open, refusal of a newer schema, and what open errors say.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "adapters/store/store.h"
#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

namespace fs = std::filesystem;

using StoreSchema = StoreTest;
ROSTERD_STORE_SUITE(StoreSchema);

std::string open_error(const StoreTarget& target) {
  try {
    (void)target.open();
  } catch (const StoreError& e) {
    return e.what();
  }
  return "(opened)";
}

TEST_P(StoreSchema, AppliesEachMigrationOnceAndReopens) {
  store().save_counts("sch-1", {1, 2, 3, 4});
  close_store();
  const auto again = target().open();
  EXPECT_EQ(again->load("sch-1").last_good_counts, (mapping::SourceCounts{1, 2, 3, 4}));
  EXPECT_EQ(target().query_int("SELECT COUNT(*) FROM schema_migrations"), latest_schema_version());
  EXPECT_EQ(target().query_int("SELECT MAX(version) FROM schema_migrations"),
            latest_schema_version());
}

TEST_P(StoreSchema, RefusesADatabaseWrittenByANewerRosterd) {
  (void)store();
  close_store();
  target().exec_raw(
      "INSERT INTO schema_migrations (version, description, applied_at) "
      "VALUES (999, 'from the future', '2030-01-01T00:00:00Z')");
  const auto error = open_error(target());
  EXPECT_NE(error.find("schema version 999"), std::string::npos) << error;
  EXPECT_NE(error.find(target().description()), std::string::npos) << error;
}

// Several processes opening a new database at once: one migrates, the others wait and find it
// done; all then write.
TEST_P(StoreSchema, LetsConcurrentOpenersMigrateAFreshDatabaseOnce) {
  constexpr int openers = 4;
  constexpr int intents = 20;
  std::vector<pid_t> children;
  for (int i = 0; i < openers; ++i) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 0;
      try {
        const auto store = target().open();
        const std::string org = "sch-open-" + std::to_string(i);
        lease(*store, {org});
        const std::vector<mapping::Action> actions(intents);
        (void)store->record_intents(org, i, actions, {});
      } catch (...) {
        code = 1;
      }
      ::_exit(code);  // never return into gtest in the child
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "an opener failed";
  }
  for (int i = 0; i < openers; ++i) {
    EXPECT_EQ(store().unresolved("sch-open-" + std::to_string(i)).size(),
              static_cast<std::size_t>(intents));
  }
  EXPECT_EQ(target().query_int("SELECT COUNT(*) FROM schema_migrations"), latest_schema_version());
}

TEST(SqliteStoreOpen, NamesThePathItCannotOpen) {
  const fs::path path = "/nonexistent-rosterd-folder/state.db";
  try {
    (void)open_sqlite_store(path);
    FAIL() << "opened " << path;
  } catch (const StoreError& e) {
    EXPECT_NE(std::string{e.what()}.find(path.string()), std::string::npos) << e.what();
  }
}

TEST(SqliteStoreOpen, NamesAFileThatIsNotADatabase) {
  const auto path = fs::temp_directory_path() / ("rosterd-not-a-db-" + std::to_string(::getpid()));
  std::ofstream(path) << "this is not an SQLite database, just some text long enough to matter\n";
  try {
    (void)open_sqlite_store(path);
    ADD_FAILURE() << "opened " << path;
  } catch (const StoreError& e) {
    EXPECT_NE(std::string{e.what()}.find(path.string()), std::string::npos) << e.what();
  }
  fs::remove(path);
}

TEST(PostgresStoreOpen, NamesTheServerButNeverThePassword) {
  // Port 1 on loopback: refused at once.
  const std::string conninfo =
      "host=127.0.0.1 port=1 user=rosterd password=s3cret-pw dbname=rosterd connect_timeout=2";
  try {
    (void)open_postgres_store(conninfo);
    FAIL() << "connected";
  } catch (const StoreError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find("s3cret-pw"), std::string::npos) << what;
    EXPECT_NE(what.find("host=127.0.0.1 port=1"), std::string::npos) << what;
  }
}

TEST(RedactConninfo, HidesEveryFormOfPassword) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"host=db password=secret dbname=r", "host=db password=*** dbname=r"},
      {"host=db password = 'se cret\\'x' dbname=r", "host=db password=*** dbname=r"},
      {"host=db PASSWORD=secret", "host=db password=***"},
      {"postgresql://rosterd:secret@db:5432/r", "postgresql://rosterd:***@db:5432/r"},
      {"postgres://rosterd:secret@db/r?sslmode=require",
       "postgres://rosterd:***@db/r?sslmode=require"},
      {"postgresql://db/r?user=x&password=secret&sslmode=require",
       "postgresql://db/r?user=x&password=***&sslmode=require"},
      {"host=db user=rosterd dbname=r", "host=db user=rosterd dbname=r"},
  };
  for (const auto& [input, expected] : cases) EXPECT_EQ(redact_conninfo(input), expected) << input;
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
