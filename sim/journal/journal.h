#pragma once
// The simulated journal: every organisation's roster, its version and a serialized snapshot of
// each version, the current day, and the changes /sim/advance makes. Thread-safe: the HTTP
// pool reads snapshots while /sim/advance replaces them.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "mapping/date.h"
#include "mapping/model.h"

namespace rosterd::sim::journal {

// The four lists of an organisation, in the order the contract names them.
enum class ListKind : std::uint8_t { groups, persons, enrollments, relations };
inline constexpr std::array<const char*, 4> list_names = {"groups", "persons", "enrollments",
                                                          "relations"};
[[nodiscard]] std::optional<ListKind> parse_list(std::string_view name) noexcept;

// One version of one organisation as the wire carries it: immutable, shared with the requests
// that are answering from it while a newer one is made.
struct OrgSnapshot {
  std::string org_id;
  std::uint64_t version = 0;
  std::string etag;                               // with its quotes: "\"sch-0001-v3\""
  std::string organisation;                       // the organisation object's JSON
  std::array<std::vector<std::string>, 4> lists;  // each item's JSON, by ListKind

  [[nodiscard]] const std::vector<std::string>& items(ListKind kind) const {
    return lists[static_cast<std::size_t>(kind)];
  }
};

// What /sim/advance answers: the day and every organisation's version after it.
struct AdvanceResult {
  mapping::Date day;
  std::map<std::string, std::uint64_t> versions;
  std::vector<std::string> changed;
};

struct AdvanceRequest {
  int days = 0;
  bool movement = true;               // false: only the calendar moves
  nlohmann::json scenario = nullptr;  // an array of events (scenario.h), or null
};

class Journal {
 public:
  // Version 1 of every roster; the seed drives generated movement, `day` is the current day.
  Journal(std::vector<mapping::Roster> rosters, mapping::Date day, std::uint64_t seed);

  // The current snapshot of an organisation; null when there is no such organisation (or it
  // is hidden).
  [[nodiscard]] std::shared_ptr<const OrgSnapshot> snapshot(const std::string& org_id) const;
  // The current snapshots of all organisations not hidden, sorted by id, and the version of
  // that set (it changes with every hide or show: a listing's cursors pin it).
  struct Listing {
    std::uint64_t version = 0;
    std::vector<std::shared_ptr<const OrgSnapshot>> snapshots;
  };
  [[nodiscard]] Listing listing() const;

  // Organisations leave the journal (`hide`: not listed, 404 as if they never were) or come
  // (back) into it (`show`), as a region's journal gains and loses schools. Their rosters and
  // versions are kept. All or nothing: an unknown id throws DataError naming it. The hidden ids.
  std::vector<std::string> hide_show(const std::vector<std::string>& hide,
                                     const std::vector<std::string>& show);

  // `request.days` days pass (each, with movement, the generator's next_day of every roster),
  // then the scenario's events are applied on the new day. All or nothing: a scenario event
  // that cannot be applied throws DataError naming it, and nothing changes. A version is bumped
  // once per call for each organisation whose answer changed.
  [[nodiscard]] AdvanceResult advance(const AdvanceRequest& request);

  // The day and each organisation's version, ETag and counts.
  [[nodiscard]] nlohmann::json state() const;
  // One organisation's whole roster in the export format; null JSON when unknown.
  [[nodiscard]] nlohmann::json roster_json(const std::string& org_id) const;

 private:
  // Replaces the rosters given, bumping the version of those whose answer changed; the names
  // of those.
  [[nodiscard]] std::vector<std::string> commit(std::map<std::string, mapping::Roster>&& next);

  mutable std::mutex mutex_;
  std::map<std::string, mapping::Roster> rosters_;
  std::map<std::string, std::shared_ptr<const OrgSnapshot>> snapshots_;
  std::set<std::string> hidden_;
  std::uint64_t listing_version_ = 0;
  mapping::Date day_;
  std::uint64_t seed_;
};

}  // namespace rosterd::sim::journal
