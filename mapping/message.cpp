#include "mapping/message.h"

#include <charconv>
#include <vector>

namespace rosterd::mapping {

namespace {

constexpr char open = '\x01';
constexpr char close = '\x04';
constexpr char field = '\x1f';
constexpr char plural = '\x1e';
constexpr char value_sep = '\x1d';

// Copies a value so that the message stays well formed whatever the value holds: separators
// outside nested messages are dropped, an unmatched close is dropped, an unclosed message closed.
void append_value(std::string& out, std::string_view value) {
  // Most values are plain names and dates: copied whole.
  if (value.find_first_of("\x01\x04\x1d\x1e\x1f") == std::string_view::npos) {
    out += value;
    return;
  }
  int depth = 0;
  for (const char c : value) {
    if (c == open) {
      ++depth;
    } else if (c == close) {
      if (depth == 0) continue;
      --depth;
    } else if (depth == 0 && (c == field || c == plural || c == value_sep)) {
      continue;
    }
    out += c;
  }
  out.append(static_cast<std::size_t>(depth), close);
}

void append_head(std::string& out, std::string_view code, std::string_view english) {
  out += open;
  out += code;
  out += field;
  out += english;
}

void append_args(std::string& out, std::initializer_list<MessageArg> args) {
  for (const auto& arg : args) {
    out += field;
    out += arg.name;
    out += value_sep;
    append_value(out, arg.value);
  }
  out += close;
}

// Where the message opening at `text[at]` ends (the index of its close, or text.size()).
std::size_t message_end(std::string_view text, std::size_t at) {
  int depth = 0;
  for (std::size_t i = at; i < text.size(); ++i) {
    if (text[i] == open) ++depth;
    if (text[i] == close && --depth == 0) return i;
  }
  return text.size();
}

// The body of a message split at its own field separators (not those of nested messages).
std::vector<std::string_view> fields(std::string_view body) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == open) ++depth;
    if (body[i] == close) --depth;
    if (depth == 0 && body[i] == field) {
      out.push_back(body.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(body.substr(start));
  return out;
}

struct Arg {
  std::string_view name;
  std::string_view value;
};

std::string render_message(std::string_view body, const Translate& translate) {
  const auto parts = fields(body);
  MessageKey key{parts[0], parts.size() > 1 ? parts[1] : std::string_view{}, {}, 0};
  if (const auto p = key.english.find(plural); p != std::string_view::npos) {
    key.english_plural = key.english.substr(p + 1);
    key.english = key.english.substr(0, p);
  }
  std::vector<Arg> args;
  for (std::size_t i = 2; i < parts.size(); ++i) {
    const auto sep = parts[i].find(value_sep);
    if (sep == std::string_view::npos) continue;
    args.push_back({parts[i].substr(0, sep), parts[i].substr(sep + 1)});
    if (args.back().name == "n") {
      std::from_chars(args.back().value.data(), args.back().value.data() + args.back().value.size(),
                      key.n);
    }
  }
  const std::string_view wording = translate(key);
  std::string out;
  out.reserve(wording.size() + 16);
  for (std::size_t i = 0; i < wording.size(); ++i) {
    const auto end = wording[i] == '{' ? wording.find('}', i) : std::string_view::npos;
    const Arg* arg = nullptr;
    if (end != std::string_view::npos) {
      const auto name = wording.substr(i + 1, end - i - 1);
      for (const auto& a : args) arg = a.name == name ? &a : arg;
    }
    if (!arg) {
      out += wording[i];
      continue;
    }
    out += render(arg->value, translate);
    i = end;
  }
  return out;
}

}  // namespace

std::string msg(std::string_view code, std::string_view english,
                std::initializer_list<MessageArg> args) {
  std::string out;
  append_msg(out, code, english, args);
  return out;
}

void append_msg(std::string& out, std::string_view code, std::string_view english,
                std::initializer_list<MessageArg> args) {
  append_head(out, code, english);
  append_args(out, args);
}

std::string msg_n(std::string_view code, std::string_view english, std::string_view english_plural,
                  long long n, std::initializer_list<MessageArg> args) {
  std::string out;
  append_head(out, code, english);
  out += plural;
  out += english_plural;
  out += field;
  out += "n";
  out += value_sep;
  out += std::to_string(n);
  append_args(out, args);
  return out;
}

bool has_message(std::string_view text) noexcept { return text.find(open) != std::string_view::npos; }

std::string_view message_code(std::string_view text) noexcept {
  if (text.empty() || text[0] != open) return {};
  const auto end = text.find(field);
  return end == std::string_view::npos ? std::string_view{} : text.substr(1, end - 1);
}

std::string render(std::string_view text, const Translate& translate) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto start = text.find(open, i);
    if (start == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, start - i);
    const auto end = message_end(text, start);
    out += render_message(text.substr(start + 1, end - start - 1), translate);
    i = end + 1;
  }
  return out;
}

std::string english(std::string_view text) {
  if (!has_message(text)) return std::string{text};
  return render(text, [](const MessageKey& key) {
    return key.english_plural.empty() || key.n == 1 ? key.english : key.english_plural;
  });
}

}  // namespace rosterd::mapping
