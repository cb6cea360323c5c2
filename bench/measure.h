#pragma once
// One school through the pipeline the daemon runs: parse the export folder, then
// desired → diff → guard, timed apart from generating and writing the files.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace rosterd::bench {

using Duration = std::chrono::duration<double, std::milli>;

// Timings of one scenario: parse only, and parse + core in one pass.
// Each figure is the fastest of `repeats` runs: the machine is shared, and the minimum is the
// least disturbed measurement of the same work.
struct Timing {
  Duration parse_only{};
  Duration parse{};  // the parse inside the full pass
  Duration desired{};
  Duration diff{};
  Duration guard{};
  std::size_t actions = 0;
  [[nodiscard]] Duration core() const { return desired + diff + guard; }
  void keep_fastest(const Timing& other);
};

struct SchoolResult {
  std::string org_id;
  std::size_t persons = 0;
  std::uintmax_t export_bytes = 0;
  Timing first_plan;  // day 0 against an empty applied state
  Timing steady;      // day 1 against the state the first plan left
};

// Generates school `org_id` and its next day, writes both into `scratch` (reused for every
// school so that disk and memory do not grow), and measures them.
[[nodiscard]] SchoolResult measure_school(const std::string& org_id, std::uint64_t region_seed,
                                          const std::filesystem::path& scratch, int repeats);

}  // namespace rosterd::bench
