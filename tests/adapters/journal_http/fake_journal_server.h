#pragma once
// A real HTTP server on 127.0.0.1 for the HTTP journal adapter's tests: it serves one
// organisation's lists over the journal contract (cursor paging pinned to a version, ETag, 304,
// 409, 401/403/404), records every request, and answers with scripted faults when told to.
// It encodes with nlohmann_json, not with the adapter's code, so a parsing bug cannot hide.

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace rosterd::adapters::journal_http::testing {

inline constexpr const char* token = "tok-S3CRET-7f3a";

struct JournalData {
  nlohmann::json org = nlohmann::json::object();
  nlohmann::json other_orgs = nlohmann::json::array();  // also listed by /v1/organisations
  nlohmann::json groups = nlohmann::json::array();
  nlohmann::json persons = nlohmann::json::array();
  nlohmann::json enrollments = nlohmann::json::array();
  nlohmann::json relations = nlohmann::json::array();
  int version = 1;  // the ETag is "v<version>"; bump it with every change
};

struct RecordedRequest {
  std::string path;           // "/v1/organisations/org-1/persons"
  std::string target;         // path and query as sent
  std::string cursor;         // "" when absent
  std::string limit;          // "" when absent
  std::string if_none_match;  // "" when absent
  std::string authorization;
};

struct FakeAnswer {
  int status = 200;
  std::string body;
  std::string etag;
  std::chrono::milliseconds delay{0};
};

class FakeJournalServer {
 public:
  explicit FakeJournalServer(JournalData data);  // listening when the constructor returns
  ~FakeJournalServer();
  FakeJournalServer(const FakeJournalServer&) = delete;
  FakeJournalServer& operator=(const FakeJournalServer&) = delete;

  [[nodiscard]] std::string base_url() const;

  // Changes the data under the lock; the version is bumped.
  void change(const std::function<void(JournalData&)>& edit);
  // The next request whose path ends with `path_suffix` ("" = any) gets `answer` instead.
  void fault(std::string path_suffix, FakeAnswer answer);
  // Runs before every answer, under the lock: lets a test change the data mid-fetch.
  void on_request(std::function<void(const RecordedRequest&, JournalData&)> hook);

  [[nodiscard]] std::vector<RecordedRequest> requests() const;
  void clear_requests();

 private:
  [[nodiscard]] FakeAnswer answer(const RecordedRequest& request);
  [[nodiscard]] FakeAnswer serve(const RecordedRequest& request) const;

  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  JournalData data_;
  std::vector<std::pair<std::string, FakeAnswer>> faults_;
  std::function<void(const RecordedRequest&, JournalData&)> hook_;
  std::vector<RecordedRequest> requests_;
};

// {"items": [...], "next_cursor": ...}
[[nodiscard]] std::string page(const nlohmann::json& items, const nlohmann::json& next_cursor);

}  // namespace rosterd::adapters::journal_http::testing
