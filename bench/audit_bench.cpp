// rosterd-audit-bench: what a full audit of one school costs the platform budget. platform-sim
// starts from a generated school (60 chats of about 30 members, made by the platform), and
// VkPlatform does what an audit does: self_id, list_org_chats, read_members of every chat.
// Prints the requests it took (as platform-sim counted them) beside the target, and the share of
// a requests/s budget that a daily full audit of many such schools would take. No assertions.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "adapters/platform/vk_platform.h"
#include "tests/adapters/platform/sim_school.h"
#include "tests/support/process.h"

namespace {

using namespace rosterd;

struct Args {
  int chats = 60;
  int members = 30;
  int schools = 2000;
  double budget_rps = 20;
};

}  // namespace

int main(int argc, char** argv) {
  Args args;
  CLI::App app{"rosterd-audit-bench: a full audit of one school against platform-sim"};
  app.add_option("--chats", args.chats, "chats of the school")->check(CLI::PositiveNumber);
  app.add_option("--members", args.members, "members per chat")->check(CLI::NonNegativeNumber);
  app.add_option("--schools", args.schools, "schools audited daily for the budget share");
  app.add_option("--budget-rps", args.budget_rps, "the platform's requests/s budget");
  CLI11_PARSE(app, argc, argv);

  char pattern[] = "/tmp/rosterd-audit-bench-XXXXXX";
  const std::filesystem::path dir = mkdtemp(pattern);
  const auto state = adapters::platform::testing::school_state(
      {.org_id = "school-1", .chats = args.chats, .members = args.members});
  const auto state_file = adapters::platform::testing::write_state(dir, state);
  int status = 0;
  {
    testing::SimServer sim(PLATFORM_SIM_BIN, {"--state", state_file.string()}, dir);
    adapters::platform::PlatformOptions options;
    options.base_url = sim.base_url();
    options.token = "bench-token";
    adapters::platform::VkPlatform platform(
        options, std::make_shared<adapters::platform::RateLimiter>(1000));

    const auto started = std::chrono::steady_clock::now();
    (void)platform.self_id();
    const auto chats = platform.list_org_chats("school-1");
    std::vector<mapping::ChatId> ids;
    for (const auto& chat : chats) ids.push_back(chat.chat_id);
    const auto read = platform.read_members(ids);
    const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);

    std::size_t members = 0;
    for (const auto& chat : read) members += chat.members.size();
    const auto stats = nlohmann::json::parse(sim.get("/sim/stats"));
    const auto requests = stats.at("requests").get<std::int64_t>();
    const auto listing_pages = (args.chats + 199) / 200;
    const auto reads = (args.chats + 24) / 25;
    // The target: ceil(chats/25) reads plus the listing's pages; users.get comes on top,
    // once per client (remembered after).
    const auto target = listing_pages + reads;
    const double share =
        100.0 * static_cast<double>(requests) * args.schools / (args.budget_rps * 86400.0);

    std::printf("audit of one school: %zu chats, %zu members read\n", chats.size(), members);
    std::printf("  requests:        %lld (target %d = listing %d + ceil(%d/25) %d; plus users.get 1, "
                "once per client)\n",
                static_cast<long long>(requests), target, listing_pages, args.chats, reads);
    std::printf("  by method:       %s\n", stats.at("by_method").dump().c_str());
    std::printf("  wall time:       %.3f s (loopback, no rate limit)\n", took.count());
    std::printf("  daily budget:    %d schools x %lld requests / (%.0f rps x 86400 s) = %.3f %% "
                "(target <= 10 %%)\n",
                args.schools, static_cast<long long>(requests), args.budget_rps, share);
    if (chats.size() != static_cast<std::size_t>(args.chats)) {
      std::fprintf(stderr, "audit-bench: listed %zu chats, expected %d\n", chats.size(),
                   args.chats);
      status = 1;
    }
  }
  std::filesystem::remove_all(dir);
  return status;
}
