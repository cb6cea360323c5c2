#pragma once
// One token's requests, filled from every client that uses it. The platform counts requests,
// not calls: an execute of 25 calls costs one send slot, like a plain call. A school's write
// phases end in part-filled groups (nine calls, three calls), and a region's workers each send
// their own; sent alone, those part-filled requests set the pace of an initial sync at
// several times the floor of writes / 25 / rps. Clients of one token share one combiner, and
// whoever sends next fills the request with what the others are waiting to send.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/platform/rate_limiter.h"
#include "adapters/platform/retry_policy.h"

namespace rosterd::adapters::platform {

struct Call;
struct Answer;

// What one call got: its response, its own error, or the failure of the request it was in.
struct CallOutcome {
  nlohmann::json response;  // when it succeeded
  std::optional<Failure> failure;
  // The failure is the request's (lost on the way, refused as a whole, an answer that cannot
  // be told apart): every call in that request got it, and it is counted once, by the sender.
  bool whole_request = false;
  std::string method;  // the method to name in a message: the call's, or "execute"
  std::string detail;  // the platform's error_msg or what was wrong (redact before showing)

  [[nodiscard]] bool ok() const noexcept { return !failure; }
};

// Thread-safe. Calls are taken first come first served, up to `max_calls` a request: a
// submission (the calls of one write group, one read) that does not fit whole goes in part,
// and its other calls lead the next request. Every call of a submission is independent of the
// others (a write phase's calls are), so their order across requests does not matter.
class RequestCombiner {
 public:
  // Sends one request with these calls (a plain call for one, an execute for more). Returns
  // either `failure` (the request failed as a whole) or a response array with one item per
  // call, a call's own error being a `false` item with its execute_errors entry. Runs on the
  // thread of the submitter that formed the request.
  using Send = std::function<Answer(std::span<const Call>)>;

  // Throws std::invalid_argument for a null limiter or max_calls outside 1..25.
  RequestCombiner(std::shared_ptr<RateLimiter> limiter, std::size_t max_calls);
  RequestCombiner(const RequestCombiner&) = delete;
  RequestCombiner& operator=(const RequestCombiner&) = delete;

  // Blocks until every one of these calls was answered; one outcome per call, in order. One
  // send slot of the limiter is taken per request. Rethrows what the limiter or `send` threw
  // (after every part already sent has come back).
  [[nodiscard]] std::vector<CallOutcome> submit(std::span<const Call> calls, const Send& send);

  // Submissions with calls not yet taken into a request.
  [[nodiscard]] std::size_t waiting() const;
  [[nodiscard]] RateLimiter& limiter() const noexcept { return *limiter_; }
  [[nodiscard]] std::size_t max_calls() const noexcept { return max_calls_; }

 private:
  struct Waiting;
  struct Piece {
    Waiting* owner = nullptr;
    std::size_t first = 0;  // into the owner's calls
    std::size_t count = 0;
  };

  std::vector<Piece> take_locked();
  static void send_pieces(const std::vector<Piece>& pieces, const Send& send);

  const std::shared_ptr<RateLimiter> limiter_;
  const std::size_t max_calls_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Waiting*> queue_;  // with calls not yet taken, oldest first
  bool forming_ = false;        // someone holds the lead: waits for a slot, then takes calls
};

}  // namespace rosterd::adapters::platform
