#include "adapters/platform/request_combiner.h"

#include <algorithm>
#include <stdexcept>

#include "adapters/platform/vk_wire.h"

namespace rosterd::adapters::platform {

struct RequestCombiner::Waiting {
  std::span<const Call> calls;
  std::size_t next = 0;         // calls before this one are taken into requests
  std::size_t on_the_wire = 0;  // pieces taken and not yet answered
  std::vector<CallOutcome> outcomes;
  std::exception_ptr error;

  [[nodiscard]] bool all_taken() const noexcept { return next == calls.size(); }
  [[nodiscard]] bool answered() const noexcept { return all_taken() && on_the_wire == 0; }
};

RequestCombiner::RequestCombiner(std::shared_ptr<RateLimiter> limiter, std::size_t max_calls)
    : limiter_(std::move(limiter)), max_calls_(max_calls) {
  if (!limiter_) throw std::invalid_argument("request combiner: no rate limiter");
  if (max_calls_ < 1 || max_calls_ > 25) {
    throw std::invalid_argument("request combiner: max_calls must be 1..25");
  }
}

std::vector<CallOutcome> RequestCombiner::submit(std::span<const Call> calls, const Send& send) {
  if (calls.empty()) return {};
  Waiting me;
  me.calls = calls;
  me.outcomes.resize(calls.size());
  std::unique_lock lock(mutex_);
  queue_.push_back(&me);
  while (!me.answered()) {
    // Someone else forms the next request, or all of ours are on the wire: wait.
    if (me.all_taken() || forming_) {
      changed_.wait(lock);
      continue;
    }
    // Lead: wait for a send slot; what queues meanwhile goes in the same request.
    forming_ = true;
    lock.unlock();
    try {
      limiter_->acquire();
    } catch (...) {
      // Nothing more of ours is sent; what is on the wire must come back before we leave.
      lock.lock();
      forming_ = false;
      std::erase(queue_, &me);
      changed_.notify_all();
      changed_.wait(lock, [&] { return me.on_the_wire == 0; });
      throw;
    }
    lock.lock();
    const std::vector<Piece> pieces = take_locked();  // not empty: ours were waiting
    forming_ = false;
    changed_.notify_all();  // the next request may be formed while this one is on the wire
    lock.unlock();
    send_pieces(pieces, send);
    lock.lock();
    for (const Piece& piece : pieces) --piece.owner->on_the_wire;
    changed_.notify_all();
  }
  if (me.error) std::rethrow_exception(me.error);
  return std::move(me.outcomes);
}

std::size_t RequestCombiner::waiting() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::vector<RequestCombiner::Piece> RequestCombiner::take_locked() {
  std::vector<Piece> pieces;
  std::size_t room = max_calls_;
  while (room > 0 && !queue_.empty()) {
    Waiting* w = queue_.front();
    const std::size_t count = std::min(room, w->calls.size() - w->next);
    pieces.push_back({w, w->next, count});
    w->next += count;
    ++w->on_the_wire;
    room -= count;
    if (w->all_taken()) queue_.pop_front();
  }
  return pieces;
}

// Sends the pieces' calls as one request and gives each call its outcome.
void RequestCombiner::send_pieces(const std::vector<Piece>& pieces, const Send& send) {
  std::vector<Call> calls;
  for (const Piece& p : pieces) {
    const auto part = p.owner->calls.subspan(p.first, p.count);
    calls.insert(calls.end(), part.begin(), part.end());
  }
  Answer answer;
  try {
    answer = send(calls);
  } catch (...) {
    for (const Piece& p : pieces) p.owner->error = std::current_exception();
    return;
  }
  if (!answer.failure && (!answer.response.is_array() || answer.response.size() != calls.size())) {
    answer.failure = Failure{Failure::Kind::malformed, 0};  // Send broke its contract
    answer.error_msg = "answer does not match the calls";
  }
  std::size_t at = 0;
  std::size_t next_error = 0;  // execute_errors entries go to the `false`s in order
  for (const Piece& p : pieces) {
    for (std::size_t k = p.first; k < p.first + p.count; ++k, ++at) {
      CallOutcome& out = p.owner->outcomes[k];
      if (answer.failure) {
        out.failure = answer.failure;
        out.whole_request = true;
        out.method = answer.method;
        out.detail = answer.error_msg;
        continue;
      }
      out.method = calls[at].method;
      if (answer.response[at] != nlohmann::json(false)) {
        out.response = answer.response[at];
        continue;
      }
      out.failure = execute_failure(answer, next_error, calls[at].method, out.detail);
    }
  }
}

}  // namespace rosterd::adapters::platform
