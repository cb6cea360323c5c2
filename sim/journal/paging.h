#pragma once
// Cursors and pages: a cursor is opaque to clients and pins the list, the offset and the
// snapshot version it was issued for.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rosterd::sim::journal {

inline constexpr std::size_t max_page_size = 1000;

struct Cursor {
  std::string org_id;  // empty for the list of organisations
  std::string list;    // "organisations", "groups", ...
  std::size_t offset = 0;
  std::uint64_t version = 0;
  friend bool operator==(const Cursor&, const Cursor&) = default;
};

[[nodiscard]] std::string encode_cursor(const Cursor& cursor);
// nullopt for anything encode_cursor did not make.
[[nodiscard]] std::optional<Cursor> decode_cursor(std::string_view text);

// The `limit` parameter: `fallback` when empty, at most max_page_size; nullopt when it is not
// a positive integer.
[[nodiscard]] std::optional<std::size_t> parse_limit(const std::string& text, std::size_t fallback);

// {"items": [items[offset, offset+limit)], "next_cursor": next or null}, from the items' JSON.
[[nodiscard]] std::string page_body(const std::vector<std::string>& items, std::size_t offset,
                                    std::size_t limit, const std::optional<std::string>& next);

}  // namespace rosterd::sim::journal
