#pragma once
// A real HTTP server on 127.0.0.1 for the platform client's tests, scripted per test: it
// records every request and answers from a queue, then from a fallback responder. It decodes
// forms with cpp-httplib, not with the client's code, so an encoding bug cannot hide itself.

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace rosterd::adapters::platform::testing {

struct RecordedRequest {
  std::string path;           // "/method/messages.editChat"
  std::string http_method;    // "POST"
  std::string authorization;  // the Authorization header
  std::string content_type;
  int remote_port = 0;  // the client's side of the connection: equal ports, one connection
  std::string body;     // raw, still encoded
  std::map<std::string, std::string> params;  // decoded by cpp-httplib

  [[nodiscard]] std::string api_method() const;                   // "messages.editChat"
  [[nodiscard]] std::string param(const std::string& key) const;  // "" when absent
};

struct ScriptedAnswer {
  int status = 200;
  std::string body;
  std::chrono::milliseconds delay{0};
};

using Responder = std::function<ScriptedAnswer(const RecordedRequest&)>;

class FakePlatformServer {
 public:
  FakePlatformServer();  // listening when the constructor returns
  ~FakePlatformServer();
  FakePlatformServer(const FakePlatformServer&) = delete;
  FakePlatformServer& operator=(const FakePlatformServer&) = delete;

  [[nodiscard]] std::string base_url() const;

  // The next request gets this answer (in the order queued).
  void queue(ScriptedAnswer answer);
  void queue_json(std::string body) { queue({200, std::move(body), {}}); }
  // Answers requests once the queue is empty; by default error 100 "unscripted request".
  void otherwise(Responder responder);

  [[nodiscard]] std::vector<RecordedRequest> requests() const;

 private:
  ScriptedAnswer answer_for(const RecordedRequest& request);

  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::deque<ScriptedAnswer> queue_;
  Responder otherwise_;
  std::vector<RecordedRequest> requests_;
};

// {"response": <json>}, {"error": {...}} bodies.
[[nodiscard]] std::string response(const std::string& json);
[[nodiscard]] std::string error(int code, const std::string& message = "scripted");

// Counts the calls in an execute code string ("API." occurrences).
[[nodiscard]] std::size_t calls_in(const std::string& code);

}  // namespace rosterd::adapters::platform::testing
