#include "adapters/store/mark_rows.h"

#include "adapters/store/clock.h"
#include "adapters/store/row_codec.h"

namespace rosterd::adapters::store::detail {

mapping::JournalMark select_mark(SqlSession& session, const std::string& org_id) {
  const auto rows = session.query(
      "SELECT etag, next_change, zone, audit_due, settings, version FROM journal_marks "
      "WHERE org_id = $1",
      {org_id});
  if (rows.empty()) return {};
  const auto& row = rows.front();
  return {text_cell(row, 0), opt_date_cell(row, 1), text_cell(row, 2), opt_int64_cell(row, 3),
          text_cell(row, 4), int64_cell(row, 5)};
}

bool replace_mark(SqlSession& session, const std::string& org_id,
                  const mapping::JournalMark& mark) {
  if (select_mark(session, org_id).version != mark.version) return false;
  session.exec(
      "INSERT INTO journal_marks (org_id, etag, next_change, zone, audit_due, settings, version, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
      "ON CONFLICT (org_id) DO UPDATE SET etag = excluded.etag, "
      "next_change = excluded.next_change, zone = excluded.zone, "
      "audit_due = excluded.audit_due, settings = excluded.settings, "
      "updated_at = excluded.updated_at",
      {org_id, mark.etag, param(mark.next_change), mark.zone, param(mark.audit_due),
       mark.settings, mark.version, utc_now_iso()});
  return true;
}

void delete_mark(SqlSession& session, const std::string& org_id) {
  session.exec(
      "INSERT INTO journal_marks (org_id, etag, next_change, zone, audit_due, settings, version, "
      "updated_at) VALUES ($1, '', NULL, '', NULL, '', 1, $2) "
      "ON CONFLICT (org_id) DO UPDATE SET etag = '', next_change = NULL, zone = '', "
      "audit_due = NULL, settings = '', version = journal_marks.version + 1, "
      "updated_at = excluded.updated_at",
      {org_id, utc_now_iso()});
}

}  // namespace rosterd::adapters::store::detail
