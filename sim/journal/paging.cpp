#include "sim/journal/paging.h"

#include <charconv>

namespace rosterd::sim::journal {
namespace {

constexpr std::string_view cursor_magic = "jc1";
constexpr char hex_digits[] = "0123456789abcdef";

// Hex keeps any org id safe in a query string without percent-encoding rules to agree on.
std::string to_hex(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (unsigned char c : text) {
    out.push_back(hex_digits[c >> 4]);
    out.push_back(hex_digits[c & 15]);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = hex_value(text[i]);
    const int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

template <typename Number>
std::optional<Number> number(std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Splits "a|b|c" into `n` fields; the last one takes the rest, '|' included.
std::optional<std::vector<std::string_view>> split(std::string_view text, std::size_t n) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (parts.size() + 1 < n) {
    const auto bar = text.find('|', start);
    if (bar == std::string_view::npos) return std::nullopt;
    parts.push_back(text.substr(start, bar - start));
    start = bar + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

}  // namespace

std::string encode_cursor(const Cursor& cursor) {
  // The org id goes last, so it may hold any character, '|' included.
  return to_hex(std::string(cursor_magic) + "|" + cursor.list + "|" +
                std::to_string(cursor.offset) + "|" + std::to_string(cursor.version) + "|" +
                cursor.org_id);
}

std::optional<Cursor> decode_cursor(std::string_view text) {
  const auto plain = from_hex(text);
  if (!plain) return std::nullopt;
  const auto parts = split(*plain, 5);
  if (!parts || (*parts)[0] != cursor_magic) return std::nullopt;
  const auto offset = number<std::size_t>((*parts)[2]);
  const auto version = number<std::uint64_t>((*parts)[3]);
  if (!offset || !version) return std::nullopt;
  return Cursor{std::string((*parts)[4]), std::string((*parts)[1]), *offset, *version};
}

std::optional<std::size_t> parse_limit(const std::string& text, std::size_t fallback) {
  if (text.empty()) return fallback;
  const auto value = number<std::size_t>(text);
  if (!value || *value == 0) return std::nullopt;
  return std::min(*value, max_page_size);
}

std::string page_body(const std::vector<std::string>& items, std::size_t offset, std::size_t limit,
                      const std::optional<std::string>& next) {
  std::string body = "{\"items\":[";
  const std::size_t end = std::min(items.size(), offset + limit);
  for (std::size_t i = offset; i < end; ++i) {
    if (i != offset) body += ',';
    body += items[i];
  }
  body += "],\"next_cursor\":";
  body += next ? "\"" + *next + "\"" : "null";
  body += '}';
  return body;
}

}  // namespace rosterd::sim::journal
