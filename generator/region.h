#pragma once
// A region of generated organisations written as export folders: what `rosterd-gen` does,
// as a library call so that scripts and tests get the same output.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "mapping/date.h"

namespace rosterd::generator {

struct RegionOptions {
  std::uint64_t seed = 1;
  int schools = 1;
  int kindergartens = 1;
  int additional = 1;
  mapping::Date start = mapping::Date::from_ymd(2026, 9, 1);
  int days = 0;            // days of movement after `start`, day i dated start + i
  bool next_year = false;  // then roll over to the following Sept 1
};

// "sch-0001".., "kg-0001".., "add-0001"..
[[nodiscard]] std::vector<std::string> region_org_ids(const RegionOptions& options);

// Generates one organisation at a time (memory does not grow with the region) and writes
// `out`/<org id>/. Returns the org ids written.
std::vector<std::string> write_region(const RegionOptions& options,
                                      const std::filesystem::path& out);

}  // namespace rosterd::generator
