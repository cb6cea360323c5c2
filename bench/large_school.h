#pragma once
// One school with thousands of classes, built in memory: the plan that creates all its chats,
// and recording that plan as applied (assume_applied: what `plan --assume-applied` and a
// sync's bookkeeping do with each created chat).

#include <cstddef>

#include "bench/measure.h"

namespace rosterd::bench {

struct LargeSchoolResult {
  std::size_t chats = 0;  // chats the plan creates
  Duration plan{};        // desired → diff → guard
  Duration assume{};      // assume_applied of that plan
};

// Each figure is the fastest of `repeats` runs.
[[nodiscard]] LargeSchoolResult measure_large_school(int classes, int repeats);

}  // namespace rosterd::bench
