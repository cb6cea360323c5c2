// Discovery (`region.schools: "all"`): `rosterd run` (a real process) lists the organisations
// journal-sim's regional token sees. An organisation that joins the journal mid-run is synced
// after the next listing; one that leaves it is held: not synced, nothing of it archived, its
// chats left on platform-sim, and the status page and /metrics show it held.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "generator/generator.h"
#include "tests/daemon/run_support.h"
#include "world.h"

namespace rosterd::e2e {
namespace {

using mapping::Date;
using nlohmann::json;
using namespace std::chrono_literals;
namespace run_test = daemon::run_test;

constexpr const char* regional_token = "e2e-regional-token-5151";

// The value of a metric's sample with exactly these labels, or -1 when there is none.
double sample(const std::string& metrics, const std::string& name_and_labels) {
  const auto at = metrics.find("\n" + name_and_labels + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + name_and_labels.size() + 2));
}

std::string cycles_ok(const std::string& school) {
  return R"(rosterd_cycles_total{school=")" + school + R"(",result="ok"})";
}

// Cycles that went well: planned (ok) or that needed no plan (unchanged: the journal answered
// 304 and nothing is due).
double cycles_well(const std::string& metrics_text, const std::string& school) {
  double n = 0;
  for (const char* result : {"ok", "unchanged"}) {
    const auto v = sample(metrics_text, R"(rosterd_cycles_total{school=")" + school +
                                            R"(",result=")" + result + R"("})");
    if (v > 0) n += v;
  }
  return n;
}

// journal-sim over three generated schools with a regional token; sch-0003 is not in the
// journal yet (hidden through /sim/organisations).
class Region {
 public:
  explicit Region(const std::filesystem::path& dir) {
    for (int i = 1; i <= 3; ++i) {
      const auto id = "sch-000" + std::to_string(i);
      generator::write_export(generator::make_school(id, 70 + i, *Date::parse("2026-09-01"),
                                                     {.classes = 2, .students_per_class = 4}),
                              dir / "journal-data" / id);
    }
    std::ofstream(dir / "regional.token") << regional_token << "\n";
    server_ = std::make_unique<testing::SimServer>(
        JOURNAL_SIM_BIN,
        std::vector<std::string>{"--data", (dir / "journal-data").string(),
                                 "--regional-token-file", (dir / "regional.token").string()},
        dir);
    organisations({{"hide", {"sch-0003"}}});
  }
  [[nodiscard]] std::string url() const { return server_->base_url(); }
  void organisations(const json& body) { (void)server_->post("/sim/organisations", body.dump()); }

 private:
  std::unique_ptr<testing::SimServer> server_;
};

std::size_t archived_chats(const json& state) {
  std::size_t n = 0;
  for (const auto& chat : state.at("chats")) n += chat.at("archived").get<bool>() ? 1 : 0;
  return n;
}

TEST(Discovery, ANewOrganisationIsSyncedAtTheNextListingAndAVanishedOneIsHeld) {
  const testing::TempFolder journal_dir("rosterd-discovery");
  Region region(journal_dir.path());
  WorldOptions options;
  options.extra_config = {
      {"schools", nullptr},
      {"region",
       {{"source",
         {{"type", "http"},
          {"base_url", region.url()},
          {"token_file", (journal_dir.path() / "regional.token").string()}}},
        {"schools", "all"},
        {"list_interval_s", 1},
        // One school of three may leave at once (the default 25 % would distrust it).
        {"limits", {{"max_source_drop", 0.5}}},
        {"fallback_admin", {{"platform_user_id", kFallbackAdmin}}}}},
      {"schedule", {{"interval_s", 1}, {"jitter_s", 0}}},
      {"observability", {{"port", 0}}}};
  World w(options);

  // check-config lists when it can reach the journal.
  const auto check = testing::run(
      {ROSTERD_BIN, "check-config", (w.dir() / "rosterd.json").string()}, w.dir());
  EXPECT_EQ(check.status, 0) << check.output;
  EXPECT_NE(check.output.find("ok, 2 school(s), 2 of them listed by the journal now"),
            std::string::npos)
      << check.output;

  // A one-shot command lists when it starts.
  const auto plan = w.rosterd({"plan", "--format", "json"});
  EXPECT_EQ(plan.status, 0) << plan.output;
  EXPECT_NE(plan.output.find(R"("school": "sch-0002")"), std::string::npos) << plan.output;
  EXPECT_EQ(plan.output.find("sch-0003"), std::string::npos) << plan.output;

  run_test::Daemon daemon(w.dir() / "rosterd.json", w.dir() / "daemon.out");
  const auto metrics = [&] { return daemon.get("/metrics").second; };
  ASSERT_TRUE(run_test::eventually(
      [&] {
        const auto m = metrics();
        return sample(m, cycles_ok("sch-0001")) >= 1 && sample(m, cycles_ok("sch-0002")) >= 1;
      },
      60s))
      << daemon.log();
  EXPECT_EQ(sample(metrics(), cycles_ok("sch-0003")), -1) << "not in the journal yet";

  // A new organisation: synced after the next listing.
  region.organisations({{"show", {"sch-0003"}}});
  ASSERT_TRUE(run_test::eventually([&] { return sample(metrics(), cycles_ok("sch-0003")) >= 1; },
                                   60s))
      << daemon.log();
  EXPECT_NE(daemon.log().find("school.discovered"), std::string::npos);

  // One that leaves the journal: held.
  const auto live_before = w.state().at("chats").size();
  region.organisations({{"hide", {"sch-0002"}}});
  ASSERT_TRUE(run_test::eventually(
      [&] { return sample(metrics(), R"(rosterd_held_schools{reason="vanished"})") == 1; }, 60s))
      << daemon.log();
  EXPECT_NE(daemon.log().find("school.vanished"), std::string::npos) << daemon.log();
  const auto held_cycles = cycles_well(metrics(), "sch-0002");
  // The others go on: three more cycles of sch-0001, and none of sch-0002 meanwhile.
  const auto others = cycles_well(metrics(), "sch-0001");
  ASSERT_TRUE(run_test::eventually(
      [&] { return cycles_well(metrics(), "sch-0001") >= others + 3; }, 60s))
      << daemon.log();
  EXPECT_EQ(cycles_well(metrics(), "sch-0002"), held_cycles);

  const auto [status, page] = daemon.get("/");
  EXPECT_EQ(status, 200);
  const auto row = page.find("sch-0002");
  ASSERT_NE(row, std::string::npos) << page;
  EXPECT_NE(page.find("Отложена: список организаций журнала её больше не показывает", row),
            std::string::npos)
      << page;
  const auto state = w.state();
  EXPECT_EQ(archived_chats(state), 0U) << "nothing archived";
  EXPECT_EQ(state.at("chats").size(), live_before) << "its chats stay on the platform";

  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait(20s), 0) << daemon.log();
}

// `plan` by hand on the service's credential: outside systemd there is no
// $CREDENTIALS_DIRECTORY, and --credentials-dir names the folder LoadCredential= reads from.
TEST(Discovery, PlanAndCheckConfigReadTheRegionsCredentialFromTheCredentialsDir) {
  const testing::TempFolder journal_dir("rosterd-discovery");
  Region region(journal_dir.path());
  WorldOptions options;
  options.extra_config = {{"schools", nullptr},
                          {"region",
                           {{"source",
                             {{"type", "http"},
                              {"base_url", region.url()},
                              {"token_credential", "journal-regional-token"}}},
                            {"schools", "all"},
                            {"fallback_admin", {{"platform_user_id", kFallbackAdmin}}}}}};
  World w(options);
  const auto creds = journal_dir.path() / "creds";
  std::filesystem::create_directory(creds);
  std::ofstream(creds / "journal-regional-token") << regional_token << "\n";
  ::unsetenv("CREDENTIALS_DIRECTORY");

  const auto without = w.rosterd({"plan", "--format", "json"});
  EXPECT_EQ(without.status, 1) << without.output;
  EXPECT_NE(
      without.output.find("region.source.token_credential: $CREDENTIALS_DIRECTORY is not "
                          "set (LoadCredential= in the unit; by hand: --credentials-dir DIR)"),
      std::string::npos)
      << without.output;

  const auto plan = w.rosterd({"plan", "--format", "json", "--credentials-dir", creds.string()});
  EXPECT_EQ(plan.status, 0) << plan.output;
  EXPECT_NE(plan.output.find(R"("school": "sch-0001")"), std::string::npos) << plan.output;
  EXPECT_NE(plan.output.find(R"("school": "sch-0002")"), std::string::npos) << plan.output;
  EXPECT_EQ(plan.output.find("sch-0003"), std::string::npos) << "hidden from the listing";
  EXPECT_EQ(plan.output.find(regional_token), std::string::npos);

  const auto check = testing::run({ROSTERD_BIN, "check-config", "--credentials-dir", creds.string(),
                                   (w.dir() / "rosterd.json").string()},
                                  w.dir());
  EXPECT_EQ(check.status, 0) << check.output;
  EXPECT_NE(check.output.find("ok, 2 school(s), 2 of them listed by the journal now"),
            std::string::npos)
      << check.output;
}

}  // namespace
}  // namespace rosterd::e2e
