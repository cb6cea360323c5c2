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

// The platform's title rules: present, at most 128 Unicode code points, no control characters
// (C0, DEL, C1). A title that breaks them is a bad parameter (100), as the platform answers.
void check_title(const std::string& title) {
  if (title.empty()) throw ParamError("title is missing");
  std::size_t code_points = 0;
  for (std::size_t i = 0; i < title.size(); ++i) {
    const auto byte = static_cast<unsigned char>(title[i]);
    if ((byte & 0xC0) != 0x80) ++code_points;  // not a continuation byte: a new code point
    if (byte < 0x20 || byte == 0x7F) throw ParamError("title holds a control character");
    // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
    if (byte == 0xC2 && i + 1 < title.size()) {
      const auto next = static_cast<unsigned char>(title[i + 1]);
      if (next >= 0x80 && next <= 0x9F) throw ParamError("title holds a control character");
    }
  }
  if (code_points > max_title_length) {
    throw ParamError("title is longer than " + std::to_string(max_title_length) + " characters");
  }
}

}  // namespace rosterd::sim
