#include "adapters/platform/vk_platform.h"

#include <algorithm>

#include "adapters/platform/client_core.h"

namespace rosterd::adapters::platform {
namespace {

using mapping::PlatformWrite;
using mapping::WriteResult;
using mapping::WriteStatus;
using nlohmann::json;

WriteResult result_with(WriteStatus status, const Failure& failure, std::string message) {
  WriteResult result;
  result.status = status;
  result.error_code = failure.code;
  result.message = std::move(message);
  return result;
}

// The per-call outcome of one failed call. Returns true when the call should go again.
bool settle_failed(ClientCore& core, const PlatformWrite& write, const Call& call,
                   const Failure& failure, std::string_view detail, WriteResult& result) {
  std::string message = core.describe(call.method, failure, detail);
  switch (classify(failure, op_of(write.type))) {
    case Next::retry:
      // Refused, nothing done: goes again; not_sent stands if the attempts run out.
      result = result_with(WriteStatus::not_sent, failure, std::move(message));
      return true;
    case Next::done:
      // Already so (935 on removal or demotion): the state we wanted holds.
      result = result_with(WriteStatus::done, failure, std::move(message));
      return false;
    case Next::rejected:
      // Refused as asked: the daemon records it and does not repeat it.
      result = result_with(WriteStatus::rejected, failure, std::move(message));
      return false;
    case Next::stop:
      // The token is refused: nothing more for this school.
      throw mapping::PlatformAuthError(failure.code, message);
    case Next::unknown:
    case Next::empty:
    case Next::give_up:
      // The write may have happened: never repeated here, the daemon looks first.
      result = result_with(WriteStatus::unknown, failure, std::move(message));
      return false;
  }
  return false;
}

// The verdict on a call whose request failed as a whole (on the way, or refused before any
// call ran): the same for every call in it. Returns true when the call should go again.
bool settle_whole_request(ClientCore& core, const CallOutcome& outcome, WriteResult& result) {
  const Failure& failure = *outcome.failure;
  std::string message = core.describe(outcome.method, failure, outcome.detail);
  switch (classify(failure, Op::execute)) {
    case Next::retry:
      // Refused before any call ran (6, 9, 29): the call goes again.
      result = result_with(WriteStatus::not_sent, failure, std::move(message));
      return true;
    case Next::stop:
      // The token is refused: nothing more for this school.
      throw mapping::PlatformAuthError(failure.code, message);
    case Next::rejected:
      // The platform would not run this request at all (12, 13, 100, HTTP 4xx): none ran.
      result = result_with(WriteStatus::rejected, failure, std::move(message));
      return false;
    case Next::done:
    case Next::unknown:
    case Next::empty:
    case Next::give_up:
      // 10, HTTP 5xx, timeout, a garbled answer: any call in it may have run. None is repeated
      // blind.
      result = result_with(WriteStatus::unknown, failure, std::move(message));
      return false;
  }
  return false;
}

// Sends these writes (in requests shared with other clients of the token) and fills their
// results, each from its own call's outcome. Returns the positions that should go again.
std::vector<std::size_t> send_batch(ClientCore& core, std::span<const PlatformWrite> writes,
                                    std::span<WriteResult> results) {
  std::vector<Call> calls;
  for (const PlatformWrite& write : writes) calls.push_back(*call_for(write));
  const std::vector<CallOutcome> outcomes = core.exchange(calls);
  std::vector<std::size_t> again;
  for (std::size_t k = 0; k < calls.size(); ++k) {
    const CallOutcome& outcome = outcomes[k];
    if (outcome.ok()) {
      results[k] = result_of_success(writes[k], outcome.response);
      continue;
    }
    core.count_error(outcome);
    const bool go_again =
        outcome.whole_request
            ? settle_whole_request(core, outcome, results[k])
            : settle_failed(core, writes[k], calls[k], *outcome.failure, outcome.detail, results[k]);
    if (go_again) again.push_back(k);
  }
  return again;
}

}  // namespace

VkPlatform::VkPlatform(PlatformOptions options, std::shared_ptr<RateLimiter> limiter)
    : core_(std::make_unique<ClientCore>(std::move(options), nullptr, std::move(limiter))) {}

VkPlatform::VkPlatform(PlatformOptions options, std::shared_ptr<RequestCombiner> combiner)
    : core_(std::make_unique<ClientCore>(std::move(options), std::move(combiner), nullptr)) {}

VkPlatform::~VkPlatform() = default;

PlatformCounters VkPlatform::counters() const {
  return core_->counters();
}

std::vector<WriteResult> VkPlatform::write(std::span<const PlatformWrite> writes) {
  std::vector<WriteResult> results(writes.size());
  const auto group = static_cast<std::size_t>(core_->options().batch_size);
  for (std::size_t first = 0; first < writes.size(); first += group) {
    const std::size_t count = std::min(group, writes.size() - first);
    write_group(writes.subspan(first, count), std::span(results).subspan(first, count));
  }
  return results;
}

// One group of at most batch_size writes; its refused calls go again after a backoff, up to
// max_attempts requests, and keep not_sent when the attempts run out.
void VkPlatform::write_group(std::span<const PlatformWrite> writes,
                             std::span<WriteResult> results) {
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < writes.size(); ++i) {
    if (call_for(writes[i])) {
      pending.push_back(i);
    } else {
      // A daemon bug, not a platform answer: nothing to send.
      results[i].status = WriteStatus::rejected;
      results[i].message = "write without a chat id";
    }
  }
  for (int attempt = 1; !pending.empty(); ++attempt) {
    std::vector<PlatformWrite> batch;
    for (std::size_t i : pending) batch.push_back(writes[i]);
    std::vector<WriteResult> batch_results(pending.size());
    const std::vector<std::size_t> again = send_batch(*core_, batch, batch_results);
    std::vector<std::size_t> next_pending;
    for (std::size_t k = 0; k < pending.size(); ++k) results[pending[k]] = batch_results[k];
    for (std::size_t k : again) next_pending.push_back(pending[k]);
    pending = std::move(next_pending);
    if (pending.empty() || attempt >= core_->options().max_attempts || !core_->may_retry()) return;
    core_->pause_before_retry(attempt);
  }
}

}  // namespace rosterd::adapters::platform
