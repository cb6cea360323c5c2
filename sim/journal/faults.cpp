#include "sim/journal/faults.h"

#include <stdexcept>

namespace rosterd::sim::journal {

using nlohmann::json;

const char* name(FaultMode mode) noexcept {
  switch (mode) {
    case FaultMode::none:
      return "none";
    case FaultMode::http_5xx:
      return "5xx";
    case FaultMode::slow:
      return "slow";
    case FaultMode::truncated:
      return "truncated";
    case FaultMode::malformed:
      return "malformed";
    case FaultMode::empty:
      return "empty";
  }
  return "?";
}

std::optional<FaultMode> parse_fault_mode(std::string_view text) noexcept {
  for (auto mode : {FaultMode::none, FaultMode::http_5xx, FaultMode::slow, FaultMode::truncated,
                    FaultMode::malformed, FaultMode::empty}) {
    if (text == name(mode)) return mode;
  }
  return std::nullopt;
}

FaultSettings parse_fault_settings(const json& body) {
  if (!body.is_object()) throw std::invalid_argument("expected a JSON object");
  FaultSettings settings;
  const auto mode = body.find("mode");
  if (mode == body.end() || !mode->is_string()) throw std::invalid_argument("mode is required");
  const auto parsed = parse_fault_mode(mode->get<std::string>());
  if (!parsed) {
    throw std::invalid_argument("mode must be none, 5xx, slow, truncated, malformed or empty");
  }
  settings.mode = *parsed;
  if (const auto count = body.find("count"); count != body.end() && !count->is_null()) {
    if (!count->is_number_integer() || count->get<std::int64_t>() < 0) {
      throw std::invalid_argument("count must be a non-negative integer");
    }
    settings.count = count->get<std::int64_t>();
  }
  if (const auto slow = body.find("slow_ms"); slow != body.end()) {
    if (!slow->is_number_integer() || slow->get<int>() < 0) {
      throw std::invalid_argument("slow_ms must be a non-negative integer");
    }
    settings.slow_ms = slow->get<int>();
  }
  if (const auto status = body.find("status"); status != body.end()) {
    if (!status->is_number_integer() || status->get<int>() < 500 || status->get<int>() > 599) {
      throw std::invalid_argument("status must be a 5xx status");
    }
    settings.status = status->get<int>();
  }
  return settings;
}

void Faults::set(const FaultSettings& settings) {
  std::lock_guard lock(mutex_);
  settings_ = settings;
}

json Faults::describe() const {
  std::lock_guard lock(mutex_);
  return {{"mode", name(settings_.mode)},
          {"count", settings_.count ? json(*settings_.count) : json(nullptr)},
          {"slow_ms", settings_.slow_ms}};
}

Fault Faults::take(int status, bool is_list) {
  std::lock_guard lock(mutex_);
  const FaultMode mode = settings_.mode;
  bool applies = false;
  switch (mode) {
    case FaultMode::none:
      break;
    case FaultMode::http_5xx:
    case FaultMode::slow:
      applies = true;
      break;
    case FaultMode::truncated:
    case FaultMode::malformed:
      applies = status == 200;
      break;
    case FaultMode::empty:
      applies = status == 200 && is_list;
      break;
  }
  if (!applies) return {};
  if (settings_.count) {
    if (*settings_.count <= 0) return {};
    if (--*settings_.count == 0) settings_.mode = FaultMode::none;
  }
  Fault fault{mode, 0, settings_.slow_ms};
  if (mode == FaultMode::http_5xx) {
    fault.status = settings_.status.value_or(injected_5xx_ % 2 == 0 ? 503 : 500);
    ++injected_5xx_;
  }
  return fault;
}

}  // namespace rosterd::sim::journal
