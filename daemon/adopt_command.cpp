#include "daemon/adopt_command.h"

#include <algorithm>
#include <stdexcept>

#include "daemon/config_bindings.h"
#include "daemon/sync.h"

namespace rosterd::daemon {

namespace {

AdoptResult refused(std::string message) {
  return {false, std::move(message)};
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

std::string chat_name(mapping::ChatId id) {
  return "chat " + std::to_string(id);
}

// Why the chat cannot become the key's, or nullopt when it can; fills `chat` from the platform.
std::optional<std::string> check(const AdoptRequest& r, mapping::Platform& platform,
                                 mapping::StateStore& store, mapping::AppliedChat& chat) {
  const auto listing = platform.list_org_chats(r.org_id);
  const auto found = std::find_if(listing.begin(), listing.end(),
                                  [&](const auto& c) { return c.chat_id == r.chat_id; });
  if (found == listing.end()) {
    return chat_name(r.chat_id) + " is not a chat of organisation " + r.org_id +
           " on the platform (sferum.listChats, scope=organisation)";
  }
  if (found->archived) return chat_name(r.chat_id) + " is archived on the platform";
  const auto applied = store.load(r.org_id);
  for (const auto& c : applied.chats) {
    if (c.key == r.key && c.chat_id) {
      return r.key + " is already bound to " + chat_name(*c.chat_id) + " in school " + r.org_id;
    }
    if (c.chat_id == r.chat_id) {
      return chat_name(r.chat_id) + " is already bound to " + c.key + " in school " + r.org_id;
    }
  }
  if (store.bound_chat_ids().contains(r.chat_id)) {
    return chat_name(r.chat_id) + " is already bound to a chat of another school of this store";
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
  if (!key.parts) return refused("--key " + r.key + ": " + key.problem + "; nothing was bound");
  auto attempt = store.acquire_lease(r.org_id, r.holder, r.lease_ttl);
  if (!attempt.acquired && lease_holder_gone(attempt.lease.holder)) {
    attempt = store.take_over_lease(r.org_id, r.holder, attempt.lease.token, r.lease_ttl);
  }
  if (!attempt.acquired) {
    return refused("school " + r.org_id + " is held by " + attempt.lease.holder + " until " +
                   attempt.lease.expires_at + "; nothing was bound, try again after its cycle");
  }
  const LeaseRelease release{store, r.org_id};
  mapping::AppliedChat chat;
  chat.key = r.key;
  chat.kind = key.parts->kind;
  chat.group_id = key.parts->group_id;
  if (auto problem = check(r, platform, store, chat))
    return refused(*problem + "; nothing was bound");
  store.save_chats(r.org_id, std::span(&chat, 1), {});
  return {true, r.key + " of school " + r.org_id + " is now " + chat_name(r.chat_id) +
                    "; the next sync reads its members and brings it in line"};
}

}  // namespace rosterd::daemon
