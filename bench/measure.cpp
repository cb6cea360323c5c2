#include "bench/measure.h"

#include <algorithm>

#include "adapters/export/export_reader.h"
#include "generator/generator.h"
#include "generator/random.h"
#include "mapping/sync.h"

namespace rosterd::bench {
namespace {

using Clock = std::chrono::steady_clock;
using mapping::Date;

const Date start = Date::from_ymd(2026, 9, 1);

std::uintmax_t folder_bytes(const std::filesystem::path& folder) {
  std::uintmax_t total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) total += entry.file_size();
  return total;
}

struct Planned {
  mapping::Plan plan;
  mapping::SourceCounts counts;
};

// One cycle of the daemon for one school: parse → desired → diff → guard, each step timed.
Planned plan_cycle(const std::filesystem::path& folder, const mapping::AppliedState& applied,
                   Date today, Timing& timing) {
  static const mapping::Rules rules = mapping::Rules::defaults();
  const auto t0 = Clock::now();
  const mapping::Roster roster = adapters::export_folder::read_export(folder);
  const auto t1 = Clock::now();
  const auto counts = mapping::count(roster);
  const auto desired = mapping::desired(roster, rules, today);
  const auto t2 = Clock::now();
  auto plan = mapping::diff(desired, applied, mapping::Policy{}, today);
  const auto t3 = Clock::now();
  plan =
      mapping::guard(std::move(plan),
                     mapping::GuardInput{mapping::Limits{}, counts, applied.last_good_counts, {}});
  const auto t4 = Clock::now();
  timing.parse = t1 - t0;
  timing.desired = t2 - t1;
  timing.diff = t3 - t2;
  timing.guard = t4 - t3;
  timing.actions = plan.actions.size();
  return {std::move(plan), counts};
}

Duration parse_only(const std::filesystem::path& folder) {
  const auto t0 = Clock::now();
  const mapping::Roster roster = adapters::export_folder::read_export(folder);
  const auto t1 = Clock::now();
  if (roster.persons.empty()) throw std::runtime_error(folder.string() + ": no persons");
  return t1 - t0;
}

// Measures one scenario `repeats` times; returns the plan of the last run.
Planned measure(const std::filesystem::path& folder, const mapping::AppliedState& applied,
                Date today, int repeats, Timing& fastest) {
  Planned planned;
  for (int r = 0; r < repeats; ++r) {
    Timing t;
    t.parse_only = parse_only(folder);
    planned = plan_cycle(folder, applied, today, t);
    if (r == 0) {
      fastest = t;
    } else {
      fastest.keep_fastest(t);
    }
  }
  return planned;
}

}  // namespace

void Timing::keep_fastest(const Timing& other) {
  parse_only = std::min(parse_only, other.parse_only);
  parse = std::min(parse, other.parse);
  desired = std::min(desired, other.desired);
  diff = std::min(diff, other.diff);
  guard = std::min(guard, other.guard);
}

SchoolResult measure_school(const std::string& org_id, std::uint64_t region_seed,
                            const std::filesystem::path& scratch, int repeats) {
  const auto today_folder = scratch / "today";
  const auto tomorrow_folder = scratch / "tomorrow";
  SchoolResult result;
  result.org_id = org_id;
  {  // generation and writing: not timed; the rosters are gone before measuring
    const std::uint64_t seed = generator::org_seed(region_seed, org_id);
    const mapping::Roster today = generator::make_school(org_id, seed, start);
    generator::write_export(today, today_folder);
    generator::write_export(generator::next_day(today, generator::mix(seed, 1), start.plus_days(1)),
                            tomorrow_folder);
    result.persons = today.persons.size();
  }
  result.export_bytes = folder_bytes(today_folder);

  mapping::AppliedState empty;
  empty.org_id = org_id;
  const Planned first = measure(today_folder, empty, start, repeats, result.first_plan);
  // The steady state: the first plan applied, then the next day's journal planned.
  mapping::AppliedState applied = mapping::assume_applied(empty, first.plan);
  applied.org_id = org_id;
  applied.last_good_counts = first.counts;
  (void)measure(tomorrow_folder, applied, start.plus_days(1), repeats, result.steady);
  return result;
}

}  // namespace rosterd::bench
