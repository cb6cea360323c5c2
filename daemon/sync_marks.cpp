// Cycles that need no plan (docs/sync.md): a school's last clean cycle leaves a journal mark
// (the answer's ETag, the next day the plan changes on its own, the zone of its day, when a
// chat is next due for its audit read, and the settings' fingerprint). The next cycle, before
// that day and that audit and with the same settings, asks the journal with the ETag; an
// "unchanged" ends it: no roster, no plan, no platform call, no store write but the lease's.

#include <cinttypes>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "daemon/sync.h"
#include "daemon/sync_cycle.h"
#include "mapping/next_change.h"
#include "mapping/observe.h"

namespace rosterd::daemon {
namespace {

// Fields separated by a byte no setting holds, so "a" "bc" and "ab" "c" differ.
class Fingerprint {
 public:
  Fingerprint& operator<<(const std::string& s) {
    text_ += s;
    text_ += '\x1f';
    return *this;
  }
  Fingerprint& operator<<(std::int64_t n) { return *this << std::to_string(n); }
  Fingerprint& operator<<(double d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", d);
    return *this << std::string(buf);
  }
  Fingerprint& operator<<(const mapping::ChatTemplate& t) {
    return *this << std::string(mapping::name(t.kind)) << t.title
                 << std::int64_t{t.include_teachers};
  }
  // FNV-1a, 64 bits, in hex: short enough for a row, and a reload changes it.
  [[nodiscard]] std::string digest() const {
    std::uint64_t h = 14695981039346656037ULL;
    for (const unsigned char c : text_) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016" PRIx64, h);
    return buf;
  }

 private:
  std::string text_;
};

Fingerprint& operator<<(Fingerprint& f, const std::optional<mapping::Date>& day) {
  return f << (day ? day->iso() : std::string("-"));
}

// Every field of the roster: a journal without versions changed when any of them did.
std::string roster_fingerprint(const mapping::Roster& r) {
  Fingerprint f;
  f << r.org.id << r.org.name << r.org.short_name << std::string(mapping::name(r.org.kind))
    << r.org.timezone;
  f << std::int64_t(r.groups.size());
  for (const auto& g : r.groups) {
    f << g.id << g.name << std::string(mapping::name(g.kind)) << std::int64_t{g.grade.value_or(-1)}
      << std::int64_t{g.academic_year} << g.previous_group_id.value_or("\x1e");
    f << g.opened_on << g.closed_on;
  }
  f << std::int64_t(r.persons.size());
  for (const auto& p : r.persons) {
    f << p.id << p.platform_user_id.value_or(-1);
    f << p.employed_from << p.employed_to;
    f << std::int64_t{p.roles} << p.last_name << p.first_name << p.middle_name;
    f << p.birth_date;
    f << p.phone << p.email << std::int64_t(p.positions.size());
    for (const auto& position : p.positions) f << position;
  }
  f << std::int64_t(r.enrolments.size());
  for (const auto& e : r.enrolments) {
    f << e.person_id << e.group_id << std::string(mapping::name(e.role));
    f << e.from << e.to;
    f << e.reason;
  }
  f << std::int64_t(r.relations.size());
  for (const auto& rel : r.relations)
    f << rel.parent_id << rel.child_id << std::string(mapping::name(rel.kind));
  return f.digest();
}

void add_org_rules(Fingerprint& f, const mapping::OrgRules& rules) {
  for (const auto* list : {&rules.class_chats, &rules.kindergarten_group_chats,
                           &rules.association_chats}) {
    f << std::int64_t(list->size());
    for (const auto& t : *list) f << t;
  }
  f << std::int64_t{rules.staff_chat.has_value()};
  if (rules.staff_chat) f << *rules.staff_chat;
  f << std::int64_t(rules.staff_admin_positions.size());
  for (const auto& p : rules.staff_admin_positions) f << p;
}

}  // namespace

std::string settings_fingerprint(const SyncSettings& s) {
  Fingerprint f;
  for (const auto* org : {&s.rules.school, &s.rules.kindergarten, &s.rules.additional})
    add_org_rules(f, *org);
  f << std::int64_t{s.rules.fallback_admin.has_value()};
  if (s.rules.fallback_admin)
    f << s.rules.fallback_admin->person_id << s.rules.fallback_admin->platform_user_id;
  f << std::int64_t{s.policy.grace_days} << std::int64_t{s.policy.invite_ttl_days}
    << std::int64_t{s.policy.strict} << std::int64_t{s.policy.restore_removed};
  f << std::int64_t{s.limits.max_removals} << s.limits.max_removal_share
    << std::int64_t{s.limits.max_archives} << s.limits.max_archive_share
    << s.limits.max_source_drop;
  f << std::int64_t(s.bindings.size());
  for (const auto& [key, chat] : s.bindings) f << key << chat;
  f << s.timezone << s.platform_token << s.audit_period_s;
  return f.digest();
}

std::string journal_version(const mapping::JournalAnswer& answer) {
  if (!answer.etag.empty()) return "etag:" + answer.etag;
  return "content:" + (answer.roster ? roster_fingerprint(*answer.roster) : std::string());
}

bool SchoolSync::unchanged_since_mark(Cycle& cycle) {
  try {
    cycle.mark = store_.mark(settings_.org_id);
    const auto& mark = cycle.mark;
    if (!mark.set() || settings_.full_audit || mark.settings != fingerprint_) return false;
    // The day in the zone the marking cycle used: a change dated today is never skipped.
    // An empty zone: the marking cycle ran on the machine's day (no zone known), as this one.
    const auto day = settings_.today_in && !mark.zone.empty()
                         ? settings_.today_in(mark.zone)
                         : std::optional<mapping::Date>(cycle.today);
    if (!day || (mark.next_change && *day >= *mark.next_change)) return false;
    const std::int64_t now = settings_.now_unix ? settings_.now_unix() : 0;
    if (mark.audit_due && now >= *mark.audit_due) return false;
    auto answer = journal_.fetch_if_changed(mark.etag);
    if (answer.unchanged) return true;
    cycle.prefetched = std::move(answer);
  } catch (const std::exception&) {
    // The full cycle meets it at the same step and records it in the run log.
    cycle.prefetch_error = std::current_exception();
  }
  return false;
}

mapping::JournalAnswer SchoolSync::fetch_journal(Cycle& cycle) {
  if (cycle.prefetch_error) std::rethrow_exception(std::exchange(cycle.prefetch_error, nullptr));
  // An answer without a roster ("unchanged" when the cycle must plan anyway) is asked again, in
  // full.
  auto answer = std::exchange(cycle.prefetched, std::nullopt);
  if (answer && answer->roster) return std::move(*answer);
  return journal_.fetch();
}

// Clean: every write done, nothing held, the answer trusted, not stopped, and no creation whose
// look-up is unclear (its intent must be looked up again next cycle). Findings that wait for a
// person do not keep the mark away: what settles them is a journal change, an approval or a
// rejection (the store clears the mark), `rosterd adopt` (clears it), a config change (the
// fingerprint), or a change on the platform, seen at the next audit read at the latest.
bool SchoolSync::leave_mark(const Cycle& cycle, const mapping::JournalAnswer& answer,
                            mapping::CycleResult result) {
  if (result != mapping::CycleResult::ok || !cycle.unclear.empty() || answer.etag.empty() ||
      !answer.roster)
    return false;
  mapping::JournalMark mark;
  mark.etag = answer.etag;
  mark.next_change =
      mapping::next_change(*answer.roster, cycle.applied, settings_.policy, cycle.today);
  mark.zone = cycle.zone;
  mark.audit_due = mapping::next_audit(cycle.applied, settings_.audit_period_s);
  mark.settings = fingerprint_;
  mark.version = cycle.mark.version;
  // Not saved when an approval cleared the mark meanwhile: then the next cycle plans.
  (void)store_.save_mark(settings_.org_id, mark);
  return true;
}

void SchoolSync::clear_mark(const Cycle& cycle) noexcept {
  if (!cycle.mark.set()) return;
  try {
    store_.clear_mark(settings_.org_id);
  } catch (const std::exception&) {
    // The conditions that made this cycle plan still hold next time (a changed journal, a day
    // reached, an audit due, other settings), so the stale mark lets no cycle skip wrongly.
  }
}

}  // namespace rosterd::daemon
