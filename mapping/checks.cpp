#include "mapping/checks.h"

#include <algorithm>

#include "mapping/roster_index.h"
#include "mapping/message.h"
#include "mapping/wording.h"
#include "mapping/text.h"

namespace rosterd::mapping {
namespace {

bool is_parent_of(const detail::RosterIndex& ix, const Person& parent, const Person& child) {
  const auto parents = ix.parents_of(child);
  return std::find(parents.begin(), parents.end(), &parent) != parents.end();
}

// People named for a finding: their names as the journal has them (never their numbers).
std::string join(const std::vector<const Person*>& people) {
  std::string out;
  for (const Person* p : people) {
    if (!out.empty()) out += ", ";
    p->append_display_name(out);
  }
  return out;
}

// People sharing one number: a child on a parent's phone is its own finding; the rest share.
void report_sharing(const detail::RosterIndex& ix, const std::vector<const Person*>& people,
                    std::vector<Finding>& findings) {
  std::vector<const Person*> others;
  for (const Person* a : people) {
    bool on_parents_phone = false, parent_of_one = false;
    for (const Person* b : people) {
      if (a == b) continue;
      if (is_parent_of(ix, *b, *a)) {
        findings.push_back({FindingCode::child_on_parent_phone,
                            {a->id, b->id},
                            msg("checks.child_on_parent_phone",
                                "child {child} is registered on the phone of parent {parent}",
                                {{"child", a->display_name()}, {"parent", b->display_name()}})});
        on_parents_phone = true;
      }
      parent_of_one = parent_of_one || is_parent_of(ix, *a, *b);
    }
    if (!on_parents_phone && !parent_of_one) others.push_back(a);
  }
  if (others.size() < 2) return;
  std::vector<std::string> ids;
  for (const Person* p : others) ids.push_back(p->id);
  findings.push_back({FindingCode::shared_phone, std::move(ids),
                      msg("checks.shared_phone", "persons {names} share one phone number",
                          {{"names", join(others)}})});
}

// Every person's number, normalised once (by person index; 0: none), for both checks.
using Phones = std::vector<std::uint64_t>;

// Numbers held by two or more persons, each with its holders in roster order, by number: one
// pass over a flat hash set finds the repeats, so only they are sorted.
std::vector<std::pair<std::uint64_t, const Person*>> repeated_numbers(
    const std::vector<Person>& persons, const Phones& phone_of) {
  std::size_t capacity = 16;
  while (capacity < persons.size() * 2) capacity *= 2;
  // A slot is a number (0: empty), its top bit set once the number is seen again: numbers have
  // at most 15 digits, so it is free.
  constexpr std::uint64_t repeated = std::uint64_t{1} << 63;
  std::vector<std::uint64_t> slots(capacity);
  const auto slot_of = [&](std::uint64_t phone) -> std::uint64_t& {
    for (std::size_t s = (phone * 0x9e3779b97f4a7c15ULL) >> 40;; ++s) {
      std::uint64_t& slot = slots[s & (capacity - 1)];
      if ((slot & ~repeated) == phone || slot == 0) return slot;
    }
  };
  bool any = false;
  for (const std::uint64_t phone : phone_of) {
    if (!phone) continue;
    std::uint64_t& slot = slot_of(phone);
    if (slot == 0) {
      slot = phone;
    } else {
      slot |= repeated;
      any = true;
    }
  }
  std::vector<std::pair<std::uint64_t, const Person*>> shared;
  if (!any) return shared;
  for (std::size_t i = 0; i < persons.size(); ++i) {
    if (phone_of[i] && (slot_of(phone_of[i]) & repeated) != 0)
      shared.emplace_back(phone_of[i], &persons[i]);
  }
  std::sort(shared.begin(), shared.end());
  return shared;
}

void phone_checks(const detail::RosterIndex& ix, const Phones& phone_of,
                  std::vector<Finding>& findings) {
  const auto shared = repeated_numbers(ix.roster.persons, phone_of);
  for (std::size_t i = 0; i < shared.size();) {
    std::vector<const Person*> people;
    for (const std::uint64_t phone = shared[i].first; i < shared.size() && shared[i].first == phone;
         ++i)
      people.push_back(shared[i].second);
    report_sharing(ix, people, findings);
  }
}

void contact_checks(const detail::RosterIndex& ix, const Phones& phone_of,
                    const DesiredState& desired, std::vector<Finding>& findings) {
  const auto has_contact = [&](const Person& p) {
    return phone_of[ix.index_of(p)] != 0 || !p.email.empty();
  };
  std::vector<bool> reported(ix.roster.persons.size());
  for (const auto& chat : desired.chats) {
    for (const auto& m : chat.members) {
      if (m.platform_user_id || !m.person || reported[ix.index_of(*m.person)]) continue;
      reported[ix.index_of(*m.person)] = true;
      if (has_contact(*m.person)) continue;
      const auto parents = ix.parents_of(*m.person);
      if (std::any_of(parents.begin(), parents.end(),
                      [&](const Person* p) { return has_contact(*p); }))
        continue;  // the invite goes through a parent
      findings.push_back({FindingCode::no_contact,
                          {m.person->id},
                          msg("checks.no_contact",
                              "person {person} has no platform account and no phone or e-mail "
                              "to invite",
                              {{"person", person_msg(chat, m)}})});
    }
  }
}

NameFlaws flaws_of(std::initializer_list<std::string_view> names) {
  NameFlaws flaws;
  for (const auto name : names) {
    const NameFlaws f = name_flaws(name);
    flaws.controls = flaws.controls || f.controls;
    flaws.too_long = flaws.too_long || f.too_long;
  }
  return flaws;
}

// One finding a record, naming it by its id: the name itself may be what forges a line.
// `what` is the record's kind as a message.
void report(const std::string& what, const std::string& id, NameFlaws flaws,
            std::vector<Finding>& findings) {
  if (!flaws.any()) return;
  std::string problems;
  if (flaws.controls)
    append_msg(problems, "checks.name_controls", "name holds control characters (removed)");
  if (flaws.controls && flaws.too_long) problems += "; ";
  if (flaws.too_long) {
    problems += msg_n("checks.name_too_long", "name longer than {n} character (cut)",
                      "name longer than {n} characters (cut)",
                      static_cast<long long>(longest_name));
  }
  findings.push_back({FindingCode::bad_name,
                      {id},
                      msg("checks.bad_name", "{record} {id}: {problems}",
                          {{"record", what}, {"id", quote_id(id)}, {"problems", problems}})});
}

NameFlaws person_name_flaws(const Person& p) {
  NameFlaws flaws = flaws_of({p.last_name, p.first_name});
  for (const auto& position : p.positions) {
    const NameFlaws f = name_flaws(position);
    flaws.controls = flaws.controls || f.controls;
    flaws.too_long = flaws.too_long || f.too_long;
  }
  return flaws;
}

}  // namespace

std::uint64_t normalize_phone(std::string_view phone) noexcept {
  std::uint64_t n = 0;
  unsigned digits = 0;
  for (const char c : phone) {
    const unsigned digit = static_cast<unsigned char>(c) - unsigned{'0'};  // wraps for c < '0'
    if (digit > 9) continue;
    n = n * 10 + digit;
    ++digits;
  }
  if (digits > 15) return 0;  // E.164 numbers have at most 15 digits: not a phone number
  // +7 and a national 8 prefix name the same number: keep the ten national digits.
  if (digits == 11 && (n / 10'000'000'000ULL == 7 || n / 10'000'000'000ULL == 8))
    n %= 10'000'000'000ULL;
  return n;
}

void append_data_checks(const detail::RosterIndex& ix, const DesiredState& desired,
                        std::vector<Finding>& findings) {
  const Roster& roster = ix.roster;
  report(msg("checks.record.organisation", "organisation"), roster.org.id,
         flaws_of({roster.org.name, roster.org.short_name}), findings);
  for (const auto& g : roster.groups) {
    if (const NameFlaws f = flaws_of({g.name}); f.any())
      report(msg("checks.record.group", "group"), g.id, f, findings);
  }
  // One pass reads each person's record for both checks: reading it is most of their cost.
  Phones phone_of;
  phone_of.reserve(roster.persons.size());
  for (const auto& p : roster.persons) {
    phone_of.push_back(normalize_phone(p.phone));
    if (const NameFlaws f = person_name_flaws(p); f.any())
      report(msg("checks.record.person", "person"), p.id, f, findings);
  }
  phone_checks(ix, phone_of, findings);
  contact_checks(ix, phone_of, desired, findings);
}

}  // namespace rosterd::mapping
