#pragma once
// For the tests of `rosterd run` as a real process: a notify socket the test owns (what systemd
// would be), the daemon with its log file, and its status server found through that log.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/process.h"

namespace rosterd::daemon::run_test {

using namespace std::chrono_literals;

// A unix datagram socket bound to a path: the $NOTIFY_SOCKET sd_notify writes to.
class NotifySocket {
 public:
  explicit NotifySocket(std::filesystem::path path);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  // Waits until a received datagram has a line equal to `line` (e.g. "READY=1"); every
  // datagram received so far stays in messages().
  [[nodiscard]] bool wait_for(const std::string& line, std::chrono::milliseconds timeout);
  [[nodiscard]] const std::vector<std::string>& messages() const noexcept { return messages_; }

 private:
  void receive(std::chrono::milliseconds timeout);
  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<std::string> messages_;
};

class Daemon {
 public:
  // `rosterd run --config FILE ...` with these extra environment variables; the log goes to
  // `log` (appended), which the test can grep.
  Daemon(const std::filesystem::path& config, std::filesystem::path log,
         const std::vector<std::pair<std::string, std::string>>& env = {},
         const std::vector<std::string>& extra_args = {});

  [[nodiscard]] testing::Process& process() { return *process_; }
  [[nodiscard]] std::string log() const;
  // Waits until the log holds `text` after byte `from`; returns the position after it, or npos.
  [[nodiscard]] std::size_t wait_for_log(const std::string& text, std::chrono::milliseconds timeout,
                                         std::size_t from = 0) const;
  // The status server's port, from `daemon.http.listening ... port=N`.
  [[nodiscard]] int port(std::chrono::milliseconds timeout = 10s);
  // GET on the status server: {status, body}; status -1 when nothing answered.
  [[nodiscard]] std::pair<int, std::string> get(const std::string& path);

 private:
  std::filesystem::path log_;
  std::unique_ptr<testing::Process> process_;
  int port_ = 0;
};

struct RunConfig {
  std::string platform_url;
  std::vector<std::string> schools;  // a region: export/<id> under the config's folder
  int batch_size = 25;
  int interval_s = 1;
  int concurrency = 2;
  std::int64_t fallback_admin = 0;
};
// rosterd.json for `rosterd run`: a region of export folders, platform.token, a SQLite store,
// the status server on a free port, fast schedule (retries after 1 s).
[[nodiscard]] nlohmann::json run_config(const RunConfig& c);
void write_json(const std::filesystem::path& file, const nlohmann::json& config);

// Waits until `done()` holds, checking every 100 ms.
template <class F>
bool eventually(F done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
  return true;
}

}  // namespace rosterd::daemon::run_test
