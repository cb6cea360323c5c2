#pragma once
// Chat keys as an administrator writes them ("class:g-5a-2026", "staff:<school id>"): the
// school's `bindings` in the config and `rosterd adopt --key`. One parser for both, so a key
// the config accepts is a key adopt accepts.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/config.h"
#include "daemon/config_node.h"
#include "mapping/chat.h"

namespace rosterd::daemon {

struct ChatKeyParts {
  mapping::ChatKind kind = mapping::ChatKind::class_chat;
  std::string group_id;  // the school's id for the staff chat
};

// Why `key` names no chat of school `school_id` ("not a chat key: …"), or nullopt with the
// parts when it does: "kind:id" with a known kind and an id, the staff chat's id being the
// school's own.
struct ParsedChatKey {
  std::optional<ChatKeyParts> parts;
  std::string problem;
};
[[nodiscard]] ParsedChatKey parse_chat_key(std::string_view key, std::string_view school_id);

namespace detail {

// `bindings`: an object of chat key → platform chat id (an integer ≥ 1).
[[nodiscard]] std::map<std::string, std::int64_t> read_bindings(const Node& node,
                                                                const std::string& school_id);
// One platform chat serves one group of one school: a chat id bound twice (in one school or
// in two: the schools of a region share a token) is a problem at its second binding.
void check_bindings_unique(const Node& schools, const std::vector<SchoolConfig>& read);

}  // namespace detail
}  // namespace rosterd::daemon
