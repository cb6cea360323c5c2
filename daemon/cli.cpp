#include "daemon/cli.h"

#include <CLI/CLI.hpp>
#include <ctime>
#include <optional>
#include <string>

#include "daemon/config.h"
#include "daemon/plan_output.h"
#include "daemon/planner.h"

namespace rosterd::daemon {

namespace {

struct PlanArgs {
  std::string config;
  std::string school;
  std::string applied;
  std::string today;
  std::string format = "text";
  bool detailed_exitcode = false;
  std::string assume_applied;
};

// The only place rosterd reads the clock: the school's day in the machine's local time.
mapping::Date local_today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return mapping::Date::from_ymd(local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1),
                                 static_cast<unsigned>(local.tm_mday));
}

void add_plan_command(CLI::App& app, PlanArgs& args) {
  auto* plan =
      app.add_subcommand("plan", "Show what a sync would change, with reasons; change nothing");
  plan->add_option("--config", args.config, "Configuration file")->required();
  plan->add_option("--school", args.school, "Plan only the school with this id");
  plan->add_option("--applied", args.applied, "Applied-state snapshot (docs/applied-state.md)");
  plan->add_option("--today", args.today, "Plan as of this day, YYYY-MM-DD (default: today)");
  plan->add_option("--format", args.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  plan->add_flag("--detailed-exitcode", args.detailed_exitcode,
                 "Exit 0 when nothing changes, 2 when something does, 1 on error");
  plan->add_option("--assume-applied", args.assume_applied,
                   "Write the snapshot as it would be after applying the plan");
}

int run_plan(const PlanArgs& args, std::ostream& out, std::ostream& err) {
  PlanRequest request;
  request.today = local_today();
  if (!args.today.empty()) {
    auto day = mapping::Date::parse(args.today);
    if (!day) {
      err << "rosterd: --today: expected YYYY-MM-DD\n";
      return exit_error;
    }
    request.today = *day;
  }
  if (!args.school.empty()) request.school = args.school;
  if (!args.applied.empty()) request.applied = args.applied;

  const auto config = load_config(args.config);
  const auto run = plan_schools(config, request);
  if (args.format == "json") {
    write_plan_json(out, run);
  } else {
    write_plan_text(out, run);
  }
  if (!args.assume_applied.empty())
    adapters::snapshot::write_snapshot(args.assume_applied, run.assumed);

  for (const auto& school : run.schools) {
    if (school.failed())
      err << "rosterd: school " << school.school_id << ": " << school.error << "\n";
  }
  if (run.failed()) return exit_error;
  return args.detailed_exitcode && run.changes() ? exit_changes : exit_ok;
}

}  // namespace

int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"rosterd: keeps school chats in step with the school's electronic journal"};
  app.require_subcommand(1);
  PlanArgs plan_args;
  add_plan_command(app, plan_args);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? exit_ok : exit_error;
  }
  try {
    if (app.got_subcommand("plan")) return run_plan(plan_args, out, err);
  } catch (const std::exception& e) {
    // Config, snapshot and --school problems: their messages name the file and the key.
    err << "rosterd: " << e.what() << "\n";
    return exit_error;
  }
  return exit_error;
}

}  // namespace rosterd::daemon
