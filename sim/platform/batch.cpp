#include "sim/platform/batch.h"

#include <cctype>

namespace rosterd::sim {
namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  [[nodiscard]] bool eat(std::string_view literal) {
    skip_space();
    if (text_.substr(pos_, literal.size()) != literal) return false;
    pos_ += literal.size();
    return true;
  }
  [[nodiscard]] bool at_end() {
    skip_space();
    return pos_ == text_.size();
  }
  // A method name: letters, digits, '_' and inner dots ("messages.addChatUser").
  [[nodiscard]] std::string method_name() {
    const auto start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                   text_[pos_] == '_' || text_[pos_] == '.')) {
      ++pos_;
    }
    auto name = std::string(text_.substr(start, pos_ - start));
    if (!name.empty() && (name.front() == '.' || name.back() == '.')) return {};
    return name;
  }
  // The text of a balanced JSON object starting here, strings and escapes respected.
  [[nodiscard]] std::optional<std::string_view> object_text() {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != '{') return std::nullopt;
    const auto start = pos_;
    int depth = 0;
    bool in_string = false;
    for (; pos_ < text_.size(); ++pos_) {
      const char c = text_[pos_];
      if (in_string) {
        if (c == '\\')
          ++pos_;
        else if (c == '"')
          in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}' && --depth == 0) {
        ++pos_;
        return text_.substr(start, pos_ - start);
      }
    }
    return std::nullopt;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// A JSON value as a form parameter would carry it; nullopt for objects and nulls.
std::optional<std::string> param_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "1" : "0";
  if (value.is_number()) return value.dump();
  if (!value.is_array()) return std::nullopt;
  std::string joined;
  for (const auto& item : value) {
    auto text = param_text(item);
    if (!text || item.is_array()) return std::nullopt;
    if (!joined.empty()) joined += ',';
    joined += *text;
  }
  return joined;
}

BatchCall make_call(std::string method, const nlohmann::json& object) {
  BatchCall call{std::move(method), {}, {}};
  for (const auto& [key, value] : object.items()) {
    auto text = param_text(value);
    if (!text) {
      call.param_error = key + " is not a parameter value";
      continue;
    }
    call.params[key] = std::move(*text);
  }
  return call;
}

std::optional<BatchCall> parse_call(Cursor& cursor) {
  if (!cursor.eat("API.")) return std::nullopt;
  auto method = cursor.method_name();
  if (method.empty() || !cursor.eat("(")) return std::nullopt;
  if (cursor.eat(")")) return BatchCall{std::move(method), {}, {}};
  const auto text = cursor.object_text();
  if (!text || !cursor.eat(")")) return std::nullopt;
  const auto object = nlohmann::json::parse(*text, nullptr, false);
  if (object.is_discarded() || !object.is_object()) return std::nullopt;
  return make_call(std::move(method), object);
}

}  // namespace

std::optional<std::vector<BatchCall>> parse_batch(std::string_view code) {
  Cursor cursor(code);
  if (!cursor.eat("return") || !cursor.eat("[")) return std::nullopt;
  std::vector<BatchCall> calls;
  if (!cursor.eat("]")) {
    do {
      auto call = parse_call(cursor);
      if (!call) return std::nullopt;
      calls.push_back(std::move(*call));
    } while (cursor.eat(","));
    if (!cursor.eat("]")) return std::nullopt;
  }
  if (!cursor.eat(";") || !cursor.at_end()) return std::nullopt;
  return calls;
}

}  // namespace rosterd::sim
