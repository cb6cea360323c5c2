#pragma once
// Data checks: problems in the journal's data that an administrator should fix. Reported,
// never fatal, and never quoting a phone number or an e-mail.

#include <string>
#include <vector>

#include "mapping/model.h"
#include "mapping/state.h"

namespace rosterd::mapping {

// Digits of a phone number in one national form ("+7 (900) 000-00-01" → "9000000001"), so that
// two spellings of one number compare equal. Empty when there is no number.
[[nodiscard]] std::string normalize_phone(std::string_view phone);

// Appends: child_on_parent_phone, shared_phone, no_contact (a person the chats need who has
// neither a platform account nor any contact to send an invite to).
void append_data_checks(const Roster& roster, const DesiredState& desired,
                        std::vector<Finding>& findings);

}  // namespace rosterd::mapping
