#pragma once
// `rosterd adopt`: an administrator binds a chat that already exists on the platform to a
// group (after an adoption_unclear finding, or to settle which of two chats serves a class).
// The work sees ports only, so it runs the same against the real client and the test fakes.

#include <chrono>
#include <string>

#include "mapping/ports.h"

namespace rosterd::daemon {

struct AdoptRequest {
  std::string org_id;
  std::string key;  // a chat key of this school, as parse_chat_key reads it
  mapping::ChatId chat_id = 0;
  std::string holder;  // this process, as leases name it (lease_holder_name)
  std::chrono::milliseconds lease_ttl{60'000};
};

struct AdoptResult {
  bool bound = false;
  // One line for the administrator, as a message (mapping/message.h) the CLI words in the
  // reader's language; no contacts, no tokens.
  std::string message;
};

// Under the school's lease (taken as a sync takes it; refused naming the holder when another
// process holds it): chat `chat_id` must be a live chat of the school's organisation on the
// platform, bound to no school of the store, and `key` bound to no chat yet. Then the chat is
// recorded as the key's managed chat, with the platform's title; the next sync reads its
// members and makes it what the journal says. Store and platform errors throw.
[[nodiscard]] AdoptResult adopt_chat(const AdoptRequest& request, mapping::Platform& platform,
                                     mapping::StateStore& store);

}  // namespace rosterd::daemon
