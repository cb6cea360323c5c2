#pragma once
// The HTTP front end: the platform contract's transport (form bodies, tokens, VK envelopes),
// the rate limit and fault injection, and the /sim endpoints, on top of SimulatedPlatform.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "sim/platform/faults.h"
#include "sim/platform/options.h"
#include "sim/platform/platform.h"
#include "sim/platform/rate_limiter.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace rosterd::sim {

// What one /method request is answered with.
struct MethodAnswer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::string result;  // for the request log: "ok", "error=935", "http=503"
  Fault fault = Fault::none;
};

class HttpFrontend {
 public:
  explicit HttpFrontend(SimOptions options);

  // Registers the routes; the server must not outlive this front end.
  void install(httplib::Server& server);
  // Wakes every delayed answer so the server can stop without waiting out --lost-ms.
  void stop();

 private:
  void handle_method(const httplib::Request& req, httplib::Response& res);
  [[nodiscard]] MethodAnswer answer_method(const std::string& method, const httplib::Request& req);
  [[nodiscard]] bool may_fault(const std::string& method, const httplib::Request& req) const;
  [[nodiscard]] MethodAnswer run_call(const std::string& token, const std::string& method,
                                      const httplib::Request& req);
  [[nodiscard]] MethodAnswer run_execute(const std::string& token, const httplib::Request& req);
  [[nodiscard]] MethodAnswer refuse(int code, const std::string& msg);
  void handle_join(const httplib::Request& req, httplib::Response& res);
  void reset();
  void sleep_for(std::chrono::milliseconds delay);

  SimOptions options_;
  SimulatedPlatform platform_;
  RateLimiter limiter_;
  FaultInjector faults_;
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
};

}  // namespace rosterd::sim
