#include "daemon/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <optional>
#include <set>
#include <string>

#include "daemon/adopt_command.h"
#include "daemon/apply_command.h"
#include "daemon/approve_command.h"
#include "daemon/config.h"
#include "daemon/config_bindings.h"
#include "daemon/discovery.h"
#include "daemon/i18n.h"
#include "daemon/plan_output.h"
#include "daemon/planner.h"
#include "daemon/progress.h"
#include "daemon/report_command.h"
#include "daemon/retry_command.h"
#include "daemon/runtime.h"
#include "daemon/status_command.h"
#include "daemon/sync.h"
#include "daemon/version.h"
#include "daemon/wall_clock.h"
#include "daemon/wiring.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

// `--lang` given on the command line: it wins over the config's `language`.
std::optional<Language> flag_language;

// Loads a command's config and speaks its language from then on. A region of "all" schools
// is listed now, once for the command (discovery.h).
Config load_config_speaking(const std::string& file) {
  auto config = load_config(file);
  if (!flag_language) set_language(*parse_language(config.language));
  return listed_config(config);
}

struct PlanArgs {
  std::string config;
  std::string school;
  std::string applied;
  std::string today;
  std::string format = "text";
  bool detailed_exitcode = false;
  std::string assume_applied;
  bool look = false;
  bool summary = false;
  std::string out;  // --out: save the plan for `rosterd apply`
};

struct ApproveArgs {
  std::string config;
  std::string school;
  std::vector<std::string> actions;
  std::vector<std::string> rejects;
  bool yes = false;
};

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
  sync->add_flag("--audit", args.audit,
                 "Read the members of every managed chat now, not only those due for a look");
}

struct AdoptArgs {
  std::string config;
  std::string school;
  std::string key;
  std::int64_t chat_id = 0;
};

void add_adopt_command(CLI::App& app, AdoptArgs& args) {
  auto* adopt = app.add_subcommand("adopt",
                                   "Bind a chat that exists on the platform to a group (exit 0 "
                                   "bound, 1 refused, 2 bad usage)");
  adopt->add_option("--config", args.config, "Configuration file")->required();
  adopt->add_option("--school", args.school, "The school the chat belongs to")->required();
  adopt->add_option("--key", args.key, "The group's chat key (class:g-5a, parents:g-5a, staff:ID)")
      ->required();
  adopt->add_option("--chat-id", args.chat_id, "The platform's chat id")
      ->required()
      ->check(CLI::PositiveNumber);
}

// Usage problems (an unknown school, a key that is no chat key) exit 2 before anything is
// opened; a refusal exits 1 and names why.
int run_adopt(const AdoptArgs& args, std::ostream& out, std::ostream& err) {
  const auto config = load_config_speaking(args.config);
  const SchoolConfig* school = config.find_school(args.school);
  if (school == nullptr) {
    err << "rosterd: "
        << tr("cli.no_such_school", "--school {school}: no such school in {file}",
              {{"school", mapping::printable(args.school)}, {"file", config.file.string()}})
        << "\n";
    return exit_usage;
  }
  if (const auto key = parse_chat_key(args.key, school->id); !key.parts) {
    err << "rosterd: --key " << mapping::printable(args.key) << ": " << key.problem << "\n";
    return exit_usage;
  }
  auto store = open_store(config);
  auto platform = open_platform(config);
  const AdoptRequest request{school->id, args.key, args.chat_id, lease_holder_name(),
                             std::chrono::seconds(config.schedule.lease_s)};
  const auto result = adopt_chat(request, *platform, *store);
  out << school->id << ": "
      << (result.bound ? tr("adopt.result.bound", "bound") : tr("adopt.result.refused", "refused"))
      << ": " << mapping::printable_lines(text(result.message)) << "\n";
  return result.bound ? exit_ok : exit_error;
}

void add_approve_command(CLI::App& app, ApproveArgs& args) {
  auto* approve = app.add_subcommand(
      "approve", "List a school's held actions and approve them (or one, or reject one)");
  approve->add_option("--config", args.config, "Configuration file")->required();
  approve->add_option("--school", args.school, "The school whose held actions to approve")
      ->required();
  approve->add_option("--action", args.actions,
                      "Approve only this held action (its id, as the plan's JSON `id`)");
  approve->add_option("--reject", args.rejects,
                      "Reject this held action: the person or chat stays where it is");
  approve->add_flag("--yes", args.yes, "Do not ask for confirmation");
}

int run_sync(const SyncArgs& args, std::ostream& out, std::ostream& err) {
  const auto today = parse_today(args.today, err);
  if (!today) return exit_error;
  const auto config = load_config_speaking(args.config);
  const auto schools = selected_schools(config, args.school);
  const auto outcome = run_one_shot(
      config, schools,
      [&config, &args](const SchoolConfig& school) {
        return sync_command_settings(config, school, args);
      },
      [today](SchoolSync& sync, const SchoolConfig&) {
        return sync.run_once(*today, utc_now_iso());
      },
      out, err);
  return outcome.failed ? exit_error : exit_ok;
}

// Names for the list: titles from the store, people from the journal (a journal that does not
// answer leaves ids only; approving does not depend on it).
HeldNames held_names(const Config& config, const SchoolConfig& school, mapping::StateStore& store,
                     std::ostream& err) {
  HeldNames names;
  const auto held = store.held(school.id);
  if (held.empty()) return names;
  for (const auto& chat : store.load(school.id).chats) names.chats[chat.key] = chat.title;
  std::set<std::string> people;
  for (const auto& action : held) people.insert(action.person_id);
  try {
    JournalCache journals({}, true);
    journals.keep_states(std::make_shared<const Config>(config), false);  // a OneRoster delta
    const auto answer = journals.get(school)->fetch();
    for (const auto& person : answer.roster->persons) {
      if (people.contains(person.id)) names.people[person.id] = person.display_name();
    }
  } catch (const std::exception& e) {
    err << "rosterd: "
        << tr("approve.journal_silent",
              "the journal did not answer, people are shown by id: {error}",
              {{"error", mapping::printable_lines(e.what())}})
        << "\n";
  }
  return names;
}

int run_approve(const ApproveArgs& args, std::ostream& out, std::ostream& err) {
  const auto config = load_config_speaking(args.config);
  const auto* school = selected_schools(config, args.school).front();
  auto store = open_store(config);
  const auto names = held_names(config, *school, *store, err);
  Console console{std::cin, isatty(STDIN_FILENO) == 1, out, err};
  return approve_held_actions({school->id, args.actions, args.rejects, args.yes}, *store, names,
                              console);
}

struct ReportArgs {
  std::string kind;
  std::string config;
  std::string school;
  std::string format;
  std::string today;
  std::string person;
  std::string chat;
};

void add_report_command(CLI::App& app, ReportArgs& args) {
  std::vector<std::string> kinds;
  for (const auto& kind : report_kinds()) kinds.emplace_back(kind.name);
  auto* report = app.add_subcommand("report", "Write a report: monitoring, invites or history");
  report->add_option("kind", args.kind, "What to report")->required()->check(CLI::IsMember(kinds));
  report->add_option("--config", args.config, "Configuration file")->required();
  report->add_option("--school", args.school, "Only the school with this id");
  report->add_option("--format", args.format, "text, csv, json or html (default: the kind's)")
      ->check(CLI::IsMember({"text", "csv", "json", "html"}));
  report->add_option("--today", args.today, "As of this day, YYYY-MM-DD (default: today)");
  report->add_option("--person", args.person, "history: only what concerns this person's id");
  report->add_option("--chat", args.chat, "history: only what concerns this chat key");
}

int run_report(const ReportArgs& args, std::ostream& out, std::ostream& err) {
  const auto today = parse_today(args.today, err);
  if (!today) return exit_error;
  const auto config = load_config_speaking(args.config);
  const auto& kinds = report_kinds();
  const auto kind = std::find_if(kinds.begin(), kinds.end(),
                                 [&](const ReportKind& k) { return k.name == args.kind; });
  ReportRequest request{
      &config,  selected_schools(config, args.school), kind->formats.front(), *today, args.person,
      args.chat};
  if (!args.format.empty()) {
    const auto wanted = std::find_if(kind->formats.begin(), kind->formats.end(),
                                     [&](ReportFormat f) { return name(f) == args.format; });
    if (wanted == kind->formats.end()) {
      err << "rosterd: --format " << args.format << ": the " << args.kind
          << " report has no such form\n";
      return exit_error;
    }
    request.format = *wanted;
  }
  return kind->write(request, out, err);
}

struct RetryArgs {
  std::string config;
  std::string school;
  int port = 0;
};

void add_retry_command(CLI::App& app, RetryArgs& args) {
  auto* retry = app.add_subcommand(
      "retry", "Ask the running daemon to run a school now (a quarantined one, say)");
  retry->add_option("--config", args.config, "The daemon's configuration file")->required();
  retry->add_option("--school", args.school, "The school's id")->required();
  retry->add_option("--port", args.port, "The status server's port (default: observability.port)")
      ->check(CLI::Range(1, 65535));
}

int run_retry(const RetryArgs& args, std::ostream& out, std::ostream& err) {
  const auto config = load_config_speaking(args.config);
  return retry_school(config, args.school, args.port ? std::optional<int>(args.port) : std::nullopt,
                      out, err);
}

struct StatusArgs {
  std::string config;
  std::string format = "text";
};

void add_status_command(CLI::App& app, StatusArgs& args) {
  auto* status = app.add_subcommand(
      "status", "Which daemons of the region are alive and which holds each school");
  status->add_option("--config", args.config, "The daemons' configuration file")->required();
  status->add_option("--format", args.format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
}

int run_status(const StatusArgs& args, std::ostream& out, std::ostream& err) {
  const auto config = load_config_speaking(args.config);
  return show_region_status(config, args.format == "json" ? StatusFormat::json : StatusFormat::text,
                            out, err);
}

struct RunArgs {
  std::string config;
  std::string log_format;
};

void add_run_command(CLI::App& app, RunArgs& args) {
  auto* run = app.add_subcommand("run", "Run as a daemon: sync every school on a schedule");
  run->add_option("--config", args.config, "Configuration file")->required();
  run->add_option("--log-format", args.log_format,
                  "Log lines as text or JSON (default: log.format)")
      ->check(CLI::IsMember({"text", "json"}));
}

int run_run(const RunArgs& args, std::ostream& err) {
  RunOptions options;
  options.config_file = args.config;
  options.language = flag_language;
  if (!args.log_format.empty())
    options.log_format = args.log_format == "json" ? LogFormat::json : LogFormat::text;
  return run_daemon(options, err);
}

void add_check_config_command(CLI::App& app, std::string& file) {
  auto* check = app.add_subcommand(
      "check-config",
      "Check a configuration and its secrets for `rosterd run`; print every problem "
      "(--credentials-dir DIR: read the token_credential secrets from DIR too)");
  check->add_option("file", file, "Configuration file")->required();
}

// The same loader as `run` and its reloads, reading every secret it can see: token files, and
// credentials when --credentials-dir (or $CREDENTIALS_DIRECTORY) gives their folder.
int run_check_config(const std::string& file, std::ostream& out, std::ostream& err) {
  try {
    const auto config = load_daemon_config(file, SecretCheck::visible);
    for (const auto& warning : config_warnings(config))
      out << file << ": warning: " << warning << "\n";
    for (const auto& warning : secret_warnings(config))
      out << file << ": warning: " << warning << "\n";
    if (config.discovery) {
      // Not an error when the journal cannot be reached from here (the token may be the
      // service's credential): the daemon lists at start and keeps trying.
      try {
        const auto listed = listed_config(config);
        out << file << ": ok, " << listed.schools.size() << " school(s), "
            << listed.schools.size() - config.schools.size()
            << " of them listed by the journal now (region.schools: \"all\")\n";
      } catch (const std::exception& e) {
        out << file << ": warning: " << e.what() << "\n";
        out << file << ": ok, " << config.schools.size()
            << " school(s) and the region's (region.schools: \"all\": listed by the daemon)\n";
      }
      return exit_ok;
    }
    out << file << ": ok, " << config.schools.size() << " school(s)\n";
    return exit_ok;
  } catch (const ConfigError& e) {
    err << e.what() << "\n";
    return exit_error;
  }
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
  plan->add_flag("--look", args.look,
                 "Read the platform first (reads only), as a sync would: existing chats are "
                 "adopted, changes made by hand answered (docs/observed-state.md)");
  plan->add_option("--out", args.out,
                   "Save the plan, as a sync would make it now, for `rosterd apply FILE` "
                   "(docs/saved-plans.md)");
  plan->add_flag("--summary", args.summary,
                 "One line per chat (members, admins, links), each school's total and the "
                 "region's");
}

int run_plan(const PlanArgs& args, std::ostream& out, std::ostream& err) {
  PlanRequest request;
  request.today = local_today();
  request.today_in = today_in_zone;  // each school's day in its zone, unless --today says
  if (!args.today.empty()) {
    request.today_in = {};
    auto day = mapping::Date::parse(args.today);
    if (!day) {
      err << "rosterd: --today: expected YYYY-MM-DD\n";
      return exit_error;
    }
    request.today = *day;
  }
  if (!args.school.empty()) request.school = args.school;
  if (!args.applied.empty()) request.applied = args.applied;
  request.look = args.look;
  request.as_sync = !args.out.empty();

  const auto config = load_config_speaking(args.config);
  const auto run = plan_schools(config, request);
  if (args.format == "json") {
    args.summary ? write_plan_summary_json(out, run) : write_plan_json(out, run);
  } else {
    args.summary ? write_plan_summary_text(out, run) : write_plan_text(out, run);
  }
  if (!args.assume_applied.empty())
    adapters::snapshot::write_snapshot(args.assume_applied, run.assumed);
  if (!args.out.empty()) (void)save_plan_run(run, args.out, err);

  for (const auto& school : run.schools) {
    if (school.failed())
      err << "rosterd: school " << mapping::printable(school.school_id) << ": "
          << mapping::printable_lines(school.error) << "\n";
  }
  if (run.failed()) return exit_error;
  return args.detailed_exitcode && run.changes() ? exit_changes : exit_ok;
}

struct ApplyArgs {
  std::string file;
  std::string config;
};

void add_apply_command(CLI::App& app, ApplyArgs& args) {
  auto* apply = app.add_subcommand(
      "apply",
      "Apply a plan saved by `plan --out`, exactly, or refuse a school whose journal, "
      "store or configuration moved on since (exit 0 applied, 1 error, 3 refused)");
  apply->add_option("file", args.file, "The saved plan")->required();
  apply->add_option("--config", args.config, "Configuration file")->required();
}

int run_apply(const ApplyArgs& args, std::ostream& out, std::ostream& err) {
  return apply_saved_plan(load_config_speaking(args.config), args.file, out, err);
}

}  // namespace

std::optional<SyncArgs> parse_sync_args(const std::vector<std::string>& args, std::ostream& err) {
  CLI::App app{"rosterd"};
  SyncArgs sync_args;
  add_sync_command(app, sync_args);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // as CLI11 takes them
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    err << "rosterd: " << e.what() << "\n";
    return std::nullopt;
  }
  return sync_args;
}

SyncSettings sync_command_settings(const Config& config, const SchoolConfig& school,
                                   const SyncArgs& args) {
  auto settings = sync_settings(config, school);
  settings.full_audit = args.audit;
  if (!args.today.empty()) settings.today_in = {};  // --today wins over the school's zone
  return settings;
}

int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"rosterd: keeps school chats in step with the school's electronic journal"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version_line(),
                       "Print the version and the git commit, then exit");
  app.fallthrough();  // `rosterd plan --lang en` as well as `rosterd --lang en plan`
  std::string lang;
  app.add_option("--lang", lang,
                 "Language of what people read: ru (default) or en (default: the config's "
                 "`language`)")
      ->check(CLI::IsMember({"ru", "en"}));
  std::string credentials_dir;
  app.add_option("--credentials-dir", credentials_dir,
                 "Read token_credential secrets from this folder (what LoadCredential= gives the "
                 "service), not from $CREDENTIALS_DIRECTORY")
      ->check(CLI::ExistingDirectory);
  PlanArgs plan_args;
  add_plan_command(app, plan_args);
  SyncArgs sync_args;
  add_sync_command(app, sync_args);
  ApplyArgs apply_args;
  add_apply_command(app, apply_args);
  ApproveArgs approve_args;
  add_approve_command(app, approve_args);
  AdoptArgs adopt_args;
  add_adopt_command(app, adopt_args);
  ReportArgs report_args;
  add_report_command(app, report_args);
  RetryArgs retry_args;
  add_retry_command(app, retry_args);
  StatusArgs status_args;
  add_status_command(app, status_args);
  RunArgs run_args;
  add_run_command(app, run_args);
  std::string check_file;
  add_check_config_command(app, check_file);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    if (code != 0 && app.got_subcommand("adopt")) return exit_usage;
    return code == 0 ? exit_ok : exit_error;
  }
  flag_language = parse_language(lang);
  set_language(flag_language.value_or(Language::ru));
  if (!credentials_dir.empty()) set_credentials_directory(credentials_dir);
  try {
    if (app.got_subcommand("plan")) return run_plan(plan_args, out, err);
    if (app.got_subcommand("sync")) return run_sync(sync_args, out, err);
    if (app.got_subcommand("apply")) return run_apply(apply_args, out, err);
    if (app.got_subcommand("approve")) return run_approve(approve_args, out, err);
    if (app.got_subcommand("adopt")) return run_adopt(adopt_args, out, err);
    if (app.got_subcommand("report")) return run_report(report_args, out, err);
    if (app.got_subcommand("retry")) return run_retry(retry_args, out, err);
    if (app.got_subcommand("status")) return run_status(status_args, out, err);
    if (app.got_subcommand("run")) return run_run(run_args, err);
    if (app.got_subcommand("check-config")) return run_check_config(check_file, out, err);
  } catch (const std::exception& e) {
    // Config, snapshot and --school problems: their messages name the file and the key.
    err << "rosterd: " << mapping::printable_lines(e.what()) << "\n";
    return exit_error;
  }
  return exit_error;
}

}  // namespace rosterd::daemon
