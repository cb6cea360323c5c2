#include "adapters/platform/client_core.h"

#include <stdexcept>

namespace rosterd::adapters::platform {
namespace {

constexpr std::size_t max_detail_bytes = 200;

void check(const PlatformOptions& o) {
  // Messages name the option, never its value: the token is one of them.
  if (o.base_url.empty()) throw std::invalid_argument("platform client: base_url is empty");
  if (o.token.empty()) throw std::invalid_argument("platform client: token is empty");
  if (o.batch_size < 1 || o.batch_size > 25) {
    throw std::invalid_argument("platform client: batch_size must be 1..25");
  }
  if (o.max_attempts < 1) throw std::invalid_argument("platform client: max_attempts must be >= 1");
  if (o.timeout_ms < 1) throw std::invalid_argument("platform client: timeout_ms must be >= 1");
  if (o.backoff_initial_ms < 0 || o.backoff_max_ms < 0) {
    throw std::invalid_argument("platform client: backoff must be >= 0");
  }
}

std::shared_ptr<RequestCombiner> own_combiner_if_none(std::shared_ptr<RequestCombiner> combiner,
                                                      std::shared_ptr<RateLimiter> limiter,
                                                      const PlatformOptions& options) {
  if (combiner) return combiner;
  if (!limiter) limiter = std::make_shared<RateLimiter>(options.requests_per_second);
  return std::make_shared<RequestCombiner>(std::move(limiter),
                                           static_cast<std::size_t>(options.batch_size));
}

// A plain call's answer in the shape of an execute of that one call: its own error becomes the
// `false` item and its execute_errors entry; a failure on the way stays the request's.
Answer as_execute_of_one(Answer answer, const Call& call) {
  if (!answer.failure) {
    answer.response = nlohmann::json::array({std::move(answer.response)});
  } else if (answer.failure->kind == Failure::Kind::platform_error) {
    answer.response = nlohmann::json::array({false});
    answer.execute_errors = nlohmann::json::array({{{"method", call.method},
                                                    {"error_code", answer.failure->code},
                                                    {"error_msg", answer.error_msg}}});
    answer.failure.reset();
    answer.error_msg.clear();
  }
  return answer;
}

std::uint64_t seed_of(std::uint64_t jitter_seed) {
  if (jitter_seed != 0) return jitter_seed;
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

// Cuts at a UTF-8 character boundary so a Cyrillic message is never left half a letter.
std::string truncated(std::string_view text) {
  if (text.size() <= max_detail_bytes) return std::string(text);
  std::size_t end = max_detail_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

std::string without(std::string text, std::string_view secret) {
  for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "[token]");
  }
  return text;
}

}  // namespace

ClientCore::ClientCore(PlatformOptions options, std::shared_ptr<RequestCombiner> combiner,
                       std::shared_ptr<RateLimiter> limiter)
    : options_((check(options), std::move(options))),
      combiner_(own_combiner_if_none(std::move(combiner), std::move(limiter), options_)),
      session_(options_.token, options_.timeout_ms),
      jitter_(seed_of(options_.jitter_seed)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/')
    options_.base_url.pop_back();
}

std::vector<CallOutcome> ClientCore::exchange(std::span<const Call> calls) {
  {
    std::lock_guard lock(counters_mutex_);
    for (const Call& call : calls) ++counters_.calls_by_method[call.method];
  }
  return combiner_->submit(calls, [this](std::span<const Call> all) { return request(all); });
}

Answer ClientCore::request(std::span<const Call> calls) {
  const auto escape = [this](std::string_view s) { return session_.escape(s); };
  Answer answer;
  if (calls.size() == 1) {
    // A lone call goes plain: its error is the call's own.
    answer = as_execute_of_one(
        post(calls.front().method, form_body(calls.front().params, options_.api_version, escape)),
        calls.front());
    answer.method = calls.front().method;
  } else {
    {
      std::lock_guard lock(counters_mutex_);
      ++counters_.calls_by_method["execute"];
    }
    const nlohmann::json params = {{"code", execute_code(calls)}};
    answer = post("execute", form_body(params, options_.api_version, escape));
    answer.method = "execute";
  }
  if (!answer.failure && (!answer.response.is_array() || answer.response.size() != calls.size())) {
    // We cannot tell which call did what: every one of them may have happened.
    answer.failure = Failure{Failure::Kind::malformed, 0};
    answer.error_msg = "answer does not match the calls";
  }
  // The request's own failure is counted once, here; a call's by whoever settles it.
  if (answer.failure) count_error(*answer.failure);
  return answer;
}

Answer ClientCore::post(const std::string& method, const std::string& body) {
  {
    std::lock_guard lock(counters_mutex_);
    ++counters_.http_requests;
  }
  HttpResult http = session_.post(options_.base_url + "/method/" + method, body);
  Answer answer;
  if (http.failure) {
    answer.failure = http.failure;
    answer.error_msg = http.error;
  } else if (http.status != 200) {
    // The body of a failed status is not shown: it could echo the request.
    answer.failure = Failure{Failure::Kind::http_status, static_cast<int>(http.status)};
  } else {
    answer = parse_answer(http.body);
  }
  return answer;
}

std::optional<nlohmann::json> ClientCore::read(const Call& call, Op op) {
  for (int attempt = 1;; ++attempt) {
    CallOutcome outcome = std::move(exchange(std::span(&call, 1)).front());
    if (outcome.ok()) return std::move(outcome.response);
    count_error(outcome);
    const Failure failure = *outcome.failure;
    const std::string message = describe(call.method, failure, outcome.detail);
    switch (classify(failure, op)) {
      case Next::retry:
        // Refused, or failed on the way: a read changes nothing, so it may go again.
        if (attempt >= options_.max_attempts || !may_retry()) {
          throw mapping::PlatformUnavailable(message + " (after " + std::to_string(attempt) +
                                             " attempts)");
        }
        pause_before_retry(attempt);
        continue;
      case Next::empty:
        // The thing read is gone: an empty answer is the truth, not a failure.
        return std::nullopt;
      case Next::stop:
        // The token is refused: no other request of this school can succeed either.
        throw mapping::PlatformAuthError(failure.code, message);
      case Next::done:
      case Next::rejected:
      case Next::unknown:
      case Next::give_up:
        // Not a read's outcome, or one no retry mends: the cycle stops for this school.
        throw mapping::PlatformUnavailable(message);
    }
  }
}

void ClientCore::pause_before_retry(int attempt) {
  const auto delay = backoff_delay(attempt, std::chrono::milliseconds(options_.backoff_initial_ms),
                                   std::chrono::milliseconds(options_.backoff_max_ms), jitter_);
  {
    std::lock_guard lock(counters_mutex_);
    ++counters_.retries;
  }
  combiner_->limiter().clock().sleep_for(delay);
}

std::string ClientCore::describe(std::string_view method, const Failure& failure,
                                 std::string_view detail) const {
  std::string text(method);
  switch (failure.kind) {
    case Failure::Kind::platform_error:
      text += ": error " + std::to_string(failure.code);
      break;
    case Failure::Kind::http_status:
      text += ": HTTP " + std::to_string(failure.code);
      break;
    case Failure::Kind::not_connected:
      text += ": not connected";
      break;
    case Failure::Kind::timeout:
      text += ": no answer within " + std::to_string(options_.timeout_ms) + " ms";
      break;
    case Failure::Kind::transport:
      text += ": transport failure";
      break;
    case Failure::Kind::malformed:
      text += ": answer does not follow the contract";
      break;
  }
  // Redact before cutting, so no part of the token survives at the cut.
  if (!detail.empty()) text += ": " + truncated(without(std::string(detail), options_.token));
  return text;
}

void ClientCore::count_error(const Failure& failure) {
  std::lock_guard lock(counters_mutex_);
  ++counters_.errors_by_code[failure_key(failure)];
}

void ClientCore::count_error(const CallOutcome& outcome) {
  if (outcome.failure && !outcome.whole_request) count_error(*outcome.failure);
}

PlatformCounters ClientCore::counters() const {
  std::lock_guard lock(counters_mutex_);
  return counters_;
}

}  // namespace rosterd::adapters::platform
