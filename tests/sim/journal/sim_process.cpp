#include "sim_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "generator/generator.h"

namespace rosterd::sim::journal::test {

DataDir::DataDir() {
  char templ[] = "/tmp/journal-sim-test-XXXXXX";
  if (mkdtemp(templ) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
  const auto start = mapping::Date::from_ymd(2026, 9, 1);
  const generator::SchoolShape shape{4, 6};
  for (const char* id : {"sch-a", "sch-b"}) {
    auto roster = generator::make_school(id, 7, start, shape);
    generator::write_export(roster, path_ / id);
    rosters_.emplace(id, std::move(roster));
  }
}

DataDir::~DataDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string DataDir::write_file(const std::string& name, const std::string& text) const {
  const auto file = path_ / name;
  std::ofstream(file) << text;
  return file.string();
}

SimProcess::SimProcess(const DataDir& data, const std::vector<std::string>& args) {
  std::vector<std::string> all = {"--data", data.path().string()};
  all.insert(all.end(), args.begin(), args.end());
  server_ = std::make_unique<rosterd::testing::SimServer>(JOURNAL_SIM_PATH, all, data.path());
}

SimProcess::~SimProcess() = default;

int SimProcess::stop(int signal) { return server_->stop(signal); }

std::string SimProcess::stderr_text() const { return server_->output(); }

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int run_to_end(const std::vector<std::string>& args, const std::filesystem::path& stderr_file) {
  std::vector<std::string> argv = {JOURNAL_SIM_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  rosterd::testing::Process process(argv, stderr_file);
  return process.wait_raw(std::chrono::seconds(30)).value_or(-1);
}

Client::Client(int port, std::string token) : client_("127.0.0.1", port), token_(std::move(token)) {
  client_.set_read_timeout(std::chrono::seconds(10));
}

httplib::Result Client::get(const std::string& path, const httplib::Headers& extra) {
  httplib::Headers headers = extra;
  if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
  return client_.Get(path, headers);
}

json Client::get_json(const std::string& path) {
  const auto result = get(path);
  if (!result) {
    ADD_FAILURE() << "GET " << path << ": no answer";
    return json();
  }
  EXPECT_EQ(result->status, 200) << "GET " << path << ": " << result->body;
  auto body = json::parse(result->body, nullptr, false);
  EXPECT_FALSE(body.is_discarded()) << "GET " << path << " answered " << result->body;
  return body;
}

httplib::Result Client::post(const std::string& path, const json& body) {
  return client_.Post(path, body.dump(), "application/json");
}

std::vector<json> Client::fetch_all(const std::string& path, std::size_t limit,
                                    const std::string& etag) {
  std::vector<json> items;
  std::string cursor;
  for (int pages = 0; pages < 100000; ++pages) {
    std::string url = path + "?limit=" + std::to_string(limit);
    if (!cursor.empty()) url += "&cursor=" + cursor;
    const auto result = get(url);
    if (!result || result->status != 200) {
      ADD_FAILURE() << "GET " << url << " failed";
      return items;
    }
    if (!etag.empty()) {
      EXPECT_EQ(result->get_header_value("ETag"), etag) << url;
    }
    const auto page = json::parse(result->body);
    EXPECT_LE(page.at("items").size(), limit);
    for (const auto& item : page.at("items")) items.push_back(item);
    if (page.at("next_cursor").is_null()) return items;
    EXPECT_EQ(page.at("items").size(), limit) << "a page before the last is full";
    cursor = page.at("next_cursor").get<std::string>();
  }
  ADD_FAILURE() << "paging did not end";
  return items;
}

json Client::fetch_org(const std::string& org_id) {
  const std::string base = "/v1/organisations/" + org_id;
  const auto head = get(base);
  if (!head || head->status != 200) {
    ADD_FAILURE() << "GET " << base << " failed";
    return json();
  }
  const std::string etag = head->get_header_value("ETag");
  json out = {{"etag", etag}, {"organisation", json::parse(head->body)}};
  for (const char* list : {"groups", "persons", "enrollments", "relations"}) {
    out[list] = fetch_all(base + "/" + list, 1000, etag);
  }
  return out;
}

json Client::advance(const json& body) {
  const auto result = post("/sim/advance", body);
  if (!result || result->status != 200) {
    ADD_FAILURE() << "/sim/advance failed: " << (result ? result->body : "no answer");
    return json();
  }
  return json::parse(result->body);
}

void Client::set_faults(const json& body) {
  const auto result = post("/sim/faults", body);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
}

}  // namespace rosterd::sim::journal::test
