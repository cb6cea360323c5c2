#pragma once
// The simulated platform: chats, members, invite links and call statistics, behind one mutex.
// It knows nothing of HTTP; the front end (server.h) turns requests into calls on it.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace rosterd::sim {

// A call's parameters as strings, as they arrive in a form body.
using Params = std::map<std::string, std::string>;

inline constexpr std::int64_t peer_base = 2000000000;
inline constexpr std::size_t max_title_length = 128;  // Unicode code points

// One API call's outcome: a response, or a VK-style error.
struct CallOutcome {
  nlohmann::json response;
  int error_code = 0;  // 0: success
  std::string error_msg;
  bool changed = false;  // the call changed the platform's state (counts as a write)
  [[nodiscard]] bool ok() const noexcept { return error_code == 0; }
};

[[nodiscard]] CallOutcome error_outcome(int code, std::string msg);

// A state file (GET /sim/state's format) that cannot be loaded; what() names the key.
class StateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What POST /sim/edit answers: HTTP 200 {"ok": true}, 400 or 404 {"error": ...}.
struct EditOutcome {
  int status = 200;
  std::string error;
};

class SimulatedPlatform {
 public:
  // Starts from `initial` (GET /sim/state's format; null: empty). Throws StateError.
  SimulatedPlatform(std::int64_t owner_id, std::uint64_t seed,
                    const nlohmann::json& initial = nullptr);

  // Runs one method (not execute, which server.cpp unrolls into calls). Thread-safe.
  [[nodiscard]] CallOutcome call(const std::string& token, const std::string& method,
                                 const Params& params);

  // A call refused before it ran (a batch item whose parameters are no values), counted as one.
  [[nodiscard]] CallOutcome reject(const std::string& method, int code, std::string msg);

  // GET /sim/state and /sim/stats bodies.
  [[nodiscard]] nlohmann::json state() const;
  [[nodiscard]] nlohmann::json stats() const;
  // GET /sim/memberships: for each user id (as a string key), the ids of the live (not
  // archived) chats the user is a member of, ascending. A cheap probe for a benchmark that
  // waits for one person to show up in a region's worth of chats.
  [[nodiscard]] nlohmann::json memberships(const std::vector<std::int64_t>& user_ids) const;

  // A simulated person follows an invite link; the chat id, or nullopt for a dead link.
  // Names, when given, become the user's profile.
  [[nodiscard]] std::optional<std::int64_t> join(const std::string& link, std::int64_t user_id,
                                                 const std::string& first_name = {},
                                                 const std::string& last_name = {});
  // POST /sim/edit: what a person does in the app (edits.cpp).
  [[nodiscard]] EditOutcome edit(const nlohmann::json& body);
  // POST /sim/revoke: the token is refused (error 5) from now on.
  void revoke(const std::string& token);
  [[nodiscard]] bool revoked(const std::string& token) const;

  void count_request();
  void count_call(const std::string& method);
  void count_error(const std::string& code);
  void reset();

  // A digest of a token (16 hex digits): what the state keeps instead of the token itself.
  [[nodiscard]] static std::string token_digest(const std::string& token);

 private:
  enum class Role : std::uint8_t { member, admin };
  struct Member {
    std::int64_t user_id = 0;
    bool is_admin = false;
    bool is_owner = false;
    std::int64_t invited_by = 0;
    std::int64_t join_date = 0;
    bool joined_by_link = false;
  };
  struct Profile {
    std::string first_name;
    std::string last_name;
  };
  struct Chat {
    std::int64_t chat_id = 0;
    // A digest of the token that created it (never the token): listChats shows a token its
    // own chats. Empty: made outside the API (the platform, a teacher, a state file's chat
    // without it).
    std::string creator;
    std::string organisation_id;
    std::int64_t created_by = 0;  // the user who made it: the token's own user
    std::int64_t created_at = 0;  // Unix seconds, the platform's clock
    std::string title;
    bool archived = false;
    std::vector<Member> members;  // in joining order
    std::set<std::int64_t> left;  // users who left by themselves: only a link brings them back
    std::optional<std::string> member_link;
    std::optional<std::string> admin_link;
  };
  struct LinkTarget {
    std::int64_t chat_id = 0;
    Role role = Role::member;
  };
  using Handler = CallOutcome (SimulatedPlatform::*)(const std::string&, const Params&);

  [[nodiscard]] CallOutcome dispatch(const std::string& token, const std::string& method,
                                     const Params& params);
  CallOutcome create_chat(const std::string& token, const Params& params);
  CallOutcome edit_chat(const std::string& token, const Params& params);
  CallOutcome add_chat_user(const std::string& token, const Params& params);
  CallOutcome remove_chat_user(const std::string& token, const Params& params);
  CallOutcome get_conversation_members(const std::string& token, const Params& params);
  CallOutcome set_member_role(const std::string& token, const Params& params);
  CallOutcome get_invite_link(const std::string& token, const Params& params);
  CallOutcome archive_chat(const std::string& token, const Params& params);
  CallOutcome list_chats(const std::string& token, const Params& params);
  CallOutcome users_get(const std::string& token, const Params& params);

  // State files (state_io.cpp), under the mutex or before the platform is shared.
  void load(const nlohmann::json& state);
  [[nodiscard]] Chat load_chat(const nlohmann::json& value, const std::string& path);
  [[nodiscard]] nlohmann::json dump_state() const;
  // The /sim/edit actions (edits.cpp).
  EditOutcome edit_member(Chat& chat, const std::string& action, const nlohmann::json& body);
  [[nodiscard]] nlohmann::json profiles_of(const std::vector<const Member*>& members) const;

  [[nodiscard]] Chat* find_chat(std::int64_t chat_id);
  [[nodiscard]] Chat* find_peer(std::int64_t peer_id);
  [[nodiscard]] static Member* find_member(Chat& chat, std::int64_t user_id);
  Member& add_member(Chat& chat, std::int64_t user_id, bool is_admin,
                     std::int64_t invited_by = 0);
  [[nodiscard]] std::string new_link();
  void annul_link(std::optional<std::string>& link);

  static const std::map<std::string, Handler>& handlers();

  mutable std::mutex mutex_;
  const std::int64_t owner_id_;
  const std::uint64_t seed_;
  std::mt19937_64 link_rng_;
  std::map<std::int64_t, Chat> chats_;
  std::map<std::string, LinkTarget> live_links_;
  std::int64_t next_chat_id_ = 1;
  std::map<std::int64_t, Profile> users_;
  std::set<std::string> revoked_;  // token digests
  const nlohmann::json initial_;   // what /sim/reset goes back to

  std::int64_t requests_ = 0;
  std::int64_t writes_ = 0;
  // When the counts started (the start, or the last reset) and when the first and last API
  // request and the last write came: /sim/stats gives them in seconds since the counts started.
  std::chrono::steady_clock::time_point counting_since_ = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> first_request_, last_request_, last_write_;
  std::int64_t edits_ = 0;
  std::map<std::string, std::int64_t> by_method_;
  std::map<std::string, std::int64_t> errors_;
};

}  // namespace rosterd::sim
