#pragma once
// A throwaway PostgreSQL cluster for tests against a real database: initdb into a temp folder
// owned by the `postgres` user, pg_ctl start on a free loopback port, one fresh database per
// test, pg_ctl stop -m immediate and the folder removed at the end (also when tests fail).
//
// Use from a test binary:
//
//   const auto* const pg = ::testing::AddGlobalTestEnvironment(new test_support::PgEnvironment);
//   ...
//   const std::string conninfo = test_support::PgEnvironment::cluster().create_database();
//
// The cluster starts on first use (about two seconds), once per process. Needs root (initdb
// and pg_ctl run as `postgres` through runuser) and the postgresql package (scripts/deps):
// cluster() throws std::runtime_error saying which is missing, so a test FAILS rather than skips.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace rosterd::test_support {

class PgCluster {
 public:
  // Starts the cluster; throws std::runtime_error naming what is missing or what failed (with
  // the tail of initdb's or the server's log).
  PgCluster();
  ~PgCluster();  // stops the server and removes its folder
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  [[nodiscard]] int port() const noexcept { return port_; }
  [[nodiscard]] const std::filesystem::path& folder() const noexcept { return folder_; }
  // libpq connection string for a database of this cluster, over TCP on 127.0.0.1.
  [[nodiscard]] std::string conninfo(std::string_view database) const;
  // Creates a new empty database (rosterd_test_1, _2, …) and returns its connection string.
  [[nodiscard]] std::string create_database();

 private:
  void stop() noexcept;

  std::filesystem::path bin_;
  std::filesystem::path folder_;
  int port_ = 0;
  int databases_ = 0;
  bool running_ = false;
};

// The process's cluster as a gtest Environment: started lazily by cluster(), stopped in
// TearDown (which gtest runs after the last test, whatever the results).
class PgEnvironment : public ::testing::Environment {
 public:
  void TearDown() override;
  // The running cluster; starts it on first call. A failed start is remembered, so every
  // PostgreSQL test fails fast with the same message.
  [[nodiscard]] static PgCluster& cluster();

 private:
  static std::unique_ptr<PgCluster>& instance();
  static std::string& start_error();
};

}  // namespace rosterd::test_support
