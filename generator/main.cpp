// rosterd-gen: writes synthetic journal exports, one folder per organisation.

#include <CLI/CLI.hpp>
#include <iostream>

#include "generator/region.h"

int main(int argc, char** argv) {
  using rosterd::mapping::Date;
  rosterd::generator::RegionOptions options;
  std::string out;
  std::string start = "2026-09-01";
  CLI::App app{
      "rosterd-gen: synthetic journal exports (orgs, groups, persons, enrollments, relations)"};
  app.add_option("--out", out, "folder to write <org-id>/ export folders into")->required();
  app.add_option("--seed", options.seed, "seed; the same seed gives the same files")
      ->capture_default_str();
  app.add_option("--schools", options.schools, "number of schools")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--kindergartens", options.kindergartens, "number of kindergartens")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--additional", options.additional, "number of additional-education centres")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--start", start, "first day of the academic year, YYYY-MM-DD")
      ->capture_default_str();
  app.add_option("--days", options.days, "days of movement after --start")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_flag("--next-year", options.next_year, "then roll over to the next academic year");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 1;
  }
  const auto date = Date::parse(start);
  if (!date) {
    std::cerr << "rosterd-gen: --start must be a date YYYY-MM-DD, got \"" << start << "\"\n";
    return 1;
  }
  options.start = *date;
  try {
    const auto ids = rosterd::generator::write_region(options, out);
    std::cout << "rosterd-gen: wrote " << ids.size() << " organisation(s) to " << out << "\n";
  } catch (const std::exception& e) {
    std::cerr << "rosterd-gen: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
