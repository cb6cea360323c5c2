// rosterd-bench: parse and plan N generated schools one at a time; prints times and peak RSS.

#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/large_school.h"
#include "bench/measure.h"

namespace {

using rosterd::bench::Duration;
using rosterd::bench::SchoolResult;
using rosterd::bench::Timing;

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

std::string school_id(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "sch-%04d", n);
  return buf;
}

struct Totals {
  double parse_only = 0, parse = 0, desired = 0, diff = 0, guard = 0;
  double core = 0, core_per_1500 = 0, core_max = 0;
  std::size_t actions = 0;
  void add(const Timing& t, std::size_t persons) {
    parse_only += t.parse_only.count();
    parse += t.parse.count();
    desired += t.desired.count();
    diff += t.diff.count();
    guard += t.guard.count();
    core += t.core().count();
    core_per_1500 += t.core().count() * 1500.0 / static_cast<double>(persons);
    core_max = std::max(core_max, t.core().count());
    actions += t.actions;
  }
};

void print_scenario(const char* title, const Totals& t, int schools) {
  const double n = schools;
  std::printf("%s\n", title);
  std::printf("  parse only           total %9.1f ms   per school %7.2f ms\n", t.parse_only,
              t.parse_only / n);
  std::printf(
      "  parse + core         total %9.1f ms   per school %7.2f ms  (parse %.2f + core %.2f)\n",
      t.parse + t.core, (t.parse + t.core) / n, t.parse / n, t.core / n);
  std::printf("  core = desired %.2f + diff %.2f + guard %.2f ms per school\n", t.desired / n,
              t.diff / n, t.guard / n);
  std::printf("  core share over parse      %6.1f %%   (target <= 20 %%)\n",
              100.0 * t.core / t.parse);
  std::printf("  core per 1,500-person school %6.2f ms (max school %.2f ms; target < 5 ms)\n",
              t.core_per_1500 / n, t.core_max);
  std::printf("  actions per school         %8.1f\n", static_cast<double>(t.actions) / n);
}

}  // namespace

int main(int argc, char** argv) {
  int schools = 20;
  std::uint64_t seed = 1;
  int repeats = 3;
  std::vector<int> large_classes;
  CLI::App app{"rosterd-bench: parse and plan generated schools one at a time"};
  app.add_option("--schools", schools, "number of schools (2000 for a whole region)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--seed", seed, "generator seed")->capture_default_str();
  app.add_option("--repeat", repeats, "runs per school; the fastest counts")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--large-school", large_classes,
                 "also plan one school of this many classes (e.g. 1000 4000), built in memory");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  const auto scratch =
      std::filesystem::temp_directory_path() / ("rosterd-bench-" + std::to_string(::getpid()));
  Totals first, steady;
  std::size_t persons = 0;
  std::uintmax_t bytes = 0;
  double rss_after_one = 0;
  try {
    for (int i = 1; i <= schools; ++i) {
      const SchoolResult r = rosterd::bench::measure_school(school_id(i), seed, scratch, repeats);
      first.add(r.first_plan, r.persons);
      steady.add(r.steady, r.persons);
      persons += r.persons;
      bytes += r.export_bytes;
      if (i == 1) rss_after_one = peak_rss_mib();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rosterd-bench: %s\n", e.what());
    std::filesystem::remove_all(scratch);
    return 1;
  }
  std::filesystem::remove_all(scratch);
  std::printf(
      "rosterd-bench: %d schools (seed %llu, fastest of %d runs each), %.0f persons and %.0f KB "
      "of export per school\n",
      schools, static_cast<unsigned long long>(seed), repeats,
      static_cast<double>(persons) / schools, static_cast<double>(bytes) / schools / 1024.0);
  print_scenario("first plan (day 0, empty applied state):", first, schools);
  print_scenario("steady state (day 1, applied state after the first plan):", steady, schools);
  for (const int classes : large_classes) {
    const auto r = rosterd::bench::measure_large_school(classes, repeats);
    std::printf(
        "one school of %d classes: plan %.1f ms, recording it as applied %.1f ms (%zu "
        "chats created)\n",
        classes, r.plan.count(), r.assume.count(), r.chats);
  }
  std::printf("peak RSS: %.1f MiB after 1 school, %.1f MiB after %d schools\n", rss_after_one,
              peak_rss_mib(), schools);
  return 0;
}
