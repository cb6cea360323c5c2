#pragma once
// Internal to `rosterd report monitoring`: the figures the weekly monitoring shows, gathered
// from the store's weekly rows (one a school and week, kept by each sync: mapping::WeekNumbers),
// and the forms that write them (report_monitoring.cpp: text, CSV, JSON;
// report_monitoring_html.cpp: the page). docs/reports.md says what each figure counts.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "mapping/date.h"
#include "mapping/state.h"

namespace rosterd::daemon::monitoring {

inline constexpr std::size_t trend_weeks = 8;  // the trend: this week and the seven before

// Of how many people, how many are in (students, parents, staff; or classes covered).
struct Share {
  std::uint32_t total = 0;
  std::uint32_t in = 0;
  // Whole percents rounded down, so that 100 means everybody; 100 of nobody.
  [[nodiscard]] std::uint32_t percent() const noexcept {
    return total == 0 ? 100 : static_cast<std::uint32_t>(std::uint64_t{in} * 100 / total);
  }
};

// One school's (or the region's) figures of one week.
struct Figures {
  mapping::Date day;  // the numbers are of this day
  std::uint32_t class_chats = 0, parents_chats = 0, association_chats = 0, staff_chats = 0;
  std::uint32_t managed_chats = 0, active_chats = 0;
  Share classes, students, parents, staff;
  // Everybody the chats are for (students, parents, staff): what "worst first" sorts by.
  [[nodiscard]] Share people() const noexcept {
    return {students.total + parents.total + staff.total, students.in + parents.in + staff.in};
  }
};

[[nodiscard]] Figures figures(const mapping::SchoolNumbers& numbers);
void add(Figures& into, const Figures& more);

struct Week {
  mapping::Date week;  // its Monday
  Figures figures;
};

struct Row {
  std::string id;              // the school's id; empty for the region
  std::string name;            // the journal's name, or the id when it never synced
  std::optional<Week> now;     // the latest week up to the report's
  std::optional<Week> before;  // the week before `now`'s
  std::vector<Week> trend;     // up to trend_weeks weeks ending with the report's, oldest first
};

struct Report {
  mapping::Date week;        // the report's week (its Monday)
  std::vector<Row> schools;  // worst first
  Row region;
};

// What changed from `before` to `now`, as the reader reads it ("+2 active chats, …"); "no
// change"; or that there is no week before to compare with.
[[nodiscard]] std::string change_text(const Row& row);
// A date as the reader writes it: 07.09.2026 in Russian, 2026-09-07 in English.
[[nodiscard]] std::string shown(mapping::Date day);

void write_html(const Report& report, std::ostream& out);

}  // namespace rosterd::daemon::monitoring
