#include "daemon/saved_plan.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/snapshot/json_cursor.h"  // the snapshot's reader: errors name the field
#include "adapters/snapshot/snapshot.h"
#include "mapping/chat.h"
#include "mapping/text.h"

namespace rosterd::daemon {
namespace {

using adapters::snapshot::detail::Cursor;
using adapters::snapshot::detail::PathError;
using json = nlohmann::ordered_json;

constexpr std::string_view state_change_names[] = {"mark_missing", "clear_missing", "rebind_chat",
                                                   "forget_member"};

json action_json(const std::string& school, const mapping::Action& a) {
  if (mapping::looks_like_contact(a.person_id)) {
    throw SavedPlanError("school " + school + ": the plan names a person by an id that looks " +
                         "like a phone number or an e-mail (" + mapping::quote_id(a.person_id) +
                         "); a saved plan holds no contact: correct the journal");
  }
  return {{"type", mapping::name(a.type)},
          {"chat_key", a.chat_key},
          {"chat_kind", mapping::name(a.chat_kind)},
          {"group_id", a.group_id},
          {"title", a.title},
          {"person_id", a.person_id},
          {"platform_user_id", a.platform_user_id ? json(*a.platform_user_id) : json(nullptr)},
          {"chat_id", a.chat_id ? json(*a.chat_id) : json(nullptr)},
          {"role", mapping::name(a.role)},
          {"reason", a.reason},
          {"held", a.held},
          {"held_reason", a.held_reason}};
}

json state_change_json(const mapping::StateChange& c) {
  return {{"type", mapping::name(c.type)},
          {"chat_key", c.chat_key},
          {"person_id", c.person_id},
          {"since", c.since.iso()},
          {"new_key", c.new_key},
          {"new_group_id", c.new_group_id},
          {"reason", c.reason}};
}

json counts_json(const std::optional<mapping::SourceCounts>& counts) {
  if (!counts) return nullptr;
  return {{"groups", counts->groups},
          {"persons", counts->persons},
          {"enrolments", counts->enrolments},
          {"relations", counts->relations},
          {"leaders", counts->leaders}};
}

// The chats as the plan saw them, as an applied-state snapshot of the school
// (docs/applied-state.md), without invite links.
json seen_json(const SavedSchoolPlan& s) {
  adapters::snapshot::Snapshot snapshot;
  mapping::AppliedState state{s.school_id, s.seen, std::nullopt};
  for (auto& chat : state.chats) chat.invites.clear();
  snapshot.put(std::move(state));
  return json::parse(adapters::snapshot::format_snapshot(snapshot));
}

json school_json(const SavedSchoolPlan& s) {
  json actions = json::array();
  for (const auto& a : s.plan.actions) actions.push_back(action_json(s.school_id, a));
  json changes = json::array();
  for (const auto& c : s.plan.state_changes) changes.push_back(state_change_json(c));
  return {{"school", s.school_id},
          {"name", s.org_name},
          {"today", s.today.iso()},
          {"journal_version", s.basis.journal_version},
          {"store_version", s.basis.store_version},
          {"settings", s.basis.settings},
          {"source_failure", s.source_failure},
          {"counts", counts_json(s.counts)},
          {"state_changes", std::move(changes)},
          {"actions", std::move(actions)},
          {"seen", seen_json(s)}};
}

template <typename Enum>
Enum read_enum(const Cursor& c, std::optional<Enum> (*parse)(std::string_view) noexcept) {
  const auto parsed = parse(c.string());
  if (!parsed) c.fail("not a known value");
  return *parsed;
}

std::optional<mapping::StateChangeType> parse_state_change(std::string_view s) noexcept {
  for (std::size_t i = 0; i < std::size(state_change_names); ++i) {
    if (state_change_names[i] == s) return static_cast<mapping::StateChangeType>(i);
  }
  return std::nullopt;
}

std::size_t count(const Cursor& c) {
  const auto n = c.int64();
  if (n < 0) c.fail("must not be negative");
  return static_cast<std::size_t>(n);
}

mapping::Action read_action(const Cursor& c) {
  c.only_keys({"type", "chat_key", "chat_kind", "group_id", "title", "person_id",
               "platform_user_id", "chat_id", "role", "reason", "held", "held_reason"});
  mapping::Action a;
  a.type = read_enum(c.at("type"), &mapping::parse_action_type);
  a.chat_key = c.at("chat_key").string();
  if (a.chat_key.empty()) c.at("chat_key").fail("must not be empty");
  a.chat_kind = read_enum(c.at("chat_kind"), &mapping::parse_chat_kind);
  a.group_id = c.at("group_id").string();
  a.title = c.at("title").string();
  a.person_id = c.at("person_id").string();
  a.platform_user_id = c.at("platform_user_id").optional_int64();
  a.chat_id = c.at("chat_id").optional_int64();
  a.role = read_enum(c.at("role"), &mapping::parse_member_role);
  a.reason = c.at("reason").string();
  a.held = c.at("held").boolean();
  a.held_reason = c.at("held_reason").string();
  return a;
}

mapping::StateChange read_state_change(const Cursor& c) {
  c.only_keys({"type", "chat_key", "person_id", "since", "new_key", "new_group_id", "reason"});
  mapping::StateChange change;
  change.type = read_enum(c.at("type"), &parse_state_change);
  change.chat_key = c.at("chat_key").string();
  change.person_id = c.at("person_id").string();
  change.since = c.at("since").date();
  change.new_key = c.at("new_key").string();
  change.new_group_id = c.at("new_group_id").string();
  change.reason = c.at("reason").string();
  return change;
}

SavedSchoolPlan read_school(const Cursor& c) {
  c.only_keys({"school", "name", "today", "journal_version", "store_version", "settings",
               "source_failure", "counts", "state_changes", "actions", "seen"});
  SavedSchoolPlan s;
  s.school_id = c.at("school").string();
  if (s.school_id.empty()) c.at("school").fail("must not be empty");
  s.org_name = c.at("name").string();
  s.today = c.at("today").date();
  s.basis.journal_version = c.at("journal_version").string();
  if (s.basis.journal_version.empty()) c.at("journal_version").fail("must not be empty");
  s.basis.store_version = c.at("store_version").int64();
  s.basis.settings = c.at("settings").string();
  s.source_failure = c.at("source_failure").boolean();
  if (const auto counts = c.at("counts"); !counts.value().is_null()) {
    counts.only_keys({"groups", "persons", "enrolments", "relations", "leaders"});
    s.counts = mapping::SourceCounts{count(counts.at("groups")), count(counts.at("persons")),
                                     count(counts.at("enrolments")), count(counts.at("relations")),
                                     count(counts.at("leaders"))};
  }
  s.plan.org_id = s.school_id;
  s.plan.today = s.today;
  const auto changes = c.at("state_changes");
  changes.expect_array();
  for (std::size_t i = 0; i < changes.value().size(); ++i)
    s.plan.state_changes.push_back(read_state_change(changes.at(i)));
  const auto actions = c.at("actions");
  actions.expect_array();
  for (std::size_t i = 0; i < actions.value().size(); ++i)
    s.plan.actions.push_back(read_action(actions.at(i)));
  const auto seen = c.at("seen");
  seen.expect_object();
  try {
    s.seen = adapters::snapshot::parse_snapshot(seen.value().dump(), "").school(s.school_id).chats;
  } catch (const adapters::snapshot::SnapshotError& e) {
    // The snapshot reader names the path inside it after ": ".
    std::string where = e.what();
    if (where.starts_with(": ")) where.erase(0, 2);
    seen.fail(where);
  }
  return s;
}

SavedPlan read_document(const Cursor& c) {
  c.expect_object();
  const auto format = c.at("format").string();
  if (format != saved_plan_format) {
    c.at("format").fail("is \"" + mapping::printable(format) + "\"; this rosterd reads \"" +
                        std::string{saved_plan_format} + "\"");
  }
  c.only_keys({"format", "created_at", "config", "schools"});
  SavedPlan plan;
  plan.created_at = c.at("created_at").string();
  plan.config_file = c.at("config").string();
  const auto schools = c.at("schools");
  schools.expect_array();
  for (std::size_t i = 0; i < schools.value().size(); ++i)
    plan.schools.push_back(read_school(schools.at(i)));
  return plan;
}

// Where a parse error is, as line and column (nlohmann's own message quotes the text).
std::string position_of(std::string_view text, std::size_t byte) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    column = text[i] == '\n' ? 1 : column + 1;
    if (text[i] == '\n') ++line;
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string system_error(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

}  // namespace

std::string format_saved_plan(const SavedPlan& plan) {
  json schools = json::array();
  for (const auto& s : plan.schools) schools.push_back(school_json(s));
  const json document = {{"format", saved_plan_format},
                         {"created_at", plan.created_at},
                         {"config", plan.config_file},
                         {"schools", std::move(schools)}};
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

SavedPlan parse_saved_plan(std::string_view text, std::string_view source_name) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw SavedPlanError(std::string{source_name} + ": malformed JSON at " +
                         position_of(text, e.byte));
  }
  try {
    return read_document(Cursor(document, ""));
  } catch (const PathError& e) {
    throw SavedPlanError(std::string{source_name} + ": " + e.what());
  }
}

void write_saved_plan(const std::filesystem::path& file, const SavedPlan& plan) {
  const auto text = format_saved_plan(plan);
  auto aside = file;
  aside += ".tmp-" + std::to_string(::getpid());
  (void)::unlink(aside.c_str());  // a leftover of a killed run: O_EXCL wants it gone
  // 0600 from its creation: nobody else may read the plan, not even while it is written.
  const int fd = ::open(aside.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw SavedPlanError(system_error(aside.string() + ": cannot create"));
  std::size_t written = 0;
  bool ok = true;
  while (ok && written < text.size()) {
    const auto n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const std::string why = ok ? std::string() : system_error(aside.string() + ": cannot write");
  ::close(fd);
  if (!ok) {
    (void)::unlink(aside.c_str());
    throw SavedPlanError(why);
  }
  if (::rename(aside.c_str(), file.c_str()) != 0) {
    const auto error = system_error(file.string() + ": cannot replace");
    (void)::unlink(aside.c_str());
    throw SavedPlanError(error);
  }
}

SavedPlan read_saved_plan(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw SavedPlanError(file.string() + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw SavedPlanError(file.string() + ": cannot read");
  return parse_saved_plan(text.str(), file.string());
}

}  // namespace rosterd::daemon
