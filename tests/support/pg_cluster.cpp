#include "tests/support/pg_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glob.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rosterd::test_support {
namespace {

namespace fs = std::filesystem;

std::string tail_of(const fs::path& log) {
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  const auto all = text.str();
  constexpr std::size_t keep = 1500;
  return all.size() > keep ? "…" + all.substr(all.size() - keep) : all;
}

// Runs argv (no shell) with stdout and stderr appended to `log`; returns the exit status.
int run(const std::vector<std::string>& argv, const fs::path& log) {
  std::vector<char*> args;  // built before fork: the child only calls async-signal-safe functions
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("pg harness: cannot write " + log.string());
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fd);
  if (pid < 0) throw std::runtime_error("pg harness: fork failed");
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::string> as_postgres(const fs::path& program, std::vector<std::string> args) {
  std::vector<std::string> argv{"/usr/sbin/runuser", "-u", "postgres", "--", program.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

fs::path find_bin_dir() {
  // Newest server first: /usr/lib/postgresql/15/bin sorts after 13 and 14 (two-digit versions).
  glob_t found{};
  std::vector<fs::path> dirs;
  if (::glob("/usr/lib/postgresql/*/bin/initdb", 0, nullptr, &found) == 0) {
    for (std::size_t i = 0; i < found.gl_pathc; ++i) {
      dirs.emplace_back(fs::path(found.gl_pathv[i]).parent_path());
    }
  }
  ::globfree(&found);
  std::sort(dirs.begin(), dirs.end());
  if (dirs.empty()) {
    throw std::runtime_error(
        "PostgreSQL tests need the PostgreSQL server (initdb, pg_ctl under "
        "/usr/lib/postgresql/*/bin) and found none: install the postgresql package "
        "(scripts/deps does)");
  }
  return dirs.back();
}

int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof addr;
  if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
    if (s >= 0) ::close(s);
    throw std::runtime_error("pg harness: cannot find a free port on 127.0.0.1");
  }
  ::close(s);
  return ntohs(addr.sin_port);
}

fs::path make_folder_for(const passwd& postgres) {
  std::string pattern = (fs::temp_directory_path() / "rosterd-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("pg harness: cannot create a folder under " +
                             fs::temp_directory_path().string());
  }
  if (::chown(pattern.c_str(), postgres.pw_uid, postgres.pw_gid) != 0) {
    fs::remove_all(pattern);
    throw std::runtime_error("pg harness: cannot give " + pattern + " to the postgres user");
  }
  return pattern;
}

}  // namespace

PgCluster::PgCluster() {
  if (::geteuid() != 0) {
    throw std::runtime_error(
        "PostgreSQL tests need root: they run initdb and pg_ctl as the postgres user through "
        "runuser (CI runs the tests as root)");
  }
  bin_ = find_bin_dir();
  const passwd* postgres = ::getpwnam("postgres");
  if (postgres == nullptr) {
    throw std::runtime_error("PostgreSQL tests need the postgres user: install postgresql");
  }
  folder_ = make_folder_for(*postgres);
  const auto data = folder_ / "data";
  const auto log = folder_ / "harness.log";
  if (run(as_postgres(bin_ / "initdb", {"-D", data.string(), "-A", "trust", "-U", "postgres", "-E",
                                        "UTF8", "--no-sync"}),
          log) != 0) {
    const auto why = tail_of(log);
    fs::remove_all(folder_);
    throw std::runtime_error("pg harness: initdb failed:\n" + why);
  }
  // fsync off: the tests kill client processes, never the machine.
  for (int attempt = 0; attempt < 3 && !running_; ++attempt) {
    port_ = free_port();
    const auto options = "-p " + std::to_string(port_) + " -k " + folder_.string() +
                         " -c listen_addresses=127.0.0.1 -c fsync=off";
    running_ = run(as_postgres(bin_ / "pg_ctl",
                               {"-D", data.string(), "-l", (folder_ / "server.log").string(), "-o",
                                options, "-w", "-t", "30", "start"}),
                   log) == 0;
  }
  if (!running_) {
    const auto why = tail_of(folder_ / "server.log");
    stop();
    throw std::runtime_error("pg harness: pg_ctl start failed:\n" + why);
  }
}

PgCluster::~PgCluster() {
  stop();
}

void PgCluster::stop() noexcept {
  try {
    if (running_) {
      (void)run(as_postgres(bin_ / "pg_ctl",
                            {"-D", (folder_ / "data").string(), "-m", "immediate", "-w", "stop"}),
                folder_ / "harness.log");
      running_ = false;
    }
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  } catch (...) {
    // Best effort at exit: a leftover folder under /tmp is the worst case.
  }
}

std::string PgCluster::conninfo(std::string_view database) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " user=postgres dbname=" + std::string{database} + " connect_timeout=10";
}

std::string PgCluster::create_database() {
  const auto name = "rosterd_test_" + std::to_string(++databases_);
  pqxx::connection admin{conninfo("postgres")};
  pqxx::nontransaction work{admin};
  work.exec0("CREATE DATABASE " + name);
  return conninfo(name);
}

void PgEnvironment::TearDown() {
  instance().reset();
}

PgCluster& PgEnvironment::cluster() {
  auto& cluster = instance();
  if (cluster) return *cluster;
  if (!start_error().empty()) throw std::runtime_error(start_error());
  try {
    cluster = std::make_unique<PgCluster>();
  } catch (const std::exception& e) {
    start_error() = e.what();
    throw;
  }
  return *cluster;
}

std::unique_ptr<PgCluster>& PgEnvironment::instance() {
  static std::unique_ptr<PgCluster> cluster;
  return cluster;
}

std::string& PgEnvironment::start_error() {
  static std::string error;
  return error;
}

}  // namespace rosterd::test_support
