// The tables as text for the state store (tables.h, write_state / read_state).
//
// Line 1: "rosterd-oneroster-state 1", the folder's fingerprint, the platform_id_type they were
// read with. Then one line per row: a tag (o, u, c, e, s), the sourcedId, the line, 0/1 for
// tobedeleted, then the row's own fields. Fields are separated by TAB, a list's values by US
// (0x1F); inside a value `\` TAB LF CR NUL US and bytes that are not UTF-8 are escaped, so the
// text fits a PostgreSQL TEXT column.
//
// Contacts are not kept (the store holds none): a phone is kept as a stand-in of 14 digits
// that two rows share exactly when their numbers are the same number (mapping::normalize_phone),
// and an e-mail only as "has one" — all that the data checks read of them.

#include <charconv>
#include <type_traits>
#include <string_view>

#include "adapters/oneroster/tables.h"
#include "mapping/checks.h"

namespace rosterd::adapters::oneroster::detail {

namespace {

constexpr std::string_view magic = "rosterd-oneroster-state 1";
constexpr char list_separator = '\x1f';

// The length of the valid UTF-8 sequence at `at`, 0 when there is none.
std::size_t utf8_length(std::string_view s, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t n = 0;
  if (lead >= 0xC2 && lead <= 0xDF) n = 2;
  if (lead >= 0xE0 && lead <= 0xEF) n = 3;
  if (lead >= 0xF0 && lead <= 0xF4) n = 4;
  if (n == 0 || at + n > s.size()) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
  }
  const unsigned char second = byte(at + 1);
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
      (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F))
    return 0;
  return n;
}

void put(std::string& out, std::string_view value) {
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < value.size();) {
    const char c = value[i];
    switch (c) {
      case '\\': out += "\\\\"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      case '\0': out += "\\0"; ++i; continue;
      case list_separator: out += "\\u"; ++i; continue;
      default: break;
    }
    const std::size_t n = utf8_length(value, i);
    if (n == 0) {
      const auto b = static_cast<unsigned char>(c);
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
      ++i;
      continue;
    }
    out.append(value.substr(i, n));
    i += n;
  }
}

std::optional<std::string> take(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '\\') {
      out += value[i];
      continue;
    }
    if (++i == value.size()) return std::nullopt;
    switch (value[i]) {
      case '\\': out += '\\'; break;
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case '0': out += '\0'; break;
      case 'u': out += list_separator; break;
      case 'x': {
        unsigned b = 0;
        if (i + 2 >= value.size()) return std::nullopt;
        const auto [end, error] = std::from_chars(value.data() + i + 1, value.data() + i + 3, b, 16);
        if (error != std::errc{} || end != value.data() + i + 3) return std::nullopt;
        out += static_cast<char>(b);
        i += 2;
        break;
      }
      default: return std::nullopt;
    }
  }
  return out;
}

class Line {
 public:
  explicit Line(std::string& out) : out_(out) {}
  Line& field(std::string_view value) {
    out_ += '\t';
    put(out_, value);
    return *this;
  }
  Line& number(long long value) { return field(std::to_string(value)); }
  template <class T>
  Line& optional(const std::optional<T>& value) {
    if constexpr (std::is_same_v<T, mapping::Date>) return field(value ? value->iso() : "");
    else return field(value ? std::to_string(*value) : "");
  }
  Line& list(const std::vector<std::string>& values) {
    out_ += '\t';
    // The values are escaped one by one, so that the separator between them stays itself.
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i != 0) out_ += list_separator;
      put(out_, values[i]);
    }
    return *this;
  }

 private:
  std::string& out_;
};

Line row_line(std::string& out, char tag, const RowBase& row) {
  if (!out.empty()) out += '\n';
  out += tag;
  Line line(out);
  line.field(row.id).number(static_cast<long long>(row.line)).number(row.deleted ? 1 : 0);
  return line;
}

// A phone's stand-in: 14 digits from a hash of the number as normalize_phone reads it.
std::string phone_stand_in(std::string_view phone) {
  const std::uint64_t number = mapping::normalize_phone(phone);
  if (number == 0) return {};
  std::uint64_t hash = 1469598103934665603ULL;
  for (const char c : std::to_string(number)) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  std::string digits = std::to_string(hash % 100'000'000'000'000ULL);
  return std::string(14 - digits.size(), '0') + digits;
}

// Reads one line's cells, unescaped; lists are split at the separator afterwards.
class Cells {
 public:
  explicit Cells(std::string_view line) {
    std::size_t start = 0;
    for (;;) {
      const auto tab = line.find('\t', start);
      raw_.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
  }
  [[nodiscard]] std::size_t size() const noexcept { return raw_.size(); }
  [[nodiscard]] std::string_view raw(std::size_t i) const { return raw_[i]; }
  std::string text(std::size_t i) {
    auto value = take(raw_[i]);
    if (!value) ok_ = false;
    return value.value_or("");
  }
  std::vector<std::string> list(std::size_t i) {
    std::vector<std::string> values;
    if (raw_[i].empty()) return values;
    std::size_t start = 0;
    for (;;) {
      const auto at = raw_[i].find(list_separator, start);
      auto value = take(raw_[i].substr(start, at == std::string_view::npos ? at : at - start));
      if (!value) ok_ = false;
      values.push_back(value.value_or(""));
      if (at == std::string_view::npos) break;
      start = at + 1;
    }
    return values;
  }
  long long number(std::size_t i) {
    long long value = 0;
    const auto s = raw_[i];
    const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (error != std::errc{} || end != s.data() + s.size()) ok_ = false;
    return value;
  }
  template <class T>
  std::optional<T> optional(std::size_t i) {
    if (raw_[i].empty()) return std::nullopt;
    if constexpr (std::is_same_v<T, mapping::Date>) {
      const auto day = mapping::Date::parse(raw_[i]);
      if (!day) ok_ = false;
      return day;
    } else {
      return static_cast<T>(number(i));
    }
  }
  bool flag(std::size_t i) { return number(i) != 0; }
  [[nodiscard]] bool ok() const noexcept { return ok_; }

 private:
  std::vector<std::string_view> raw_;
  bool ok_ = true;
};

template <class Row>
bool read_base(Cells& cells, Row& row) {
  row.id = cells.text(1);
  row.line = static_cast<std::size_t>(cells.number(2));
  row.deleted = cells.flag(3);
  return cells.ok();
}

}  // namespace

std::string write_state(const Tables& tables, std::uint64_t fingerprint,
                        const std::string& platform_id_type) {
  std::string out(magic);
  Line(out).field(std::to_string(fingerprint)).field(platform_id_type);
  for (const auto& [id, r] : tables.orgs) row_line(out, 'o', r).field(r.name).field(r.type);
  for (const auto& [id, r] : tables.users) {
    row_line(out, 'u', r)
        .number(static_cast<int>(r.role))
        .list(r.orgs)
        .list(r.agents)
        .field(r.given_name)
        .field(r.family_name)
        .field(r.middle_name)
        .field(r.email.empty() ? "" : "@")
        .field(phone_stand_in(r.phone))
        .optional(r.platform_id);
  }
  for (const auto& [id, r] : tables.classes) {
    row_line(out, 'c', r)
        .field(r.title)
        .optional(r.grade)
        .field(r.school)
        .list(r.terms)
        .number(r.homeroom ? 1 : 0)
        .field(r.class_code)
        .field(r.periods);
  }
  for (const auto& [id, r] : tables.enrollments) {
    row_line(out, 'e', r)
        .field(r.class_id)
        .field(r.user_id)
        .number(static_cast<int>(r.role))
        .number(r.primary ? 1 : 0)
        .optional(r.begin)
        .optional(r.end);
  }
  for (const auto& [id, r] : tables.sessions) {
    row_line(out, 's', r).optional(r.start).optional(r.end).optional(r.school_year);
  }
  return out;
}

std::optional<KeptState> read_state(std::string_view text, const std::string& platform_id_type) {
  KeptState state;
  bool first = true;
  while (!text.empty()) {
    const auto end = text.find('\n');
    Cells cells(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (first) {
      first = false;
      if (cells.size() != 3 || cells.raw(0) != magic) return std::nullopt;
      const auto fp = cells.raw(1);
      const auto [at, error] = std::from_chars(fp.data(), fp.data() + fp.size(), state.fingerprint);
      if (error != std::errc{} || at != fp.data() + fp.size()) return std::nullopt;
      if (cells.text(2) != platform_id_type || !cells.ok()) return std::nullopt;
      continue;
    }
    const std::string_view tag = cells.raw(0);
    if (tag == "o" && cells.size() == 6) {
      OrgRow r;
      if (!read_base(cells, r)) return std::nullopt;
      r.name = cells.text(4);
      r.type = cells.text(5);
      state.tables.orgs.emplace(r.id, std::move(r));
    } else if (tag == "u" && cells.size() == 13) {
      UserRow r;
      if (!read_base(cells, r)) return std::nullopt;
      const auto role = cells.number(4);
      if (role < 0 || role > static_cast<int>(UserRole::father)) return std::nullopt;
      r.role = static_cast<UserRole>(role);
      r.orgs = cells.list(5);
      r.agents = cells.list(6);
      r.given_name = cells.text(7);
      r.family_name = cells.text(8);
      r.middle_name = cells.text(9);
      r.email = cells.text(10);
      r.phone = cells.text(11);
      r.platform_id = cells.optional<std::int64_t>(12);
      state.tables.users.emplace(r.id, std::move(r));
    } else if (tag == "c" && cells.size() == 11) {
      ClassRow r;
      if (!read_base(cells, r)) return std::nullopt;
      r.title = cells.text(4);
      r.grade = cells.optional<int>(5);
      r.school = cells.text(6);
      r.terms = cells.list(7);
      r.homeroom = cells.flag(8);
      r.class_code = cells.text(9);
      r.periods = cells.text(10);
      state.tables.classes.emplace(r.id, std::move(r));
    } else if (tag == "e" && cells.size() == 10) {
      EnrollmentRow r;
      if (!read_base(cells, r)) return std::nullopt;
      r.class_id = cells.text(4);
      r.user_id = cells.text(5);
      const auto role = cells.number(6);
      if (role < 0 || role > static_cast<int>(EnrollmentRole::other)) return std::nullopt;
      r.role = static_cast<EnrollmentRole>(role);
      r.primary = cells.flag(7);
      r.begin = cells.optional<mapping::Date>(8);
      r.end = cells.optional<mapping::Date>(9);
      state.tables.enrollments.emplace(r.id, std::move(r));
    } else if (tag == "s" && cells.size() == 7) {
      SessionRow r;
      if (!read_base(cells, r)) return std::nullopt;
      r.start = cells.optional<mapping::Date>(4);
      r.end = cells.optional<mapping::Date>(5);
      r.school_year = cells.optional<int>(6);
      state.tables.sessions.emplace(r.id, std::move(r));
    } else {
      return std::nullopt;
    }
    if (!cells.ok()) return std::nullopt;
  }
  if (first) return std::nullopt;
  return state;
}

}  // namespace rosterd::adapters::oneroster::detail
