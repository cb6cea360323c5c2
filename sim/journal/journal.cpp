#include "sim/journal/journal.h"

#include "generator/generator.h"
#include "sim/journal/roster_json.h"
#include "sim/journal/scenario.h"

namespace rosterd::sim::journal {
namespace {

using mapping::Date;
using nlohmann::json;

template <typename Record>
std::vector<std::string> serialize(const std::vector<Record>& records) {
  std::vector<std::string> out;
  out.reserve(records.size());
  for (const auto& record : records) out.push_back(dump(to_json(record)));
  return out;
}

std::shared_ptr<OrgSnapshot> make_snapshot(const mapping::Roster& roster, std::uint64_t version) {
  auto snap = std::make_shared<OrgSnapshot>();
  snap->org_id = roster.org.id;
  snap->version = version;
  snap->etag = "\"" + roster.org.id + "-v" + std::to_string(version) + "\"";
  snap->organisation = dump(to_json(roster.org));
  snap->lists[0] = serialize(roster.groups);
  snap->lists[1] = serialize(roster.persons);
  snap->lists[2] = serialize(roster.enrolments);
  snap->lists[3] = serialize(roster.relations);
  return snap;
}

// What a client could see differ: the answer, not the in-memory value.
bool same_answer(const OrgSnapshot& a, const OrgSnapshot& b) {
  return a.organisation == b.organisation && a.lists == b.lists;
}

}  // namespace

std::optional<ListKind> parse_list(std::string_view name) noexcept {
  for (std::size_t i = 0; i < list_names.size(); ++i) {
    if (name == list_names[i]) return static_cast<ListKind>(i);
  }
  return std::nullopt;
}

Journal::Journal(std::vector<mapping::Roster> rosters, mapping::Date day, std::uint64_t seed)
    : day_(day), seed_(seed) {
  for (auto& roster : rosters) {
    const std::string id = roster.org.id;
    if (rosters_.contains(id)) throw DataError("organisation " + id + " is in two folders");
    snapshots_[id] = make_snapshot(roster, 1);
    rosters_.emplace(id, std::move(roster));
  }
}

std::shared_ptr<const OrgSnapshot> Journal::snapshot(const std::string& org_id) const {
  std::lock_guard lock(mutex_);
  const auto it = snapshots_.find(org_id);
  return it == snapshots_.end() || hidden_.contains(org_id) ? nullptr : it->second;
}

Journal::Listing Journal::listing() const {
  std::lock_guard lock(mutex_);
  Listing out;
  out.version = listing_version_;
  out.snapshots.reserve(snapshots_.size());
  for (const auto& [id, snap] : snapshots_) {
    if (!hidden_.contains(id)) out.snapshots.push_back(snap);
  }
  return out;
}

std::vector<std::string> Journal::hide_show(const std::vector<std::string>& hide,
                                            const std::vector<std::string>& show) {
  std::lock_guard lock(mutex_);
  for (const auto* ids : {&hide, &show}) {
    for (const auto& id : *ids) {
      if (!rosters_.contains(id)) throw DataError("no organisation " + id);
    }
  }
  for (const auto& id : hide) hidden_.insert(id);
  for (const auto& id : show) hidden_.erase(id);
  ++listing_version_;
  return {hidden_.begin(), hidden_.end()};
}

AdvanceResult Journal::advance(const AdvanceRequest& request) {
  std::lock_guard lock(mutex_);
  Date day = day_;
  std::map<std::string, mapping::Roster> next;
  for (int i = 0; i < request.days; ++i) {
    day = day.plus_days(1);
    if (!request.movement) continue;
    for (const auto& [id, roster] : rosters_) {
      const mapping::Roster& today = next.contains(id) ? next.at(id) : roster;
      // Seeded by the organisation and the day (next_day mixes the day in), so an
      // organisation's movement does not depend on which others are served.
      next.insert_or_assign(id, generator::next_day(today, generator::org_seed(seed_, id), day));
    }
  }
  if (!request.scenario.is_null()) {
    // The events see the rosters as the days left them: with movement, every roster is in
    // `next`; without, none is.
    auto touched = apply_events(request.scenario, next.empty() ? rosters_ : next, day);
    for (auto& [id, roster] : touched) next.insert_or_assign(id, std::move(roster));
  }
  day_ = day;
  AdvanceResult result;
  result.changed = commit(std::move(next));
  result.day = day_;
  for (const auto& [id, snap] : snapshots_) result.versions[id] = snap->version;
  return result;
}

std::vector<std::string> Journal::commit(std::map<std::string, mapping::Roster>&& next) {
  std::vector<std::string> changed;
  for (auto& [id, roster] : next) {
    const auto& current = snapshots_.at(id);
    auto candidate = make_snapshot(roster, current->version + 1);
    rosters_[id] = std::move(roster);
    if (same_answer(*current, *candidate)) continue;
    snapshots_[id] = std::move(candidate);
    changed.push_back(id);
  }
  return changed;
}

json Journal::state() const {
  std::lock_guard lock(mutex_);
  json orgs = json::array();
  for (const auto& [id, snap] : snapshots_) {
    orgs.push_back({{"id", id},
                    {"version", snap->version},
                    {"etag", snap->etag},
                    {"hidden", hidden_.contains(id)},
                    {"counts",
                     {{"groups", snap->lists[0].size()},
                      {"persons", snap->lists[1].size()},
                      {"enrollments", snap->lists[2].size()},
                      {"relations", snap->lists[3].size()}}}});
  }
  return {{"day", day_.iso()}, {"organisations", orgs}};
}

json Journal::roster_json(const std::string& org_id) const {
  std::lock_guard lock(mutex_);
  const auto it = snapshots_.find(org_id);
  if (it == snapshots_.end()) return nullptr;
  const OrgSnapshot& snap = *it->second;
  json out = {{"version", snap.version},
              {"etag", snap.etag},
              {"organisation", json::parse(snap.organisation)}};
  for (std::size_t i = 0; i < list_names.size(); ++i) {
    json items = json::array();
    for (const auto& item : snap.lists[i]) items.push_back(json::parse(item));
    out[list_names[i]] = std::move(items);
  }
  return out;
}

}  // namespace rosterd::sim::journal
