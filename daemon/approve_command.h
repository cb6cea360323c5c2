#pragma once
// `rosterd approve`: an administrator reads a school's held actions (who, which chat, what,
// why, why held) and approves them all, approves one (`--action ID`) or rejects one
// (`--reject ID`: the person or chat stays where it is). Nothing is decided without a "yes":
// the question on a terminal, or `--yes`. The work sees the store port only, so it runs the
// same against the SQL store and the test fakes.

#include <istream>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "mapping/ports.h"

namespace rosterd::daemon {

struct ApproveRequest {
  std::string org_id;
  std::vector<std::string> approve;  // --action: mapping::action_id()s
  std::vector<std::string> reject;   // --reject
  bool yes = false;                  // --yes: no question
};

// What the administrator reads next to ids: people's names from the journal, chats' titles
// from the applied state (either may be missing: the id is shown then).
struct HeldNames {
  std::map<std::string, std::string> people;  // person id → name
  std::map<std::string, std::string> chats;   // chat key → title
};

// Where the question is asked: `terminal` false means no one can answer it.
struct Console {
  std::istream& in;
  bool terminal = false;
  std::ostream& out;
  std::ostream& err;
};

// Lists the actions the request decides (every held action without --action or --reject),
// asks, then records the decisions. Returns the exit code: 0 decided (or nothing held),
// 1 an unknown id, no terminal without --yes, or the question answered no; nothing is
// decided then. Store errors throw.
[[nodiscard]] int approve_held_actions(const ApproveRequest& request, mapping::StateStore& store,
                                       const HeldNames& names, Console& console);

// "1 действие", "2 действия", "5 действий".
[[nodiscard]] std::string count_actions(std::size_t n);

}  // namespace rosterd::daemon
