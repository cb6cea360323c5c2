#pragma once
// The platform client's plumbing under VkPlatform: one HTTP request at a time through the rate
// limiter, answers parsed, counters kept, reads retried by the retry policy. Internal.

#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>

#include "adapters/platform/curl_session.h"
#include "adapters/platform/vk_platform.h"
#include "adapters/platform/vk_wire.h"

namespace rosterd::adapters::platform {

class ClientCore {
 public:
  ClientCore(PlatformOptions options, std::shared_ptr<RateLimiter> limiter);

  [[nodiscard]] const PlatformOptions& options() const noexcept { return options_; }

  // One HTTP request; counted, never retried. A failed answer carries its failure.
  [[nodiscard]] Answer send(const Call& call);
  [[nodiscard]] Answer send_execute(std::span<const Call> calls);

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

  [[nodiscard]] PlatformCounters counters() const;

 private:
  [[nodiscard]] Answer post(const std::string& method, const std::string& body);

  PlatformOptions options_;
  std::shared_ptr<RateLimiter> limiter_;
  CurlSession session_;
  std::mt19937_64 jitter_;
  mutable std::mutex counters_mutex_;
  PlatformCounters counters_;
};

}  // namespace rosterd::adapters::platform
