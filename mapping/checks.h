#pragma once
// Data checks: problems in the journal's data that an administrator should fix. Reported,
// never fatal, and never quoting a phone number or an e-mail.

#include <cstdint>
#include <string_view>
#include <vector>

#include "mapping/state.h"

namespace rosterd::mapping {

namespace detail {
struct RosterIndex;
}

// A phone number in one national form ("+7 (900) 000-00-01" and "8 900 000 00 01" are the
// same number), as an integer; 0 when there is no number (none, or more than E.164's 15 digits).
[[nodiscard]] std::uint64_t normalize_phone(std::string_view phone) noexcept;

// Appends: bad_name for each record whose shown text (an organisation's names, a group's name, a
// person's last and first names and positions) holds control characters or is longer than
// longest_name; child_on_parent_phone, shared_phone, no_contact (a person the chats need who has
// no platform account and nobody to send an invite to: no own contact and, for a child, no
// parent's).
//
// A record with a bad name is kept: leaving a person out would start their removal and leaving a
// group out the archiving of its chats, so its text is cleaned and cut wherever it is used.
void append_data_checks(const detail::RosterIndex& ix, const DesiredState& desired,
                        std::vector<Finding>& findings);

}  // namespace rosterd::mapping
