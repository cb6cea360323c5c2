#pragma once
// The platform client's plumbing under VkPlatform: requests through the token's combiner (one
// send slot of the rate limiter each), answers parsed, counters kept, reads retried by the retry
// policy. Internal.

#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>

#include "adapters/platform/curl_session.h"
#include "adapters/platform/request_combiner.h"
#include "adapters/platform/vk_platform.h"
#include "adapters/platform/vk_wire.h"

namespace rosterd::adapters::platform {

class ClientCore {
 public:
  // A null combiner gets one of the client's own, over `limiter` (when null, one of its own at
  // options.requests_per_second).
  ClientCore(PlatformOptions options, std::shared_ptr<RequestCombiner> combiner,
             std::shared_ptr<RateLimiter> limiter);

  [[nodiscard]] const PlatformOptions& options() const noexcept { return options_; }

  // These calls, in requests shared with the other clients of the token's combiner; counted,
  // never retried. One outcome per call, in order.
  [[nodiscard]] std::vector<CallOutcome> exchange(std::span<const Call> calls);

  // A read with the retry policy: the response, or nullopt when the policy says `empty`.
  // Throws PlatformUnavailable or PlatformAuthError.
  [[nodiscard]] std::optional<nlohmann::json> read(const Call& call, Op op);

  // False once the owner asked to stop: no request is sent again after that.
  [[nodiscard]] bool may_retry() const {
    return !options_.stop_requested || !options_.stop_requested();
  }
  // Sleeps the backoff before attempt `attempt + 1`, on the limiter's clock; counts a retry.
  void pause_before_retry(int attempt);

  // "messages.editChat: error 927: chat does not exist" — the token never appears.
  [[nodiscard]] std::string describe(std::string_view method, const Failure& failure,
                                     std::string_view detail) const;
  void count_error(const Failure& failure);
  // Counts a call's own failure; a whole request's was counted by the client that sent it.
  void count_error(const CallOutcome& outcome);

  [[nodiscard]] PlatformCounters counters() const;

 private:
  // One HTTP request for these calls, sent by whichever client formed it (RequestCombiner::Send).
  [[nodiscard]] Answer request(std::span<const Call> calls);
  [[nodiscard]] Answer post(const std::string& method, const std::string& body);

  PlatformOptions options_;
  std::shared_ptr<RequestCombiner> combiner_;
  CurlSession session_;
  std::mt19937_64 jitter_;
  mutable std::mutex counters_mutex_;
  PlatformCounters counters_;
};

}  // namespace rosterd::adapters::platform
