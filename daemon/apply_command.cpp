#include "daemon/apply_command.h"

#include <unistd.h>

#include <map>
#include <memory>

#include "daemon/cli.h"
#include "daemon/i18n.h"
#include "daemon/progress.h"
#include "daemon/saved_plan.h"
#include "daemon/sync.h"
#include "daemon/wall_clock.h"
#include "daemon/wiring.h"
#include "mapping/text.h"

namespace rosterd::daemon {
namespace {

// "the journal changed since the plan; the configuration changed": each thing that moved.
std::string stale_reasons(const Staleness& stale) {
  std::string out;
  const auto add = [&out](const std::string& reason) { out += (out.empty() ? "" : "; ") + reason; };
  if (stale.journal) add(tr("saved.journal_changed", "the journal changed since the plan"));
  if (stale.store)
    add(tr("saved.store_changed", "the store changed since the plan (another sync or apply ran)"));
  if (stale.settings) add(tr("saved.config_changed", "the configuration changed"));
  return out;
}

}  // namespace

bool save_plan_run(const PlanRun& run, const std::filesystem::path& file, std::ostream& err) {
  if (run.failed()) {
    err << "rosterd: "
        << tr("saved.not_written", "the plan was not saved to {file}: a school failed",
              {{"file", file.string()}})
        << "\n";
    return false;
  }
  SavedPlan saved{utc_now_iso(), run.config_file.string(), {}};
  for (const auto& school : run.schools) {
    if (school.saved) saved.schools.push_back(*school.saved);
  }
  write_saved_plan(file, saved);
  err << "rosterd: "
      << tr("saved.written",
            "plan saved to {file}; apply it with: rosterd apply {file} --config {config}",
            {{"file", file.string()}, {"config", run.config_file.string()}})
      << "\n";
  return true;
}

OneShotOutcome run_one_shot(const Config& config, const std::vector<const SchoolConfig*>& schools,
                            const OneShotSettings& settings_for, const OneShotCycle& cycle,
                            std::ostream& out, std::ostream& err) {
  auto store = open_store(config);
  auto platform = open_platform(config);
  JournalCache journals({}, true);  // schools sharing a OneRoster folder read it once
  journals.keep_states(std::make_shared<const Config>(config), true);
  TerminalProgress progress(err, static_cast<std::size_t>(config.platform->batch_size),
                            config.platform->requests_per_second);
  const bool watched = shows_progress(STDERR_FILENO);
  OneShotOutcome outcome;
  for (const SchoolConfig* school : schools) {
    auto journal = journals.get(*school);
    auto settings = settings_for(*school);
    if (watched) {
      settings.progress = [&progress, school](std::size_t done, std::size_t total) {
        progress.update(school->id, done, total);
      };
    }
    SchoolSync sync(settings, *journal, *platform, *store);
    const SyncResult result = cycle(sync, *school);
    progress.finish();
    if (result.stale.any()) {
      outcome.stale = true;
      out << school->id << ": "
          << tr("saved.refused", "refused: {reasons}; nothing was written (make a new plan)",
                {{"reasons", stale_reasons(result.stale)}})
          << "\n";
      continue;
    }
    const bool refused = result.failed() || result.result == mapping::CycleResult::leased;
    out << school->id << ": " << mapping::name(result.result) << ": "
        << (refused ? mapping::printable_lines(result.error) : summary_line(result)) << "\n";
    for (const auto& chat : result.replaced_hand_outs) {
      out << school->id << ": " << chat << ": the link handed out to families was replaced: "
          << "hand out the new one (rosterd report invites)\n";
    }
    outcome.failed = outcome.failed || refused;  // a school another process holds was not synced
  }
  return outcome;
}

int apply_saved_plan(const Config& config, const std::filesystem::path& file, std::ostream& out,
                     std::ostream& err) {
  const auto saved = read_saved_plan(file);
  // Every school of the file must be configured before anything is applied.
  for (const auto& school : saved.schools) {
    if (config.find_school(school.school_id) == nullptr) {
      err << "rosterd: "
          << tr("saved.no_such_school", "{file}: school {school} is not in {config}",
                {{"file", file.string()},
                 {"school", mapping::printable(school.school_id)},
                 {"config", config.file.string()}})
          << "\n";
      return exit_error;
    }
  }
  std::map<std::string, const SavedSchoolPlan*> plans;
  std::vector<const SchoolConfig*> schools;
  for (const auto& plan : saved.schools) {
    plans.emplace(plan.school_id, &plan);
    schools.push_back(config.find_school(plan.school_id));
  }
  const auto outcome = run_one_shot(
      config, schools,
      [&config](const SchoolConfig& school) { return sync_settings(config, school); },
      [&plans](SchoolSync& sync, const SchoolConfig& school) {
        return sync.apply_saved(*plans.at(school.id), utc_now_iso());
      },
      out, err);
  if (outcome.failed) return exit_error;
  return outcome.stale ? exit_stale : exit_ok;
}

}  // namespace rosterd::daemon
