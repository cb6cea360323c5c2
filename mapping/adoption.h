#pragma once
// Adoption: a school already has chats (the platform makes class chats itself from the
// journal, teachers make their own). Before a chat is created for a group, the chat that
// already serves it is looked for by title, kind and member overlap. Pure: the daemon reads
// the organisation's chats and their members, this decides.

#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "mapping/ports.h"
#include "mapping/state.h"

namespace rosterd::mapping {

struct AdoptionInput {
  const DesiredState& desired;
  const AppliedState& applied;            // the school's chats as rosterd knows them
  std::span<const PlatformChat> listing;  // every chat of the organisation
  std::span<const ChatMembers> members;   // the members of the candidates (adoption_candidates)
  const std::set<ChatId>& bound;          // chats any school of the store is bound to
  PlatformUserId self = 0;                // the token's own user
  const std::map<std::string, ChatId>& bindings;  // the config's: chat key → chat id
};

struct AdoptionResult {
  // One per adopt_chat action, keyed like the desired chat, with its members as seen: those
  // the journal puts in the chat take their person id (origin ours, admin as seen), others
  // are "uid:<n>" (observed, or joined when they came by link); the token's own user is left
  // out. observed_at is not set here (the daemon's observe sets it).
  std::vector<AppliedChat> adopted;
  std::vector<Action> actions;  // adopt_chat, reason with the evidence; chat_id set
  std::vector<Finding> findings;  // adoption_unclear, naming the candidates
  std::set<std::string> undecided;  // desired chat keys with an unresolved candidate
};

// The desired chats without an applied chat, against the organisation's live chats that no
// school is bound to. Bindings from the config win outright. Otherwise a clear match is
// adopted; an unclear one (two candidates, a weak overlap, a teacher's chat that only looks
// like the group's) leaves the key undecided. A chat that matches no group is never touched.
[[nodiscard]] AdoptionResult adopt(const AdoptionInput& input);

// The chats whose members `adopt` needs: the live, unbound chats of the listing that could
// serve a desired chat without an applied one. Empty when every desired chat has its chat.
[[nodiscard]] std::vector<ChatId> adoption_candidates(const DesiredState& desired,
                                                      const AppliedState& applied,
                                                      std::span<const PlatformChat> listing,
                                                      const std::set<ChatId>& bound);

}  // namespace rosterd::mapping
