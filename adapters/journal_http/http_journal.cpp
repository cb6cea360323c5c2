#include "adapters/journal_http/http_journal.h"

#include <algorithm>
#include <utility>

#include "adapters/journal_http/answer_parser.h"
#include "adapters/journal_http/http_getter.h"

namespace rosterd::adapters::journal_http {

namespace {

constexpr int largest_page_limit = 1000;
// A school has a few thousand records; a server paging past this is looping.
constexpr std::size_t most_pages = 100000;
constexpr std::size_t listed_problems = 20;

// The snapshot changed under the fetch (409, or a page from another version): start over.
struct SnapshotChanged {};

std::string summarize(const std::vector<Problem>& problems) {
  std::string text = std::to_string(problems.size());
  text += problems.size() == 1 ? " problem" : " problems";
  text += " in the journal's answer:";
  const std::size_t listed = std::min(problems.size(), listed_problems);
  for (std::size_t i = 0; i < listed; ++i) text += "\n  " + describe(problems[i]);
  if (problems.size() > listed) {
    text += "\n  and " + std::to_string(problems.size() - listed) + " more";
  }
  return text;
}

[[noreturn]] void fail(std::vector<detail::RawProblem>& raw) {
  std::vector<Problem> problems;
  problems.reserve(raw.size());
  for (auto& p : raw) {
    problems.push_back(Problem{std::move(p.file), std::move(p.record), std::move(p.field),
                               std::move(p.message)});
  }
  throw JournalAnswerError(std::move(problems));
}

[[noreturn]] void fail(const std::string& request, std::string message) {
  throw JournalAnswerError({Problem{request, "", "", std::move(message)}});
}

void check_status(const detail::HttpAnswer& answer, const std::string& request) {
  if (answer.status == 200) return;
  // The body of an error answer is not quoted: it is the server's and may hold anything.
  fail(request, answer.status == 404 ? "HTTP 404: unknown organisation or path"
                                     : "unexpected HTTP status " + std::to_string(answer.status));
}

void check_options(const HttpJournalOptions& options, bool needs_org) {
  const auto invalid = [](const std::string& what) {
    throw std::invalid_argument("journal_http options: " + what);
  };
  if (options.base_url.empty()) invalid("base_url is empty");
  if (options.token.empty()) invalid("token is empty");
  if (needs_org && options.org_id.empty()) invalid("org_id is empty");
  if (options.page_limit < 1 || options.page_limit > largest_page_limit)
    invalid("page_limit must be 1..1000");
  if (options.max_attempts < 1) invalid("max_attempts must be at least 1");
  if (options.timeout_ms < 1) invalid("timeout_ms must be positive");
  if (options.max_snapshot_restarts < 0) invalid("max_snapshot_restarts must not be negative");
}

// Reads every page of one list. `etag` is the organisation's: a page of another version means
// the snapshot moved even if the server did not say 409.
template <class Record>
void read_list(detail::HttpGetter& http, detail::AnswerParser& parser, const std::string& path,
               int limit, const std::string& etag, detail::ListRead<Record>& list,
               std::vector<detail::RawProblem>& problems) {
  std::optional<std::string> cursor;
  for (std::size_t page = 0;; ++page) {
    std::string target = path + "?";
    if (cursor) target += "cursor=" + http.escape(*cursor) + "&";
    target += "limit=" + std::to_string(limit);
    const std::string request = "GET " + target;
    if (page == most_pages) fail(request, "more than 100000 pages: the server keeps paging");
    detail::HttpAnswer answer = http.get(target);
    if (answer.status == 409) throw SnapshotChanged{};
    check_status(answer, request);
    if (!etag.empty() && !answer.etag.empty() && answer.etag != etag) throw SnapshotChanged{};
    const detail::PageResult result = parser.read_page(answer.body, request, list, problems);
    // A broken page ends the fetch: the pages after it cannot be reached.
    if (!result.complete) fail(problems);
    if (!result.next_cursor) return;
    if (result.next_cursor == cursor) fail(request, "next_cursor repeats the cursor of this page");
    cursor = result.next_cursor;
  }
}

}  // namespace

std::string describe(const Problem& problem) {
  std::string text = problem.request + problem.record;
  if (!problem.field.empty()) text += ": " + problem.field;
  text += ": " + problem.message;
  return text;
}

JournalAnswerError::JournalAnswerError(std::vector<Problem> problems)
    : JournalError(summarize(problems)), problems_(std::move(problems)) {}

struct HttpJournal::Impl {
  explicit Impl(HttpJournalOptions opts)
      : options(std::move(opts)),
        http(options, "organisation " + options.org_id),
        org_path("/v1/organisations/" + http.escape(options.org_id)),
        paths{org_path + "/groups", org_path + "/persons", org_path + "/enrollments",
              org_path + "/relations"} {}

  // One pass: the organisation, then the four lists; `condition`: the If-None-Match ETag
  // (empty: none). nullopt: 304, nothing changed.
  [[nodiscard]] std::optional<std::pair<mapping::Roster, std::string>> fetch_once(
      const std::string& condition);
  [[nodiscard]] mapping::Roster read_lists(mapping::Organisation org, const std::string& etag);
  [[nodiscard]] mapping::JournalAnswer fetch(const std::string& condition);

  HttpJournalOptions options;
  detail::HttpGetter http;
  detail::AnswerParser parser;
  std::string org_path;
  detail::ListPaths paths;
};

std::optional<std::pair<mapping::Roster, std::string>> HttpJournal::Impl::fetch_once(
    const std::string& condition) {
  const std::string request = "GET " + org_path;
  detail::HttpAnswer answer = http.get(org_path, condition);
  if (answer.status == 304) {
    if (condition.empty()) fail(request, "HTTP 304 to a request without If-None-Match");
    return std::nullopt;
  }
  check_status(answer, request);
  std::vector<detail::RawProblem> problems;
  mapping::Organisation org;
  parser.read_organisation(answer.body, request, org, problems);
  if (problems.empty() && org.id != options.org_id) {
    problems.push_back({request, "", "id", "not the organisation asked for"});
  }
  if (!problems.empty()) fail(problems);
  return std::pair{read_lists(std::move(org), answer.etag), answer.etag};
}

mapping::Roster HttpJournal::Impl::read_lists(mapping::Organisation org,
                                              const std::string& version) {
  std::vector<detail::RawProblem> problems;
  const int limit = options.page_limit;
  detail::ListRead<mapping::Group> groups;
  detail::ListRead<mapping::Person> persons;
  detail::ListRead<mapping::Enrolment> enrolments;
  detail::ListRead<mapping::Relation> relations;
  read_list(http, parser, paths.groups, limit, version, groups, problems);
  read_list(http, parser, paths.persons, limit, version, persons, problems);
  read_list(http, parser, paths.enrolments, limit, version, enrolments, problems);
  read_list(http, parser, paths.relations, limit, version, relations, problems);
  mapping::Roster result{std::move(org), std::move(groups.records), std::move(persons.records),
                         std::move(enrolments.records), std::move(relations.records), {}};
  detail::check_across(result, enrolments.flawed, relations.flawed, paths, problems);
  if (!problems.empty()) fail(problems);
  return result;
}

HttpJournal::HttpJournal(HttpJournalOptions options) {
  check_options(options, true);
  impl_ = std::make_unique<Impl>(std::move(options));
}

HttpJournal::~HttpJournal() = default;

mapping::JournalAnswer HttpJournal::Impl::fetch(const std::string& condition) {
  for (int restarts = 0;; ++restarts) {
    try {
      auto fetched = fetch_once(condition);
      if (!fetched) return {nullptr, true, condition};
      auto roster = std::make_shared<const mapping::Roster>(std::move(fetched->first));
      // An answer without persons is not trusted for 304s: a journal that served its lists
      // empty by mistake keeps its ETag, and the next cycle must fetch the lists again.
      std::string etag = roster->persons.empty() ? std::string() : std::move(fetched->second);
      return {std::move(roster), false, std::move(etag)};
    } catch (const SnapshotChanged&) {
      if (restarts >= options.max_snapshot_restarts) {
        throw JournalUnavailable("journal unavailable for organisation " + options.org_id +
                                 ": the snapshot changed during " +
                                 std::to_string(restarts + 1) + " fetches in a row");
      }
    }
  }
}

// Nothing is kept between fetches: the ETag lives in the school's journal mark, and a daemon's
// memory does not grow with its schools' rosters.
mapping::JournalAnswer HttpJournal::fetch() { return impl_->fetch({}); }

mapping::JournalAnswer HttpJournal::fetch_if_changed(const std::string& etag) {
  return impl_->fetch(etag);
}

std::unique_ptr<mapping::JournalSource> open_http_journal(HttpJournalOptions options) {
  return std::make_unique<HttpJournal>(std::move(options));
}

std::vector<mapping::Organisation> list_organisations(const HttpJournalOptions& options) {
  check_options(options, false);
  detail::HttpGetter http(options, "the organisations list");
  detail::AnswerParser parser;
  std::vector<detail::RawProblem> problems;
  detail::ListRead<mapping::Organisation> list;
  const std::string path = "/v1/organisations";
  read_list(http, parser, path, options.page_limit, "", list, problems);
  detail::check_organisations(list.records, path, problems);
  if (!problems.empty()) fail(problems);
  return std::move(list.records);
}

}  // namespace rosterd::adapters::journal_http
