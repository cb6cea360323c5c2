#pragma once
// A calendar date without time zone: the journal's dates are school-local days.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rosterd::mapping {

class Date {
 public:
  constexpr Date() noexcept = default;  // 1970-01-01
  [[nodiscard]] static constexpr Date from_days(std::int32_t days) noexcept { return Date{days}; }
  [[nodiscard]] static Date from_ymd(int year, unsigned month, unsigned day) noexcept;
  // Strict ISO 8601 calendar date "YYYY-MM-DD"; nullopt for anything else or an invalid day.
  [[nodiscard]] static std::optional<Date> parse(std::string_view iso) noexcept;

  [[nodiscard]] constexpr std::int32_t days() const noexcept { return days_; }
  [[nodiscard]] std::string iso() const;
  [[nodiscard]] int year() const noexcept;
  [[nodiscard]] unsigned month() const noexcept;
  [[nodiscard]] unsigned day() const noexcept;
  [[nodiscard]] constexpr Date plus_days(std::int32_t n) const noexcept { return Date{days_ + n}; }
  // The academic year that contains this day: 2026 for 2026-09-01 .. 2027-08-31.
  [[nodiscard]] int academic_year() const noexcept;

  constexpr auto operator<=>(const Date&) const noexcept = default;

 private:
  constexpr explicit Date(std::int32_t days) noexcept : days_(days) {}
  std::int32_t days_ = 0;
};

// The Monday of the ISO week (Monday to Sunday) that contains `day`: a week's name in reports.
[[nodiscard]] constexpr Date week_start(Date day) noexcept {
  // 1970-01-01 was a Thursday: three days after a Monday. Floor division for days before it.
  const std::int32_t since_monday = ((day.days() + 3) % 7 + 7) % 7;
  return day.plus_days(-since_monday);
}

// Days from a to b (positive when b is later).
[[nodiscard]] constexpr std::int32_t days_between(Date a, Date b) noexcept {
  return b.days() - a.days();
}

}  // namespace rosterd::mapping
