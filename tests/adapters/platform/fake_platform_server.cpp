#include "tests/adapters/platform/fake_platform_server.h"

#include <httplib.h>

#include <stdexcept>

namespace rosterd::adapters::platform::testing {

std::string RecordedRequest::api_method() const {
  const std::string prefix = "/method/";
  return path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path;
}

std::string RecordedRequest::param(const std::string& key) const {
  const auto it = params.find(key);
  return it == params.end() ? std::string() : it->second;
}

FakePlatformServer::FakePlatformServer() : server_(std::make_unique<httplib::Server>()) {
  otherwise_ = [](const RecordedRequest&) {
    return ScriptedAnswer{200, error(100, "unscripted request"), {}};
  };
  server_->Post(R"(/method/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    RecordedRequest recorded;
    recorded.path = req.path;
    recorded.http_method = req.method;
    recorded.authorization = req.get_header_value("Authorization");
    recorded.content_type = req.get_header_value("Content-Type");
    recorded.remote_port = req.remote_port;
    recorded.body = req.body;
    // cpp-httplib decodes form bodies into req.params; a repeated key would be a client bug,
    // and the last one wins here, which the tests' exact-body checks would catch.
    for (const auto& [key, value] : req.params) recorded.params[key] = value;
    const ScriptedAnswer answer = answer_for(recorded);
    if (answer.delay.count() > 0) std::this_thread::sleep_for(answer.delay);
    res.status = answer.status;
    res.set_content(answer.body, "application/json");
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("fake platform: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakePlatformServer::~FakePlatformServer() {
  server_->stop();
  thread_.join();
}

std::string FakePlatformServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void FakePlatformServer::queue(ScriptedAnswer answer) {
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(answer));
}

void FakePlatformServer::otherwise(Responder responder) {
  std::lock_guard lock(mutex_);
  otherwise_ = std::move(responder);
}

std::vector<RecordedRequest> FakePlatformServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

ScriptedAnswer FakePlatformServer::answer_for(const RecordedRequest& request) {
  std::lock_guard lock(mutex_);
  requests_.push_back(request);
  if (!queue_.empty()) {
    ScriptedAnswer answer = std::move(queue_.front());
    queue_.pop_front();
    return answer;
  }
  return otherwise_(request);
}

std::string response(const std::string& json) {
  return R"({"response": )" + json + "}";
}

std::string error(int code, const std::string& message) {
  return R"({"error": {"error_code": )" + std::to_string(code) + R"(, "error_msg": ")" + message +
         R"("}})";
}

std::size_t calls_in(const std::string& code) {
  std::size_t count = 0;
  for (std::size_t at = code.find("API."); at != std::string::npos;
       at = code.find("API.", at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace rosterd::adapters::platform::testing
