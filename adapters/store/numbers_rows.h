#pragma once
// Internal: the numbers of a school's last look at the platform (school_numbers, chat_numbers)
// and their weekly history (school_weeks). These run inside the caller's transaction.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "adapters/store/sql_session.h"
#include "mapping/ports.h"
#include "mapping/state.h"

namespace rosterd::adapters::store::detail {

// The numbers of the school's last look at the platform; nullopt when none were saved.
[[nodiscard]] std::optional<mapping::SchoolNumbers> select_numbers(SqlSession& session,
                                                                   const std::string& org_id);
// Replaces the school's numbers, its chats' included (in their order), and, for numbers with a
// day, the row of that day's week.
void replace_numbers(SqlSession& session, const std::string& org_id,
                     const mapping::SchoolNumbers& numbers);
// The school's weekly rows, the latest week first, at most `limit`.
[[nodiscard]] std::vector<mapping::WeekNumbers> select_weeks(SqlSession& session,
                                                             const std::string& org_id,
                                                             std::size_t limit);

}  // namespace rosterd::adapters::store::detail
