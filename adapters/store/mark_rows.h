#pragma once
// Internal: a school's journal mark (journal_marks). These run inside the caller's transaction.

#include <string>

#include "adapters/store/sql_session.h"
#include "mapping/ports.h"

namespace rosterd::adapters::store::detail {

// The school's mark; not set() when there is none (its version still counts the clears).
[[nodiscard]] mapping::JournalMark select_mark(SqlSession& session, const std::string& org_id);
// Replaces the school's mark unless it was cleared since `mark.version`; whether it did.
bool replace_mark(SqlSession& session, const std::string& org_id, const mapping::JournalMark& mark);
// Clears the school's mark and counts the clear.
void delete_mark(SqlSession& session, const std::string& org_id);

}  // namespace rosterd::adapters::store::detail
