#include "mapping/text.h"

#include <cstdint>

namespace rosterd::mapping {
namespace {

constexpr char32_t invalid = 0xFFFFFFFF;

struct Decoded {
  char32_t code_point;  // `invalid` for a byte that starts no valid sequence
  std::size_t size;     // bytes read: 1 for an invalid byte
};

// One UTF-8 sequence at `at`, strictly: no overlong forms, no surrogates, nothing above U+10FFFF.
Decoded decode(std::string_view s, std::size_t at) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[at + i]); };
  const unsigned lead = byte(0);
  if (lead < 0x80) return {lead, 1};
  std::size_t size = 0;
  char32_t cp = 0, min = 0;
  if ((lead & 0xE0) == 0xC0) {
    size = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    size = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    size = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return {invalid, 1};
  }
  if (at + size > s.size()) return {invalid, 1};
  for (std::size_t i = 1; i < size; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return {invalid, 1};
    cp = (cp << 6) | (byte(i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {invalid, 1};
  return {cp, size};
}

bool is_line_break_or_tab(char32_t cp) noexcept {
  return cp == '\t' || cp == '\n' || cp == '\v' || cp == '\f' || cp == '\r' || cp == 0x85 ||
         cp == 0x2028 || cp == 0x2029;
}

// Characters that change how text is shown or where a line ends, without being seen.
bool is_control(char32_t cp) noexcept {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// The size of the character at `at` when it is one of the common ones that need no full decode
// (printable ASCII; a two-byte letter such as Cyrillic, none of which is a control), else 0.
// Names are checked every cycle: this keeps the check a small part of the core's cost.
std::size_t plain_size(std::string_view s, std::size_t at) noexcept {
  const auto lead = static_cast<unsigned char>(s[at]);
  if (lead >= 0x20 && lead < 0x7F) return 1;
  // C2 holds the C1 controls and D8 the Arabic letter mark: they take the full decode.
  if (lead >= 0xC3 && lead <= 0xDF && lead != 0xD8 && at + 1 < s.size() &&
      (static_cast<unsigned char>(s[at + 1]) & 0xC0) == 0x80)
    return 2;
  return 0;
}

// Whether cleaning would keep `text` as it is: common characters only, no space at either end
// or twice in a row, and no more than `max_code_points`.
bool already_clean(std::string_view text, std::size_t max_code_points) noexcept {
  if (text.empty()) return true;
  if (text.front() == ' ' || text.back() == ' ') return false;
  std::size_t code_points = 0;
  for (std::size_t at = 0; at < text.size(); ++code_points) {
    const std::size_t size = plain_size(text, at);
    if (size == 0 || code_points == max_code_points) return false;
    if (text[at] == ' ' && text[at + 1] == ' ') return false;  // the last byte is no space
    at += size;
  }
  return true;
}

void append_hex(std::string& out, std::uint32_t value, int digits) {
  constexpr std::string_view hex = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += hex[(value >> shift) & 0xF];
}

}  // namespace

namespace {

bool is_phone_char(char c) noexcept {
  return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '(' || c == ')' || c == ' ' ||
         c == '.';
}

// A contact put into a name (an e-mail for a surname, a phone number for a class name) is no
// name: it is replaced, so that it reaches no title, plan line or log. Only what follows
// `start` is looked at; the scan is skipped unless there is an '@' or ten digits at all.
void mask_contacts(std::string& out, std::size_t start) {
  std::size_t digits = 0;
  bool at_sign = false;
  for (std::size_t i = start; i < out.size(); ++i) {
    digits += out[i] >= '0' && out[i] <= '9';
    at_sign = at_sign || out[i] == '@';
  }
  if (digits < 10 && !at_sign) return;
  std::string masked = out.substr(0, start);
  for (std::size_t i = start; i < out.size();) {
    if (out[i] != ' ') {  // a word: an e-mail is one word with '@' and a dot after it
      std::size_t end = out.find(' ', i);
      if (end == std::string::npos) end = out.size();
      const std::string_view word(out.data() + i, end - i);
      const auto at = word.find('@');
      if (at != std::string_view::npos && at > 0 &&
          word.find('.', at) != std::string_view::npos) {
        masked += "<e-mail>";
        i = end;
        continue;
      }
    }
    if (is_phone_char(out[i]) && out[i] != ' ') {  // a phone number: ten digits or more
      std::size_t end = i;
      std::size_t run_digits = 0;
      for (; end < out.size() && is_phone_char(out[end]); ++end) {
        run_digits += out[end] >= '0' && out[end] <= '9';
      }
      while (end > i && out[end - 1] == ' ') --end;
      if (run_digits >= 10) {
        masked += "<phone number>";
        i = end;
        continue;
      }
      masked.append(out, i, end - i);
      i = end;
      continue;
    }
    masked += out[i++];
  }
  out = std::move(masked);
}

}  // namespace

void append_clean_text(std::string& out, std::string_view text, std::size_t max_code_points) {
  const std::size_t start = out.size();
  if (already_clean(text, max_code_points)) {
    out += text;
    mask_contacts(out, start);
    return;
  }
  std::size_t kept = 0;
  bool space_pending = false;
  // Stops once the cut is reached: a 10 MB name costs no more than a short one.
  for (std::size_t at = 0; at < text.size() && kept < max_code_points;) {
    const Decoded d = decode(text, at);
    const std::string_view bytes = text.substr(at, d.size);
    at += d.size;
    if (d.code_point == ' ' || is_line_break_or_tab(d.code_point)) {
      space_pending = out.size() > start;  // no space at the start
      continue;
    }
    if (d.code_point == invalid || is_control(d.code_point)) continue;
    if (space_pending) {
      if (kept + 1 == max_code_points) break;  // a cut never ends on a space
      out += ' ';
      ++kept;
      space_pending = false;
    }
    out += bytes;
    ++kept;
  }
  mask_contacts(out, start);
}

std::string clean_text(std::string_view text, std::size_t max_code_points) {
  std::string out;
  out.reserve(text.size() < 64 ? text.size() : 64);
  append_clean_text(out, text, max_code_points);
  return out;
}

NameFlaws name_flaws(std::string_view name) noexcept {
  NameFlaws flaws;
  std::size_t code_points = 0;
  for (std::size_t at = 0; at < name.size(); ++code_points) {
    if (const std::size_t size = plain_size(name, at)) {
      at += size;
      continue;
    }
    const Decoded d = decode(name, at);
    at += d.size;
    // Tabs and line breaks are controls here: a name has none, and a report helps to find it.
    flaws.controls = flaws.controls || d.code_point == invalid || is_control(d.code_point);
  }
  flaws.too_long = code_points > longest_name;
  return flaws;
}

std::size_t count_code_points(std::string_view text) noexcept {
  std::size_t n = 0;
  for (std::size_t at = 0; at < text.size(); at += decode(text, at).size) ++n;
  return n;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const Decoded d = decode(text, at);
    if (d.code_point == invalid) {
      out += "\\x";
      append_hex(out, static_cast<unsigned char>(text[at]), 2);
    } else if (d.code_point == '\n') {
      out += "\\n";
    } else if (d.code_point == '\r') {
      out += "\\r";
    } else if (d.code_point == '\t') {
      out += "\\t";
    } else if (d.code_point < 0x80 && is_control(d.code_point)) {
      out += "\\x";
      append_hex(out, d.code_point, 2);
    } else if (is_control(d.code_point)) {
      out += "\\u{";
      append_hex(out, d.code_point, 4);
      out += '}';
    } else {
      out += text.substr(at, d.size);
    }
    at += d.size;
  }
  return out;
}

std::string printable_lines(std::string_view text) {
  std::string out;
  for (std::size_t begin = 0; begin <= text.size();) {
    auto end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    if (begin != 0) out += '\n';
    out += printable(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

bool looks_like_contact(std::string_view id) noexcept {
  const auto at_sign = id.find('@');
  if (at_sign != std::string_view::npos && at_sign > 0 &&
      id.find('.', at_sign + 2) != std::string_view::npos)
    return true;
  // A phone number as people write it: digits with +, spaces, dashes, dots and brackets; a
  // leading + (an international number), or the 11 digits of a Russian number starting with 7
  // or 8, or 10 national digits starting with 9 (a mobile number).
  std::size_t digits = 0;
  char first = 0;
  for (const char c : id) {
    if (c >= '0' && c <= '9') {
      if (digits++ == 0) first = c;
    } else if (c != '+' && c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return false;
    }
  }
  const bool plus = id.find('+') != std::string_view::npos;
  return (plus && digits >= 10 && digits <= 15) ||
         (digits == 11 && (first == '7' || first == '8')) || (digits == 10 && first == '9');
}

std::string quote_id(std::string_view id) {
  if (looks_like_contact(id)) {
    return id.find('@') != std::string_view::npos ? "<id that looks like an e-mail>"
                                                  : "<id that looks like a phone number>";
  }
  constexpr std::size_t longest = 64;
  std::size_t size = 0, code_points = 0;
  while (size < id.size() && code_points < longest) {
    size += decode(id, size).size;
    ++code_points;
  }
  std::string out = printable(id.substr(0, size));
  if (size < id.size()) out += "...";
  return out;
}

namespace {

char32_t fold_code_point(char32_t cp) noexcept {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0x0410 && cp <= 0x042F) return cp + 32;   // А..Я → а..я
  if (cp >= 0x0400 && cp <= 0x040F) cp += 80;         // Ѐ..Џ → ѐ..џ
  if (cp == 0x0451) return 0x0435;                    // ё → е
  switch (cp) {
    case '-': case '.': case ',': case '"': case '\'': case 0x00AB: case 0x00BB: case 0x00B7:
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x201C:
    case 0x201D: case 0x201E: case 0x2019: case 0x2116:
      return ' ';
    default: return cp;
  }
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string fold_text(std::string_view text) {
  const std::string clean = clean_text(text);
  std::string out;
  out.reserve(clean.size());
  for (std::size_t at = 0; at < clean.size();) {
    const Decoded d = decode(clean, at);
    at += d.size;
    const char32_t cp = fold_code_point(d.code_point);
    if (cp == ' ' && (out.empty() || out.back() == ' ')) continue;
    append_utf8(out, cp);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// -1, 0, 1: the folded texts compared with runs of digits as numbers.
int natural_compare(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      while (i < a.size() && a[i] == '0') ++i;  // leading zeros do not count
      while (j < b.size() && b[j] == '0') ++j;
      std::size_t ei = i, ej = j;
      while (ei < a.size() && is_digit(a[ei])) ++ei;
      while (ej < b.size() && is_digit(b[ej])) ++ej;
      if (ei - i != ej - j) return ei - i < ej - j ? -1 : 1;  // fewer digits: smaller
      if (const int c = a.substr(i, ei - i).compare(b.substr(j, ej - j)); c != 0) return c;
      i = ei;
      j = ej;
      continue;
    }
    if (a[i] != b[j]) {
      return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
    }
    ++i;
    ++j;
  }
  if (i == a.size() && j == b.size()) return 0;
  return i == a.size() ? -1 : 1;
}

}  // namespace

bool natural_less(std::string_view a, std::string_view b) {
  if (const int c = natural_compare(fold_text(a), fold_text(b)); c != 0) return c < 0;
  return a < b;  // alike when folded: a stable order all the same
}

}  // namespace rosterd::mapping
