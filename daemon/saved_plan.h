#pragma once
// A saved plan (`rosterd plan --out FILE`, docs/saved-plans.md): per school, the plan a sync
// would apply and the state it was made from (SyncBasis), for `rosterd apply FILE` to apply
// exactly, or refuse when the state has moved on. A versioned JSON document, written whole
// (a temporary file renamed over it) and readable by its owner only (0600). It holds ids,
// titles and reasons; never a phone number, an e-mail or a token.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/sync.h"

namespace rosterd::daemon {

inline constexpr std::string_view saved_plan_format = "rosterd-saved-plan/1";

struct SavedPlan {
  std::string created_at;   // ISO 8601 UTC
  std::string config_file;  // the configuration it was planned with, for the reader
  std::vector<SavedSchoolPlan> schools;
};

// The file cannot be written or read; the message names the file, and the field
// ("schools[0].actions[3].type: must be one of …") when the document is wrong.
class SavedPlanError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws SavedPlanError for an action naming a person whose id looks like a contact (a phone
// number put in an id column): such a plan is not written.
[[nodiscard]] std::string format_saved_plan(const SavedPlan& plan);
[[nodiscard]] SavedPlan parse_saved_plan(std::string_view text, std::string_view source_name);

// Creates the file 0600 (a temporary beside it, then renamed over it).
void write_saved_plan(const std::filesystem::path& file, const SavedPlan& plan);
[[nodiscard]] SavedPlan read_saved_plan(const std::filesystem::path& file);

}  // namespace rosterd::daemon
