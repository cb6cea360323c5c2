#pragma once
// Fault injection for data requests, as POST /sim/faults sets it: the next `count` requests a
// mode applies to fail that way (all of them when no count is given).

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace rosterd::sim::journal {

enum class FaultMode : std::uint8_t { none, http_5xx, slow, truncated, malformed, empty };

[[nodiscard]] const char* name(FaultMode mode) noexcept;
[[nodiscard]] std::optional<FaultMode> parse_fault_mode(std::string_view text) noexcept;

struct FaultSettings {
  FaultMode mode = FaultMode::none;
  std::optional<std::int64_t> count;  // nullopt: until changed
  int slow_ms = 2000;
  std::optional<int> status;  // 5xx: always this status; otherwise 503 and 500 in turn
};

// Reads a /sim/faults body; throws std::invalid_argument saying which field is wrong.
[[nodiscard]] FaultSettings parse_fault_settings(const nlohmann::json& body);

// The fault one request gets.
struct Fault {
  FaultMode mode = FaultMode::none;
  int status = 0;   // for http_5xx
  int slow_ms = 0;  // for slow
};

class Faults {
 public:
  void set(const FaultSettings& settings);
  [[nodiscard]] nlohmann::json describe() const;

  // Takes the fault for an answer with `status`: 5xx and slow apply to any data request,
  // truncated and malformed to a 200 with a body, empty to a 200 list page. A request the
  // mode does not apply to is answered as it is and does not use up the count.
  [[nodiscard]] Fault take(int status, bool is_list);

 private:
  mutable std::mutex mutex_;
  FaultSettings settings_;
  std::uint64_t injected_5xx_ = 0;
};

}  // namespace rosterd::sim::journal
