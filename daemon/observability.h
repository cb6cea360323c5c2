#pragma once
// What the running daemon shows about itself: Prometheus metrics, a health check, a status
// page and the one-line systemd STATUS=. The scheduler (rosterd run) feeds an Observatory;
// the StatusServer serves it over HTTP. Thread-safe: workers record while the server reads.
// Nothing here ever holds a phone number, an e-mail or a token.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/sync.h"

namespace rosterd::daemon {

struct SchoolStatus {
  std::string id;
  std::string name;             // the organisation's name once a journal answer gave it
  std::optional<mapping::CycleResult> last_result;  // nullopt: never ran
  std::string last_run_at;      // ISO 8601 UTC
  std::string last_success_at;  // ISO 8601 UTC of the last ok/held cycle; empty: never
  double last_duration_s = 0;
  std::map<std::string, std::size_t> last_actions;  // action type name → count, last cycle
  std::size_t held = 0;                             // actions waiting for `rosterd approve`
  std::size_t consecutive_failures = 0;
  bool quarantined = false;
  std::string last_error;  // names files, records, requests; never contacts or tokens
  std::string next_run_at;  // ISO 8601 UTC
  // The school's chats as the last cycle that looked at the platform saw them (kept while
  // later cycles do not look: a failed one, one before the platform was read).
  std::optional<mapping::SchoolNumbers> numbers;
  // The last cycle's findings, the first `max_findings_kept` of them (messages: worded when
  // shown; filled by Observatory::school() only, for the school's page), and how many there
  // were.
  std::vector<mapping::Finding> findings;
  std::size_t findings_total = 0;
  // Why the school is held out of the schedule ("vanished" from the region's listing,
  // "distrusted": a listing that lost too many schools did not show it); empty: scheduled.
  std::string held_reason;
  // The daemon of the region that syncs it (docs/region.md); empty: not known yet.
  std::string owner;
};

// This daemon among the region's: its name and the live daemons, itself included, as its last
// heartbeat saw them.
struct RegionStatus {
  std::string self;
  std::vector<mapping::DaemonMember> members;
};
inline constexpr std::size_t max_findings_kept = 100;

// What a school's page shows from the state store, read when the page is asked for (the
// Observatory keeps only what the cycles reported).
struct SchoolDetail {
  std::vector<mapping::RunRecord> runs;  // the latest first
  std::vector<mapping::Action> held;     // waiting for `rosterd approve`
  std::optional<mapping::SchoolNumbers> numbers;
  std::string error;  // the store could not be read: why (names no secret)
};

// What `POST /schools/<id>/retry` did.
enum class RetryAnswer : std::uint8_t {
  queued,          // the school runs as soon as a worker is free
  running,         // its cycle is running now: nothing to do
  unknown_school,  // no configured school has this id
  unavailable,     // the daemon did not answer (it is stopping)
};
[[nodiscard]] std::string_view name(RetryAnswer answer) noexcept;

// What the status server asks of the daemon that runs it (each may be empty: a server in a
// test, or without a store). Called on the HTTP threads: each must be thread-safe.
struct StatusHooks {
  std::function<SchoolDetail(const std::string& school_id)> school_detail;
  std::function<RetryAnswer(const std::string& school_id)> retry;
  std::string config_file;  // the daemon's config, as the approve commands on the page name it
};

// One finished cycle of one school, as the scheduler reports it.
struct CycleReport {
  std::string school_id;
  std::string org_name;
  const SyncResult* result = nullptr;
  double duration_s = 0;
  std::string finished_at;  // ISO 8601 UTC
  double finished_unix = 0; // seconds since the epoch, for rosterd_last_success_timestamp
  std::size_t consecutive_failures = 0;
  bool quarantined = false;
  std::string next_run_at;
};

class Observatory {
 public:
  Observatory();
  ~Observatory();

  // The configured schools, on start and on every reload (schools no longer configured go).
  void set_schools(const std::vector<std::string>& school_ids);
  // The schools held out of the schedule (discovery.h), id → reason; the others are not held.
  // Each must be among set_schools' ids to be shown.
  void set_held(const std::map<std::string, std::string>& held);
  void record_cycle(const CycleReport& report);
  // Platform calls and errors since the last call (deltas), from the platform clients.
  void add_platform_calls(const std::map<std::string, std::uint64_t>& calls_by_method,
                          const std::map<std::string, std::uint64_t>& errors_by_code);
  void set_reload_result(bool ok, const std::string& when, const std::string& error);
  // The region as the last heartbeat saw it, and each school's owner (school → daemon name).
  void set_region(RegionStatus region, const std::map<std::string, std::string>& owners);

  [[nodiscard]] std::vector<SchoolStatus> schools() const;
  [[nodiscard]] std::optional<SchoolStatus> school(const std::string& id) const;
  // Prometheus text exposition format 0.0.4.
  [[nodiscard]] std::string prometheus_text() const;
  // A self-contained HTML page (no external assets) readable on a phone: every school, or
  // those whose id or name holds `query` (the page's filter, `?q=`).
  [[nodiscard]] std::string status_html(std::string_view query = {}) const;
  // The page of one school (nullopt: not configured), with what the store holds.
  [[nodiscard]] std::optional<std::string> school_html(const std::string& id,
                                                       const StatusHooks& hooks) const;
  // "3 schools, last cycle 12:00:05Z, 1 failing, 4 held" for sd_notify STATUS=.
  [[nodiscard]] std::string status_line() const;

 private:
  struct State;
  mutable std::mutex mutex_;
  std::unique_ptr<State> state_;
};

// Whether a peer's address (as the server saw it: "127.0.0.1", "::1", "::ffff:127.0.0.1") is
// this machine's loopback.
[[nodiscard]] bool is_loopback_address(std::string_view address) noexcept;

// /metrics, /healthz, / (the status page, `?q=` filters), /school/<id> and, from loopback
// peers only, POST /schools/<id>/retry, on address:port; port 0 picks a free one.
class StatusServer {
 public:
  StatusServer(const Observatory& observatory, const std::string& address, int port,
               StatusHooks hooks = {});
  ~StatusServer();  // stops serving
  StatusServer(const StatusServer&) = delete;
  StatusServer& operator=(const StatusServer&) = delete;
  [[nodiscard]] int port() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rosterd::daemon
