#include "mapping/school_day.h"

#include "mapping/message.h"
#include "mapping/text.h"

namespace rosterd::mapping {

SchoolDay school_day(const std::string& org_id, const std::string& configured_zone,
                     const std::string& journal_zone, Date machine_day, const TodayIn& today_in) {
  if (!today_in) return {machine_day, {}, std::nullopt};
  const std::string& zone = configured_zone.empty() ? journal_zone : configured_zone;
  if (zone.empty()) {
    return {machine_day,
            {},
            Finding{FindingCode::no_timezone,
                    {org_id},
                    msg("day.no_timezone",
                        "school {school}: neither the journal nor the config gives its time "
                        "zone; its day is the machine's, {date}",
                        {{"school", quote_id(org_id)}, {"date", machine_day.iso()}})}};
  }
  if (const auto today = today_in(zone)) return {*today, zone, std::nullopt};
  return {machine_day,
          {},
          Finding{FindingCode::unknown_timezone,
                  {org_id},
                  msg("day.unknown_timezone",
                      "school {school}: time zone {zone} is not known on this machine; its day "
                      "is the machine's, {date}",
                      {{"school", quote_id(org_id)},
                       {"zone", quote_id(zone)},
                       {"date", machine_day.iso()}})}};
}

}  // namespace rosterd::mapping
