// libFuzzer target: the OneRoster CSV reader and everything after it. The input is parsed as one
// CSV file, then cut at 0x1E bytes into orgs, users, classes, enrollments and academicSessions,
// read as a bulk into rosters, and read again as a delta on that state. A bad folder must end
// in OneRosterError; any other exception, a crash or a sanitizer report is a finding.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/oneroster/csv.h"
#include "adapters/oneroster/oneroster.h"
#include "adapters/oneroster/tables.h"

namespace or_ = rosterd::adapters::oneroster;

namespace {

or_::detail::FolderFiles folder_of(std::string_view input, or_::detail::FileMode mode) {
  static constexpr const char* names[] = {"orgs.csv", "users.csv", "classes.csv",
                                          "enrollments.csv", "academicSessions.csv"};
  or_::detail::FolderFiles files;
  files.manifest_path = "fuzz/manifest.csv";
  for (const char* name : names) {
    const auto cut = input.find('\x1e');
    files.files.push_back({name, std::string("fuzz/") + name, mode,
                           std::string(input.substr(0, cut))});
    input = cut == std::string_view::npos ? std::string_view{} : input.substr(cut + 1);
  }
  return files;
}

// Applies the files; false when they were refused.
bool apply(const or_::detail::FolderFiles& files, const or_::Options& options,
           or_::detail::Tables& tables) {
  std::vector<or_::Problem> problems;
  or_::detail::apply_files(files, options, tables, problems);
  if (!problems.empty()) return false;
  or_::Findings findings;
  (void)or_::detail::build_rosters(tables, options, files, "fuzz", problems, findings);
  for (const auto& p : problems) (void)or_::describe(p);
  // The tables kept in the state store read back, whatever bytes they hold.
  const auto text = or_::detail::write_state(tables, 7, options.platform_id_type);
  const auto kept = or_::detail::read_state(text, options.platform_id_type);
  if (!kept || kept->fingerprint != 7 || kept->tables.users.size() != tables.users.size() ||
      or_::detail::write_state(kept->tables, 7, options.platform_id_type).size() != text.size())
    __builtin_trap();
  return problems.empty();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    (void)or_::detail::parse_csv(input, "fuzz.csv");
  } catch (const or_::OneRosterError&) {
  }
  or_::Options options;
  options.platform_id_type = "sferum";
  options.homerooms_only = size % 2 == 1;
  or_::detail::Tables tables;
  try {
    if (apply(folder_of(input, or_::detail::FileMode::bulk), options, tables)) {
      (void)apply(folder_of(input, or_::detail::FileMode::delta), options, tables);
    }
  } catch (const or_::OneRosterError& error) {
    (void)error.what();
  }
  return 0;
}
