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

SimProcess::SimProcess(const std::vector<std::string>& args) {
  char pattern[] = "/tmp/platform-sim-test-XXXXXX";
  dir_ = mkdtemp(pattern);
  server_ = std::make_unique<rosterd::testing::SimServer>(PLATFORM_SIM_PATH, args, dir_);
}

SimProcess::~SimProcess() {
  server_.reset();
  std::filesystem::remove_all(dir_);
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

httplib::Result SimClient::sim_post(const std::string& path, const json& body) {
  return client_.Post(path, body.dump(), "application/json");
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
