#include "adapters/platform/curl_session.h"

#include <curl/curl.h>

#include <mutex>
#include <stdexcept>

namespace rosterd::adapters::platform {
namespace {

void init_curl_once() {
  // curl_global_init is not thread-safe; clients may be made on several threads.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

Failure::Kind kind_of(CURLcode code) noexcept {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return Failure::Kind::not_connected;
    case CURLE_OPERATION_TIMEDOUT:
      return Failure::Kind::timeout;
    default:
      return Failure::Kind::transport;
  }
}

}  // namespace

struct CurlSession::Handles {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  ~Handles() {
    curl_slist_free_all(headers);
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

CurlSession::CurlSession(std::string_view bearer_token, int timeout_ms)
    : handles_(std::make_unique<Handles>()) {
  init_curl_once();
  handles_->easy = curl_easy_init();
  if (handles_->easy == nullptr) throw std::runtime_error("platform client: curl_easy_init failed");
  const std::string authorization = "Authorization: Bearer " + std::string(bearer_token);
  for (const char* header :
       {authorization.c_str(), "Content-Type: application/x-www-form-urlencoded",
        "Expect:"}) {  // no 100-continue round trip for large execute bodies
    curl_slist* grown = curl_slist_append(handles_->headers, header);
    if (grown == nullptr) throw std::runtime_error("platform client: out of memory");
    handles_->headers = grown;
  }
  CURL* easy = handles_->easy;
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM, safe in threads
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");        // the token goes to the platform only
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);  // never carry the bearer elsewhere
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, handles_->headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &handles_->body);
}

CurlSession::~CurlSession() = default;

std::string CurlSession::escape(std::string_view text) const {
  char* escaped = curl_easy_escape(handles_->easy, text.data(), static_cast<int>(text.size()));
  if (escaped == nullptr) throw std::runtime_error("platform client: out of memory");
  std::string result(escaped);
  curl_free(escaped);
  return result;
}

HttpResult CurlSession::post(const std::string& url, const std::string& form_body) {
  CURL* easy = handles_->easy;
  handles_->body.clear();
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(form_body.size()));
  curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, form_body.c_str());

  HttpResult result;
  const CURLcode code = curl_easy_perform(easy);
  if (code != CURLE_OK) {
    // curl_easy_strerror describes the code only; the error buffer could name the URL.
    result.failure = Failure{kind_of(code), 0};
    result.error = curl_easy_strerror(code);
    return result;
  }
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &result.status);
  result.body = std::move(handles_->body);
  return result;
}

}  // namespace rosterd::adapters::platform
