// What rosterd writes is its user's only: the state store holds live invite links and names,
// and so does a plan's assumed snapshot. The real process, started from a shell with the
// usual umask 022, must still leave 0600 files in 0700 folders.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "tests/daemon/school_fixture.h"

namespace rosterd::daemon {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 07777;  // matches no expectation below
  return st.st_mode & 07777;
}

// Restores the test process's umask when the test ends.
class Umask {
 public:
  explicit Umask(mode_t mask) : previous_(::umask(mask)) {}
  ~Umask() { ::umask(previous_); }
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;

 private:
  mode_t previous_;
};

TEST(FilePermissions, PlanLeavesTheStoreAndTheAssumedSnapshotToTheOwnerOnly) {
  const Umask usual(022);
  const test_support::TempFolder dir;
  test_support::write_school_export(dir.path() / "exports" / "sch-t");
  const auto config = dir.path() / "rosterd.json";
  test_support::write_file(config, R"({
    "store": {"sqlite": "state/db/rosterd.sqlite"},
    "schools": [{"id": "sch-t", "source": {"type": "export", "path": "exports/sch-t"},
                 "fallback_admin": {"platform_user_id": 900}}]})");
  const auto snapshot = dir.path() / "plans" / "next" / "applied.json";

  const auto result =
      test_support::run_rosterd({"plan", "--config", config.string(), "--today", "2026-09-01",
                                 "--assume-applied", snapshot.string()});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const auto& folder : {dir.path() / "state", dir.path() / "state" / "db",
                             dir.path() / "plans", dir.path() / "plans" / "next"}) {
    EXPECT_EQ(mode_of(folder), 0700U) << folder;
  }
  ASSERT_TRUE(fs::exists(snapshot));
  EXPECT_EQ(mode_of(snapshot), 0600U);
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path() / "state" / "db")) {
    EXPECT_EQ(mode_of(entry.path()), 0600U) << entry.path();  // the database and its journals
    ++files;
  }
  EXPECT_GE(files, 1);
}

TEST(FilePermissions, AReplacedSnapshotIsTheOwnersOnlyEvenIfTheOldOneWasNot) {
  const Umask usual(022);
  const test_support::TempFolder dir;
  test_support::write_school_export(dir.path() / "exports" / "sch-t");
  const auto config = dir.path() / "rosterd.json";
  test_support::write_file(config, R"({
    "schools": [{"id": "sch-t", "source": {"type": "export", "path": "exports/sch-t"},
                 "fallback_admin": {"platform_user_id": 900}}]})");
  const auto snapshot = dir.path() / "applied.json";
  test_support::write_file(snapshot, "{}");
  fs::permissions(snapshot, fs::perms(0644));

  const auto result =
      test_support::run_rosterd({"plan", "--config", config.string(), "--today", "2026-09-01",
                                 "--assume-applied", snapshot.string()});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(mode_of(snapshot), 0600U);
}

}  // namespace
}  // namespace rosterd::daemon
