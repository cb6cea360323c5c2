#pragma once
// Real child processes for end-to-end tests: rosterd, platform-sim. Output goes to files the
// test can read (and grep for personal data); signals are real.

#include <signal.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/files.h"

namespace rosterd::testing {

class Process {
 public:
  // Starts argv[0] with its arguments; stdout and stderr go to `output` (appended).
  Process(std::vector<std::string> argv, const std::filesystem::path& output);
  ~Process();  // SIGKILLs a process still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  void signal(int sig) const;
  // The exit status (WEXITSTATUS, or 128 + signal), or nullopt if still running at the deadline.
  [[nodiscard]] std::optional<int> wait(std::chrono::milliseconds timeout);
  // The same wait; the status as waitpid reports it (for WIFEXITED / WIFSIGNALED checks).
  [[nodiscard]] std::optional<int> wait_raw(std::chrono::milliseconds timeout);
  [[nodiscard]] bool running();

 private:
  pid_t pid_ = -1;
  std::optional<int> raw_status_;
};

struct RunResult {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// Runs a command to completion (120 s at most) and returns its status and output.
[[nodiscard]] RunResult run(const std::vector<std::string>& argv,
                            const std::filesystem::path& scratch);


// A simulator (platform-sim, journal-sim) on a free port: started with --port 0, its port read
// from its "listening on 127.0.0.1:PORT" line.
class SimServer {
 public:
  SimServer(const std::string& binary, const std::vector<std::string>& args,
              const std::filesystem::path& dir);
  [[nodiscard]] int port() const noexcept { return port_; }
  [[nodiscard]] std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // GET or POST on the simulator's /sim endpoints; the body (throws on a non-200 answer).
  [[nodiscard]] std::string get(const std::string& path) const;
  [[nodiscard]] std::string post(const std::string& path, const std::string& json) const;
  // Sends `signal` and waits (10 s, then SIGKILL); the status as waitpid reports it.
  int stop(int signal = SIGTERM);
  // Everything the simulator printed so far (stdout and stderr).
  [[nodiscard]] std::string output() const;

 private:
  static inline std::atomic<int> started_{0};  // names each simulator's output file apart
  std::filesystem::path output_;
  Process process_;
  int port_ = 0;
};

}  // namespace rosterd::testing
