// The status server over real HTTP, as Prometheus, a health probe and a browser reach it.
#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <stdexcept>

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
  EXPECT_NE(page->body.find("data-school=\"sch-1\""), std::string::npos);
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
