#pragma once
// What the platform should hold, worked out in the test from the journal's own records (the
// files rosterd reads, or journal-sim's state) by the rules a school administrator would state
// (docs/sync-core.md, docs/config.md), without the core: the end-to-end tests compare the
// platform with this, so a mistake in mapping/ cannot hide behind the same mistake here.

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "mapping/model.h"

namespace rosterd::e2e {

// What a chat looks like on the platform: member user id → admin.
using Members = std::map<mapping::PlatformUserId, bool>;

struct PlatformView {
  std::map<std::string, Members> live;  // by title
  std::set<std::string> archived;       // titles
  std::vector<std::string> duplicate_titles;
  friend bool operator==(const PlatformView&, const PlatformView&) = default;
};

// A journal's records as JSON, with the export's field names.
struct Journal {
  nlohmann::json org;  // the one organisation
  nlohmann::json groups, persons, enrollments, relations;
};

// The five files of an export folder (docs/export-format.md).
[[nodiscard]] Journal read_export_journal(const std::filesystem::path& folder);
// journal-sim's GET /sim/state/<org>: {"organisation": {...}, "groups": [...], ...}.
[[nodiscard]] Journal journal_from_sim_state(const nlohmann::json& state);

// The live chats the journal asks for on `day` (YYYY-MM-DD), under the default rules, with
// `fallback_admin` as the school's platform administrator. Only people with a platform user
// id are members.
[[nodiscard]] PlatformView model_view(const Journal& journal, const std::string& day,
                                      mapping::PlatformUserId fallback_admin);

}  // namespace rosterd::e2e
