#include "adapters/platform/retry_policy.h"

#include <algorithm>

namespace rosterd::adapters::platform {
namespace {

using Kind = Failure::Kind;

// Platform error codes of the contract (docs/platform-client.md).
constexpr int auth_failed = 5;
constexpr int too_many_per_second = 6;
constexpr int flood_control = 9;
constexpr int internal_error = 10;
constexpr int code_not_parseable = 12;
constexpr int too_many_calls = 13;
constexpr int access_denied = 15;
constexpr int rate_limit_reached = 29;
constexpr int bad_parameter = 100;
constexpr int no_access_to_chat = 917;
constexpr int chat_does_not_exist = 927;
constexpr int user_not_in_chat = 935;
constexpr int contact_not_found = 936;

// A platform error that is not a refusal, a server fault or an auth failure: its meaning
// depends on what was asked.
Next classify_platform_answer(int code, Op op) noexcept {
  const bool read = is_read(op);
  switch (code) {
    case chat_does_not_exist:
      // A gone chat has no members; the caller learns it is gone from list_chats.
      if (op == Op::members) return Next::empty;
      // The chat is gone: nothing to do to it, and repeating will not bring it back.
      return read ? Next::give_up : Next::rejected;
    case user_not_in_chat:
      // Removing or demoting someone who is not there: the state we wanted already holds.
      if (op == Op::remove_member || op == Op::unset_admin) return Next::done;
      // Promoting someone who is not in the chat: refused as asked; the daemon adds first.
      return read ? Next::give_up : Next::rejected;
    case bad_parameter:       // our request is wrong; the same request stays wrong
    case no_access_to_chat:   // archived or not ours: the platform will keep refusing
    case contact_not_found:   // the person is not on the platform: the input must change
    case code_not_parseable:  // our execute code is wrong: nothing ran, and nothing will
    case too_many_calls:      // our batch is too big: nothing ran, and nothing will
      return read ? Next::give_up : Next::rejected;
    default:
      // A code the contract does not define: a read cannot trust an answer it does not know,
      // and a write may or may not have happened, so the daemon must look before repeating.
      return read ? Next::give_up : Next::unknown;
  }
}

}  // namespace

Op op_of(mapping::ActionType type) noexcept {
  using mapping::ActionType;
  switch (type) {
    case ActionType::create_chat:
      return Op::create_chat;
    case ActionType::rename_chat:
      return Op::rename_chat;
    case ActionType::archive_chat:
      return Op::archive_chat;
    case ActionType::add_member:
      return Op::add_member;
    case ActionType::remove_member:
      return Op::remove_member;
    case ActionType::set_admin:
      return Op::set_admin;
    case ActionType::unset_admin:
      return Op::unset_admin;
    case ActionType::issue_invite:
      return Op::issue_invite;
    case ActionType::annul_invite:
      return Op::annul_invite;
    case ActionType::adopt_chat:  // never sent
      break;
  }
  return Op::execute;
}

bool is_read(Op op) noexcept {
  return op == Op::list_chats || op == Op::members || op == Op::users;
}

std::string_view name(Next next) noexcept {
  switch (next) {
    case Next::retry:
      return "retry";
    case Next::done:
      return "done";
    case Next::rejected:
      return "rejected";
    case Next::unknown:
      return "unknown";
    case Next::empty:
      return "empty";
    case Next::give_up:
      return "give_up";
    case Next::stop:
      return "stop";
  }
  return "?";
}

Next classify(const Failure& failure, Op op) noexcept {
  const bool read = is_read(op);
  switch (failure.kind) {
    case Kind::not_connected:
      // Nothing left this host, so nothing was done: safe to send again, reads and writes alike.
      return Next::retry;
    case Kind::timeout:
    case Kind::transport:
    case Kind::malformed:
      // The request may have run (a timeout after the change, a lost or garbled answer): a read
      // is harmless to repeat; a write must not be repeated blind, the daemon looks first.
      return read ? Next::retry : Next::unknown;
    case Kind::http_status:
      // 429 is a refusal like 6: nothing done, come back later.
      if (failure.code == 429) return Next::retry;
      // A server fault: the request may have run. Reads repeat; writes are looked at first.
      if (failure.code >= 500) return read ? Next::retry : Next::unknown;
      // Any other status: the server did not run the method and will not for this request.
      return read ? Next::give_up : Next::rejected;
    case Kind::platform_error:
      break;
  }
  switch (failure.code) {
    case too_many_per_second:
    case flood_control:
    case rate_limit_reached:
      // Refused before anything was done: the same request after a pause is safe and useful.
      return Next::retry;
    case internal_error:
      // The platform failed inside the method: a read repeats; a write may have happened.
      return read ? Next::retry : Next::unknown;
    case auth_failed:
      // The token is refused (revoked, expired): every further request would be too.
      return Next::stop;
    case access_denied:
      // On a write, the platform refuses that write (a member who left by themselves cannot be
      // added back; the owner cannot be removed or demoted): the others go on. On a read, the
      // token cannot see what the school needs: stop and report.
      return read ? Next::stop : Next::rejected;
    default:
      return classify_platform_answer(failure.code, op);
  }
}

std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds initial,
                                        std::chrono::milliseconds cap, std::mt19937_64& rng) {
  std::int64_t delay = std::max<std::int64_t>(initial.count(), 1);
  for (int i = 1; i < attempt && delay < cap.count(); ++i) delay *= 2;
  delay = std::min<std::int64_t>(delay, std::max<std::int64_t>(cap.count(), 1));
  std::uniform_int_distribution<std::int64_t> jitter(delay / 2, delay);
  return std::chrono::milliseconds(jitter(rng));
}

std::string failure_key(const Failure& failure) {
  switch (failure.kind) {
    case Kind::platform_error:
      return std::to_string(failure.code);
    case Kind::http_status:
      return "http_" + std::to_string(failure.code);
    case Kind::not_connected:
      return "not_connected";
    case Kind::timeout:
      return "timeout";
    case Kind::transport:
      return "transport";
    case Kind::malformed:
      return "malformed";
  }
  return "?";
}

}  // namespace rosterd::adapters::platform
