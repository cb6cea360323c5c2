#include "daemon/observability.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <ctime>
#include <set>
#include <utility>

#include "daemon/status_page.h"
#include "mapping/message.h"
#include "mapping/plan.h"
#include "mapping/text.h"

namespace rosterd::daemon {

using mapping::ActionType;
using mapping::CycleResult;

namespace {

// Upper bounds of rosterd_cycle_duration_seconds, in seconds: a quiet cycle of a small
// school takes well under a second, a first sync of a large one minutes (rate limits).
constexpr std::array<double, 12> duration_buckets = {0.1, 0.25, 0.5, 1,   2.5, 5,
                                                     10,  30,   60,  120, 300, 600};

struct Histogram {
  std::array<std::uint64_t, duration_buckets.size()> buckets{};  // not cumulative
  std::uint64_t count = 0;
  double sum = 0;
  void observe(double v) {
    ++count;
    sum += v;
    for (std::size_t i = 0; i < duration_buckets.size(); ++i) {
      if (v <= duration_buckets[i]) {
        ++buckets[i];
        return;
      }
    }
  }
};

bool is_failing(std::optional<CycleResult> result) {
  return result == CycleResult::failed || result == CycleResult::source_failure;
}

// A partial cycle is no success: rosterd_last_success_timestamp_seconds ages while writes
// keep failing, so an alert on it sees a school whose plan is not being made real.
bool is_success(CycleResult result) {
  return result == CycleResult::ok || result == CycleResult::held ||
         result == CycleResult::unchanged;
}

std::string format_number(double v) {
  std::array<char, 64> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  if (ec != std::errc{}) return "NaN";
  return {buf.data(), end};
}

// Label values: backslash, double quote and line feed are escaped (text format 0.0.4).
std::string escape_label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (const char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

class Exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void sample(std::string_view name, const Labels& labels, std::string_view value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i) out_ += ',';
        out_ += labels[i].first;
        out_ += "=\"";
        out_ += escape_label(labels[i].second);
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ';
    out_ += value;
    out_ += '\n';
  }
  void sample(std::string_view name, const Labels& labels, std::uint64_t value) {
    sample(name, labels, std::to_string(value));
  }
  [[nodiscard]] std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string now_iso() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return {buf.data(), n};
}

// "2026-11-20T12:00:05Z" → "12:00:05Z"; anything else as it is.
std::string time_of_day(const std::string& iso) {
  const auto t = iso.find('T');
  return t == std::string::npos ? iso : iso.substr(t + 1);
}

}  // namespace

struct Observatory::State {
  struct School {
    SchoolStatus status;
    std::map<std::string, std::uint64_t> cycles;  // by result
    double last_success_unix = 0;                 // 0: never
    // The last cycle's findings: kept apart from the status, which the main page copies for
    // every school on every request; only the school's own page reads them.
    std::vector<mapping::Finding> findings;
  };
  std::map<std::string, School> schools;
  std::map<std::string, Histogram> durations;  // by result
  std::array<std::uint64_t, mapping::action_type_count> applied{};
  std::map<std::string, std::uint64_t> writes;  // by outcome
  std::map<std::string, std::uint64_t> calls;   // by method
  std::map<std::string, std::uint64_t> errors;  // by code
  std::uint64_t chats_read = 0;
  bool reload_ok = true;
  std::string reload_at;
  std::string reload_error;
  RegionStatus region;

  void count_applied(const SyncResult& r);
  void count_writes(const WriteCounts& w);
  void write_cycles(Exposition& e) const;
  void write_writes_and_calls(Exposition& e) const;
  void write_school_gauges(Exposition& e) const;
  void write_chat_gauges(Exposition& e) const;
};

// Writes done by action type, as the cycle counted them.
void Observatory::State::count_applied(const SyncResult& r) {
  for (std::size_t i = 0; i < mapping::action_type_count; ++i) {
    applied[i] += r.writes.by_type[i].done;
  }
}

void Observatory::State::count_writes(const WriteCounts& counts) {
  const auto w = counts.total();
  writes["done"] += w.done;
  writes["rejected"] += w.rejected;
  writes["unknown"] += w.unknown;
  writes["not_sent"] += w.not_sent;
}

Observatory::Observatory() : state_(std::make_unique<State>()) {}
Observatory::~Observatory() = default;

void Observatory::set_schools(const std::vector<std::string>& school_ids) {
  const std::set<std::string> keep(school_ids.begin(), school_ids.end());
  const std::lock_guard lock(mutex_);
  std::erase_if(state_->schools, [&](const auto& kv) { return !keep.contains(kv.first); });
  for (const auto& id : keep) {
    auto& school = state_->schools[id];
    school.status.id = id;
  }
}

void Observatory::set_held(const std::map<std::string, std::string>& held) {
  const std::lock_guard lock(mutex_);
  for (auto& [id, school] : state_->schools) {
    const auto it = held.find(id);
    school.status.held_reason = it == held.end() ? std::string() : it->second;
  }
}

void Observatory::set_region(RegionStatus region,
                             const std::map<std::string, std::string>& owners) {
  const std::lock_guard lock(mutex_);
  state_->region = std::move(region);
  for (auto& [id, school] : state_->schools) {
    const auto it = owners.find(id);
    school.status.owner = it == owners.end() ? std::string{} : it->second;
  }
}

void Observatory::record_cycle(const CycleReport& report) {
  static const SyncResult no_result{{}, CycleResult::failed, "the cycle ended without a result",
                                    {}, {}, {}};
  const SyncResult& r = report.result ? *report.result : no_result;
  const auto summary = mapping::summarize(r.plan);

  const std::lock_guard lock(mutex_);
  // A report of a school dropped by a reload while its cycle ran is not shown any more.
  const auto it = state_->schools.find(report.school_id);
  if (it == state_->schools.end()) return;
  auto& school = it->second;
  auto& s = school.status;
  if (!report.org_name.empty()) s.name = mapping::clean_text(report.org_name);
  s.last_result = r.result;
  s.last_run_at = report.finished_at;
  s.last_duration_s = report.duration_s;
  s.last_actions.clear();
  for (std::size_t i = 0; i < mapping::action_type_count; ++i) {
    const std::size_t n = summary.actions[i] - summary.held[i];
    if (n) s.last_actions[std::string(mapping::name(static_cast<ActionType>(i)))] = n;
  }
  // A cycle that failed before it planned says nothing about what waits for approval, nor one
  // that needed no plan (unchanged): the last full cycle's held count and findings stand.
  const bool planned = r.result != CycleResult::unchanged;
  if (planned && !(r.failed() && r.plan.actions.empty())) s.held = summary.total_held();
  s.consecutive_failures = report.consecutive_failures;
  s.quarantined = report.quarantined;
  s.next_run_at = report.next_run_at;
  s.last_error = r.error;
  if (r.numbers) s.numbers = r.numbers;
  // A cycle that failed before it planned has no findings of its own: the last ones stay.
  if (planned && !(r.failed() && r.plan.actions.empty() && r.plan.findings.empty())) {
    const auto kept = std::min(r.plan.findings.size(), max_findings_kept);
    school.findings.assign(r.plan.findings.begin(),
                           r.plan.findings.begin() + static_cast<long>(kept));
    s.findings_total = r.plan.findings.size();
  }
  if (s.last_error.empty() && r.result == CycleResult::source_failure) {
    for (const auto& f : r.plan.findings) {
      if (f.code == mapping::FindingCode::source_failure) s.last_error = mapping::english(f.message);
    }
  }
  if (is_success(r.result)) {
    s.last_success_at = report.finished_at;
    school.last_success_unix = report.finished_unix;
  }
  const std::string result_name{mapping::name(r.result)};
  ++school.cycles[result_name];
  state_->durations[result_name].observe(report.duration_s);
  state_->count_applied(r);
  state_->count_writes(r.writes);
  state_->chats_read += r.chats_read;
}

void Observatory::add_platform_calls(const std::map<std::string, std::uint64_t>& calls_by_method,
                                     const std::map<std::string, std::uint64_t>& errors_by_code) {
  const std::lock_guard lock(mutex_);
  for (const auto& [method, n] : calls_by_method) state_->calls[method] += n;
  for (const auto& [code, n] : errors_by_code) state_->errors[code] += n;
}

void Observatory::set_reload_result(bool ok, const std::string& when, const std::string& error) {
  const std::lock_guard lock(mutex_);
  state_->reload_ok = ok;
  state_->reload_at = when;
  state_->reload_error = ok ? std::string() : error;
}

std::vector<SchoolStatus> Observatory::schools() const {
  const std::lock_guard lock(mutex_);
  std::vector<SchoolStatus> out;
  out.reserve(state_->schools.size());
  for (const auto& [id, school] : state_->schools) out.push_back(school.status);
  return out;
}

std::optional<SchoolStatus> Observatory::school(const std::string& id) const {
  const std::lock_guard lock(mutex_);
  const auto it = state_->schools.find(id);
  if (it == state_->schools.end()) return std::nullopt;
  auto status = it->second.status;
  status.findings = it->second.findings;
  return status;
}

std::string Observatory::prometheus_text() const {
  const std::lock_guard lock(mutex_);
  Exposition e;
  state_->write_cycles(e);
  state_->write_writes_and_calls(e);
  state_->write_school_gauges(e);
  state_->write_chat_gauges(e);
  return e.take();
}

void Observatory::State::write_cycles(Exposition& e) const {
  e.family("rosterd_schools", "gauge", "Schools configured.");
  e.sample("rosterd_schools", {}, schools.size());
  if (!region.self.empty()) {
    std::size_t owned = 0;
    for (const auto& [_, school] : schools) owned += school.status.owner == region.self ? 1 : 0;
    e.family("rosterd_daemon_schools_owned", "gauge",
             "Schools this daemon syncs: its share of the region's (docs/region.md).");
    e.sample("rosterd_daemon_schools_owned", {}, owned);
    e.family("rosterd_daemons_live", "gauge",
             "Daemons of the region alive at this daemon's last heartbeat, itself included.");
    e.sample("rosterd_daemons_live", {}, region.members.size());
  }

  e.family("rosterd_cycles_total", "counter", "Sync cycles finished, by school and result.");
  for (const auto& [id, school] : schools) {
    for (const auto& [result, n] : school.cycles) {
      e.sample("rosterd_cycles_total", {{"school", id}, {"result", result}}, n);
    }
  }

  e.family("rosterd_cycle_duration_seconds", "histogram",
           "Duration of sync cycles in seconds, by result.");
  for (const auto& [result, h] : durations) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < duration_buckets.size(); ++i) {
      cumulative += h.buckets[i];
      const std::string le = format_number(duration_buckets[i]);
      e.sample("rosterd_cycle_duration_seconds_bucket", {{"result", result}, {"le", le}},
               cumulative);
    }
    e.sample("rosterd_cycle_duration_seconds_bucket", {{"result", result}, {"le", "+Inf"}},
             h.count);
    e.sample("rosterd_cycle_duration_seconds_sum", {{"result", result}}, format_number(h.sum));
    e.sample("rosterd_cycle_duration_seconds_count", {{"result", result}}, h.count);
  }
}

void Observatory::State::write_writes_and_calls(Exposition& e) const {
  e.family("rosterd_actions_applied_total", "counter",
           "Platform writes done, by action type (see docs/observability.md).");
  for (std::size_t i = 0; i < mapping::action_type_count; ++i) {
    e.sample("rosterd_actions_applied_total", {{"type", mapping::name(static_cast<ActionType>(i))}},
             applied[i]);
  }

  e.family("rosterd_writes_total", "counter",
           "Platform writes of the sync cycles, by outcome (done, rejected, unknown, not_sent).");
  for (const auto& [outcome, n] : writes)
    e.sample("rosterd_writes_total", {{"outcome", outcome}}, n);

  e.family("rosterd_platform_calls_total", "counter", "Platform API calls, by method.");
  for (const auto& [method, n] : calls) {
    e.sample("rosterd_platform_calls_total", {{"method", method}}, n);
  }

  e.family("rosterd_platform_errors_total", "counter",
           "Platform API errors, by error code (VK API error_code, or http_NNN, timeout, ...).");
  for (const auto& [code, n] : errors)
    e.sample("rosterd_platform_errors_total", {{"code", code}}, n);
}

void Observatory::State::write_school_gauges(Exposition& e) const {
  e.family("rosterd_last_success_timestamp_seconds", "gauge",
           "Unix time of the school's last successful (ok or held) cycle.");
  for (const auto& [id, school] : schools) {
    if (school.last_success_unix > 0) {
      e.sample("rosterd_last_success_timestamp_seconds", {{"school", id}},
               format_number(school.last_success_unix));
    }
  }

  e.family("rosterd_held_actions", "gauge",
           "Actions of the school's last plan waiting for rosterd approve.");
  for (const auto& [id, school] : schools) {
    e.sample("rosterd_held_actions", {{"school", id}}, school.status.held);
  }

  e.family("rosterd_school_failing", "gauge",
           "1 when the school's last cycle failed (failed or source_failure), else 0.");
  std::uint64_t quarantined = 0;
  for (const auto& [id, school] : schools) {
    e.sample("rosterd_school_failing", {{"school", id}},
             is_failing(school.status.last_result) ? "1" : "0");
    quarantined += school.status.quarantined ? 1 : 0;
  }

  e.family("rosterd_quarantined_schools", "gauge",
           "Schools quarantined after repeated failures (retried rarely).");
  e.sample("rosterd_quarantined_schools", {}, quarantined);

  // One series per configured school, like rosterd_school_failing: an alert names the school.
  e.family("rosterd_school_quarantined", "gauge",
           "1 while the school is quarantined after repeated failures (retried rarely), else 0.");
  for (const auto& [id, school] : schools) {
    e.sample("rosterd_school_quarantined", {{"school", id}},
             school.status.quarantined ? "1" : "0");
  }

  // Discovery (region.schools "all"): schools the region's listing no longer shows are held.
  e.family("rosterd_held_schools", "gauge",
           "Schools held out of the schedule, by reason (vanished from the region's listing, or "
           "missing from a distrusted listing); nothing of theirs is archived.");
  std::map<std::string, std::uint64_t> held_by_reason{{"vanished", 0}, {"distrusted", 0}};
  for (const auto& [id, school] : schools) {
    if (!school.status.held_reason.empty()) ++held_by_reason[school.status.held_reason];
  }
  for (const auto& [reason, n] : held_by_reason)
    e.sample("rosterd_held_schools", {{"reason", reason}}, n);

  e.family("rosterd_reload_success", "gauge",
           "1 when the last configuration reload succeeded (or none was asked), 0 when it failed.");
  e.sample("rosterd_reload_success", {}, reload_ok ? "1" : "0");
}

// From each school's last look at the platform; a school not looked at yet has no sample.
void Observatory::State::write_chat_gauges(Exposition& e) const {
  const auto gauge = [&](std::string_view name, std::string_view help, auto value_of) {
    e.family(name, "gauge", help);
    for (const auto& [id, school] : schools) {
      if (school.status.numbers) e.sample(name, {{"school", id}}, value_of(*school.status.numbers));
    }
  };
  gauge("rosterd_chats_managed", "Chats rosterd manages for the school, at its last look.",
        [](const mapping::SchoolNumbers& n) { return std::to_string(n.managed_chats); });
  gauge("rosterd_chats_active",
        "Managed chats with more than 3 members (active), at the school's last look.",
        [](const mapping::SchoolNumbers& n) { return std::to_string(n.active_chats); });
  gauge("rosterd_members_coverage_ratio",
        "Share of the people the journal puts in the school's chats who are in them (1 when "
        "nobody is expected), at its last look.",
        [](const mapping::SchoolNumbers& n) { return format_number(n.coverage()); });

  e.family("rosterd_chats_read_total", "counter",
           "Chats whose members were read from the platform (observation and audits).");
  e.sample("rosterd_chats_read_total", {}, chats_read);
}

std::string Observatory::status_html(std::string_view query) const {
  StatusPageData data;
  data.query = query;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [id, school] : state_->schools) data.schools.push_back(school.status);
    data.reload_ok = state_->reload_ok;
    data.reload_at = state_->reload_at;
    data.reload_error = state_->reload_error;
    data.region = state_->region;
  }
  data.generated_at = now_iso();
  return render_status_page(data);
}

std::optional<std::string> Observatory::school_html(const std::string& id,
                                                    const StatusHooks& hooks) const {
  auto status = school(id);
  if (!status) return std::nullopt;
  SchoolPageData data;
  data.status = std::move(*status);
  // Read outside the lock: the store may take a while, the cycles keep reporting meanwhile.
  if (hooks.school_detail) data.detail = hooks.school_detail(id);
  data.config_file = hooks.config_file;
  data.generated_at = now_iso();
  return render_school_page(data);
}

std::string_view name(RetryAnswer answer) noexcept {
  switch (answer) {
    case RetryAnswer::queued: return "queued";
    case RetryAnswer::running: return "running";
    case RetryAnswer::unknown_school: return "unknown_school";
    case RetryAnswer::unavailable: return "unavailable";
  }
  return "unavailable";
}

std::string Observatory::status_line() const {
  const std::lock_guard lock(mutex_);
  std::size_t failing = 0;
  std::size_t held = 0;
  std::size_t quarantined = 0;
  std::string last;
  for (const auto& [id, school] : state_->schools) {
    const auto& s = school.status;
    failing += is_failing(s.last_result) ? 1 : 0;
    held += s.held;
    quarantined += s.quarantined ? 1 : 0;
    last = std::max(last, s.last_run_at);  // ISO 8601 UTC sorts as time
  }
  const auto n = state_->schools.size();
  std::string line = std::to_string(n) + (n == 1 ? " school, " : " schools, ");
  line += last.empty() ? "no cycle yet" : "last cycle " + time_of_day(last);
  line += ", " + std::to_string(failing) + " failing, " + std::to_string(held) + " held";
  if (quarantined) line += ", " + std::to_string(quarantined) + " quarantined";
  if (!state_->reload_ok) line += ", reload failed";
  return line;
}

}  // namespace rosterd::daemon
