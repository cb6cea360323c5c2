// A kindergarten and an additional-education centre.

#include <algorithm>

#include "generator/builder.h"
#include "generator/generator.h"
#include "generator/groups.h"
#include "generator/names.h"

namespace rosterd::generator {
namespace {

using detail::Builder;
using detail::Family;
using mapping::Date;
using mapping::EnrolmentRole;

Builder start_org(std::string org_id, std::uint64_t seed, Date start, mapping::OrgKind kind) {
  mapping::Roster roster;
  roster.org.id = std::move(org_id);
  roster.org.kind = kind;
  roster.org.timezone = "Europe/Moscow";
  return Builder(std::move(roster), seed, start);
}

std::string add_group(Builder& b, std::string id, std::string name, mapping::GroupKind kind,
                      Date start) {
  mapping::Group g;
  g.id = std::move(id);
  g.name = std::move(name);
  g.kind = kind;
  g.academic_year = start.academic_year();
  g.opened_on = start;
  b.roster().groups.push_back(std::move(g));
  return b.roster().groups.back().id;
}

Date hire_date(Builder& b, Date start) {
  return start.plus_days(-b.rng().between(0, 20 * 365));
}

// Children of one kindergarten group: one age band, some twins, some siblings elsewhere.
void fill_kindergarten_group(Builder& b, std::vector<Family>& families, const std::string& group,
                             int band, Date start) {
  const int size = b.rng().between(18, 22);
  const Date band_start = Date::from_ymd(start.academic_year() - 4 - band, 9, 1);
  for (int placed = 0; placed < size; ++placed) {
    const Date birth = band_start.plus_days(b.rng().between(0, 364));
    Family* f = nullptr;
    if (!families.empty() && b.rng().chance(10)) f = &families[b.rng().index(families.size())];
    if (f == nullptr) {
      families.push_back(b.new_family());
      f = &families.back();
    }
    const std::string id = b.add_child(*f, birth);
    b.enrol(id, group, EnrolmentRole::student, start, "enrolled");
    if (placed + 1 < size && b.rng().chance(2)) {  // twins
      b.enrol(b.add_child(*f, birth), group, EnrolmentRole::student, start, "enrolled");
      ++placed;
    }
  }
}

}  // namespace

mapping::Roster make_kindergarten(std::string org_id, std::uint64_t seed, Date start) {
  Builder b = start_org(std::move(org_id), seed, start, mapping::OrgKind::kindergarten);
  const int number = b.rng().between(1, 299);
  b.roster().org.name = "МБДОУ «Детский сад № " + std::to_string(number) + "»";
  b.roster().org.short_name = "Детский сад № " + std::to_string(number);
  (void)b.add_staff({"director"}, hire_date(b, start));
  (void)b.add_staff({"methodologist"}, hire_date(b, start));
  const auto group_names = names::kindergarten_groups();
  std::vector<Family> families;
  for (int i = 0; i < 8; ++i) {
    const std::string group =
        add_group(b, detail::numbered_group_id(b.org_id(), 'k', i + 1, start.academic_year()),
                  std::string{group_names[static_cast<std::size_t>(i)]},
                  mapping::GroupKind::kindergarten_group, start);
    for (int carer = 0; carer < 2; ++carer) {
      b.enrol(b.add_staff({"carer"}, hire_date(b, start)), group, EnrolmentRole::leader, start,
              "appointed");
    }
    fill_kindergarten_group(b, families, group, i % 4, start);
  }
  return b.take();
}

mapping::Roster make_additional(std::string org_id, std::uint64_t seed, Date start) {
  Builder b = start_org(std::move(org_id), seed, start, mapping::OrgKind::additional);
  const int number = b.rng().between(1, 49);
  b.roster().org.name =
      "МБУ ДО «Центр дополнительного образования № " + std::to_string(number) + "»";
  b.roster().org.short_name = "ЦДО № " + std::to_string(number);
  (void)b.add_staff({"director"}, hire_date(b, start));
  std::vector<std::string> groups;
  const auto associations = names::associations();
  int number_in_org = 0;
  for (std::size_t a = 0; a < 8; ++a) {
    const int count = b.rng().between(1, 2);
    const std::string leader = b.add_staff({"teacher"}, hire_date(b, start));
    for (int g = 1; g <= count; ++g) {
      std::string name{associations[a]};
      if (count > 1) name += ", гр. " + std::to_string(g);
      groups.push_back(add_group(
          b, detail::numbered_group_id(b.org_id(), 'a', ++number_in_org, start.academic_year()),
          std::move(name), mapping::GroupKind::association, start));
      b.enrol(leader, groups.back(), EnrolmentRole::leader, start, "appointed");
    }
  }
  for (const auto& group : groups) {
    const int size = b.rng().between(12, 15);
    for (int i = 0; i < size; ++i) {
      Family f = b.new_family();
      const std::string child = b.add_child(f, b.random_birth(7, 17));
      b.enrol(child, group, EnrolmentRole::student, start, "enrolled");
      if (b.rng().chance(20)) {  // a second association for the keen ones
        const std::string& other = b.rng().pick(groups);
        if (other != group) b.enrol(child, other, EnrolmentRole::student, start, "enrolled");
      }
    }
  }
  return b.take();
}

}  // namespace rosterd::generator
