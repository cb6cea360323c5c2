#include "daemon/config_bindings.h"

namespace rosterd::daemon {

ParsedChatKey parse_chat_key(std::string_view key, std::string_view school_id) {
  ParsedChatKey out;
  const auto colon = key.find(':');
  const auto kind = colon == std::string_view::npos
                        ? std::nullopt
                        : mapping::parse_chat_kind(key.substr(0, colon));
  if (!kind || colon + 1 == key.size()) {
    out.problem =
        "not a chat key: expected kind:group id, kind one of class, parents, association, staff "
        "(class:g-5a, staff:" +
        std::string(school_id) + ")";
    return out;
  }
  const auto id = key.substr(colon + 1);
  if (*kind == mapping::ChatKind::staff && id != school_id) {
    out.problem = "the staff chat's key is staff:" + std::string(school_id) + " (the school's id)";
    return out;
  }
  out.parts = ChatKeyParts{*kind, std::string(id)};
  return out;
}

namespace detail {

std::map<std::string, std::int64_t> read_bindings(const Node& node, const std::string& school_id) {
  std::map<std::string, std::int64_t> out;
  if (!node.object()) return out;
  for (const auto& item : node.value().items()) {
    const auto binding = *node.member(item.key());
    const auto key = parse_chat_key(item.key(), school_id);
    if (!key.parts) binding.problem(key.problem);
    const auto chat_id = binding.integer(1);
    if (key.parts && chat_id) out[item.key()] = *chat_id;
  }
  return out;
}

void check_bindings_unique(const Node& schools, const std::vector<SchoolConfig>& read) {
  if (!schools.value().is_array()) return;
  std::map<std::int64_t, std::string> bound;  // chat id → "schools[i].bindings.key"
  for (std::size_t i = 0; i < read.size() && i < schools.value().size(); ++i) {
    const Node school((schools.value())[i], schools.path() + "[" + std::to_string(i) + "]",
                      schools.problems());
    for (const auto& [key, chat_id] : read[i].bindings) {
      const auto binding = *school.member("bindings")->member(key);
      const auto [it, first] = bound.emplace(chat_id, binding.path());
      if (!first) {
        binding.problem("chat " + std::to_string(chat_id) + " is already bound by " + it->second +
                        ": a platform chat serves one group");
      }
    }
  }
}

}  // namespace detail
}  // namespace rosterd::daemon
