#pragma once
// The platform contract's encoding, client side: which method and parameters a write becomes,
// the execute code string, and the reading of answers. Internal to the platform adapter.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "adapters/platform/retry_policy.h"
#include "mapping/ports.h"

namespace rosterd::adapters::platform {

inline constexpr std::int64_t peer_id_base = 2'000'000'000;

// One API call: a method and its parameters (a JSON object of numbers and strings).
struct Call {
  std::string method;
  nlohmann::json params = nlohmann::json::object();
};

// The call a write becomes; nullopt when the write lacks the chat id it needs.
[[nodiscard]] std::optional<Call> call_for(const mapping::PlatformWrite& write);

// "key=value&key=value" with every key and value escaped by `escape`, then v and nothing else:
// the token travels in the Authorization header, never in the body.
[[nodiscard]] std::string form_body(const nlohmann::json& params, std::string_view api_version,
                                    const std::function<std::string(std::string_view)>& escape);

// `return [API.m1({...}), API.m2({...})];` — each call's params JSON-encoded.
[[nodiscard]] std::string execute_code(std::span<const Call> calls);

// A parsed answer: the response, or the failure the body describes.
struct Answer {
  std::string method;  // what the HTTP request named: "execute", or the plain call's method
  std::optional<Failure> failure;
  std::string error_msg;  // the platform's error_msg, as sent (redact before showing)
  nlohmann::json response;
  nlohmann::json execute_errors = nlohmann::json::array();
};

// The body of an HTTP 200: {"response": ...} or {"error": {...}}; anything else is malformed.
[[nodiscard]] Answer parse_answer(std::string_view body);

// The failure of the `false` at an execute answer's position for `method`: the next
// execute_errors entry (`next_error` moves on), or malformed when it is missing or names
// another method. `detail` gets the entry's error_msg or what was wrong.
[[nodiscard]] Failure execute_failure(const Answer& answer, std::size_t& next_error,
                                      const std::string& method, std::string& detail);

// A write's result from its successful response (chat id, invite link); `unknown` when the
// response lacks what the method promises, since the write may still have happened.
[[nodiscard]] mapping::WriteResult result_of_success(const mapping::PlatformWrite& write,
                                                     const nlohmann::json& response);

}  // namespace rosterd::adapters::platform
