#pragma once
// The real journal-sim binary as a child process over a data folder the test generates, and a
// small httplib client that speaks the journal contract to it (our own, like any client).

#include <httplib.h>
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mapping/model.h"
#include "tests/support/process.h"

namespace rosterd::sim::journal::test {

using nlohmann::json;

// Two small schools, "sch-a" and "sch-b", written as export folders into a fresh temporary
// folder that is removed with this value.
class DataDir {
 public:
  DataDir();
  ~DataDir();
  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  [[nodiscard]] const mapping::Roster& roster(const std::string& org_id) const {
    return rosters_.at(org_id);
  }
  // A file in the folder (token files), written now.
  [[nodiscard]] std::string write_file(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
  std::map<std::string, mapping::Roster> rosters_;
};

class SimProcess {
 public:
  // Starts `journal-sim --port 0 --data DIR <args>` and waits for its "listening" line; its
  // stderr goes to a file (stderr_text()).
  SimProcess(const DataDir& data, const std::vector<std::string>& args = {});
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  [[nodiscard]] int port() const noexcept { return server_->port(); }
  // Sends `signal` and waits; the exit status as waitpid reports it.
  [[nodiscard]] int stop(int signal);
  // What the simulator printed (stdout and stderr).
  [[nodiscard]] std::string stderr_text() const;

 private:
  std::unique_ptr<rosterd::testing::SimServer> server_;
};

// Runs journal-sim to its end with `args`, stderr into `stderr_file`; its exit status as
// waitpid reports it.
[[nodiscard]] int run_to_end(const std::vector<std::string>& args,
                             const std::filesystem::path& stderr_file);

[[nodiscard]] std::string read_text(const std::filesystem::path& file);

class Client {
 public:
  explicit Client(int port, std::string token = "test-token");

  [[nodiscard]] httplib::Result get(const std::string& path, const httplib::Headers& extra = {});
  // GET that must answer 200 with JSON; the parsed body.
  [[nodiscard]] json get_json(const std::string& path);
  [[nodiscard]] httplib::Result post(const std::string& path, const json& body);
  // Every item of a list, following next_cursor; every page must carry `etag` when given.
  [[nodiscard]] std::vector<json> fetch_all(const std::string& path, std::size_t limit,
                                            const std::string& etag = {});
  // The organisation and its four lists through the contract: {"organisation", "groups", ...}.
  [[nodiscard]] json fetch_org(const std::string& org_id);
  // POST /sim/advance; fails the test unless it answers 200.
  json advance(const json& body);
  void set_faults(const json& body);

 private:
  httplib::Client client_;
  std::string token_;
};

}  // namespace rosterd::sim::journal::test
