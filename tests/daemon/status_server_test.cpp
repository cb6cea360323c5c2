// The status server over real HTTP, as Prometheus, a health probe and a browser reach it.
#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon/observability.h"

namespace rosterd::daemon {
namespace {

TEST(StatusServer, ServesMetricsHealthAndTheStatusPage) {
  Observatory o;
  o.set_schools({"sch-1"});
  const StatusServer server(o, "127.0.0.1", 0);
  ASSERT_GT(server.port(), 0);
  httplib::Client client("127.0.0.1", server.port());

  const auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_NE(metrics->body.find("rosterd_school_failing{school=\"sch-1\"} 0"), std::string::npos);

  const auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");

  const auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("href=\"school/sch-1\""), std::string::npos);
}

TEST(StatusServer, AnswersNotFoundForAnyOtherPath) {
  Observatory o;
  const StatusServer server(o, "127.0.0.1", 0);
  httplib::Client client("127.0.0.1", server.port());
  const auto res = client.Get("/admin");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST(StatusServer, SeesCyclesRecordedAfterItStarted) {
  Observatory o;
  o.set_schools({"sch-1"});
  const StatusServer server(o, "127.0.0.1", 0);
  SyncResult r;
  r.result = mapping::CycleResult::failed;
  r.error = "journal: sch-1: timed out";
  CycleReport report;
  report.school_id = "sch-1";
  report.result = &r;
  o.record_cycle(report);
  httplib::Client client("127.0.0.1", server.port());
  const auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("rosterd_school_failing{school=\"sch-1\"} 1"), std::string::npos);
}

TEST(StatusServer, FiltersThePageByTheQueryOfItsForm) {
  Observatory o;
  o.set_schools({"sch-1", "sch-2", "lyceum-3"});
  const StatusServer server(o, "127.0.0.1", 0);
  httplib::Client client("127.0.0.1", server.port());
  const auto page = client.Get("/?q=LYCEUM");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("href=\"school/lyceum-3\""), std::string::npos);
  EXPECT_EQ(page->body.find("href=\"school/sch-1\""), std::string::npos);
}

TEST(StatusServer, ServesAPagePerConfiguredSchoolWithWhatTheStoreHolds) {
  Observatory o;
  o.set_schools({"sch 1"});
  StatusHooks hooks;
  std::string asked;
  hooks.school_detail = [&](const std::string& id) {
    asked = id;
    SchoolDetail d;
    mapping::Action a;
    a.type = mapping::ActionType::archive_chat;
    a.chat_key = "class:g-11a";
    a.held = true;
    d.held = {a};
    return d;
  };
  hooks.config_file = "/etc/rosterd/rosterd.json";
  const StatusServer server(o, "127.0.0.1", 0, hooks);
  httplib::Client client("127.0.0.1", server.port());
  const auto page = client.Get("/school/sch%201");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(asked, "sch 1");
  EXPECT_NE(page->body.find("--school &#39;sch 1&#39; --action &#39;archive_chat class:g-11a&#39;"),
            std::string::npos)
      << page->body;
  for (const char* path : {"/school/sch-2", "/school/sch%201%2F..", "/school/%3Cb%3E"}) {
    const auto missing = client.Get(path);
    ASSERT_TRUE(missing) << path;
    EXPECT_EQ(missing->status, 404) << path;
    EXPECT_EQ(missing->get_header_value("Content-Type"), "text/plain; charset=utf-8") << path;
  }
}

TEST(StatusServer, HandsARetryFromLoopbackToTheDaemonAndSaysWhatItDid) {
  Observatory o;
  o.set_schools({"sch-1"});
  StatusHooks hooks;
  std::vector<std::string> asked;
  hooks.retry = [&](const std::string& id) {
    asked.push_back(id);
    return id == "sch-1" ? RetryAnswer::queued : RetryAnswer::unknown_school;
  };
  const StatusServer server(o, "127.0.0.1", 0, hooks);
  httplib::Client client("127.0.0.1", server.port());
  const auto queued = client.Post("/schools/sch-1/retry");
  ASSERT_TRUE(queued);
  EXPECT_EQ(queued->status, 202);
  EXPECT_NE(queued->body.find("\"answer\":\"queued\""), std::string::npos) << queued->body;
  const auto unknown = client.Post("/schools/nope/retry");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(asked, (std::vector<std::string>{"sch-1", "nope"}));
  const auto get = client.Get("/schools/sch-1/retry");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 404) << "a GET (a link, a crawler) retries nothing";
  EXPECT_EQ(asked.size(), 2u);
}

TEST(StatusServer, StopsServingWhenDestroyed) {
  Observatory o;
  auto server = std::make_unique<StatusServer>(o, "127.0.0.1", 0);
  const int port = server->port();
  server.reset();
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1, 0);
  EXPECT_FALSE(client.Get("/healthz"));
}

TEST(StatusServer, RefusesAPortAlreadyInUse) {
  Observatory o;
  const StatusServer first(o, "127.0.0.1", 0);
  EXPECT_THROW(StatusServer(o, "127.0.0.1", first.port()), std::runtime_error);
}

}  // namespace
}  // namespace rosterd::daemon
