#include "tests/daemon/run_support.h"

#include <httplib.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rosterd::daemon::run_test {

NotifySocket::NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const auto text = path_.string();
  if (fd_ < 0 || text.size() >= sizeof addr.sun_path) throw std::runtime_error("notify socket");
  std::memcpy(addr.sun_path, text.c_str(), text.size() + 1);
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("cannot bind " + text);
}

NotifySocket::~NotifySocket() {
  ::close(fd_);
  std::filesystem::remove(path_);
}

void NotifySocket::receive(std::chrono::milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return;
  char buf[4096];
  const auto n = ::recv(fd_, buf, sizeof buf, 0);
  if (n > 0) messages_.emplace_back(buf, static_cast<std::size_t>(n));
}

bool NotifySocket::wait_for(const std::string& line, std::chrono::milliseconds timeout) {
  const auto has = [&] {
    for (const auto& m : messages_) {
      std::istringstream lines(m);
      for (std::string l; std::getline(lines, l);) {
        if (l == line) return true;
      }
    }
    return false;
  };
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!has()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    receive(50ms);
  }
  return true;
}

Daemon::Daemon(const std::filesystem::path& config, std::filesystem::path log,
               const std::vector<std::pair<std::string, std::string>>& env,
               const std::vector<std::string>& extra_args)
    : log_(std::move(log)) {
  std::vector<std::string> argv = {ROSTERD_BIN, "run", "--config", config.string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  // The child inherits the environment: set it around the fork only.
  for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
  process_ = std::make_unique<testing::Process>(argv, log_);
  for (const auto& [k, v] : env) ::unsetenv(k.c_str());
}

std::string Daemon::log() const {
  return testing::read_file(log_);
}

std::size_t Daemon::wait_for_log(const std::string& text, std::chrono::milliseconds timeout,
                                 std::size_t from) const {
  std::size_t at = std::string::npos;
  (void)eventually(
      [&] {
        const auto all = log();
        at = from <= all.size() ? all.find(text, from) : std::string::npos;
        return at != std::string::npos;
      },
      timeout);
  return at == std::string::npos ? at : at + text.size();
}

int Daemon::port(std::chrono::milliseconds timeout) {
  if (port_ != 0) return port_;
  const std::string mark = "daemon.http.listening address=127.0.0.1 port=";
  const auto at = wait_for_log(mark, timeout);
  if (at == std::string::npos) throw std::runtime_error("no daemon.http.listening in " + log());
  port_ = std::stoi(log().substr(at));
  return port_;
}

std::pair<int, std::string> Daemon::get(const std::string& path) {
  httplib::Client client("127.0.0.1", port());
  client.set_read_timeout(5, 0);
  auto res = client.Get(path.c_str());
  if (!res) return {-1, ""};
  return {res->status, res->body};
}

nlohmann::json run_config(const RunConfig& c) {
  return {
      {"region",
       {{"source", {{"type", "export"}, {"root", "export"}}},
        {"schools", c.schools},
        {"fallback_admin", {{"platform_user_id", c.fallback_admin}, {"label", "platform-admin"}}}}},
      {"platform",
       {{"base_url", c.platform_url},
        {"token_file", "platform.token"},
        {"requests_per_second", 200},
        {"timeout_ms", 5000},
        {"batch_size", c.batch_size}}},
      {"store", {{"sqlite", "state/rosterd.db"}}},
      {"schedule",
       {{"interval_s", c.interval_s},
        {"jitter_s", 0},
        {"concurrency", c.concurrency},
        {"retry_initial_s", 1},
        {"quarantine_after", 3},
        {"quarantine_retry_s", 3600}}},
      {"observability", {{"address", "127.0.0.1"}, {"port", 0}}}};
}

void write_json(const std::filesystem::path& file, const nlohmann::json& config) {
  const auto tmp = file.string() + ".tmp";
  std::ofstream(tmp) << config.dump(2);
  std::filesystem::rename(tmp, file);  // a reload never reads half a file
}

}  // namespace rosterd::daemon::run_test
