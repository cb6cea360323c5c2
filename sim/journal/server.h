#pragma once
// The HTTP front end: the journal contract under /v1 (tokens, ETags, cursor pages, injected
// faults) and the simulator's own /sim endpoints, over a Journal.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>

#include "sim/journal/faults.h"
#include "sim/journal/journal.h"
#include "sim/journal/stats.h"
#include "sim/journal/tokens.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace rosterd::sim::journal {

// One data answer before faults are applied.
struct DataAnswer {
  int status = 200;
  std::string body;
  std::string etag;      // with quotes; empty: no ETag header
  bool is_list = false;  // a page of a list (the "empty" fault applies)
};

class HttpFrontend {
 public:
  HttpFrontend(Journal& journal, Tokens tokens, std::size_t page_size, bool verbose);

  // Registers the routes; the server must not outlive this front end.
  void install(httplib::Server& server);
  // Wakes every answer held back by the "slow" fault so the server can stop at once.
  void stop();

 private:
  template <typename Answer>
  void serve_data(const httplib::Request& req, httplib::Response& res, Answer answer);
  [[nodiscard]] DataAnswer organisations(const httplib::Request& req, const Access& access) const;
  [[nodiscard]] DataAnswer organisation(const httplib::Request& req, const Access& access,
                                        const std::string& org_id) const;
  [[nodiscard]] DataAnswer list(const httplib::Request& req, const Access& access,
                                const std::string& org_id, ListKind kind) const;
  void apply_fault(const Fault& fault, DataAnswer& answer);
  void handle_advance(const httplib::Request& req, httplib::Response& res);
  void handle_faults(const httplib::Request& req, httplib::Response& res);
  void handle_organisations(const httplib::Request& req, httplib::Response& res);

  Journal& journal_;
  const Tokens tokens_;
  const std::size_t page_size_;
  const bool verbose_;
  Faults faults_;
  RequestStats stats_;
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
};

}  // namespace rosterd::sim::journal
