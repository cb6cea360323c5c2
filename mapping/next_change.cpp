#include "mapping/next_change.h"

namespace rosterd::mapping {
namespace {

// The earliest candidate after `today`.
class Earliest {
 public:
  explicit Earliest(Date today) : today_(today) {}
  // A day from which something holds (a first day, the day a period has run out).
  void from(std::optional<Date> day) {
    if (day && today_ < *day && (!best_ || *day < *best_)) best_ = day;
  }
  // The day after an inclusive last day (`to`, `employed_to`, `closed_on`).
  void after(std::optional<Date> last_day) {
    if (last_day) from(last_day->plus_days(1));
  }
  [[nodiscard]] std::optional<Date> result() const { return best_; }

 private:
  Date today_;
  std::optional<Date> best_;
};

// September 1 after `today`: the academic year turns (the staff chat's {year}, and the
// guard's check that the journal's groups are of the current year).
Date next_academic_year(Date today) {
  const Date this_year = Date::from_ymd(today.year(), 9, 1);
  return today < this_year ? this_year : Date::from_ymd(today.year() + 1, 9, 1);
}

}  // namespace

// Every date comparison of desired.cpp and diff.cpp against `today` is here: Enrolment and
// Group active_on (and the ended enrolments of people_of, `to < today`), Person employed_on,
// a group's closing, the grace periods (missing_since + grace_days) of members and chats, an
// invite's age (issued_on + invite_ttl_days), and today.academic_year().
std::optional<Date> next_change(const Roster& roster, const AppliedState& applied,
                                const Policy& policy, Date today) {
  Earliest earliest(today);
  earliest.from(next_academic_year(today));
  for (const auto& e : roster.enrolments) {
    earliest.from(e.from);
    earliest.after(e.to);
  }
  for (const auto& p : roster.persons) {
    earliest.from(p.employed_from);
    earliest.after(p.employed_to);
  }
  for (const auto& g : roster.groups) {
    earliest.from(g.opened_on);
    earliest.after(g.closed_on);
  }
  const auto grace_ends = [&](std::optional<Date> since) {
    if (since) earliest.from(since->plus_days(policy.grace_days));
  };
  for (const auto& chat : applied.chats) {
    grace_ends(chat.missing_since);
    for (const auto& m : chat.members) grace_ends(m.missing_since);
    for (const auto& invite : chat.invites)
      earliest.from(invite.issued_on.plus_days(policy.invite_ttl_days));
  }
  return earliest.result();
}

}  // namespace rosterd::mapping
