#pragma once
// Internal: GET requests to the journal over one libcurl handle (keep-alive), with the retry
// policy in one place. The only code of the adapter that includes curl. Nothing it reports
// carries the base URL, the token or a body.

#include <cstddef>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "adapters/journal_http/http_journal.h"

namespace rosterd::adapters::journal_http::detail {

struct HttpAnswer {
  long status = 0;
  std::string body;
  std::string etag;  // the ETag header as sent (quotes included); empty when none
};

class HttpGetter {
 public:
  // `who` names what the requests are for in auth errors: "organisation org-1".
  // Throws std::runtime_error when curl cannot make a handle.
  HttpGetter(const HttpJournalOptions& options, std::string who);
  ~HttpGetter();
  HttpGetter(const HttpGetter&) = delete;
  HttpGetter& operator=(const HttpGetter&) = delete;

  // Percent-encodes a path segment or a query value.
  [[nodiscard]] std::string escape(std::string_view text) const;

  // GETs base_url + target ("/v1/organisations/org-1?..."), sending If-None-Match when given.
  // Retries 5xx, 429, timeouts and connection errors with backoff; returns any other answer.
  // Throws JournalAuthError for 401/403 at once, JournalUnavailable when attempts run out,
  // JournalAnswerError for an answer too large to hold.
  [[nodiscard]] HttpAnswer get(const std::string& target, const std::string& if_none_match = {});

 private:
  struct Attempt;
  [[nodiscard]] Attempt perform(const std::string& target, const std::string& if_none_match);
  [[nodiscard]] bool stopping() const { return stop_requested_ && stop_requested_(); }
  // Sleeps the backoff before attempt `attempt + 1`; false when a stop was asked meanwhile.
  [[nodiscard]] bool pause_before_retry(int attempt);

  struct Handles;
  std::unique_ptr<Handles> handles_;
  std::string base_url_;
  std::string authorization_;
  std::string who_;
  int max_attempts_;
  int backoff_initial_ms_;
  std::function<bool()> stop_requested_;
  std::mt19937_64 rng_;
};

// The pause before attempt `attempt + 1` (attempt counts from 1): initial * 2^(attempt-1),
// capped at 30 s, then jittered into [d/2, d] so that schools refused together do not return
// together.
[[nodiscard]] int backoff_ms(int attempt, int initial_ms, std::mt19937_64& rng);

}  // namespace rosterd::adapters::journal_http::detail
