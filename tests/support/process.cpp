#include "tests/support/process.h"

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace rosterd::testing {

Process::Process(std::vector<std::string> argv, const std::filesystem::path& output) {
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + output.string());
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  ::close(fd);
  if (pid_ < 0) throw std::runtime_error("fork failed");
}

Process::~Process() {
  if (running()) {
    signal(SIGKILL);
    (void)wait(std::chrono::seconds(10));
  }
}

void Process::signal(int sig) const {
  if (pid_ > 0) ::kill(pid_, sig);
}

std::optional<int> Process::wait_raw(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!raw_status_) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      raw_status_ = status;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return raw_status_;
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  const auto raw = wait_raw(timeout);
  if (!raw) return std::nullopt;
  return WIFEXITED(*raw) ? WEXITSTATUS(*raw) : 128 + WTERMSIG(*raw);
}

bool Process::running() { return pid_ > 0 && !wait(std::chrono::milliseconds(0)).has_value(); }

RunResult run(const std::vector<std::string>& argv, const std::filesystem::path& scratch) {
  static int counter = 0;
  const auto output = scratch / ("run-" + std::to_string(getpid()) + "-" +
                                 std::to_string(++counter) + ".out");
  Process process(argv, output);
  const auto status = process.wait(std::chrono::seconds(120));
  if (!status) throw std::runtime_error(argv[0] + " did not finish within 120 s");
  return {*status, read_file(output)};
}

SimServer::SimServer(const std::string& binary, const std::vector<std::string>& args,
                         const std::filesystem::path& dir)
    : output_(dir / (std::filesystem::path(binary).filename().string() + "-" +
                     std::to_string(getpid()) + "-" + std::to_string(++started_) + ".out")),
      process_([&] {
        std::vector<std::string> argv = {binary, "--port", "0"};
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
      }(), output_) {
  const std::string ready = "listening on 127.0.0.1:";
  for (int i = 0; i < 1000 && port_ == 0; ++i) {
    const auto text = read_file(output_);
    if (const auto at = text.find(ready); at != std::string::npos && text.find('\n', at) != std::string::npos) {
      port_ = std::stoi(text.substr(at + ready.size()));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  if (port_ == 0) throw std::runtime_error("platform-sim did not start: " + read_file(output_));
}

std::string SimServer::get(const std::string& path) const {
  httplib::Client client("127.0.0.1", port_);
  auto res = client.Get(path.c_str());
  if (!res || res->status != 200) throw std::runtime_error("GET " + path + " failed");
  return res->body;
}

std::string SimServer::post(const std::string& path, const std::string& json) const {
  httplib::Client client("127.0.0.1", port_);
  auto res = client.Post(path.c_str(), json, "application/json");
  if (!res) throw std::runtime_error("POST " + path + " failed");
  return res->body;
}

int SimServer::stop(int signal) {
  process_.signal(signal);
  if (const auto status = process_.wait_raw(std::chrono::seconds(10))) return *status;
  process_.signal(SIGKILL);
  return process_.wait_raw(std::chrono::seconds(10)).value_or(-1);
}

std::string SimServer::output() const { return read_file(output_); }

}  // namespace rosterd::testing
