#pragma once
// The real platform-sim binary as a child process, and a small httplib client to talk to it.

#include <httplib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace rosterd::sim::test {

using nlohmann::json;

class SimProcess {
 public:
  // Starts `platform-sim --port 0 <args>` and waits for its "listening" line.
  explicit SimProcess(const std::vector<std::string>& args = {});
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  [[nodiscard]] int port() const noexcept { return server_->port(); }
  // Sends SIGTERM and waits; the exit status as waitpid reports it.
  [[nodiscard]] int terminate() { return server_->stop(SIGTERM); }

 private:
  std::filesystem::path dir_;  // the simulator's output file
  std::unique_ptr<rosterd::testing::SimServer> server_;
};

using Form = std::map<std::string, std::string>;

class SimClient {
 public:
  explicit SimClient(int port, std::string token = "test-token");

  // POST /method/<name> with the token as a form field; the raw result.
  [[nodiscard]] httplib::Result post(const std::string& method, const Form& form);
  // The same, parsed; fails the test on a non-200 or a body that is not JSON.
  [[nodiscard]] json call(const std::string& method, const Form& form = {});
  [[nodiscard]] json execute(const std::string& code) { return call("execute", {{"code", code}}); }
  [[nodiscard]] json get(const std::string& path);
  [[nodiscard]] httplib::Result join(const std::string& link, std::int64_t user_id);
  // POST a JSON body to a /sim endpoint (/sim/edit, /sim/revoke, /sim/join).
  [[nodiscard]] httplib::Result sim_post(const std::string& path, const json& body);
  [[nodiscard]] httplib::Client& raw() noexcept { return client_; }

  // messages.createChat with a title and members; the new chat id.
  [[nodiscard]] std::int64_t create_chat(const std::string& title, const std::string& user_ids);

 private:
  httplib::Client client_;
  std::string token_;
};

// The error code of an {"error": ...} answer, 0 for a response.
[[nodiscard]] int error_code(const json& answer);
[[nodiscard]] std::int64_t peer(std::int64_t chat_id);

}  // namespace rosterd::sim::test
