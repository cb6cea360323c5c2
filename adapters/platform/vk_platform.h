#pragma once
// The platform client: mapping::Platform over the Sferum-like HTTP API (VK API conventions,
// docs/platform-client.md). One client per thread; clients of one token share a RequestCombiner,
// and through it a RateLimiter: their calls fill each other's requests.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "adapters/platform/rate_limiter.h"
#include "adapters/platform/request_combiner.h"
#include "mapping/ports.h"

namespace rosterd::adapters::platform {

struct PlatformOptions {
  std::string base_url;  // "http://127.0.0.1:8080": requests go to {base_url}/method/{name}
  std::string token;     // read from a file by the daemon; sent only in the Authorization header
  std::string api_version = "5.199";
  double requests_per_second = 3;  // used only when no limiter is passed in
  int timeout_ms = 10000;          // per HTTP request, connect to last byte
  int max_attempts = 5;            // per request, for refusals (6, 9, 29) and for reads
  int batch_size = 25;             // calls per execute, 1..25
  std::uint64_t jitter_seed = 0;   // 0 = random
  int backoff_initial_ms = 500;    // the first pause; doubles per attempt
  int backoff_max_ms = 8000;       // the longest pause
  // Asked before each retry: true gives up at once (a read throws PlatformUnavailable, a
  // write stays not_sent), so a daemon told to stop finishes only the request in flight.
  std::function<bool()> stop_requested;
};

// What the client did, for the benchmark and metrics. Never holds the token.
struct PlatformCounters {
  std::uint64_t http_requests = 0;
  std::uint64_t retries = 0;  // requests sent again after a backoff
  // Calls per method: a plain call counts once; an execute counts as "execute" and each call
  // inside it counts under its own method.
  std::map<std::string, std::uint64_t> calls_by_method;
  // Failures by key: the platform error code ("6", "935"), "http_503", "timeout",
  // "transport", "not_connected", "malformed". Errors inside an execute count too.
  std::map<std::string, std::uint64_t> errors_by_code;
};

class ClientCore;

class VkPlatform final : public mapping::Platform {
 public:
  // A null limiter gets one of the client's own at options.requests_per_second. Throws
  // std::invalid_argument for a bad option (empty base_url or token, batch_size out of 1..25,
  // max_attempts < 1, timeout_ms < 1).
  VkPlatform(PlatformOptions options, std::shared_ptr<RateLimiter> limiter);
  // Shares its requests with the other clients of this combiner (the same token and base_url).
  // A null combiner: one of its own.
  VkPlatform(PlatformOptions options, std::shared_ptr<RequestCombiner> combiner);
  ~VkPlatform() override;
  VkPlatform(const VkPlatform&) = delete;
  VkPlatform& operator=(const VkPlatform&) = delete;

  // Groups of up to batch_size writes, each in one request with what other clients of the
  // combiner wait to send: an execute, or a plain call when the request holds one call.
  // Throws PlatformAuthError (results of earlier groups are then lost to the caller, who finds
  // them again through its journal of intents).
  [[nodiscard]] std::vector<mapping::WriteResult> write(
      std::span<const mapping::PlatformWrite> writes) override;
  // Throws PlatformUnavailable or PlatformAuthError.
  [[nodiscard]] std::vector<mapping::PlatformChat> list_chats() override;
  // Empty when the chat is gone (927). Throws PlatformUnavailable or PlatformAuthError.
  [[nodiscard]] std::vector<mapping::PlatformMember> members(mapping::ChatId chat_id) override;
  // sferum.listChats scope=organisation, all pages. Throws like list_chats.
  [[nodiscard]] std::vector<mapping::PlatformChat> list_org_chats(
      const std::string& org_id) override;
  // getConversationMembers with count=1000, up to batch_size calls to an execute: N chats of
  // at most 1,000 members take ceil(N / batch_size) requests; the further pages of bigger chats
  // go in later executes. A chat gone (927) reads as exists=false. Throws PlatformUnavailable
  // (retries exhausted, an answer off the contract) or PlatformAuthError (token refused).
  [[nodiscard]] std::vector<mapping::ChatMembers> read_members(
      std::span<const mapping::ChatId> chats) override;
  // users.get, asked once and remembered. Throws like the other reads.
  [[nodiscard]] mapping::PlatformUserId self_id() override;

  // Thread-safe: metrics may read while a worker writes.
  [[nodiscard]] PlatformCounters counters() const;

 private:
  void write_group(std::span<const mapping::PlatformWrite> writes,
                   std::span<mapping::WriteResult> results);

  std::unique_ptr<ClientCore> core_;
  std::optional<mapping::PlatformUserId> self_id_;
};

}  // namespace rosterd::adapters::platform
