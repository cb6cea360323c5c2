#include "adapters/journal_http/http_getter.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>

namespace rosterd::adapters::journal_http::detail {
namespace {

// A school's lists are a few MB at most; far more is a broken or hostile server.
constexpr std::size_t largest_body = std::size_t{64} << 20U;
constexpr int longest_backoff_ms = 30000;

void init_curl_once() {
  // curl_global_init is not thread-safe; journals may be made on several threads.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Received {
  std::string body;
  std::string etag;
  bool too_large = false;
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* received = static_cast<Received*>(user);
  if (received->body.size() + size * count > largest_body) {
    received->too_large = true;
    return 0;  // curl aborts the transfer
  }
  received->body.append(data, size * count);
  return size * count;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

std::size_t read_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string_view line(data, size * count);
  constexpr std::string_view name = "etag:";
  if (line.size() > name.size() &&
      std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
        return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
      })) {
    static_cast<Received*>(user)->etag = std::string(trim(line.substr(name.size())));
  }
  return size * count;
}

[[nodiscard]] bool retryable(long status) noexcept {
  return status >= 500 || status == 429;
}

}  // namespace

struct HttpGetter::Handles {
  CURL* easy = nullptr;
  ~Handles() {
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

// One try: an HTTP answer, or why there was none.
struct HttpGetter::Attempt {
  std::optional<std::string> failure;  // "timeout", "connection failed: ...": no answer came
  HttpAnswer answer;
  bool too_large = false;
};

HttpGetter::HttpGetter(const HttpJournalOptions& options, std::string who)
    : handles_(std::make_unique<Handles>()),
      base_url_(options.base_url),
      authorization_("Authorization: Bearer " + options.token),
      who_(std::move(who)),
      max_attempts_(options.max_attempts),
      backoff_initial_ms_(options.backoff_initial_ms),
      stop_requested_(options.stop_requested),
      rng_(std::random_device{}()) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  init_curl_once();
  handles_->easy = curl_easy_init();
  if (handles_->easy == nullptr) throw std::runtime_error("journal client: curl_easy_init failed");
  CURL* easy = handles_->easy;
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM, safe in threads
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout_ms));
  curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");        // the token goes to the journal only
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);  // never carry the bearer elsewhere
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // gzip: persons lists are large
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &read_header);
}

HttpGetter::~HttpGetter() = default;

std::string HttpGetter::escape(std::string_view text) const {
  char* escaped = curl_easy_escape(handles_->easy, text.data(), static_cast<int>(text.size()));
  if (escaped == nullptr) throw std::runtime_error("journal client: out of memory");
  std::string result(escaped);
  curl_free(escaped);
  return result;
}

HttpGetter::Attempt HttpGetter::perform(const std::string& target,
                                        const std::string& if_none_match) {
  CURL* easy = handles_->easy;
  curl_slist* headers = nullptr;
  const auto add_header = [&headers](const std::string& header) {
    curl_slist* grown = curl_slist_append(headers, header.c_str());
    if (grown == nullptr) {
      curl_slist_free_all(headers);
      throw std::runtime_error("journal client: out of memory");
    }
    headers = grown;
  };
  add_header(authorization_);
  if (!if_none_match.empty()) add_header("If-None-Match: " + if_none_match);
  Received received;
  const std::string url = base_url_ + target;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &received);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &received);
  const CURLcode code = curl_easy_perform(easy);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);

  Attempt attempt;
  attempt.too_large = received.too_large;
  if (code != CURLE_OK) {
    // curl_easy_strerror describes the code only; curl's error buffer could name the URL.
    attempt.failure = code == CURLE_OPERATION_TIMEDOUT ? std::string("timeout")
                                                       : std::string(curl_easy_strerror(code));
    return attempt;
  }
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &attempt.answer.status);
  attempt.answer.body = std::move(received.body);
  attempt.answer.etag = std::move(received.etag);
  return attempt;
}

HttpAnswer HttpGetter::get(const std::string& target, const std::string& if_none_match) {
  const std::string request = "GET " + target;
  std::string last_failure;
  int attempt = 1;
  for (;; ++attempt) {
    Attempt result = perform(target, if_none_match);
    if (result.too_large) {
      throw JournalAnswerError({Problem{request, "", "", "answer larger than 64 MiB"}});
    }
    if (!result.failure && !retryable(result.answer.status)) {
      // Refused tokens are not retried: the same token is refused again until it changes.
      if (result.answer.status == 401 || result.answer.status == 403) {
        throw JournalAuthError(result.answer.status,
                               "journal refused the token for " + who_ + " (HTTP " +
                                   std::to_string(result.answer.status) + ") at " + request);
      }
      return std::move(result.answer);
    }
    // 5xx, 429, timeouts and broken connections pass; a GET is safe to repeat.
    last_failure = result.failure ? *result.failure
                                  : "HTTP " + std::to_string(result.answer.status);
    if (attempt >= max_attempts_ || !pause_before_retry(attempt)) break;
  }
  throw JournalUnavailable("journal unavailable for " + who_ + ": " + request + ": " +
                           last_failure + " (" + std::to_string(attempt) +
                           (attempt == 1 ? " attempt" : " attempts") +
                           (attempt < max_attempts_ ? "; stopped: rosterd is stopping)" : ")"));
}

bool HttpGetter::pause_before_retry(int attempt) {
  // In short slices, so that a stop asked during a long backoff is seen within a moment.
  constexpr auto slice = std::chrono::milliseconds(50);
  auto left = std::chrono::milliseconds(backoff_ms(attempt, backoff_initial_ms_, rng_));
  while (!stopping()) {
    if (left <= std::chrono::milliseconds::zero()) return true;
    const auto step = std::min(left, slice);
    std::this_thread::sleep_for(step);
    left -= step;
  }
  return false;
}

int backoff_ms(int attempt, int initial_ms, std::mt19937_64& rng) {
  long long delay = std::max(initial_ms, 0);
  for (int i = 1; i < attempt && delay < longest_backoff_ms; ++i) delay *= 2;
  delay = std::min<long long>(delay, longest_backoff_ms);
  if (delay <= 1) return static_cast<int>(delay);
  std::uniform_int_distribution<long long> jitter(delay / 2, delay);
  return static_cast<int>(jitter(rng));
}

}  // namespace rosterd::adapters::journal_http::detail
