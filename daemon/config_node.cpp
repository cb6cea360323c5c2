#include "daemon/config_node.h"

#include <algorithm>
#include <array>
#include <climits>
#include <set>

namespace rosterd::daemon::detail {

namespace {

bool looks_like_secret(std::string_view key) {
  constexpr std::array<std::string_view, 5> words{"token", "password", "secret", "api_key",
                                                  "credential"};
  return std::any_of(words.begin(), words.end(),
                     [key](std::string_view w) { return key.find(w) != std::string_view::npos; });
}

std::string child(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string{key} : parent + "." + std::string{key};
}

// A SAX pass over the text that notes every key given twice in one object, by key path: the
// DOM parser keeps the last value silently, so a setting could be overridden without a word.
class DuplicateKeys final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::vector<std::string> found;

  bool null() override { return element(); }
  bool boolean(bool) override { return element(); }
  bool number_integer(number_integer_t) override { return element(); }
  bool number_unsigned(number_unsigned_t) override { return element(); }
  bool number_float(number_float_t, const string_t&) override { return element(); }
  bool string(string_t&) override { return element(); }
  bool binary(binary_t&) override { return element(); }
  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& key) override {
    auto& frame = frames_.back();
    frame.key = key;
    if (!frame.keys.insert(key).second) found.push_back(path() + ": duplicate key");
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;  // the DOM parse reports malformed text
  }

 private:
  struct Frame {
    bool object = false;
    std::set<std::string, std::less<>> keys;
    std::string key;        // the member being read, in an object
    std::size_t index = 0;  // the element being read, in an array
  };

  [[nodiscard]] std::string path() const {
    std::string out;
    for (const auto& frame : frames_) {
      out += frame.object ? (out.empty() ? "" : ".") + frame.key
                          : "[" + std::to_string(frame.index) + "]";
    }
    return out;
  }
  bool element() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    return true;
  }
  bool open(bool object) {
    frames_.push_back({object, {}, {}, 0});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return element();  // a finished object or array is one element of its parent
  }

  std::vector<Frame> frames_;
};

}  // namespace

std::vector<std::string> duplicate_keys(std::string_view text) {
  DuplicateKeys sax;
  (void)nlohmann::json::sax_parse(text, &sax, nlohmann::json::input_format_t::json, true, true);
  return std::move(sax.found);
}

void Node::problem(std::string_view message) const {
  problems_->push_back((path_.empty() ? std::string{"(top level)"} : path_) + ": " +
                       std::string{message});
}

bool Node::object() const {
  if (value_->is_object()) return true;
  problem("must be an object");
  return false;
}

bool Node::array() const {
  if (value_->is_array()) return true;
  problem("must be a list");
  return false;
}

void Node::only_keys(std::initializer_list<std::string_view> known) const {
  if (!value_->is_object()) return;
  for (const auto& item : value_->items()) {
    if (std::find(known.begin(), known.end(), item.key()) != known.end()) continue;
    const Node unknown(item.value(), child(path_, item.key()), *problems_);
    if (looks_like_secret(item.key())) {
      unknown.problem("secrets are not accepted in the config; name a file that holds it");
    } else {
      unknown.problem("unknown key");
    }
  }
}

std::optional<Node> Node::member(std::string_view key, bool required) const {
  if (!value_->is_object()) return std::nullopt;
  auto it = value_->find(key);
  if (it == value_->end()) {
    if (required) Node(*value_, child(path_, key), *problems_).problem("missing");
    return std::nullopt;
  }
  return Node(*it, child(path_, key), *problems_);
}

std::vector<Node> Node::elements() const {
  std::vector<Node> out;
  if (!array()) return out;
  out.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i) {
    out.emplace_back((*value_)[i], path_ + "[" + std::to_string(i) + "]", *problems_);
  }
  return out;
}

std::optional<std::string> Node::text() const {
  if (value_->is_string() && !value_->get_ref<const std::string&>().empty()) {
    return value_->get<std::string>();
  }
  problem("must be a non-empty string");
  return std::nullopt;
}

std::optional<bool> Node::boolean() const {
  if (value_->is_boolean()) return value_->get<bool>();
  problem("must be true or false");
  return std::nullopt;
}

std::optional<long long> Node::integer(long long min) const {
  if (value_->is_number_integer()) {
    // Unsigned values above the signed range are not plausible settings or ids.
    if (value_->is_number_unsigned() && value_->get<unsigned long long>() > LLONG_MAX) {
      problem("must be an integer ≥ " + std::to_string(min));
      return std::nullopt;
    }
    const auto n = value_->get<long long>();
    if (n >= min) return n;
  }
  problem("must be an integer ≥ " + std::to_string(min));
  return std::nullopt;
}

std::optional<double> Node::share() const {
  if (value_->is_number()) {
    const auto x = value_->get<double>();
    if (x >= 0.0 && x <= 1.0) return x;
  }
  problem("must be a number from 0 to 1");
  return std::nullopt;
}

std::optional<double> Node::positive() const {
  if (value_->is_number() && value_->get<double>() > 0.0) return value_->get<double>();
  problem("must be a number above 0");
  return std::nullopt;
}

}  // namespace rosterd::daemon::detail
