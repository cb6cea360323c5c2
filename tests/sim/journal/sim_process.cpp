#include "sim_process.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "generator/generator.h"

namespace rosterd::sim::journal::test {
namespace {

constexpr std::string_view ready_prefix = "journal-sim: listening on 127.0.0.1:";

// Reads the child's stdout until the ready line; its port, or 0 after a 10 s wait.
int wait_for_port(int fd) {
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buffer[256];
    const auto n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return 0;
    seen.append(buffer, static_cast<std::size_t>(n));
    const auto at = seen.find(ready_prefix);
    const auto eol = seen.find('\n', at);
    if (at != std::string::npos && eol != std::string::npos) {
      return std::stoi(seen.substr(at + ready_prefix.size(), eol));
    }
  }
  return 0;
}

std::vector<char*> argv_of(std::vector<std::string>& text) {
  std::vector<char*> argv;
  for (auto& a : text) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

int wait_exit(pid_t pid) {
  int status = 0;
  // A stuck simulator must not hang the test run: SIGKILL after 10 s.
  for (int i = 0; i < 1000; ++i) {
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return status;
}

}  // namespace

DataDir::DataDir() {
  char templ[] = "/tmp/journal-sim-test-XXXXXX";
  if (mkdtemp(templ) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
  const auto start = mapping::Date::from_ymd(2026, 9, 1);
  const generator::SchoolShape shape{4, 6};
  for (const char* id : {"sch-a", "sch-b"}) {
    auto roster = generator::make_school(id, 7, start, shape);
    generator::write_export(roster, path_ / id);
    rosters_.emplace(id, std::move(roster));
  }
}

DataDir::~DataDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string DataDir::write_file(const std::string& name, const std::string& text) const {
  const auto file = path_ / name;
  std::ofstream(file) << text;
  return file.string();
}

SimProcess::SimProcess(const DataDir& data, const std::vector<std::string>& args)
    : stderr_path_(data.path() /
                   ("stderr-" + std::to_string(getpid()) + "-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()))) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> text = {JOURNAL_SIM_PATH, "--port", "0", "--data", data.path().string()};
  text.insert(text.end(), args.begin(), args.end());
  auto argv = argv_of(text);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    if (FILE* err = std::fopen(stderr_path_.c_str(), "w")) dup2(fileno(err), STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  port_ = wait_for_port(out[0]);
  close(out[0]);
  if (port_ == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error("journal-sim did not say it was listening");
  }
}

SimProcess::~SimProcess() {
  if (pid_ > 0) (void)stop(SIGTERM);
}

int SimProcess::stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  const int status = wait_exit(pid_);
  pid_ = -1;
  return status;
}

std::string SimProcess::stderr_text() const {
  return read_text(stderr_path_);
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int run_to_end(const std::vector<std::string>& args, const std::filesystem::path& stderr_file) {
  std::vector<std::string> text = {JOURNAL_SIM_PATH};
  text.insert(text.end(), args.begin(), args.end());
  auto argv = argv_of(text);
  const pid_t pid = fork();
  if (pid == 0) {
    if (FILE* err = std::fopen(stderr_file.c_str(), "w")) dup2(fileno(err), STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return wait_exit(pid);
}

Client::Client(int port, std::string token) : client_("127.0.0.1", port), token_(std::move(token)) {
  client_.set_read_timeout(std::chrono::seconds(10));
}

httplib::Result Client::get(const std::string& path, const httplib::Headers& extra) {
  httplib::Headers headers = extra;
  if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
  return client_.Get(path, headers);
}

json Client::get_json(const std::string& path) {
  const auto result = get(path);
  if (!result) {
    ADD_FAILURE() << "GET " << path << ": no answer";
    return json();
  }
  EXPECT_EQ(result->status, 200) << "GET " << path << ": " << result->body;
  auto body = json::parse(result->body, nullptr, false);
  EXPECT_FALSE(body.is_discarded()) << "GET " << path << " answered " << result->body;
  return body;
}

httplib::Result Client::post(const std::string& path, const json& body) {
  return client_.Post(path, body.dump(), "application/json");
}

std::vector<json> Client::fetch_all(const std::string& path, std::size_t limit,
                                    const std::string& etag) {
  std::vector<json> items;
  std::string cursor;
  for (int pages = 0; pages < 100000; ++pages) {
    std::string url = path + "?limit=" + std::to_string(limit);
    if (!cursor.empty()) url += "&cursor=" + cursor;
    const auto result = get(url);
    if (!result || result->status != 200) {
      ADD_FAILURE() << "GET " << url << " failed";
      return items;
    }
    if (!etag.empty()) {
      EXPECT_EQ(result->get_header_value("ETag"), etag) << url;
    }
    const auto page = json::parse(result->body);
    EXPECT_LE(page.at("items").size(), limit);
    for (const auto& item : page.at("items")) items.push_back(item);
    if (page.at("next_cursor").is_null()) return items;
    EXPECT_EQ(page.at("items").size(), limit) << "a page before the last is full";
    cursor = page.at("next_cursor").get<std::string>();
  }
  ADD_FAILURE() << "paging did not end";
  return items;
}

json Client::fetch_org(const std::string& org_id) {
  const std::string base = "/v1/organisations/" + org_id;
  const auto head = get(base);
  if (!head || head->status != 200) {
    ADD_FAILURE() << "GET " << base << " failed";
    return json();
  }
  const std::string etag = head->get_header_value("ETag");
  json out = {{"etag", etag}, {"organisation", json::parse(head->body)}};
  for (const char* list : {"groups", "persons", "enrollments", "relations"}) {
    out[list] = fetch_all(base + "/" + list, 1000, etag);
  }
  return out;
}

json Client::advance(const json& body) {
  const auto result = post("/sim/advance", body);
  if (!result || result->status != 200) {
    ADD_FAILURE() << "/sim/advance failed: " << (result ? result->body : "no answer");
    return json();
  }
  return json::parse(result->body);
}

void Client::set_faults(const json& body) {
  const auto result = post("/sim/faults", body);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
}

}  // namespace rosterd::sim::journal::test
