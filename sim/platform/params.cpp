#include "sim/platform/params.h"

#include <charconv>

namespace rosterd::sim {
namespace {

std::int64_t parse_int(const std::string& name, std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) {
    throw ParamError(name + " is not an integer");
  }
  return value;
}

}  // namespace

std::int64_t required_int(const Params& params, const std::string& name) {
  const auto it = params.find(name);
  if (it == params.end() || it->second.empty()) throw ParamError(name + " is missing");
  return parse_int(name, it->second);
}

std::int64_t optional_int(const Params& params, const std::string& name, std::int64_t fallback) {
  const auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return fallback;
  return parse_int(name, it->second);
}

std::string optional_string(const Params& params, const std::string& name,
                            const std::string& fallback) {
  const auto it = params.find(name);
  return it == params.end() ? fallback : it->second;
}

std::vector<std::int64_t> id_list(const Params& params, const std::string& name) {
  std::vector<std::int64_t> ids;
  const auto it = params.find(name);
  if (it == params.end()) return ids;
  std::string_view rest = it->second;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto item = rest.substr(0, comma);
    const auto id = parse_int(name, item);
    if (id <= 0) throw ParamError(name + " holds a non-positive id");
    ids.push_back(id);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
    if (rest.empty()) throw ParamError(name + " ends with a comma");
  }
  return ids;
}

}  // namespace rosterd::sim
