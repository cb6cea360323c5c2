#include "daemon/config_runtime.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <string>

namespace rosterd::daemon::detail {

namespace {

void read_int(const Node& node, std::string_view key, long long min, int& out) {
  if (auto n = node.member(key)) {
    if (auto v = n->integer(min)) {
      if (*v > 365LL * 24 * 3600) {
        n->problem("must be at most " + std::to_string(365LL * 24 * 3600));
      } else {
        out = static_cast<int>(*v);
      }
    }
  }
}

}  // namespace

ScheduleConfig read_schedule(const Node& node) {
  ScheduleConfig s;
  if (!node.object()) return s;
  node.only_keys({"interval_s", "jitter_s", "concurrency", "retry_initial_s", "quarantine_after",
                  "quarantine_retry_s", "lease_s", "audit_period_s"});
  read_int(node, "interval_s", 1, s.interval_s);
  read_int(node, "jitter_s", 0, s.jitter_s);
  read_int(node, "concurrency", 1, s.concurrency);
  read_int(node, "retry_initial_s", 1, s.retry_initial_s);
  read_int(node, "quarantine_after", 1, s.quarantine_after);
  read_int(node, "quarantine_retry_s", 1, s.quarantine_retry_s);
  read_int(node, "lease_s", 1, s.lease_s);
  read_int(node, "audit_period_s", 60, s.audit_period_s);
  if (s.concurrency > 64) node.member("concurrency")->problem("must be at most 64");
  if (s.jitter_s > s.interval_s) {
    node.member("jitter_s")
        ->problem("must be at most interval_s (" + std::to_string(s.interval_s) + ")");
  }
  return s;
}

ObservabilityConfig read_observability(const Node& node) {
  ObservabilityConfig o;
  if (!node.object()) return o;
  node.only_keys({"address", "port"});
  if (auto n = node.member("address")) {
    if (auto text = n->text()) {
      std::array<unsigned char, 16> buf{};
      if (inet_pton(AF_INET, text->c_str(), buf.data()) != 1 &&
          inet_pton(AF_INET6, text->c_str(), buf.data()) != 1) {
        n->problem("must be an IPv4 or IPv6 address (127.0.0.1 keeps it on this machine)");
      }
      o.address = *text;
    }
  }
  if (auto n = node.member("port")) {
    if (auto v = n->integer(0)) {
      if (*v > 65535)
        n->problem("must be at most 65535");
      else
        o.port = static_cast<int>(*v);
    }
  }
  return o;
}

LogConfig read_log(const Node& node) {
  LogConfig l;
  if (!node.object()) return l;
  node.only_keys({"format", "level"});
  if (auto n = node.member("format")) {
    if (auto text = n->text()) {
      if (*text == "json")
        l.format = LogFormat::json;
      else if (*text != "text")
        n->problem("must be \"text\" or \"json\"");
    }
  }
  if (auto n = node.member("level")) {
    if (auto text = n->text()) {
      constexpr std::array<std::string_view, 5> levels{"trace", "debug", "info", "warn", "error"};
      if (std::find(levels.begin(), levels.end(), *text) == levels.end()) {
        n->problem("must be one of trace, debug, info, warn, error");
      } else {
        l.level = *text;
      }
    }
  }
  return l;
}

}  // namespace rosterd::daemon::detail

namespace rosterd::daemon {

namespace {

// 127.0.0.0/8, ::1 and ::ffff:127.x.x.x; "0.0.0.0" and "::" listen everywhere.
bool is_loopback(const std::string& address) {
  std::array<unsigned char, 16> b{};
  if (inet_pton(AF_INET, address.c_str(), b.data()) == 1) return b[0] == 127;
  if (inet_pton(AF_INET6, address.c_str(), b.data()) != 1) return false;
  const bool zeros_to_10 =
      std::all_of(b.begin(), b.begin() + 10, [](unsigned char c) { return c == 0; });
  const bool v4_mapped = zeros_to_10 && b[10] == 0xff && b[11] == 0xff;
  const bool ipv6_one = zeros_to_10 && b[10] == 0 && b[11] == 0 && b[12] == 0 && b[13] == 0 &&
                        b[14] == 0 && b[15] == 1;
  return ipv6_one || (v4_mapped && b[12] == 127);
}

}  // namespace

std::vector<std::string> config_warnings(const Config& config) {
  std::vector<std::string> out = config.warnings;
  if (!is_loopback(config.observability.address)) {
    out.push_back("observability.address: " + config.observability.address +
                  " is not a loopback address: /metrics, /healthz and the status page (school ids, "
                  "results, errors) can be reached from other machines, without a password; "
                  "keep 127.0.0.1 and put a proxy with access control in front");
  }
  return out;
}

}  // namespace rosterd::daemon
