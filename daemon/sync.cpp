#include "daemon/sync.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <exception>

#include <algorithm>
#include <array>
#include <iterator>
#include <cstdio>
#include <random>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

#include "daemon/sync_cycle.h"
#include "mapping/lookup.h"
#include "mapping/message.h"
#include "mapping/school_day.h"

namespace rosterd::daemon {

using mapping::Action;
using mapping::ActionRecord;
using mapping::ActionStatus;
using mapping::ActionType;
using mapping::AppliedChat;
using mapping::AppliedState;
using mapping::ChatId;

namespace {

ActionStatus to_action_status(mapping::WriteStatus s) {
  switch (s) {
    case mapping::WriteStatus::done: return ActionStatus::done;
    case mapping::WriteStatus::rejected: return ActionStatus::rejected;
    case mapping::WriteStatus::unknown: return ActionStatus::unknown;
    case mapping::WriteStatus::not_sent: return ActionStatus::not_sent;
  }
  return ActionStatus::unknown;
}

mapping::PlatformWrite to_write(const Action& a, std::optional<ChatId> chat_id,
                                const std::string& org_id) {
  mapping::PlatformWrite w;
  w.org_id = org_id;
  w.type = a.type;
  w.chat_id = chat_id;
  w.title = a.title;
  w.user_id = a.platform_user_id.value_or(0);
  w.role = a.role;
  return w;
}

// Lazily fetched platform views (and the store's bound chats) for looking up open actions, at
// most one read each.
class LookupReads {
 public:
  LookupReads(mapping::Platform& platform, mapping::StateStore& store)
      : platform_(platform), store_(store) {}
  const std::vector<mapping::PlatformChat>& chats() {
    if (!chats_) chats_ = platform_.list_chats();
    return *chats_;
  }
  const mapping::PlatformChat* chat(ChatId id) {
    for (const auto& c : chats()) {
      if (c.chat_id == id) return &c;
    }
    return nullptr;
  }
  const std::vector<mapping::PlatformMember>& members(ChatId chat) {
    auto it = members_.find(chat);
    if (it == members_.end()) it = members_.emplace(chat, platform_.members(chat)).first;
    return it->second;
  }
  const mapping::PlatformMember* member(ChatId chat, mapping::PlatformUserId user) {
    for (const auto& m : members(chat)) {
      if (m.user_id == user) return &m;
    }
    return nullptr;
  }
  // The live chats with this title, with their members: what a lost creation may have made.
  std::vector<mapping::LookupChat> same_title(const std::string& title) {
    std::vector<mapping::LookupChat> out;
    for (const auto& c : chats()) {
      if (c.title == title && !c.archived) out.push_back({c, members(c.chat_id)});
    }
    return out;
  }
  // The chats any school of the store is bound to (schools of a region share a token).
  const std::set<ChatId>& bound() {
    if (!bound_) bound_ = store_.bound_chat_ids();
    return *bound_;
  }

 private:
  mapping::Platform& platform_;
  mapping::StateStore& store_;
  std::optional<std::vector<mapping::PlatformChat>> chats_;
  std::map<ChatId, std::vector<mapping::PlatformMember>> members_;
  std::optional<std::set<ChatId>> bound_;
};

// A chat creation's look-up: the facts from the platform and the store, the decision from
// the core (mapping/lookup.h). This school's own bound chats count as bound too, including
// those bound earlier in this same look-up.
mapping::LookupDecision look_up_creation(const ActionRecord& rec, const AppliedState& applied,
                                         const std::set<mapping::PlatformUserId>& known,
                                         LookupReads& look) {
  mapping::CreateLookup lookup{rec.org_id, rec.action.chat_key, rec.action.title,
                               mapping::unix_seconds_from_iso(rec.intended_at), look.bound(),
                               known};
  for (const auto& c : applied.chats) {
    if (c.chat_id) lookup.bound.insert(*c.chat_id);
  }
  return mapping::decide_created_chat(lookup, look.same_title(rec.action.title));
}

// Whether a write to a known chat whose outcome is unknown shows on the platform.
bool effect_seen(const ActionRecord& rec, LookupReads& look) {
  const Action& a = rec.action;
  const auto uid = a.platform_user_id.value_or(0);
  switch (a.type) {
    case ActionType::create_chat: return false;  // look_up_creation
    case ActionType::adopt_chat: return true;     // no platform call: recorded as it was made
    case ActionType::rename_chat: {
      const auto* c = rec.chat_id ? look.chat(*rec.chat_id) : nullptr;
      return c && c->title == a.title;
    }
    case ActionType::archive_chat: {
      const auto* c = rec.chat_id ? look.chat(*rec.chat_id) : nullptr;
      return c && c->archived;
    }
    case ActionType::add_member: return rec.chat_id && look.member(*rec.chat_id, uid);
    case ActionType::remove_member: return rec.chat_id && !look.member(*rec.chat_id, uid);
    case ActionType::set_admin:
    case ActionType::unset_admin: {
      const auto* m = rec.chat_id ? look.member(*rec.chat_id, uid) : nullptr;
      return m && m->is_admin == (a.type == ActionType::set_admin);
    }
    case ActionType::issue_invite:
    case ActionType::annul_invite:
      // A link cannot be looked up; the next plan issues it again, and reset=1 annuls
      // whatever link the lost call may have made.
      return false;
  }
  return false;
}

// Whether an action whose outcome is unknown is in effect on the platform (made), not
// (not_made), or cannot be told (unclear: only a chat creation, see look_up_creation).
mapping::LookupDecision in_effect(const ActionRecord& rec, const AppliedState& applied,
                                  const std::set<mapping::PlatformUserId>& known,
                                  LookupReads& look) {
  if (rec.action.type == ActionType::create_chat) {
    return look_up_creation(rec, applied, known, look);
  }
  const bool made = effect_seen(rec, look);
  return {made ? mapping::LookupVerdict::made : mapping::LookupVerdict::not_made, {}, {}};
}

// A promotion or demotion needs the membership that an earlier phase may have failed to make.
bool prerequisite_met(const AppliedChat& chat, const Action& a) {
  if (a.type != ActionType::set_admin && a.type != ActionType::unset_admin) return true;
  return std::any_of(chat.members.begin(), chat.members.end(),
                     [&](const mapping::AppliedMember& m) { return m.person_id == a.person_id; });
}

bool has_source_failure(const mapping::Plan& plan) {
  return std::any_of(plan.findings.begin(), plan.findings.end(),
                     [](const mapping::Finding& f) { return f.code == mapping::FindingCode::source_failure; });
}

}  // namespace

SchoolSync::SchoolSync(SyncSettings settings, mapping::JournalSource& journal,
                       mapping::Platform& platform, mapping::StateStore& store)
    : settings_(std::move(settings)),
      fingerprint_(settings_fingerprint(settings_)),
      journal_(journal),
      platform_(platform),
      store_(store) {}

// Never repeat a write whose outcome is unknown without looking first: every open entry of
// the action log is looked up on the platform and settled before anything is planned. A
// creation the look-up cannot settle stays open (looked up again next cycle) and becomes an
// unclear_chat finding; Cycle::hold_back_unclear keeps the plan from making that chat meanwhile.
void SchoolSync::resolve_open_actions(Cycle& cycle) {
  auto open = store_.unresolved(settings_.org_id);
  if (open.empty()) return;
  LookupReads look(platform_, store_);
  auto known = mapping::known_platform_users(cycle.applied);
  if (settings_.rules.fallback_admin) known.insert(settings_.rules.fallback_admin->platform_user_id);
  std::vector<ActionRecord> settled;
  for (auto& rec : open) {
    const auto decision = in_effect(rec, cycle.applied, known, look);
    if (decision.verdict == mapping::LookupVerdict::unclear) {
      cycle.unclear.emplace(rec.action.chat_key, *decision.finding);
      cycle.plan.findings.push_back(*decision.finding);  // mid-apply: this cycle's plan shows it
      continue;
    }
    const bool effect = decision.verdict == mapping::LookupVerdict::made;
    rec.status = ActionStatus::resolved;
    rec.message = effect ? "looked up: in effect" : "looked up: not in effect, planned again";
    if (effect) {
      mapping::apply_action(cycle.applied, rec.action, cycle.today, {decision.chat_id, {}});
      cycle.changed.insert(rec.action.chat_key);
      ++cycle.counts.looked_up_made;
    } else {
      ++cycle.counts.looked_up_not_made;
    }
    settled.push_back(std::move(rec));
  }
  if (cycle.dry) return;  // what was looked up stays in the cycle, and so do the changed keys
  const auto chats = cycle.take_changes();
  if (!settled.empty() || !chats.empty()) {
    store_.record_outcomes(settings_.org_id, settled, chats, {});
  }
}

void SchoolSync::look_at_platform(Cycle& cycle) {
  for (auto& key : cycle.look.look(cycle.applied, cycle.today, store_.bound_chat_ids(),
                                   settings_.audit_period_s, settings_.full_audit))
    cycle.changed.insert(std::move(key));
  // What the platform shows is recorded whatever the journal answers next: it is the platform's
  // truth, not the journal's, and a chat read today need not be read again tomorrow.
  if (cycle.dry) return;  // a dry cycle keeps what it saw, and the keys of what changed
  const auto seen = cycle.take_changes();
  if (!seen.empty()) store_.save_chats(settings_.org_id, seen, {});
}

void SchoolSync::record_state_changes(Cycle& cycle) {
  for (const auto& change : cycle.plan.state_changes) {
    mapping::apply_state_change(cycle.applied, change);
    if (change.type == mapping::StateChangeType::rebind_chat) {
      cycle.removed.push_back(change.chat_key);
      cycle.changed.erase(change.chat_key);
      cycle.changed.insert(change.new_key);
    } else {
      cycle.changed.insert(change.chat_key);
    }
  }
  const auto chats = cycle.take_changes();
  const auto removed = cycle.take_removed();
  if (!chats.empty() || !removed.empty()) store_.save_chats(settings_.org_id, chats, removed);
}

void SchoolSync::apply_batch(Cycle& cycle, const std::vector<const Action*>& batch) {
  std::vector<Action> actions;
  std::vector<std::optional<ChatId>> chat_ids;
  std::vector<mapping::PlatformWrite> writes;
  for (const Action* a : batch) {
    std::optional<ChatId> chat_id;
    if (a->type != ActionType::create_chat) {
      const AppliedChat* chat = cycle.chat(a->chat_key);
      if (!chat || !chat->chat_id || !prerequisite_met(*chat, *a)) {
        // What it builds on did not happen this cycle; the next plan asks again.
        cycle.counts.add(a->type, mapping::WriteStatus::not_sent);
        continue;
      }
      chat_id = chat->chat_id;
    }
    actions.push_back(*a);
    chat_ids.push_back(chat_id);
    if (a->type != ActionType::adopt_chat) writes.push_back(to_write(*a, chat_id, settings_.org_id));
  }
  if (actions.empty()) return;
  const auto ids = store_.record_intents(settings_.org_id, cycle.run_id, actions, chat_ids);
  // An adoption is rosterd's own record: it needs no platform call.
  const auto sent = writes.empty() ? std::vector<mapping::WriteResult>{} : platform_.write(writes);
  std::vector<mapping::WriteResult> results;
  for (std::size_t i = 0, next = 0; i < actions.size(); ++i) {
    if (actions[i].type == ActionType::adopt_chat) {
      results.push_back({mapping::WriteStatus::done, 0, "adopted", {}, {}});
    } else {
      results.push_back(sent[next++]);
    }
  }
  std::vector<ActionRecord> records;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const auto& r = results[i];
    ActionRecord rec{ids[i], settings_.org_id, cycle.run_id, actions[i],
                     r.chat_id ? r.chat_id : chat_ids[i], to_action_status(r.status),
                     r.error_code, r.message, {}};
    cycle.counts.add(actions[i].type, r.status);
    if (r.status == mapping::WriteStatus::done) {
      note_replaced_hand_out(cycle, actions[i]);
      mapping::apply_action(cycle.applied, actions[i], cycle.today, {r.chat_id, r.invite_link});
      cycle.changed.insert(actions[i].chat_key);
      cycle.done.push_back(actions[i]);
    } else if (r.status == mapping::WriteStatus::rejected &&
               mapping::apply_refusal(cycle.applied, actions[i], r.error_code, cycle.today)) {
      cycle.changed.insert(actions[i].chat_key);  // left by themselves (15), chat gone (927)
    }
    records.push_back(std::move(rec));
  }
  const auto chats = cycle.take_changes();
  store_.record_outcomes(settings_.org_id, records, chats, cycle.take_removed());
}

void SchoolSync::note_replaced_hand_out(Cycle& cycle, const Action& action) {
  if (action.type != ActionType::issue_invite) return;
  const AppliedChat* chat = cycle.chat(action.chat_key);
  if (chat == nullptr) return;
  std::string replaced;
  for (const auto& invite : chat->invites) {
    if (invite.role == action.role) replaced = invite.link;
  }
  if (replaced.empty()) return;
  if (!cycle.hand_outs) cycle.hand_outs = store_.hand_outs(settings_.org_id);
  for (const auto& h : *cycle.hand_outs) {
    if (h.chat_key == action.chat_key && h.role == action.role && h.link == replaced)
      cycle.replaced_hand_outs.push_back(action.chat_key);
  }
}

void SchoolSync::apply(Cycle& cycle) {
  std::vector<std::vector<const Action*>> phases;
  std::size_t total = 0;
  for (const auto& phase : mapping::write_phases()) {
    auto& todo = phases.emplace_back();
    for (const auto& a : cycle.plan.actions) {
      if (!a.held && std::find(phase.begin(), phase.end(), a.type) != phase.end())
        todo.push_back(&a);
    }
    total += todo.size();
  }
  std::size_t done = 0;
  for (const auto& todo : phases) {
    const std::size_t unknown_before = cycle.counts.total().unknown;
    for (std::size_t i = 0; i < todo.size(); i += settings_.batch_size) {
      if (cycle.stop && cycle.stop()) {
        cycle.stopped = true;
        return;
      }
      keep_lease();  // a process that lost its lease makes no further call
      const auto end = std::min(todo.size(), i + settings_.batch_size);
      apply_batch(cycle, {todo.begin() + static_cast<std::ptrdiff_t>(i),
                          todo.begin() + static_cast<std::ptrdiff_t>(end)});
      done += end - i;
      if (settings_.progress) settings_.progress(done, total);
    }
    // Later phases depend on this one: settle what timed out before going on.
    if (cycle.counts.total().unknown != unknown_before) resolve_open_actions(cycle);
  }
}

SyncResult SchoolSync::run_once(mapping::Date today, const std::string& started_at,
                                const StopRequested& stop) {
  return with_lease([&] { return run_leased(today, started_at, stop); });
}

SyncResult SchoolSync::apply_saved(const SavedSchoolPlan& saved, const std::string& started_at,
                                   const StopRequested& stop) {
  return with_lease([&] { return apply_leased(saved, started_at, stop); });
}

SyncResult SchoolSync::with_lease(const std::function<SyncResult()>& leased) {
  SyncResult result;
  result.org_id = settings_.org_id;
  try {
    auto attempt = store_.acquire_lease(settings_.org_id, settings_.holder, settings_.lease_ttl);
    // A holder that was a process of this machine and no longer runs (a killed `sync --once`)
    // need not be waited for: its lease is taken over at once.
    if (!attempt.acquired && lease_holder_gone(attempt.lease.holder)) {
      attempt = store_.take_over_lease(settings_.org_id, settings_.holder, attempt.lease.token,
                                       settings_.lease_ttl);
    }
    if (!attempt.acquired) {
      result.result = mapping::CycleResult::leased;
      result.held_by = attempt.lease;
      result.error = "school " + settings_.org_id + " is held by " + attempt.lease.holder +
                     " until " + attempt.lease.expires_at + "; nothing was done";
      return result;
    }
  } catch (const std::exception& e) {
    result.result = mapping::CycleResult::failed;
    result.error = e.what();
    return result;
  }
  result = leased();
  try {
    store_.release_lease(settings_.org_id);
  } catch (const std::exception&) {
    // The lease runs out by itself; the next holder waits at most one lease period.
  }
  return result;
}

void SchoolSync::keep_lease() {
  if (!store_.renew_lease(settings_.org_id, settings_.lease_ttl)) {
    throw mapping::LeaseLost("school " + settings_.org_id +
                             ": its lease ran out or passed to another process");
  }
}

// Dated changes and grace periods follow the school's own day: Kamchatka's withdrawal dated
// today must not wait for Moscow's midnight.
void SchoolSync::settle_today(Cycle& cycle, const mapping::Organisation& org) {
  auto day = mapping::school_day(settings_.org_id, settings_.timezone, org.timezone, cycle.today,
                                 settings_.today_in);
  cycle.today = day.today;
  cycle.zone = std::move(day.zone);
  cycle.day_finding = std::move(day.finding);
}

std::string SchoolSync::now(const std::string& fallback) const {
  return settings_.now_iso ? settings_.now_iso() : fallback;
}

struct SchoolSync::Prepared {
  mapping::JournalAnswer answer;
  mapping::SchoolPlanning planned;  // its plan moved into the cycle
  std::set<std::string> approved;
  std::set<std::string> rejected;
  bool source_failure = false;
};

SchoolSync::Prepared SchoolSync::prepare(Cycle& cycle) {
  Prepared p;
  p.answer = fetch_journal(cycle);
  if (!cycle.dry) keep_lease();
  // The school's day, from its zone and the answer, before anything uses cycle.today.
  settle_today(cycle, p.answer.roster->org);
  cycle.applied = store_.load(settings_.org_id);
  look_at_platform(cycle);  // a full cycle makes an authenticated call: a dead token shows
  resolve_open_actions(cycle);
  p.approved = store_.approved(settings_.org_id);
  p.rejected = store_.rejected(settings_.org_id);
  const mapping::SchoolSettings school{settings_.org_id, settings_.rules, settings_.policy,
                                       settings_.limits, &p.rejected};
  p.planned = cycle.look.plan(school, *p.answer.roster, cycle.applied, p.approved, cycle.today,
                              settings_.bindings, cycle.changed);
  cycle.plan = std::move(p.planned.plan);
  if (cycle.day_finding) cycle.plan.findings.push_back(*cycle.day_finding);
  cycle.plan.findings.insert(cycle.plan.findings.end(), p.answer.findings.begin(),
                            p.answer.findings.end());
  cycle.applied = std::move(p.planned.applied);  // people recognised, adopted chats in
  for (auto& key : p.planned.recognised) cycle.changed.insert(std::move(key));
  cycle.hold_back_unclear();
  p.source_failure = has_source_failure(cycle.plan);
  if (!p.source_failure) {
    mapping::hold_repeated_rejections(cycle.plan, store_.rejections(settings_.org_id),
                                      p.approved);
  }
  return p;
}

void SchoolSync::carry_out(Cycle& cycle, mapping::CycleFacts& facts) {
  record_state_changes(cycle);
  std::vector<Action> held;
  std::copy_if(cycle.plan.actions.begin(), cycle.plan.actions.end(), std::back_inserter(held),
               [](const Action& a) { return a.held; });
  facts.held = !held.empty();
  store_.save_held(settings_.org_id, held);
  apply(cycle);
  facts.stopped = cycle.stopped;
}

SyncResult SchoolSync::finish_cycle(Cycle& cycle, const std::string& started_at,
                                    const std::function<void(SyncResult&)>& body) {
  SyncResult result;
  result.org_id = settings_.org_id;
  bool lease_lost = false;
  try {
    body(result);
  } catch (const mapping::PlatformAuthError& e) {
    result.result = mapping::CycleResult::failed;
    result.error = std::string("platform refused the token: ") + e.what();
  } catch (const mapping::LeaseLost& e) {
    lease_lost = true;  // another process owns the school now: record nothing more
    result.result = mapping::CycleResult::leased;
    result.error = e.what();
  } catch (const std::exception& e) {
    result.result = mapping::CycleResult::failed;
    result.error = e.what();
  }
  if (result.failed()) clear_mark(cycle);
  result.plan = std::move(cycle.plan);
  result.writes = cycle.counts;
  result.chats_read = cycle.look.chats_read();
  result.replaced_hand_outs = std::move(cycle.replaced_hand_outs);
  if (!lease_lost && cycle.run_id != 0) record_run(cycle, result, started_at);
  return result;
}

// The journal's answer is planned; a distrusted answer (source failure) writes nothing at all:
// no state change, no held list, no baseline, no platform write, and no mark. A cycle that
// needs no plan (unchanged_since_mark) ends before any of it, without a run in the log.
SyncResult SchoolSync::run_leased(mapping::Date today, const std::string& started_at,
                                  const StopRequested& stop) {
  Cycle cycle(PlatformLook(platform_, settings_.org_id, settings_.now_unix));
  cycle.today = today;
  cycle.stop = stop;
  if (unchanged_since_mark(cycle)) {
    SyncResult result;
    result.org_id = settings_.org_id;
    result.result = mapping::CycleResult::unchanged;
    return result;
  }
  return finish_cycle(cycle, started_at, [&](SyncResult& result) {
    mapping::CycleFacts facts;
    cycle.run_id = store_.begin_run(settings_.org_id, started_at);
    const auto p = prepare(cycle);
    facts.source_failure = p.source_failure;
    if (!facts.source_failure) {
      carry_out(cycle, facts);
      if (mapping::saves_baseline(facts))
        store_.save_counts(settings_.org_id, mapping::count(*p.answer.roster));
      result.numbers = mapping::numbers(p.planned.desired, cycle.applied);
      store_.save_numbers(settings_.org_id, *result.numbers);
      const auto consumed = mapping::consumed_approvals(cycle.done, p.approved);
      if (!consumed.empty()) store_.consume_approvals(settings_.org_id, consumed);
      std::vector<std::string> unwanted;  // rejections the journal no longer asks for
      std::ranges::set_difference(p.rejected, p.planned.still_rejected,
                                  std::back_inserter(unwanted));
      if (!unwanted.empty()) store_.forget_rejections(settings_.org_id, unwanted);
    }
    facts.writes = cycle.counts;
    result.result = mapping::cycle_result(facts);
    if (!leave_mark(cycle, p.answer, result.result)) clear_mark(cycle);
  });
}

DryCycle SchoolSync::plan_dry(mapping::Date today) {
  Cycle cycle(PlatformLook(platform_, settings_.org_id, settings_.now_unix));
  cycle.today = today;
  cycle.dry = true;
  DryCycle out;
  // Read first: whatever is recorded after it moves the version, and the plan is refused.
  out.saved.basis.store_version = store_.version(settings_.org_id);
  out.saved.basis.settings = fingerprint_;
  auto p = prepare(cycle);
  out.saved.school_id = settings_.org_id;
  out.saved.org_name = p.answer.roster->org.name;
  out.saved.today = cycle.today;
  out.saved.basis.journal_version = journal_version(p.answer);
  out.saved.source_failure = p.source_failure;
  if (!p.source_failure) out.saved.counts = mapping::count(*p.answer.roster);
  // What a sync would record before applying: the chats the look, the look-ups and the
  // recognition changed, and the chats it adopts (recorded once their adoption is done).
  std::set<std::string> keys = cycle.changed;
  for (const auto& a : cycle.plan.actions) {
    if (a.type == ActionType::adopt_chat) keys.insert(a.chat_key);
  }
  for (const auto& key : keys) {
    if (const AppliedChat* chat = cycle.chat(key)) {
      out.saved.seen.push_back(*chat);
      out.saved.seen.back().invites.clear();
    }
  }
  out.saved.plan = std::move(cycle.plan);
  out.answer = std::move(p.answer);
  out.desired = std::move(p.planned.desired);
  out.applied = std::move(cycle.applied);
  return out;
}

Staleness SchoolSync::staleness(const SavedSchoolPlan& saved) {
  Staleness stale;
  stale.settings = saved.basis.settings != fingerprint_;
  stale.store = saved.basis.store_version != store_.version(settings_.org_id);
  const auto& version = saved.basis.journal_version;
  constexpr std::string_view etag = "etag:";
  if (version.starts_with(etag)) {
    const auto answer = journal_.fetch_if_changed(version.substr(etag.size()));
    stale.journal = !answer.unchanged && journal_version(answer) != version;
  } else {
    stale.journal = journal_version(journal_.fetch()) != version;
  }
  return stale;
}

// The chats as the saved plan saw them replace the stored ones (their invites kept), and are
// recorded with the plan's state changes, as a sync records them; an adopted chat is recorded
// once its adoption is done.
void SchoolSync::take_seen(Cycle& cycle, const std::vector<AppliedChat>& seen) {
  std::set<std::string> adopted;
  for (const auto& a : cycle.plan.actions) {
    if (a.type == ActionType::adopt_chat) adopted.insert(a.chat_key);
  }
  for (const auto& chat : seen) {
    if (AppliedChat* stored = cycle.chat(chat.key)) {
      auto invites = std::move(stored->invites);
      *stored = chat;
      stored->invites = std::move(invites);
    } else {
      const auto at = std::lower_bound(
          cycle.applied.chats.begin(), cycle.applied.chats.end(), chat.key,
          [](const AppliedChat& c, const std::string& k) { return c.key < k; });
      cycle.applied.chats.insert(at, chat);
    }
    if (!adopted.contains(chat.key)) cycle.changed.insert(chat.key);
  }
}

// A saved plan is not planned again: its actions are applied as they were saved. What the
// cycle shares with a sync is everything after the plan (carry_out); before it, only the
// look-up of open actions (a write whose outcome is unknown is never repeated unseen). The
// school's journal mark is cleared: the next cycle plans.
SyncResult SchoolSync::apply_leased(const SavedSchoolPlan& saved, const std::string& started_at,
                                    const StopRequested& stop) {
  Cycle cycle(PlatformLook(platform_, settings_.org_id, settings_.now_unix));
  cycle.today = saved.today;
  cycle.stop = stop;
  return finish_cycle(cycle, started_at, [&](SyncResult& result) {
    result.stale = staleness(saved);
    if (result.stale.any()) {
      result.result = mapping::CycleResult::failed;
      result.error =
          "school " + settings_.org_id + ": the saved plan is out of date; nothing was done";
      return;
    }
    mapping::CycleFacts facts;
    cycle.run_id = store_.begin_run(settings_.org_id, started_at);
    cycle.applied = store_.load(settings_.org_id);
    resolve_open_actions(cycle);
    cycle.plan = saved.plan;
    take_seen(cycle, saved.seen);
    cycle.hold_back_unclear();
    facts.source_failure = saved.source_failure;
    if (!facts.source_failure) {
      const auto approved = store_.approved(settings_.org_id);
      carry_out(cycle, facts);
      if (mapping::saves_baseline(facts) && saved.counts)
        store_.save_counts(settings_.org_id, *saved.counts);
      const auto consumed = mapping::consumed_approvals(cycle.done, approved);
      if (!consumed.empty()) store_.consume_approvals(settings_.org_id, consumed);
    }
    facts.writes = cycle.counts;
    result.result = mapping::cycle_result(facts);
    store_.clear_mark(settings_.org_id);
  });
}

void SchoolSync::record_run(const Cycle& cycle, SyncResult& result,
                            const std::string& started_at) {
  mapping::RunRecord run;
  run.id = cycle.run_id;
  run.org_id = settings_.org_id;
  run.started_at = started_at;
  run.finished_at = now(started_at);
  run.result = result.result;
  run.summary = result.failed() ? result.error : summary_line(result);
  try {
    store_.finish_run(run);
  } catch (const mapping::LeaseLost& e) {
    result.result = mapping::CycleResult::leased;
    result.error = e.what();
  } catch (const std::exception& e) {
    result.result = mapping::CycleResult::failed;
    result.error = e.what();
  }
}

SchoolPlanning plan_school(const std::string& school_id, const mapping::Roster& roster,
                           const mapping::AppliedState& applied, const mapping::Rules& rules,
                           const mapping::Policy& policy, const mapping::Limits& limits,
                           std::set<std::string> approved, mapping::Date today,
                           const std::set<std::string>& rejected) {
  auto planned = mapping::plan_school({school_id, rules, policy, limits, &rejected}, roster, applied,
                                      std::move(approved), today);
  if (planned.refused()) throw std::runtime_error(mapping::english(planned.refusal));
  return {std::move(planned.desired), std::move(planned.plan)};
}

namespace {

std::string host_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "unknown";
  return host;
}

}  // namespace

bool lease_holder_gone(const std::string& holder) {
  // "host:pid:nonce", as lease_holder_name makes it.
  const auto first = holder.find(':');
  const auto second = holder.find(':', first == std::string::npos ? first : first + 1);
  if (first == std::string::npos || second == std::string::npos) return false;
  if (holder.substr(0, first) != host_name()) return false;
  const std::string pid_text = holder.substr(first + 1, second - first - 1);
  if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos ||
      pid_text.size() > 9)
    return false;
  const auto pid = static_cast<pid_t>(std::stol(pid_text));
  if (pid <= 0 || pid == ::getpid()) return false;
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

std::string lease_holder_name() {
  static const std::string name = [] {
    const std::string host = host_name();
    std::random_device random;
    char nonce[16];
    std::snprintf(nonce, sizeof nonce, "%06x", random() & 0xffffffu);
    return host + ":" + std::to_string(::getpid()) + ":" + nonce;
  }();
  return name;
}

std::string summary_line(const SyncResult& result) {
  const auto s = mapping::summarize(result.plan);
  std::string line;
  for (std::size_t i = 0; i < mapping::action_type_count; ++i) {
    if (s.actions[i] == 0) continue;
    if (!line.empty()) line += ", ";
    line += std::to_string(s.actions[i]) + " " +
            std::string(mapping::name(static_cast<ActionType>(i)));
  }
  if (line.empty()) line = "no changes";
  const auto w = result.writes.total();
  line += "; " + std::to_string(s.total_held()) + " held; " + std::to_string(w.done) + " written";
  if (w.unknown) line += ", " + std::to_string(w.unknown) + " unknown";
  if (w.rejected) line += ", " + std::to_string(w.rejected) + " rejected";
  if (w.not_sent) line += ", " + std::to_string(w.not_sent) + " not sent";
  // The findings by code: an unclear adoption or a chat deleted by hand waits for an
  // administrator, and `sync --once` prints nothing else of the plan.
  std::array<std::size_t, mapping::finding_code_count> findings{};
  for (const auto& f : result.plan.findings) ++findings[static_cast<std::size_t>(f.code)];
  std::string listed;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (findings[i] == 0) continue;
    listed += (listed.empty() ? "" : ", ") + std::to_string(findings[i]) + " " +
              std::string(mapping::name(static_cast<mapping::FindingCode>(i)));
  }
  if (!listed.empty()) line += "; findings: " + listed;
  return line;
}

}  // namespace rosterd::daemon
