#pragma once
// One libcurl easy handle, reused for every request of one client (keep-alive). The only code
// that includes curl. Nothing it reports carries the URL, the body or the token.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/platform/retry_policy.h"

namespace rosterd::adapters::platform {

struct HttpResult {
  std::optional<Failure> failure;  // set when no HTTP answer came (not_connected, timeout, ...)
  long status = 0;
  std::string body;
  std::string error;  // curl's description of the failure: never the URL or the body
};

class CurlSession {
 public:
  // Throws std::runtime_error when curl cannot make a handle.
  CurlSession(std::string_view bearer_token, int timeout_ms);
  ~CurlSession();
  CurlSession(const CurlSession&) = delete;
  CurlSession& operator=(const CurlSession&) = delete;

  // application/x-www-form-urlencoded escaping of one key or value (UTF-8 bytes as %XX).
  [[nodiscard]] std::string escape(std::string_view text) const;
  // POSTs a form body with the bearer header. Never throws for transport failures.
  [[nodiscard]] HttpResult post(const std::string& url, const std::string& form_body);

 private:
  struct Handles;
  std::unique_ptr<Handles> handles_;
};

}  // namespace rosterd::adapters::platform
