#pragma once
// Internal: the schema's versioned migrations, applied at open.

#include "adapters/store/sql_session.h"

namespace rosterd::adapters::store::detail {

// Applies the migrations the database lacks, in order, in one transaction, recording each in
// schema_migrations. Idempotent. Throws StoreError when the database is at a version newer than
// this binary knows.
void migrate(SqlSession& session);

}  // namespace rosterd::adapters::store::detail
