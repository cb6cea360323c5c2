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
  std::vector<Action> actions;      // adopt_chat, reason with the evidence; chat_id set
  std::vector<Finding> findings;    // adoption_unclear, naming the candidates
  std::set<std::string> undecided;  // desired chat keys with an unresolved candidate
};

// The desired chats without an applied chat of their key (nor of their previous_key, which the
// new academic year carries over), against the candidates: the organisation's live (not
// archived) chats that no school of the store is bound to, that are no applied chat of this
// school and that no other desired chat takes in this call.
//
// - A config binding (key → chat id) wins outright when its chat is listed, live and bound
//   nowhere: adopted, reason "bound in the config to chat N «title»". A binding to a chat that
//   is not listed, archived, gone, bound elsewhere, or bound to two keys is adoption_unclear
//   and the key is undecided.
// - Titles are compared normalised: case folded (Cyrillic too), ё read as е, a Latin letter
//   that looks like a Cyrillic one read as it ("5A"), every character that is no letter or
//   digit («»"—-·.,№, spaces) a word break. A candidate's title is
//   "exact" when its words are those of the desired title; it "names the group" when
//   consecutive words spell the group's name ("5А", "5-А", "5 А"; not "15А") and the kind
//   fits: a title with a parents' word (родител…, parent…) is a parents' chat, one without a
//   class or association chat. The staff chat's group is the organisation: a title names it
//   with a staff word (учител…, педагог…, сотрудник…, staff…) and no group's name, and fits
//   without a parents' word.
// - Overlap: of the desired members with a platform account (the token's own user aside),
//   how many are in the candidate; unknown when none has one or its members were not read.
//   Weak: under a half; strong: 80 % or more.
// - Levels of evidence, strongest first; only the strongest level with a candidate counts:
//   (1) an exact title, (2) named by a chat the platform made (created_by 0), (3) named by a
//   chat a person made, (4) a strong overlap with a title that does not name the group this
//   way (a subject chat, or the group's chat of another kind).
//   Clear, adopted: one candidate at level 1 or 2 whose overlap is not weak. Unclear
//   (adoption_unclear naming the candidates, key undecided): two or more at level 1 or 2, one
//   with a weak overlap, anything at level 3 or 4. No candidate: nothing (the diff creates it).
//   A chat that is the clear match of two keys is adopted by neither (both unclear); keys left
//   are decided again without the chats adopted meanwhile. Level 4 sees only chats whose
//   members were read: those adoption_candidates lists, unless the daemon reads more.
// - An adoption's reason gives the evidence: "existing chat «5А класс» (chat 12, made by the
//   platform): title names 5А, 24 of 26 expected members are in it". A finding names the
//   candidates by title and chat id with theirs, and what an administrator can do (rosterd
//   adopt --school S --key K --chat-id N; rosterd approve). Titles are shown on one line and
//   a phone number or e-mail address in one is not repeated.
// - A chat that is no candidate of any key (a teacher's "Кружок шахмат") is never mentioned.
[[nodiscard]] AdoptionResult adopt(const AdoptionInput& input);

// The chats whose members `adopt` needs, sorted: the live, unbound chats of the listing whose
// title is exact for or names the group of (any kind) a desired chat without an applied one,
// and the chats the config binds such chats to. Empty when every desired chat has its chat.
[[nodiscard]] std::vector<ChatId> adoption_candidates(
    const DesiredState& desired, const AppliedState& applied, std::span<const PlatformChat> listing,
    const std::set<ChatId>& bound, const std::map<std::string, ChatId>& bindings = {});

}  // namespace rosterd::mapping
