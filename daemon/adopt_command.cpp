#include "daemon/adopt_command.h"

#include <algorithm>
#include <stdexcept>

#include "daemon/config_bindings.h"
#include "daemon/sync.h"
#include "mapping/message.h"

namespace rosterd::daemon {

namespace {

using mapping::msg;

AdoptResult refused(const std::string& why) {
  return {false, msg("adopt.refused", "{why}; nothing was bound", {{"why", why}})};
}

// Released however the command ends; a release that fails leaves a lease that runs out by
// itself (the next holder waits at most one lease period).
struct LeaseRelease {
  mapping::StateStore& store;
  const std::string& org_id;
  LeaseRelease(mapping::StateStore& s, const std::string& org) : store(s), org_id(org) {}
  LeaseRelease(const LeaseRelease&) = delete;
  LeaseRelease& operator=(const LeaseRelease&) = delete;
  ~LeaseRelease() {
    try {
      store.release_lease(org_id);
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch)
    }
  }
};

std::string id_of(mapping::ChatId id) {
  return std::to_string(id);
}

// Why the chat cannot become the key's, or nullopt when it can; fills `chat` from the platform.
std::optional<std::string> check(const AdoptRequest& r, mapping::Platform& platform,
                                 mapping::StateStore& store, mapping::AppliedChat& chat) {
  const auto listing = platform.list_org_chats(r.org_id);
  const auto found = std::find_if(listing.begin(), listing.end(),
                                  [&](const auto& c) { return c.chat_id == r.chat_id; });
  if (found == listing.end()) {
    return msg("adopt.not_listed",
               "chat {chat} is not a chat of organisation {org} on the platform "
               "(sferum.listChats, scope=organisation)",
               {{"chat", id_of(r.chat_id)}, {"org", r.org_id}});
  }
  if (found->archived) {
    return msg("adopt.archived", "chat {chat} is archived on the platform",
               {{"chat", id_of(r.chat_id)}});
  }
  const auto applied = store.load(r.org_id);
  for (const auto& c : applied.chats) {
    if (c.key == r.key && c.chat_id) {
      return msg("adopt.key_bound", "{key} is already bound to chat {chat} in school {org}",
                 {{"key", r.key}, {"chat", id_of(*c.chat_id)}, {"org", r.org_id}});
    }
    if (c.chat_id == r.chat_id) {
      return msg("adopt.chat_bound", "chat {chat} is already bound to {key} in school {org}",
                 {{"chat", id_of(r.chat_id)}, {"key", c.key}, {"org", r.org_id}});
    }
  }
  if (store.bound_chat_ids().contains(r.chat_id)) {
    return msg("adopt.bound_elsewhere",
               "chat {chat} is already bound to a chat of another school of this store",
               {{"chat", id_of(r.chat_id)}});
  }
  // A key recorded without a chat (a creation not made yet) keeps what was recorded of it.
  const auto known = std::find_if(applied.chats.begin(), applied.chats.end(),
                                  [&](const auto& c) { return c.key == r.key; });
  if (known != applied.chats.end()) chat = *known;
  chat.chat_id = r.chat_id;
  chat.title = found->title;
  chat.archived = false;
  chat.managed = true;
  return std::nullopt;
}

}  // namespace

AdoptResult adopt_chat(const AdoptRequest& r, mapping::Platform& platform,
                       mapping::StateStore& store) {
  const auto key = parse_chat_key(r.key, r.org_id);
  if (!key.parts) {
    return refused(
        msg("adopt.bad_key", "--key {key}: {problem}", {{"key", r.key}, {"problem", key.problem}}));
  }
  auto attempt = store.acquire_lease(r.org_id, r.holder, r.lease_ttl);
  if (!attempt.acquired && lease_holder_gone(attempt.lease.holder)) {
    attempt = store.take_over_lease(r.org_id, r.holder, attempt.lease.token, r.lease_ttl);
  }
  if (!attempt.acquired) {
    return {false, msg("adopt.leased",
                       "school {org} is held by {holder} until {until}; nothing was bound, try "
                       "again after its cycle",
                       {{"org", r.org_id},
                        {"holder", attempt.lease.holder},
                        {"until", attempt.lease.expires_at}})};
  }
  const LeaseRelease release{store, r.org_id};
  mapping::AppliedChat chat;
  chat.key = r.key;
  chat.kind = key.parts->kind;
  chat.group_id = key.parts->group_id;
  if (auto problem = check(r, platform, store, chat)) return refused(*problem);
  store.save_chats(r.org_id, std::span(&chat, 1), {});
  store.clear_mark(r.org_id);  // the next cycle plans, whatever the journal answers
  return {true, msg("adopt.bound",
                    "{key} of school {org} is now chat {chat}; the next sync reads its members "
                    "and brings it in line",
                    {{"key", r.key}, {"org", r.org_id}, {"chat", id_of(r.chat_id)}})};
}

}  // namespace rosterd::daemon
