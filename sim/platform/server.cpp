#include "sim/platform/server.h"

#include <httplib.h>

#include <algorithm>
#include <cstdio>

#include "sim/platform/batch.h"
#include "sim/platform/params.h"

namespace rosterd::sim {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr const char* json_type = "application/json; charset=utf-8";

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json error_json(int code, const std::string& msg) {
  return {{"error_code", code}, {"error_msg", msg}};
}

MethodAnswer json_answer(const json& body, std::string result) {
  MethodAnswer answer;
  answer.body = dump(body);
  answer.result = std::move(result);
  return answer;
}

MethodAnswer http_failure(int status) {
  MethodAnswer answer;
  answer.status = status;
  answer.body = status == 503 ? "Service Unavailable\n" : "Internal Server Error\n";
  answer.content_type = "text/plain";
  answer.result = "http=" + std::to_string(status);
  return answer;
}

// The form field wins over the header, as VK does; the value itself is never logged.
std::string request_token(const httplib::Request& req) {
  if (req.has_param("access_token")) return req.get_param_value("access_token");
  const auto auth = req.get_header_value("Authorization");
  constexpr std::string_view bearer = "Bearer ";
  if (auth.rfind(bearer, 0) == 0) return auth.substr(bearer.size());
  return {};
}

Params call_params(const httplib::Request& req) {
  Params params;
  for (const auto& [key, value] : req.params) params.emplace(key, value);  // first one wins
  params.erase("access_token");
  return params;
}

}  // namespace

HttpFrontend::HttpFrontend(SimOptions options)
    : options_(std::move(options)),
      platform_(options_.owner_id, options_.seed, options_.initial_state),
      limiter_(options_.rps),
      faults_(options_.fail_rate, options_.seed) {}

void HttpFrontend::install(httplib::Server& server) {
  server.Post(
      R"(/method/([A-Za-z0-9_.]+))",
      [this](const httplib::Request& req, httplib::Response& res) { handle_method(req, res); });
  server.Get("/sim/state", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(dump(platform_.state()), json_type);
  });
  server.Get("/sim/stats", [this](const httplib::Request&, httplib::Response& res) {
    auto stats = platform_.stats();
    const auto tightest = limiter_.tightest_span();
    stats["tightest_span_s"] =
        tightest ? nlohmann::json(std::chrono::duration<double>(*tightest).count()) : nullptr;
    res.set_content(dump(stats), json_type);
  });
  server.Get("/sim/memberships", [this](const httplib::Request& req, httplib::Response& res) {
    try {
      res.set_content(dump(platform_.memberships(id_list(call_params(req), "user_ids"))),
                      json_type);
    } catch (const ParamError& e) {
      res.status = 400;
      res.set_content(dump({{"error", e.what()}}), json_type);
    }
  });
  server.Post("/sim/join", [this](const httplib::Request& req, httplib::Response& res) {
    handle_join(req, res);
  });
  server.Post("/sim/edit", [this](const httplib::Request& req, httplib::Response& res) {
    const auto outcome = platform_.edit(json::parse(req.body, nullptr, false));
    res.status = outcome.status;
    res.set_content(outcome.status == 200 ? dump({{"ok", true}}) : dump({{"error", outcome.error}}),
                    json_type);
  });
  server.Post("/sim/revoke", [this](const httplib::Request& req, httplib::Response& res) {
    const auto body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("token") || !body["token"].is_string()) {
      res.status = 400;
      res.set_content(R"({"error": "expected {\"token\": string}"})", json_type);
      return;
    }
    platform_.revoke(body["token"].get<std::string>());
    res.set_content(R"({"ok": true})", json_type);
  });
  server.Post("/sim/reset", [this](const httplib::Request&, httplib::Response& res) {
    reset();
    res.set_content(R"({"reset": true})", json_type);
  });
}

void HttpFrontend::handle_method(const httplib::Request& req, httplib::Response& res) {
  const auto started = std::chrono::steady_clock::now();
  const std::string method = req.matches[1];
  platform_.count_request();
  const MethodAnswer answer = answer_method(method, req);
  if (answer.fault == Fault::lost_response) sleep_for(milliseconds(options_.lost_ms));
  if (options_.latency_ms > 0) sleep_for(milliseconds(options_.latency_ms));
  res.status = answer.status;
  res.set_content(answer.body, answer.content_type.c_str());
  if (options_.verbose) {
    const auto took =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    std::fprintf(stderr, "sim.request method=%s result=%s fault=%s ms=%lld\n", method.c_str(),
                 answer.result.c_str(), name(answer.fault), static_cast<long long>(took.count()));
  }
}

MethodAnswer HttpFrontend::answer_method(const std::string& method, const httplib::Request& req) {
  const auto token = request_token(req);
  if (token.empty() || (options_.token && token != *options_.token)) {
    return refuse(5, "User authorization failed: invalid access_token");
  }
  if (platform_.revoked(token)) {
    return refuse(5, "User authorization failed: the access_token was revoked or has expired");
  }
  if (!limiter_.admit(token)) return refuse(6, "Too many requests per second");
  const Fault fault = may_fault(method, req) ? faults_.draw() : Fault::none;
  switch (fault) {
    case Fault::error_10: {
      auto answer = refuse(10, "Internal server error");
      answer.fault = fault;
      return answer;
    }
    case Fault::http_500:
    case Fault::http_503: {
      const int status = fault == Fault::http_500 ? 500 : 503;
      platform_.count_error(std::to_string(status));
      auto answer = http_failure(status);
      answer.fault = fault;
      return answer;
    }
    case Fault::none:
    case Fault::lost_response:
      break;
  }
  auto answer = method == "execute" ? run_execute(token, req) : run_call(token, method, req);
  answer.fault = fault;
  return answer;
}

bool HttpFrontend::may_fault(const std::string& method, const httplib::Request& req) const {
  const auto& methods = options_.fail_methods;
  if (methods.empty()) return true;
  if (method != "execute") return methods.contains(method);
  const auto calls = parse_batch(req.get_param_value("code"));
  return calls && std::any_of(calls->begin(), calls->end(),
                              [&](const BatchCall& call) { return methods.contains(call.method); });
}

MethodAnswer HttpFrontend::refuse(int code, const std::string& msg) {
  platform_.count_error(std::to_string(code));
  return json_answer({{"error", error_json(code, msg)}}, "error=" + std::to_string(code));
}

MethodAnswer HttpFrontend::run_call(const std::string& token, const std::string& method,
                                    const httplib::Request& req) {
  const auto outcome = platform_.call(token, method, call_params(req));
  if (!outcome.ok()) {
    return json_answer({{"error", error_json(outcome.error_code, outcome.error_msg)}},
                       "error=" + std::to_string(outcome.error_code));
  }
  return json_answer({{"response", outcome.response}}, "ok");
}

MethodAnswer HttpFrontend::run_execute(const std::string& token, const httplib::Request& req) {
  platform_.count_call("execute");
  const auto calls = parse_batch(req.get_param_value("code"));
  if (!calls) return refuse(12, "Unable to compile code: not the batch form");
  if (calls->size() > max_batch_calls) {
    return refuse(13, "Runtime error occurred during code invocation: too many API calls");
  }
  auto responses = json::array();
  auto errors = json::array();
  for (const auto& call : *calls) {
    const auto outcome =
        call.param_error.empty()
            ? platform_.call(token, call.method, call.params)
            : platform_.reject(
                  call.method, 100,
                  "One of the parameters specified was missing or invalid: " + call.param_error);
    if (outcome.ok()) {
      responses.push_back(outcome.response);
      continue;
    }
    responses.push_back(false);
    errors.push_back({{"method", call.method},
                      {"error_code", outcome.error_code},
                      {"error_msg", outcome.error_msg}});
  }
  json body = {{"response", std::move(responses)}};
  if (!errors.empty()) body["execute_errors"] = std::move(errors);
  return json_answer(body, "ok");
}

void HttpFrontend::handle_join(const httplib::Request& req, httplib::Response& res) {
  const auto body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("link") ||
      !body["link"].is_string() || !body.contains("user_id") ||
      !body["user_id"].is_number_integer()) {
    res.status = 400;
    res.set_content(R"({"error": "expected {\"link\": string, \"user_id\": integer}"})", json_type);
    return;
  }
  const auto name = [&](const char* key) {
    return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : "";
  };
  const auto chat_id = platform_.join(body["link"].get<std::string>(),
                                      body["user_id"].get<std::int64_t>(), name("first_name"),
                                      name("last_name"));
  if (!chat_id) {
    res.status = 404;
    res.set_content(R"({"error": "no live invite link"})", json_type);
    return;
  }
  res.set_content(dump({{"chat_id", *chat_id}}), json_type);
}

void HttpFrontend::reset() {
  platform_.reset();
  limiter_.reset();
  faults_.reset();
}

void HttpFrontend::sleep_for(milliseconds delay) {
  std::unique_lock lock(stop_mutex_);
  stop_cv_.wait_for(lock, delay, [this] { return stopping_; });
}

void HttpFrontend::stop() {
  {
    const std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
}

}  // namespace rosterd::sim
