#include "mapping/lookup.h"

#include <algorithm>
#include <charconv>

#include "mapping/date.h"
#include "mapping/message.h"
#include "mapping/wording.h"

namespace rosterd::mapping {
namespace {

// Facts that prove a same-title chat is not the one the intent created.
bool provably_not_ours(const CreateLookup& lookup, const PlatformChat& chat) {
  if (chat.archived) return true;                     // nothing can be written to it anyway
  if (lookup.bound.contains(chat.chat_id)) return true;  // another school's, or already ours
  if (chat.created_by == 0) return true;              // made by the platform, not by a call
  return lookup.intended_at &&
         chat.created_at < *lookup.intended_at - lookup_clock_margin_seconds;
}

// A member neither the token's own user (the chat's creator) nor one of this school's people.
std::optional<PlatformUserId> stranger(const CreateLookup& lookup, const LookupChat& candidate) {
  for (const auto& m : candidate.members) {
    if (m.user_id != candidate.chat.created_by && !lookup.known_users.contains(m.user_id)) {
      return m.user_id;
    }
  }
  return std::nullopt;
}

Finding unclear_finding(const CreateLookup& lookup, const std::vector<const LookupChat*>& found,
                        const std::string& why) {
  Finding f;
  f.code = FindingCode::unclear_chat;
  f.subject_ids.push_back(lookup.org_id);
  f.subject_ids.push_back(lookup.chat_key);
  std::string ids;
  for (const LookupChat* c : found) {
    f.subject_ids.push_back(std::to_string(c->chat.chat_id));
    ids += (ids.empty() ? "" : ", ") + std::to_string(c->chat.chat_id);
  }
  f.message = msg("lookup.unclear_chat",
                  "school {school}: the creation of chat {title} has an unknown outcome and "
                  "platform chat(s) {ids} may be it ({why}); nothing is bound or created for it "
                  "until an administrator archives the chat that is not this school's (or "
                  "removes the people who do not belong)",
                  {{"school", lookup.org_id}, {"title", quoted(lookup.title)}, {"ids", ids}, {"why", why}});
  return f;
}

int digits(std::string_view s, std::size_t at, std::size_t n, bool& ok) {
  int value = 0;
  if (at + n > s.size()) {
    ok = false;
    return 0;
  }
  const auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + n, value);
  ok = ok && ec == std::errc() && end == s.data() + at + n;
  return value;
}

}  // namespace

LookupDecision decide_created_chat(const CreateLookup& lookup,
                                   std::span<const LookupChat> same_title) {
  std::vector<const LookupChat*> candidates;
  for (const auto& c : same_title) {
    if (c.chat.title == lookup.title && !provably_not_ours(lookup, c.chat)) {
      candidates.push_back(&c);
    }
  }
  LookupDecision out;
  if (candidates.empty()) return out;  // not made: planned again
  out.verdict = LookupVerdict::unclear;
  if (candidates.size() > 1) {
    out.finding = unclear_finding(
        lookup, candidates, msg("lookup.several_chats", "more than one chat could be it"));
    return out;
  }
  if (const auto who = stranger(lookup, *candidates.front())) {
    out.finding = unclear_finding(lookup, candidates,
                                  msg("lookup.stranger",
                                      "it has member {uid}, who is not of this school",
                                      {{"uid", std::to_string(*who)}}));
    return out;
  }
  out.verdict = LookupVerdict::made;
  out.chat_id = candidates.front()->chat.chat_id;
  return out;
}

std::optional<std::int64_t> unix_seconds_from_iso(std::string_view iso) noexcept {
  // YYYY-MM-DDTHH:MM:SS, then an optional fraction and an optional Z.
  if (iso.size() < 19 || iso[10] != 'T' || iso[13] != ':' || iso[16] != ':') return std::nullopt;
  const auto date = Date::parse(iso.substr(0, 10));
  bool ok = true;
  const int h = digits(iso, 11, 2, ok);
  const int m = digits(iso, 14, 2, ok);
  const int s = digits(iso, 17, 2, ok);
  if (!date || !ok || h > 23 || m > 59 || s > 60) return std::nullopt;
  auto rest = iso.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    std::size_t n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (n == 1) return std::nullopt;
    rest.remove_prefix(n);
  }
  if (rest == "Z") rest.remove_prefix(1);
  if (!rest.empty()) return std::nullopt;
  return std::int64_t{date->days()} * 86400 + h * 3600 + m * 60 + s;
}

std::set<PlatformUserId> known_platform_users(const AppliedState& applied) {
  std::set<PlatformUserId> users;
  for (const auto& chat : applied.chats) {
    for (const auto& m : chat.members) {
      if (m.platform_user_id) users.insert(*m.platform_user_id);
    }
  }
  return users;
}

}  // namespace rosterd::mapping
