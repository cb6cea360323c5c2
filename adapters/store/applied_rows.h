#pragma once
// Internal: the applied state's rows (chats, members, invites, last good counts). These run
// inside the caller's transaction.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/store/sql_session.h"
#include "mapping/model.h"
#include "mapping/state.h"

namespace rosterd::adapters::store::detail {

// The school's chats, sorted by key, members sorted by person_id, invites in their saved order.
[[nodiscard]] std::vector<mapping::AppliedChat> select_chats(SqlSession& session,
                                                             const std::string& org_id);
// Deletes the chats under `removed_keys`, then replaces the rows of `chats` (by key).
void replace_chats(SqlSession& session, const std::string& org_id,
                   std::span<const mapping::AppliedChat> chats,
                   std::span<const std::string> removed_keys);

[[nodiscard]] std::optional<mapping::SourceCounts> select_counts(SqlSession& session,
                                                                 const std::string& org_id);
void upsert_counts(SqlSession& session, const std::string& org_id,
                   const mapping::SourceCounts& counts);

// The numbers of the school's last look at the platform; nullopt when none were saved.
[[nodiscard]] std::optional<mapping::SchoolNumbers> select_numbers(SqlSession& session,
                                                                   const std::string& org_id);
// Replaces the school's numbers, its chats' included (in their order).
void replace_numbers(SqlSession& session, const std::string& org_id,
                     const mapping::SchoolNumbers& numbers);

}  // namespace rosterd::adapters::store::detail
