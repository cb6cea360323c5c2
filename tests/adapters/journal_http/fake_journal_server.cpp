#include "tests/adapters/journal_http/fake_journal_server.h"

#include <httplib.h>

#include <algorithm>
#include <stdexcept>

namespace rosterd::adapters::journal_http::testing {
namespace {

const std::string prefix = "/v1/organisations";

std::string etag_of(int version) {
  return "\"v" + std::to_string(version) + "\"";
}

FakeAnswer error_answer(int status, const std::string& error) {
  return {status, nlohmann::json{{"error", error}}.dump(), "", {}};
}

// A page of `items` from the offset the cursor names; the cursor pins the version.
FakeAnswer page_of(const nlohmann::json& items, const RecordedRequest& request, int version) {
  std::size_t offset = 0;
  if (!request.cursor.empty()) {
    const auto at = request.cursor.find('@');
    if (at == std::string::npos) return error_answer(400, "bad_cursor");
    if (request.cursor.substr(at + 1) != "v" + std::to_string(version)) {
      return error_answer(409, "snapshot_changed");
    }
    offset = std::stoul(request.cursor.substr(0, at));
  }
  const std::size_t limit = request.limit.empty() ? 500 : std::stoul(request.limit);
  nlohmann::json slice = nlohmann::json::array();
  for (std::size_t i = offset; i < items.size() && i < offset + limit; ++i) slice.push_back(items[i]);
  const std::size_t next = offset + limit;
  const nlohmann::json cursor = next < items.size()
                                    ? nlohmann::json(std::to_string(next) + "@v" +
                                                     std::to_string(version))
                                    : nlohmann::json(nullptr);
  return {200, page(slice, cursor), etag_of(version), {}};
}

}  // namespace

std::string page(const nlohmann::json& items, const nlohmann::json& next_cursor) {
  return nlohmann::json{{"items", items}, {"next_cursor", next_cursor}}.dump();
}

FakeJournalServer::FakeJournalServer(JournalData data)
    : server_(std::make_unique<httplib::Server>()), data_(std::move(data)) {
  server_->set_tcp_nodelay(true);  // else each answer waits for a delayed ACK
  server_->Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    RecordedRequest recorded;
    recorded.path = req.path;
    recorded.target = req.target;
    recorded.cursor = req.get_param_value("cursor");
    recorded.limit = req.get_param_value("limit");
    recorded.if_none_match = req.get_header_value("If-None-Match");
    recorded.authorization = req.get_header_value("Authorization");
    const FakeAnswer answer = this->answer(recorded);
    if (answer.delay.count() > 0) std::this_thread::sleep_for(answer.delay);
    res.status = answer.status;
    if (!answer.etag.empty()) res.set_header("ETag", answer.etag);
    if (answer.status != 304) res.set_content(answer.body, "application/json");
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("fake journal: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeJournalServer::~FakeJournalServer() {
  server_->stop();
  thread_.join();
}

std::string FakeJournalServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void FakeJournalServer::change(const std::function<void(JournalData&)>& edit) {
  std::lock_guard lock(mutex_);
  edit(data_);
  ++data_.version;
}

void FakeJournalServer::fault(std::string path_suffix, FakeAnswer answer) {
  std::lock_guard lock(mutex_);
  faults_.emplace_back(std::move(path_suffix), std::move(answer));
}

void FakeJournalServer::on_request(
    std::function<void(const RecordedRequest&, JournalData&)> hook) {
  std::lock_guard lock(mutex_);
  hook_ = std::move(hook);
}

std::vector<RecordedRequest> FakeJournalServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void FakeJournalServer::clear_requests() {
  std::lock_guard lock(mutex_);
  requests_.clear();
}

FakeAnswer FakeJournalServer::answer(const RecordedRequest& request) {
  std::lock_guard lock(mutex_);
  requests_.push_back(request);
  if (hook_) hook_(request, data_);
  const auto fault = std::find_if(faults_.begin(), faults_.end(), [&](const auto& f) {
    return request.path.size() >= f.first.size() &&
           request.path.compare(request.path.size() - f.first.size(), f.first.size(), f.first) == 0;
  });
  if (fault != faults_.end()) {
    FakeAnswer scripted = std::move(fault->second);
    faults_.erase(fault);
    return scripted;
  }
  return serve(request);
}

FakeAnswer FakeJournalServer::serve(const RecordedRequest& request) const {
  if (request.authorization != std::string("Bearer ") + token) {
    return error_answer(401, "unauthorized");
  }
  if (request.path == prefix) {
    nlohmann::json all = nlohmann::json::array({data_.org});
    for (const auto& org : data_.other_orgs) all.push_back(org);
    return page_of(all, request, data_.version);
  }
  const std::string org_path = prefix + "/" + data_.org.at("id").get<std::string>();
  if (request.path.rfind(prefix + "/", 0) == 0 && request.path.rfind(org_path, 0) != 0) {
    return error_answer(403, "forbidden");
  }
  if (request.path == org_path) {
    if (request.if_none_match == etag_of(data_.version)) return {304, "", etag_of(data_.version), {}};
    return {200, data_.org.dump(), etag_of(data_.version), {}};
  }
  if (request.path == org_path + "/groups") return page_of(data_.groups, request, data_.version);
  if (request.path == org_path + "/persons") return page_of(data_.persons, request, data_.version);
  if (request.path == org_path + "/enrollments") {
    return page_of(data_.enrollments, request, data_.version);
  }
  if (request.path == org_path + "/relations") {
    return page_of(data_.relations, request, data_.version);
  }
  return error_answer(404, "not_found");
}

}  // namespace rosterd::adapters::journal_http::testing
