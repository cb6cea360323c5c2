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

}  // namespace rosterd::adapters::store::detail
