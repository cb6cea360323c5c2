#include "mapping/checks.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace rosterd::mapping {
namespace {

void phone_checks(const Roster& roster, std::vector<Finding>& findings) {
  std::map<std::string, std::vector<const Person*>> by_phone;
  for (const auto& p : roster.persons) {
    auto digits = normalize_phone(p.phone);
    if (!digits.empty()) by_phone[std::move(digits)].push_back(&p);
  }
  std::set<std::pair<std::string_view, std::string_view>> parent_child;
  for (const auto& r : roster.relations) parent_child.emplace(r.parent_id, r.child_id);

  for (const auto& [_, people] : by_phone) {
    if (people.size() < 2) continue;
    std::vector<std::string> others;
    for (const Person* a : people) {
      bool on_parents_phone = false;
      for (const Person* b : people) {
        if (a != b && parent_child.contains({b->id, a->id})) {
          findings.push_back({"child_on_parent_phone", {a->id, b->id},
                              "child " + a->id + " is registered on the phone of parent " + b->id});
          on_parents_phone = true;
        }
      }
      const bool is_parent_of_one = std::any_of(people.begin(), people.end(), [&](const Person* b) {
        return parent_child.contains({a->id, b->id});
      });
      if (!on_parents_phone && !is_parent_of_one) others.push_back(a->id);
    }
    if (others.size() >= 2) {
      std::string ids;
      for (const auto& id : others) ids += (ids.empty() ? "" : ", ") + id;
      findings.push_back({"shared_phone", others, "persons " + ids + " share one phone number"});
    }
  }
}

void contact_checks(const Roster& roster, const DesiredState& desired,
                    std::vector<Finding>& findings) {
  std::unordered_map<std::string_view, const Person*> persons;
  for (const auto& p : roster.persons) persons.emplace(p.id, &p);
  std::set<std::string_view> reported;
  for (const auto& chat : desired.chats) {
    for (const auto& m : chat.members) {
      if (m.platform_user_id || reported.contains(m.person_id)) continue;
      const auto it = persons.find(m.person_id);
      if (it == persons.end()) continue;
      const Person& p = *it->second;
      if (!normalize_phone(p.phone).empty() || !p.email.empty()) continue;
      reported.insert(m.person_id);
      findings.push_back({"no_contact", {p.id},
                          "person " + p.id +
                              " has no platform account and no phone or e-mail to invite"});
    }
  }
}

}  // namespace

std::string normalize_phone(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.size() == 11 && (digits[0] == '7' || digits[0] == '8')) digits.erase(0, 1);
  return digits;
}

void append_data_checks(const Roster& roster, const DesiredState& desired,
                        std::vector<Finding>& findings) {
  phone_checks(roster, findings);
  contact_checks(roster, desired, findings);
}

}  // namespace rosterd::mapping
