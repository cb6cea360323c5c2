#include "tests/daemon/fakes.h"

#include <algorithm>

#include "tests/mapping/builders.h"

namespace rosterd::daemon::testing {

using mapping::ActionType;

std::string describe(const mapping::PlatformWrite& w) {
  const std::string type{mapping::name(w.type)};
  const std::string chat = w.chat_id ? std::to_string(*w.chat_id) : "?";
  switch (w.type) {
    case ActionType::create_chat: return type + " " + w.title;
    case ActionType::rename_chat: return type + " " + chat + " " + w.title;
    case ActionType::archive_chat: return type + " " + chat;
    case ActionType::issue_invite:
    case ActionType::annul_invite: return type + " " + chat + " " + std::string(mapping::name(w.role));
    default: return type + " " + chat + " " + std::to_string(w.user_id);
  }
}

std::vector<mapping::WriteResult> FakePlatform::write(
    std::span<const mapping::PlatformWrite> batch) {
  ++calls;
  std::vector<mapping::WriteResult> out;
  for (const auto& w : batch) {
    const auto text = describe(w);
    writes.push_back(text);
    auto scripted = script.find(text);
    if (scripted != script.end() && !scripted->second.empty()) {
      auto answer = scripted->second.front();
      scripted->second.pop_front();
      if (answer.status != mapping::WriteStatus::done) {
        out.push_back(std::move(answer));
        continue;
      }
    }
    mapping::WriteResult r;
    r.status = mapping::WriteStatus::done;
    Chat* chat = w.chat_id && chats.contains(*w.chat_id) ? &chats[*w.chat_id] : nullptr;
    switch (w.type) {
      case ActionType::adopt_chat:
        break;
      case ActionType::create_chat:
        r.chat_id = next_id_++;
        chats[*r.chat_id] = Chat{w.title, false, {{self, true}}, self};  // its owner in it
        break;
      case ActionType::rename_chat:
        if (chat) chat->title = w.title;
        break;
      case ActionType::archive_chat:
        if (chat) chat->archived = true;
        break;
      case ActionType::add_member:
        if (chat) chat->members.emplace(w.user_id, false);
        break;
      case ActionType::remove_member:
        if (chat) chat->members.erase(w.user_id);
        break;
      case ActionType::set_admin:
      case ActionType::unset_admin:
        if (chat) chat->members[w.user_id] = w.type == ActionType::set_admin;
        break;
      case ActionType::issue_invite:
        r.invite_link = "https://fake.invalid/join/" + std::to_string(writes.size());
        break;
      case ActionType::annul_invite: break;
    }
    out.push_back(std::move(r));
  }
  if (after_batch) after_batch();
  return out;
}

std::vector<mapping::PlatformChat> FakePlatform::list_chats() {
  std::vector<mapping::PlatformChat> out;
  for (const auto& [id, c] : chats) out.push_back({id, c.title, c.archived, 7000, 0});
  return out;
}

std::vector<mapping::PlatformMember> FakePlatform::members(mapping::ChatId chat_id) {
  std::vector<mapping::PlatformMember> out;
  const auto it = chats.find(chat_id);
  if (it == chats.end()) return out;
  for (const auto& [user, admin] : it->second.members) out.push_back({user, admin, false});
  return out;
}

std::vector<mapping::PlatformChat> FakePlatform::list_org_chats(const std::string&) {
  ++reads;
  if (refuse_token) throw mapping::PlatformAuthError(5, "User authorization failed");
  std::vector<mapping::PlatformChat> out;
  for (const auto& [id, c] : chats) {
    out.push_back(
        {id, c.title, c.archived, c.created_by, 0, static_cast<std::uint32_t>(c.members.size())});
  }
  return out;
}

std::vector<mapping::ChatMembers> FakePlatform::read_members(
    std::span<const mapping::ChatId> ids) {
  ++reads;
  std::vector<mapping::ChatMembers> out;
  for (const auto id : ids) {
    mapping::ChatMembers read{id, chats.contains(id), members(id)};
    out.push_back(std::move(read));
  }
  return out;
}

void FakeDatabase::take_over(const std::string& org_id, const std::string& holder) {
  auto& lease = schools[org_id].lease;
  const std::int64_t token = lease ? lease->token + 1 : 1;
  lease = LeaseRow{holder, token, false};
}

mapping::LeaseAttempt FakeStore::acquire_lease(const std::string& org_id,
                                               const std::string& holder,
                                               std::chrono::milliseconds ttl) {
  auto& lease = db_.schools[org_id].lease;
  if (lease && !lease->expired && lease->holder != holder) {
    tokens_.erase(org_id);
    return {false, {org_id, lease->holder, lease->token, "2026-11-30T12:00:00.000Z", ttl}};
  }
  db_.take_over(org_id, holder);
  tokens_[org_id] = lease->token;
  return {true, {org_id, holder, lease->token, "2026-11-30T12:00:00.000Z", ttl}};
}

mapping::LeaseAttempt FakeStore::take_over_lease(const std::string& org_id,
                                                 const std::string& holder,
                                                 std::int64_t from_token,
                                                 std::chrono::milliseconds ttl) {
  auto& lease = db_.schools[org_id].lease;
  if (!lease || lease->token != from_token) return acquire_lease(org_id, holder, ttl);
  db_.take_over(org_id, holder);
  tokens_[org_id] = lease->token;
  return {true, {org_id, holder, lease->token, "2026-11-30T12:00:00.000Z", ttl}};
}

bool FakeStore::renew_lease(const std::string& org_id, std::chrono::milliseconds) {
  const auto held = tokens_.find(org_id);
  const auto& lease = db_.schools[org_id].lease;
  if (held != tokens_.end() && lease && lease->token == held->second) return true;
  tokens_.erase(org_id);
  return false;
}

void FakeStore::release_lease(const std::string& org_id) {
  const auto held = tokens_.find(org_id);
  if (held == tokens_.end()) return;
  auto& lease = db_.schools[org_id].lease;
  if (lease && lease->token == held->second) lease->expired = true;
  tokens_.erase(held);
}

std::vector<mapping::Lease> FakeStore::leases() {
  std::vector<mapping::Lease> out;
  for (const auto& [org, s] : db_.schools) {
    if (s.lease) out.push_back({org, s.lease->holder, s.lease->token, "", {}});
  }
  return out;
}

std::vector<mapping::DaemonMember> FakeStore::heartbeat(const std::string& name,
                                                       std::chrono::milliseconds /*ttl*/) {
  db_.daemons.try_emplace(name, mapping::DaemonMember{name, "since", "now", "later"});
  return daemons();
}

void FakeStore::leave(const std::string& name) {
  db_.daemons.erase(name);
}

std::vector<mapping::DaemonMember> FakeStore::daemons() {
  std::vector<mapping::DaemonMember> out;
  for (const auto& [_, member] : db_.daemons) out.push_back(member);
  return out;
}

mapping::SendSlots FakeStore::reserve_sends(const std::string& token, std::size_t count,
                                            std::chrono::microseconds interval) {
  auto& next = db_.budgets[token];
  const auto first = std::max(next, db_.now_us);
  next = first + static_cast<std::int64_t>(count) * interval.count();
  return {first, db_.now_us};
}

FakeDatabase::School& FakeStore::fenced(const std::string& org_id) {
  auto& school = db_.schools[org_id];
  const auto held = tokens_.find(org_id);
  if (held == tokens_.end() || !school.lease || school.lease->token != held->second) {
    tokens_.erase(org_id);
    throw mapping::LeaseLost("school " + org_id + ": lease lost (fake store)");
  }
  ++school.version;
  return school;
}

mapping::AppliedState FakeStore::load(const std::string& org_id) {
  mapping::AppliedState out{org_id, {}, {}};
  const auto& school = db_.schools[org_id];
  for (const auto& [key, chat] : school.chats) out.chats.push_back(chat);
  out.last_good_counts = school.counts;
  return out;
}

void FakeStore::save_chats(const std::string& org_id, std::span<const mapping::AppliedChat> chats,
                           std::span<const std::string> removed_keys) {
  auto& school = fenced(org_id);
  for (const auto& key : removed_keys) school.chats.erase(key);
  for (const auto& chat : chats) school.chats[chat.key] = chat;
}

void FakeStore::save_counts(const std::string& org_id, const mapping::SourceCounts& counts) {
  fenced(org_id).counts = counts;
}

std::vector<std::int64_t> FakeStore::record_intents(
    const std::string& org_id, std::int64_t run_id, std::span<const mapping::Action> actions,
    std::span<const std::optional<mapping::ChatId>> chat_ids) {
  auto& school = fenced(org_id);
  std::vector<std::int64_t> ids;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const auto id = db_.next_id++;
    school.log.push_back({id, org_id, run_id, actions[i], chat_ids[i],
                          mapping::ActionStatus::intended, 0, {}, "2026-11-30T12:00:00Z"});
    ids.push_back(id);
  }
  return ids;
}

void FakeStore::record_outcomes(const std::string& org_id,
                                std::span<const mapping::ActionRecord> outcomes,
                                std::span<const mapping::AppliedChat> changed_chats,
                                std::span<const std::string> removed_keys) {
  auto& school = fenced(org_id);
  for (const auto& o : outcomes) {
    for (auto& rec : school.log) {
      if (rec.id != o.id) continue;
      const auto intended_at = rec.intended_at;
      rec = o;
      rec.intended_at = intended_at;
    }
  }
  for (const auto& key : removed_keys) school.chats.erase(key);
  for (const auto& chat : changed_chats) school.chats[chat.key] = chat;
}

std::vector<mapping::ActionRecord> FakeStore::unresolved(const std::string& org_id) {
  std::vector<mapping::ActionRecord> out;
  for (const auto& rec : db_.schools[org_id].log) {
    if (rec.status == mapping::ActionStatus::intended ||
        rec.status == mapping::ActionStatus::unknown)
      out.push_back(rec);
  }
  return out;
}

std::set<mapping::ChatId> FakeStore::bound_chat_ids() {
  std::set<mapping::ChatId> out;
  for (const auto& [org, s] : db_.schools) {
    for (const auto& [key, c] : s.chats) {
      if (c.chat_id) out.insert(*c.chat_id);
    }
  }
  return out;
}

// The same rule as the SQL store's, written over the vector: newest first per action.
std::vector<mapping::Rejection> FakeStore::rejections(const std::string& org_id) {
  std::map<std::string, mapping::Rejection> runs;
  std::set<std::string> settled;
  const auto& log = db_.schools[org_id].log;
  for (auto it = log.rbegin(); it != log.rend(); ++it) {
    if (it->status != mapping::ActionStatus::done && it->status != mapping::ActionStatus::rejected)
      continue;
    const auto id = mapping::action_id(it->action);
    if (settled.contains(id)) continue;
    const bool refused = it->status == mapping::ActionStatus::rejected;
    auto found = runs.find(id);
    if (found == runs.end() && refused) {
      runs.emplace(id, mapping::Rejection{it->action, it->chat_id, it->error_code, it->message, 1});
    } else if (found != runs.end() && refused && found->second.error_code == it->error_code) {
      ++found->second.times;
    } else {
      settled.insert(id);
    }
  }
  std::vector<mapping::Rejection> out;
  for (auto& [id, r] : runs) out.push_back(std::move(r));
  return out;
}

void FakeStore::save_held(const std::string& org_id, std::span<const mapping::Action> held) {
  fenced(org_id).held.assign(held.begin(), held.end());
}

void FakeStore::save_numbers(const std::string& org_id, const mapping::SchoolNumbers& numbers) {
  auto& school = fenced(org_id);
  school.numbers = numbers;
  if (!numbers.day) return;
  auto& week = school.weeks[mapping::week_start(*numbers.day)];
  week = numbers;
  week.chats.clear();
}

std::optional<mapping::SchoolNumbers> FakeStore::numbers(const std::string& org_id) {
  return db_.schools[org_id].numbers;
}

void FakeStore::record_hand_outs(const std::string& org_id,
                                 std::span<const mapping::HandOut> hand_outs) {
  auto& school = db_.schools[org_id];  // not fenced: the report runs beside the daemon
  for (const auto& h : hand_outs) school.hand_outs[{h.chat_key, h.role}] = h;
}

std::vector<mapping::HandOut> FakeStore::hand_outs(const std::string& org_id) {
  std::vector<mapping::HandOut> out;
  for (const auto& [key, h] : db_.schools[org_id].hand_outs) out.push_back(h);
  return out;
}

std::vector<mapping::WeekNumbers> FakeStore::weeks(const std::string& org_id, std::size_t limit) {
  std::vector<mapping::WeekNumbers> out;
  const auto& weeks = db_.schools[org_id].weeks;
  for (auto it = weeks.rbegin(); it != weeks.rend() && out.size() < limit; ++it) {
    out.push_back({it->first, it->second});
  }
  return out;
}

std::vector<mapping::ActionRecord> FakeStore::action_log(const std::string& org_id,
                                                         const mapping::ActionLogFilter& filter) {
  std::vector<mapping::ActionRecord> out;
  for (const auto& rec : db_.schools[org_id].log) {
    if (!filter.person_id.empty() && rec.action.person_id != filter.person_id) continue;
    if (!filter.chat_key.empty() && rec.action.chat_key != filter.chat_key) continue;
    out.push_back(rec);
  }
  if (filter.limit != 0 && out.size() > filter.limit) {
    out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(filter.limit));
  }
  return out;
}

std::vector<mapping::Action> FakeStore::held(const std::string& org_id) {
  return db_.schools[org_id].held;
}

std::set<std::string> FakeStore::approved(const std::string& org_id) {
  return db_.schools[org_id].approved;
}

void FakeStore::consume_approvals(const std::string& org_id, std::span<const std::string> ids) {
  auto& school = fenced(org_id);
  for (const auto& id : ids) school.approved.erase(id);
}

namespace {

// Moves the held actions with these ids into `to`; returns how many were found.
std::size_t decide(FakeDatabase::School& school, std::span<const std::string> ids,
                   std::set<std::string>& to) {
  const std::set<std::string> wanted(ids.begin(), ids.end());
  const auto before = school.held.size();
  std::erase_if(school.held, [&](const mapping::Action& a) {
    auto id = mapping::action_id(a);
    if (!wanted.contains(id)) return false;
    to.insert(std::move(id));
    return true;
  });
  const auto found = before - school.held.size();
  if (found != 0) {
    school.mark = {.version = school.mark.version + 1};
    ++school.version;
  }
  return found;
}

}  // namespace

mapping::JournalMark FakeStore::mark(const std::string& org_id) {
  return db_.schools[org_id].mark;
}

bool FakeStore::save_mark(const std::string& org_id, const mapping::JournalMark& mark) {
  auto& school = fenced(org_id);
  if (school.mark.version != mark.version) return false;
  school.mark = mark;
  return true;
}

void FakeStore::clear_mark(const std::string& org_id) {
  auto& mark = db_.schools[org_id].mark;
  mark = {.version = mark.version + 1};
}

std::size_t FakeStore::approve_actions(const std::string& org_id,
                                       std::span<const std::string> ids) {
  auto& school = db_.schools[org_id];
  return decide(school, ids, school.approved);
}

std::size_t FakeStore::reject_actions(const std::string& org_id,
                                      std::span<const std::string> ids) {
  auto& school = db_.schools[org_id];
  return decide(school, ids, school.rejected);
}

std::set<std::string> FakeStore::rejected(const std::string& org_id) {
  return db_.schools[org_id].rejected;
}

void FakeStore::forget_rejections(const std::string& org_id, std::span<const std::string> ids) {
  auto& school = fenced(org_id);
  for (const auto& id : ids) school.rejected.erase(id);
}

std::int64_t FakeStore::version(const std::string& org_id) {
  return db_.schools[org_id].version;
}

std::int64_t FakeStore::begin_run(const std::string& org_id, const std::string& started_at) {
  auto& school = fenced(org_id);
  const auto id = db_.next_id++;
  school.runs.push_back({id, org_id, started_at, {}, std::nullopt, {}});
  return id;
}

void FakeStore::finish_run(const mapping::RunRecord& run) {
  auto& school = fenced(run.org_id);
  for (auto& r : school.runs) {
    if (r.id == run.id) r = run;
  }
}

std::vector<mapping::RunRecord> FakeStore::runs(const std::string& org_id, std::size_t limit) {
  auto out = db_.schools[org_id].runs;
  std::reverse(out.begin(), out.end());
  if (out.size() > limit) out.resize(limit);
  return out;
}

mapping::Roster five_a() {
  mapping::testing::RosterBuilder b;
  b.group("g5a", "5А")
      .leader("t1", "g5a", 9001)
      .student("s1", "g5a", 1001)
      .student("s2", "g5a", 1002)
      .person("s3", mapping::role_student, 1003)
      .enrol("s3", "g5a", mapping::EnrolmentRole::student, "2026-09-01", "2026-11-20",
             "withdrawn");
  return b.build();
}

}  // namespace rosterd::daemon::testing
