#pragma once
// The journal over HTTP (DESIGN: "The journal contract"; the details in docs/journal-http.md):
// one organisation's roster from the EPOS-like API, fetched page by page, validated like the
// export folder, with its ETag so that an unchanged journal costs one request (304) when asked
// with it (fetch_if_changed).

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "mapping/model.h"
#include "mapping/ports.h"

namespace rosterd::adapters::journal_http {

struct HttpJournalOptions {
  std::string base_url;  // "https://journal.example.org"; paths /v1/... are appended
  std::string token;     // bearer token, read from a file by the daemon; never in a message
  std::string org_id;    // the organisation HttpJournal fetches; unused by list_organisations
  int page_limit = 500;  // items per page, 1..1000 (the contract's maximum)
  int timeout_ms = 10000;            // per request, connection included
  int max_attempts = 4;              // per request, for 5xx, 429, timeouts, connection errors
  int backoff_initial_ms = 500;      // doubled per attempt, jittered, capped at 30 s
  int max_snapshot_restarts = 3;     // 409 snapshot_changed: the fetch starts over this often
  // Asked before each retry and during its backoff: true gives up at once (JournalUnavailable),
  // so a daemon told to stop waits for the request in flight only, not for every attempt.
  std::function<bool()> stop_requested;
};

// One thing wrong with an answer. Names the request (path and query, never the token), the
// record and the field; never a contact value.
struct Problem {
  std::string request;  // "GET /v1/organisations/org-1/persons?cursor=c2&limit=500"; for checks
                        // across records, the list: "/v1/organisations/org-1/persons"
  std::string record;   // "[512] (id p-9)": the index counts across pages; empty: whole answer
  std::string field;    // "birth_date"; empty when not one field's
  std::string message;
};

// "GET /v1/...persons?limit=500[12] (id p-123): birth_date: not a valid date (expected ...)"
[[nodiscard]] std::string describe(const Problem& problem);

// Every error of this adapter; the caller's previous answer stays in force.
class JournalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// 401 or 403: the token is refused or does not see the organisation. Not retried: the
// configuration must change.
class JournalAuthError : public JournalError {
 public:
  JournalAuthError(long status, const std::string& what) : JournalError(what), status_(status) {}
  [[nodiscard]] long status() const noexcept { return status_; }

 private:
  long status_;
};

// The journal did not answer usefully within the retries (5xx, 429, timeouts, connection
// errors), or its snapshot kept changing under the fetch. Try again next cycle.
class JournalUnavailable : public JournalError {
 public:
  using JournalError::JournalError;
};

// An answer that is not the contract's: malformed or truncated JSON, bad records, an unexpected
// status. what() lists the first problems; problems() holds all.
class JournalAnswerError : public JournalError {
 public:
  explicit JournalAnswerError(std::vector<Problem> problems);
  [[nodiscard]] const std::vector<Problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<Problem> problems_;
};

// One organisation's journal. fetch() returns the whole roster or throws a JournalError;
// fetch_if_changed(etag) asks with If-None-Match and answers `unchanged` without a roster on a
// 304. It keeps no roster between fetches. Not thread-safe: one per school.
class HttpJournal final : public mapping::JournalSource {
 public:
  // Throws std::invalid_argument for options that cannot work (no URL, no token, no org, a
  // page limit outside 1..1000, no attempts).
  explicit HttpJournal(HttpJournalOptions options);
  ~HttpJournal() override;
  HttpJournal(const HttpJournal&) = delete;
  HttpJournal& operator=(const HttpJournal&) = delete;

  [[nodiscard]] mapping::JournalAnswer fetch() override;
  [[nodiscard]] mapping::JournalAnswer fetch_if_changed(const std::string& etag) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The factory the daemon wires for a school whose source is "http".
[[nodiscard]] std::unique_ptr<mapping::JournalSource> open_http_journal(HttpJournalOptions options);

// The organisations the token sees (/v1/organisations, all pages), validated like the
// organisation record of an export. Throws a JournalError.
[[nodiscard]] std::vector<mapping::Organisation> list_organisations(
    const HttpJournalOptions& options);

}  // namespace rosterd::adapters::journal_http
