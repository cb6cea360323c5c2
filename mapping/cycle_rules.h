#pragma once
// The product rules of one school's cycle, as pure functions the daemon wires: the order of
// writes, what a cycle's counts say about it (its result), which approvals it consumes,
// whether its journal answer becomes the baseline, and what happens to a write the platform
// keeps refusing.

#include <array>
#include <cstddef>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "mapping/plan.h"
#include "mapping/ports.h"

namespace rosterd::mapping {

// Writes that do not depend on each other share a phase; each phase needs the one before:
// members need their chat, admins their membership, demotions and removals wait for
// promotions (a chat never drops to zero admins), archives come last.
[[nodiscard]] const std::vector<std::vector<ActionType>>& write_phases();

// What became of the writes of one action type in one cycle.
struct WriteTally {
  std::size_t done = 0;
  std::size_t rejected = 0;
  std::size_t unknown = 0;
  std::size_t not_sent = 0;
  friend bool operator==(const WriteTally&, const WriteTally&) = default;
};

struct WriteCounts {
  std::array<WriteTally, action_type_count> by_type{};  // indexed by ActionType
  std::size_t looked_up_made = 0;      // open actions found made on the platform
  std::size_t looked_up_not_made = 0;  // open actions found not made: planned again

  void add(ActionType type, WriteStatus status);
  [[nodiscard]] WriteTally total() const;
  [[nodiscard]] const WriteTally& of(ActionType type) const {
    return by_type[static_cast<std::size_t>(type)];
  }
};

// What the cycle knew when it ended, for its result.
struct CycleFacts {
  bool stopped = false;         // a stop request ended it between batches
  bool source_failure = false;  // the guard did not trust the journal's answer
  bool held = false;            // the plan holds actions for an administrator
  WriteCounts writes;
};

// stopped, then source_failure, then partial (a write rejected, not sent or of unknown
// outcome: the plan is not made real), then held, then ok. A partial cycle with held actions
// says partial: what the platform did not do matters before what waits for a person, and the
// held count is in the summary either way.
[[nodiscard]] CycleResult cycle_result(const CycleFacts& facts);

// The journal's counts become the guard's baseline ("last good") only from an answer the
// guard trusted, in a cycle that ran to its end.
[[nodiscard]] bool saves_baseline(const CycleFacts& facts);

// The approvals a cycle consumes: those of the actions it applied (done). An approved action
// that was stopped, not sent or refused keeps its approval for the next cycle.
[[nodiscard]] std::vector<std::string> consumed_approvals(std::span<const Action> done,
                                                          const std::set<std::string>& approved);

// A write the platform refused with the same error on this many consecutive attempts is not
// sent again on its own.
inline constexpr std::size_t repeated_rejection_threshold = 2;

// Holds the plan's actions that the platform refused the same way on the last consecutive
// attempts (`rejections`, from the action log) unless an administrator approved them, with a
// rejected_write finding naming the chat and the person. Approving one (rosterd approve) sends
// it once more; refused again, it is held again. Returns how many it held.
std::size_t hold_repeated_rejections(Plan& plan, std::span<const Rejection> rejections,
                                     const std::set<std::string>& approved);

}  // namespace rosterd::mapping
