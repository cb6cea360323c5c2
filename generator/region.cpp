#include "generator/region.h"

#include "generator/generator.h"
#include "generator/random.h"

namespace rosterd::generator {
namespace {

std::string numbered(const char* prefix, int n) {
  std::string digits = std::to_string(n);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return std::string{prefix} + "-" + digits;
}

mapping::Roster make_org(const std::string& org_id, std::uint64_t seed, mapping::Date start) {
  if (org_id.starts_with("kg-")) return make_kindergarten(org_id, seed, start);
  if (org_id.starts_with("add-")) return make_additional(org_id, seed, start);
  return make_school(org_id, seed, start);
}

}  // namespace

std::uint64_t org_seed(std::uint64_t region_seed, const std::string& org_id) {
  return mix(region_seed, hash_id(org_id));
}

std::vector<std::string> region_org_ids(const RegionOptions& options) {
  std::vector<std::string> ids;
  for (int i = 1; i <= options.schools; ++i) ids.push_back(numbered("sch", i));
  for (int i = 1; i <= options.kindergartens; ++i) ids.push_back(numbered("kg", i));
  for (int i = 1; i <= options.additional; ++i) ids.push_back(numbered("add", i));
  return ids;
}

std::vector<std::string> write_region(const RegionOptions& options,
                                      const std::filesystem::path& out) {
  const auto ids = region_org_ids(options);
  for (const auto& id : ids) {
    const std::uint64_t seed = org_seed(options.seed, id);
    mapping::Roster roster = make_org(id, seed, options.start);
    for (int day = 1; day <= options.days; ++day) {
      roster = next_day(roster, mix(seed, static_cast<std::uint64_t>(day)),
                        options.start.plus_days(day));
    }
    if (options.next_year) {
      const int year = options.start.plus_days(options.days).academic_year() + 1;
      roster = next_year(roster, mix(seed, 0xABCDEFULL), mapping::Date::from_ymd(year, 9, 1));
    }
    write_export(roster, out / id);
  }
  return ids;
}

}  // namespace rosterd::generator
