#include "adapters/snapshot/snapshot.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/snapshot/json_cursor.h"

namespace rosterd::adapters::snapshot {

using detail::Cursor;
using nlohmann::json;
using ordered = nlohmann::ordered_json;

namespace {

template <typename Enum>
Enum parse_enum(const Cursor& c, std::optional<Enum> (*parse)(std::string_view) noexcept,
                std::string_view allowed) {
  auto parsed = parse(c.string());
  if (!parsed) c.fail("must be one of " + std::string{allowed});
  return *parsed;
}

// The enumerations mapping names nowhere: their names in the file, indexed by value.
template <typename Enum, std::size_t N>
struct EnumNames {
  std::array<std::string_view, N> names;

  [[nodiscard]] std::string_view name(Enum value) const noexcept {
    const auto i = static_cast<std::size_t>(value);
    return i < N ? names[i] : "?";
  }
  // Errors name the key and the allowed values, never the value found (it could be a link).
  [[nodiscard]] Enum read(const Cursor& c) const {
    const auto text = c.string();
    for (std::size_t i = 0; i < N; ++i) {
      if (names[i] == text) return static_cast<Enum>(i);
    }
    std::string allowed;
    for (const auto n : names) allowed += (allowed.empty() ? "" : ", ") + std::string{n};
    c.fail("must be one of " + allowed);
  }
};

constexpr EnumNames<mapping::MemberOrigin, 3> origins{{"ours", "observed", "joined"}};
constexpr EnumNames<mapping::MemberPresence, 3> presences{{"present", "removed", "left"}};
constexpr EnumNames<mapping::ChatDrift, 3> drifts{{"none", "archived_by_hand", "deleted_by_hand"}};

mapping::AppliedMember read_member(const Cursor& c) {
  c.only_keys({"person_id", "platform_user_id", "role", "origin", "missing_since", "presence",
               "presence_since"});
  mapping::AppliedMember m;
  m.person_id = c.at("person_id").string();
  if (m.person_id.empty()) c.at("person_id").fail("must not be empty");
  if (auto uid = c.find("platform_user_id")) m.platform_user_id = uid->optional_int64();
  m.role = parse_enum(c.at("role"), &mapping::parse_member_role, "member, admin");
  if (auto origin = c.find("origin")) m.origin = origins.read(*origin);
  if (auto since = c.find("missing_since")) m.missing_since = since->optional_date();
  if (auto presence = c.find("presence")) m.presence = presences.read(*presence);
  if (auto since = c.find("presence_since")) m.presence_since = since->optional_date();
  return m;
}

mapping::AppliedInvite read_invite(const Cursor& c) {
  c.only_keys({"role", "link", "issued_on"});
  mapping::AppliedInvite invite;
  invite.role = parse_enum(c.at("role"), &mapping::parse_member_role, "member, admin");
  if (auto link = c.find("link")) invite.link = link->string();
  invite.issued_on = c.at("issued_on").date();
  return invite;
}

// Members are kept sorted by person_id (the core relies on it), one entry a person.
void read_members(const Cursor& list, std::vector<mapping::AppliedMember>& out) {
  list.expect_array();
  for (std::size_t i = 0; i < list.value().size(); ++i) out.push_back(read_member(list.at(i)));
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.person_id < b.person_id; });
  auto dup = std::adjacent_find(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.person_id == b.person_id;
  });
  if (dup != out.end()) list.fail("person " + dup->person_id + " appears twice");
}

std::uint32_t read_count32(const Cursor& c) {
  const auto n = c.int64();
  if (n < 0 || n > std::numeric_limits<std::uint32_t>::max()) {
    c.fail("must be an integer from 0 to 4294967295");
  }
  return static_cast<std::uint32_t>(n);
}

mapping::AppliedChat read_chat(const Cursor& c) {
  c.only_keys({"key", "kind", "group_id", "chat_id", "title", "archived", "managed",
               "missing_since", "members", "invites", "observed_at", "observed_title", "drift",
               "members_seen"});
  mapping::AppliedChat chat;
  chat.key = c.at("key").string();
  if (chat.key.empty()) c.at("key").fail("must not be empty");
  chat.kind =
      parse_enum(c.at("kind"), &mapping::parse_chat_kind, "class, parents, association, staff");
  chat.group_id = c.at("group_id").string();
  if (auto id = c.find("chat_id")) chat.chat_id = id->optional_int64();
  chat.title = c.at("title").string();
  if (auto archived = c.find("archived")) chat.archived = archived->boolean();
  if (auto managed = c.find("managed")) chat.managed = managed->boolean();
  if (auto since = c.find("missing_since")) chat.missing_since = since->optional_date();
  if (auto at = c.find("observed_at")) chat.observed_at = at->optional_int64();
  if (auto title = c.find("observed_title")) chat.observed_title = title->optional_string();
  if (auto drift = c.find("drift")) chat.drift = drifts.read(*drift);
  if (auto seen = c.find("members_seen")) chat.members_seen = read_count32(*seen);
  if (auto members = c.find("members")) read_members(*members, chat.members);
  if (auto invites = c.find("invites")) {
    invites->expect_array();
    for (std::size_t i = 0; i < invites->value().size(); ++i) {
      chat.invites.push_back(read_invite(invites->at(i)));
    }
  }
  return chat;
}

mapping::SourceCounts read_counts(const Cursor& c) {
  c.only_keys({"groups", "persons", "enrolments", "relations", "leaders"});
  auto field = [&c](std::string_view key) {
    const auto n = c.at(key).int64();
    if (n < 0) c.at(key).fail("must be an integer >= 0");
    return static_cast<std::size_t>(n);
  };
  // `leaders` came later: a snapshot without it compares no leader assignments.
  return {field("groups"), field("persons"), field("enrolments"), field("relations"),
          c.find("leaders") ? field("leaders") : 0};
}

mapping::AppliedState read_school(const Cursor& c, const std::string& org_id) {
  c.only_keys({"chats", "last_good_counts"});
  mapping::AppliedState state;
  state.org_id = org_id;
  if (auto chats = c.find("chats")) {
    chats->expect_array();
    for (std::size_t i = 0; i < chats->value().size(); ++i) {
      state.chats.push_back(read_chat(chats->at(i)));
    }
    std::stable_sort(state.chats.begin(), state.chats.end(),
                     [](const auto& a, const auto& b) { return a.key < b.key; });
    auto dup = std::adjacent_find(state.chats.begin(), state.chats.end(),
                                  [](const auto& a, const auto& b) { return a.key == b.key; });
    if (dup != state.chats.end()) chats->fail("chat " + dup->key + " appears twice");
  }
  if (auto counts = c.find("last_good_counts"); counts && !counts->value().is_null()) {
    state.last_good_counts = read_counts(*counts);
  }
  return state;
}

Snapshot read_document(const Cursor& root) {
  root.only_keys({"format", "schools"});
  if (root.at("format").string() != format_tag) {
    root.at("format").fail("must be \"" + std::string{format_tag} + "\"");
  }
  Snapshot snapshot;
  auto schools = root.at("schools");
  schools.expect_object();
  for (const auto& item : schools.value().items()) {
    snapshot.schools.emplace(item.key(), read_school(schools.at(item.key()), item.key()));
  }
  return snapshot;
}

// Where a parse error is, as line and column; nlohmann's own message quotes the text
// around it, which could be an invite link.
std::string position_of(std::string_view text, std::size_t byte) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

template <typename T>
ordered nullable(const std::optional<T>& value) {
  return value ? ordered(*value) : ordered(nullptr);
}

ordered nullable(const std::optional<mapping::Date>& value) {
  return value ? ordered(value->iso()) : ordered(nullptr);
}

ordered write_chat(const mapping::AppliedChat& chat) {
  ordered members = ordered::array();
  for (const auto& m : chat.members) {
    members.push_back({{"person_id", m.person_id},
                       {"platform_user_id", nullable(m.platform_user_id)},
                       {"role", mapping::name(m.role)},
                       {"origin", origins.name(m.origin)},
                       {"missing_since", nullable(m.missing_since)},
                       {"presence", presences.name(m.presence)},
                       {"presence_since", nullable(m.presence_since)}});
  }
  ordered invites = ordered::array();
  for (const auto& invite : chat.invites) {
    invites.push_back({{"role", mapping::name(invite.role)},
                       {"link", invite.link},
                       {"issued_on", invite.issued_on.iso()}});
  }
  return {{"key", chat.key},
          {"kind", mapping::name(chat.kind)},
          {"group_id", chat.group_id},
          {"chat_id", nullable(chat.chat_id)},
          {"title", chat.title},
          {"archived", chat.archived},
          {"managed", chat.managed},
          {"missing_since", nullable(chat.missing_since)},
          {"observed_at", nullable(chat.observed_at)},
          {"observed_title", nullable(chat.observed_title)},
          {"drift", drifts.name(chat.drift)},
          {"members_seen", chat.members_seen},
          {"members", std::move(members)},
          {"invites", std::move(invites)}};
}

ordered write_school(const mapping::AppliedState& state) {
  ordered chats = ordered::array();
  for (const auto& chat : state.chats) chats.push_back(write_chat(chat));
  ordered counts = nullptr;
  if (state.last_good_counts) {
    const auto& c = *state.last_good_counts;
    counts = {{"groups", c.groups},
              {"persons", c.persons},
              {"enrolments", c.enrolments},
              {"relations", c.relations},
              {"leaders", c.leaders}};
  }
  return {{"chats", std::move(chats)}, {"last_good_counts", std::move(counts)}};
}

}  // namespace

mapping::AppliedState Snapshot::school(std::string_view org_id) const {
  if (auto it = schools.find(org_id); it != schools.end()) return it->second;
  mapping::AppliedState empty;
  empty.org_id = std::string{org_id};
  return empty;
}

void Snapshot::put(mapping::AppliedState state) {
  auto key = state.org_id;
  schools.insert_or_assign(std::move(key), std::move(state));
}

Snapshot parse_snapshot(std::string_view text, std::string_view source_name) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    throw SnapshotError(std::string{source_name} + ": malformed JSON at " +
                        position_of(text, e.byte));
  }
  try {
    return read_document(Cursor(document, ""));
  } catch (const detail::PathError& e) {
    throw SnapshotError(std::string{source_name} + ": " + e.what());
  }
}

std::string format_snapshot(const Snapshot& snapshot) {
  ordered schools = ordered::object();
  for (const auto& [org_id, state] : snapshot.schools) schools[org_id] = write_school(state);
  ordered document = {{"format", format_tag}, {"schools", std::move(schools)}};
  return document.dump(2, ' ', false, ordered::error_handler_t::replace) + "\n";
}

Snapshot read_snapshot(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw SnapshotError(file.string() + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw SnapshotError(file.string() + ": cannot read");
  return parse_snapshot(text.str(), file.string());
}

void create_private_folders(const std::filesystem::path& folder) {
  if (folder.empty() || std::filesystem::is_directory(folder)) return;
  create_private_folders(folder.parent_path());
  // mkdir's mode, not a chmod afterwards: the folder is never open to others, not even briefly.
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    throw std::filesystem::filesystem_error("cannot create the folder", folder,
                                            std::error_code(errno, std::generic_category()));
  }
}

void write_snapshot(const std::filesystem::path& file, const Snapshot& snapshot) {
  const auto text = format_snapshot(snapshot);
  try {
    if (file.has_parent_path()) create_private_folders(file.parent_path());
  } catch (const std::filesystem::filesystem_error& e) {
    throw SnapshotError(file.string() + ": " + e.code().message());
  }
  auto aside = file;
  aside += ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(aside, std::ios::binary | std::ios::trunc);
    // Owner only before a byte is written: the snapshot holds live invite links.
    std::error_code ec;
    if (out)
      std::filesystem::permissions(
          aside, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    if (ec) out.setstate(std::ios::failbit);
    out << text;
    out.flush();
    if (!out) {
      std::filesystem::remove(aside, ec);
      throw SnapshotError(aside.string() + ": cannot write");
    }
  }
  std::error_code ec;
  std::filesystem::rename(aside, file, ec);
  if (ec) {
    const auto why = ec.message();
    std::filesystem::remove(aside, ec);
    throw SnapshotError(file.string() + ": cannot replace: " + why);
  }
}

}  // namespace rosterd::adapters::snapshot
