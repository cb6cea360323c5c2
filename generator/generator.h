#pragma once
// Synthetic journals for demos, tests and the benchmark: organisations as Roster values,
// their daily movement and their academic-year rollover, written as export folders.
// Deterministic: the same arguments give the same roster, byte for byte, everywhere.

#include <cstdint>
#include <filesystem>
#include <string>

#include "mapping/date.h"
#include "mapping/model.h"

namespace rosterd::generator {

struct SchoolShape {
  int classes = 30;
  int students_per_class = 25;
};

// A school: classes 1-11 with students, parents (twins, siblings in different classes),
// staff with class and subject teachers, and the data-quality cases DESIGN's checks report:
// shared phones, a child on a parent's phone, a person with no contact, people without
// platform_user_id, one class without a leader. `start` is the first day of the year.
[[nodiscard]] mapping::Roster make_school(std::string org_id, std::uint64_t seed,
                                          mapping::Date start, SchoolShape shape = {});
[[nodiscard]] mapping::Roster make_kindergarten(std::string org_id, std::uint64_t seed,
                                                mapping::Date start);
[[nodiscard]] mapping::Roster make_additional(std::string org_id, std::uint64_t seed,
                                              mapping::Date start);

// The journal on `day`: yesterday's roster plus dated movement (enrolments, withdrawals,
// transfers incl. one future-dated, a class-teacher change, a teacher leaving and a hire,
// accounts being linked). Roughly 0.5-1 % of people move.
[[nodiscard]] mapping::Roster next_day(const mapping::Roster& today, std::uint64_t seed,
                                       mapping::Date day);

// The journal on `start` (Sept 1) of the next academic year: promotion to successor groups
// linked by previous_group_id, graduation of grade 11, new first grades.
[[nodiscard]] mapping::Roster next_year(const mapping::Roster& roster, std::uint64_t seed,
                                        mapping::Date start);

// Writes orgs.json, groups.json, persons.json, enrollments.json and relations.json into
// `folder` (created if needed). Throws std::runtime_error naming the file it cannot write.
void write_export(const mapping::Roster& roster, const std::filesystem::path& folder);

// The seed an organisation gets from a region seed, so one org's output does not depend
// on how many others are generated.
[[nodiscard]] std::uint64_t org_seed(std::uint64_t region_seed, const std::string& org_id);

}  // namespace rosterd::generator
