#pragma once
// The platform client's retry policy, in one place: every failure is classified by what the
// sync does next (docs/platform-client.md has the table with its reasons).

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include "mapping/plan.h"

namespace rosterd::adapters::platform {

// What went wrong with one request, or with one call inside an execute.
struct Failure {
  enum class Kind : std::uint8_t {
    platform_error,  // {"error": {"error_code": code}} or an execute_errors entry
    http_status,     // HTTP status other than 200 (code)
    not_connected,   // could not resolve or connect: the request never left this host
    timeout,         // no full answer within timeout_ms: the request may have run
    transport,       // reset, broken answer, ... after the request may have gone out
    malformed,       // HTTP 200 whose body is not the contract's answer
  };
  Kind kind = Kind::platform_error;
  int code = 0;  // the platform error code or the HTTP status; 0 otherwise
};

// What was asked: a read, a whole execute request, or one write call (plain or inside execute).
enum class Op : std::uint8_t {
  list_chats,  // sferum.listChats, the token's own or the organisation's
  members,     // messages.getConversationMembers, plain or batched
  users,       // users.get: the token's own user
  execute,
  create_chat,
  rename_chat,
  archive_chat,
  add_member,
  remove_member,
  set_admin,
  unset_admin,
  issue_invite,
  annul_invite,
};
[[nodiscard]] Op op_of(mapping::ActionType type) noexcept;
[[nodiscard]] bool is_read(Op op) noexcept;

enum class Next : std::uint8_t {
  retry,     // the same request again after backoff; when attempts run out a write is not_sent
             // and a read throws PlatformUnavailable
  done,      // write: made, or already so
  rejected,  // write: refused as asked; repeating will not help
  unknown,   // write: the outcome is not known; never repeated here, the daemon looks first
  empty,     // read: the chat is gone, so it has no members
  give_up,   // read: no retry will mend it; PlatformUnavailable now
  stop,      // the token is refused: PlatformAuthError, for reads and writes alike
};
[[nodiscard]] std::string_view name(Next next) noexcept;

[[nodiscard]] Next classify(const Failure& failure, Op op) noexcept;

// The pause before attempt `attempt + 1` (attempt counts from 1): initial * 2^(attempt-1),
// capped, then jittered into [d/2, d] so that clients refused together do not return together.
[[nodiscard]] std::chrono::milliseconds backoff_delay(int attempt,
                                                      std::chrono::milliseconds initial,
                                                      std::chrono::milliseconds cap,
                                                      std::mt19937_64& rng);

// "error 935", "HTTP 503", "timeout", for counters and messages.
[[nodiscard]] std::string failure_key(const Failure& failure);

}  // namespace rosterd::adapters::platform
