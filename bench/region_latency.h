#pragma once
// Change-to-chat latency: students transferred between classes in random schools of journal-sim
// (POST /sim/advance with a `transfer` scenario event), each timed until platform-sim shows the
// move (GET /sim/memberships: the student has left a chat they were in and joined a new one).

#include <cstdint>
#include <random>
#include <vector>

#include "bench/region_world.h"

namespace rosterd::bench {

struct LatencyResult {
  std::vector<double> seconds;  // one per change the platform showed, in the order seen
  int injected = 0;
  int unseen = 0;               // not shown by the deadline
};

// Injects args.changes transfers spread evenly over args.minutes, then waits for the last ones
// (at most three intervals and a minute more).
[[nodiscard]] LatencyResult measure_latency(RegionWorld& world, const RegionArgs& args,
                                            std::mt19937_64& rng);

// The nearest-rank percentile (0 < p <= 100) of `values`; 0 for none.
[[nodiscard]] double percentile(std::vector<double> values, double p);

}  // namespace rosterd::bench
