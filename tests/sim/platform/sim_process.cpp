#include "sim_process.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace rosterd::sim::test {
namespace {

constexpr std::string_view ready_prefix = "platform-sim: listening on 127.0.0.1:";

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

}  // namespace

SimProcess::SimProcess(const std::vector<std::string>& args) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> argv_text = {PLATFORM_SIM_PATH, "--port", "0"};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
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
    throw std::runtime_error("platform-sim did not say it was listening");
  }
}

SimProcess::~SimProcess() {
  if (pid_ > 0) (void)terminate();
}

int SimProcess::terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  // A stuck simulator must not hang the test run: SIGKILL after 10 s.
  for (int i = 0; i < 1000; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

SimClient::SimClient(int port, std::string token)
    : client_("127.0.0.1", port), token_(std::move(token)) {
  client_.set_read_timeout(std::chrono::seconds(10));
}

httplib::Result SimClient::post(const std::string& method, const Form& form) {
  httplib::Params params(form.begin(), form.end());
  params.emplace("v", "5.199");
  if (!token_.empty()) params.emplace("access_token", token_);
  return client_.Post("/method/" + method, params);
}

json SimClient::call(const std::string& method, const Form& form) {
  const auto result = post(method, form);
  if (!result) {
    ADD_FAILURE() << method << ": no answer";
    return json();
  }
  EXPECT_EQ(result->status, 200) << method;
  auto answer = json::parse(result->body, nullptr, false);
  EXPECT_FALSE(answer.is_discarded()) << method << " answered " << result->body;
  return answer;
}

json SimClient::get(const std::string& path) {
  const auto result = client_.Get(path);
  if (!result || result->status != 200) {
    ADD_FAILURE() << "GET " << path << " failed";
    return json();
  }
  return json::parse(result->body);
}

httplib::Result SimClient::join(const std::string& link, std::int64_t user_id) {
  const json body = {{"link", link}, {"user_id", user_id}};
  return client_.Post("/sim/join", body.dump(), "application/json");
}

std::int64_t SimClient::create_chat(const std::string& title, const std::string& user_ids) {
  const auto answer = call("messages.createChat", {{"title", title}, {"user_ids", user_ids}});
  return answer.at("response").at("chat_id").get<std::int64_t>();
}

int error_code(const json& answer) {
  if (!answer.contains("error")) return 0;
  return answer["error"].at("error_code").get<int>();
}

std::int64_t peer(std::int64_t chat_id) {
  return 2000000000 + chat_id;
}

}  // namespace rosterd::sim::test
