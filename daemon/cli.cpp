#include "daemon/cli.h"

#include <CLI/CLI.hpp>
#include <ctime>
#include <optional>
#include <string>

#include "daemon/config.h"
#include "daemon/plan_output.h"
#include "daemon/planner.h"
#include "daemon/sync.h"
#include "daemon/wiring.h"

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

struct SyncArgs {
  std::string config;
  std::string school;
  std::string today;
  bool once = false;
};

struct ApproveArgs {
  std::string config;
  std::string school;
};

// The run log's timestamps: UTC, to the second.
std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

std::optional<mapping::Date> parse_today(const std::string& text, std::ostream& err) {
  if (text.empty()) return local_today();
  auto day = mapping::Date::parse(text);
  if (!day) err << "rosterd: --today: expected YYYY-MM-DD\n";
  return day;
}

std::vector<const SchoolConfig*> selected_schools(const Config& config, const std::string& id) {
  std::vector<const SchoolConfig*> out;
  if (id.empty()) {
    for (const auto& school : config.schools) out.push_back(&school);
  } else if (const auto* school = config.find_school(id)) {
    out.push_back(school);
  } else {
    throw std::runtime_error("--school " + id + ": no such school in " + config.file.string());
  }
  return out;
}

void add_sync_command(CLI::App& app, SyncArgs& args) {
  auto* sync = app.add_subcommand("sync", "Make the plan real on the platform and record it");
  sync->add_option("--config", args.config, "Configuration file")->required();
  sync->add_option("--school", args.school, "Sync only the school with this id");
  sync->add_option("--today", args.today, "Sync as of this day, YYYY-MM-DD (default: today)");
  sync->add_flag("--once", args.once, "One cycle per school, then exit")->required();
}

void add_approve_command(CLI::App& app, ApproveArgs& args) {
  auto* approve = app.add_subcommand(
      "approve", "Approve a school's held removals and archives for its next sync");
  approve->add_option("--config", args.config, "Configuration file")->required();
  approve->add_option("--school", args.school, "The school whose held actions to approve")
      ->required();
}

int run_sync(const SyncArgs& args, std::ostream& out, std::ostream& err) {
  const auto today = parse_today(args.today, err);
  if (!today) return exit_error;
  const auto config = load_config(args.config);
  const auto schools = selected_schools(config, args.school);
  auto store = open_store(config);
  auto platform = open_platform(config, nullptr);
  bool failed = false;
  for (const SchoolConfig* school : schools) {
    auto journal = open_journal(*school);
    SchoolSync sync(sync_settings(config, *school), *journal, *platform, *store);
    const SyncResult result = sync.run_once(*today, utc_now_iso());
    out << school->id << ": " << result.result << ": "
        << (result.failed() ? result.error : summary_line(result)) << "\n";
    failed = failed || result.failed();
  }
  return failed ? exit_error : exit_ok;
}

int run_approve(const ApproveArgs& args, std::ostream& out) {
  const auto config = load_config(args.config);
  const auto schools = selected_schools(config, args.school);
  auto store = open_store(config);
  const auto held = store->held(args.school);
  const auto n = store->approve_held(args.school);
  out << args.school << ": approved " << n << " held action(s) for the next sync\n";
  for (const auto& action : held) out << "  " << mapping::action_id(action) << "\n";
  return exit_ok;
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
  SyncArgs sync_args;
  add_sync_command(app, sync_args);
  ApproveArgs approve_args;
  add_approve_command(app, approve_args);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? exit_ok : exit_error;
  }
  try {
    if (app.got_subcommand("plan")) return run_plan(plan_args, out, err);
    if (app.got_subcommand("sync")) return run_sync(sync_args, out, err);
    if (app.got_subcommand("approve")) return run_approve(approve_args, out);
  } catch (const std::exception& e) {
    // Config, snapshot and --school problems: their messages name the file and the key.
    err << "rosterd: " << e.what() << "\n";
    return exit_error;
  }
  return exit_error;
}

}  // namespace rosterd::daemon
