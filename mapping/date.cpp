#include "mapping/date.h"

#include <chrono>

namespace rosterd::mapping {
namespace {

std::chrono::year_month_day to_ymd(std::int32_t days) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

Date Date::from_ymd(int year, unsigned month, unsigned day) noexcept {
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{day}};
  return Date{static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count())};
}

std::optional<Date> Date::parse(std::string_view iso) noexcept {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  const auto y = iso.substr(0, 4), m = iso.substr(5, 2), d = iso.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{to_int(y)},
                                        std::chrono::month{static_cast<unsigned>(to_int(m))},
                                        std::chrono::day{static_cast<unsigned>(to_int(d))}};
  if (!ymd.ok()) return std::nullopt;
  return from_ymd(to_int(y), static_cast<unsigned>(to_int(m)), static_cast<unsigned>(to_int(d)));
}

int Date::year() const noexcept { return static_cast<int>(to_ymd(days_).year()); }
unsigned Date::month() const noexcept { return static_cast<unsigned>(to_ymd(days_).month()); }
unsigned Date::day() const noexcept { return static_cast<unsigned>(to_ymd(days_).day()); }

int Date::academic_year() const noexcept { return month() >= 9 ? year() : year() - 1; }

std::string Date::iso() const {
  char buf[16];
  const int y = year();
  const unsigned m = month(), d = day();
  buf[0] = static_cast<char>('0' + (y / 1000) % 10);
  buf[1] = static_cast<char>('0' + (y / 100) % 10);
  buf[2] = static_cast<char>('0' + (y / 10) % 10);
  buf[3] = static_cast<char>('0' + y % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + m / 10);
  buf[6] = static_cast<char>('0' + m % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + d / 10);
  buf[9] = static_cast<char>('0' + d % 10);
  return std::string(buf, 10);
}

}  // namespace rosterd::mapping
