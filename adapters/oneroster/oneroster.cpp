#include "adapters/oneroster/oneroster.h"

#include <algorithm>
#include <array>
#include <utility>

#include "adapters/oneroster/tables.h"
#include "mapping/text.h"

namespace rosterd::adapters::oneroster {

namespace fs = std::filesystem;

namespace {

// Enough to act on; the full list is in problems().
constexpr std::size_t listed_problems = 20;

std::string summarize(const std::vector<Problem>& problems) {
  std::string text = std::to_string(problems.size());
  text += problems.size() == 1 ? " problem" : " problems";
  text += " in the OneRoster folder:";
  const std::size_t listed = std::min(problems.size(), listed_problems);
  for (std::size_t i = 0; i < listed; ++i) text += "\n  " + describe(problems[i]);
  if (problems.size() > listed) {
    text += "\n  and " + std::to_string(problems.size() - listed) + " more";
  }
  return text;
}

// Problems in file order: the manifest, then the files in the order they are read (orgs,
// users, classes, enrollments, academicSessions), each by line; a whole file's first.
void sort_problems(std::vector<Problem>& problems) {
  constexpr std::array<std::string_view, 6> order = {
      "manifest.csv", "orgs.csv", "users.csv", "classes.csv", "enrollments.csv",
      "academicSessions.csv"};
  const auto rank = [&](const Problem& p) {
    const auto name = fs::path(p.file).filename().string();
    const auto at = std::find(order.begin(), order.end(), name);
    return static_cast<std::size_t>(at - order.begin());
  };
  std::stable_sort(problems.begin(), problems.end(), [&](const Problem& a, const Problem& b) {
    const auto ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb;
    if (a.file != b.file) return a.file < b.file;
    return a.line < b.line;
  });
}


// The folder applied on `tables` (which the caller passes as a copy), or an exception. With
// `apply_files` false the tables are those of these very files (a kept state): only built.
std::vector<mapping::Roster> apply(const detail::FolderFiles& files, const fs::path& folder,
                                   const Options& options, detail::Tables& tables,
                                   Findings& findings, bool apply_files = true) {
  std::vector<Problem> problems;
  if (apply_files) detail::apply_files(files, options, tables, problems);
  if (!problems.empty()) throw OneRosterError(std::move(problems));
  auto rosters = detail::build_rosters(tables, options, files, folder, problems, findings);
  if (!problems.empty()) throw OneRosterError(std::move(problems));
  return rosters;
}

[[noreturn]] void delta_without_bulk(const detail::FolderFiles& files) {
  throw OneRosterError({Problem{files.manifest_path, 0, "", "",
                                "a delta needs a previous bulk to apply to, and none was read"}});
}

}  // namespace

std::string describe(const Problem& problem) {
  std::string text = problem.file;
  if (problem.line != 0) text += ":" + std::to_string(problem.line);
  // The record's id as the input had it: escaped, and masked if somebody put a contact there.
  if (!problem.record.empty()) text += " (sourcedId " + mapping::quote_id(problem.record) + ")";
  if (!problem.field.empty()) text += ": " + problem.field;
  text += ": " + problem.message;
  return text;
}

OneRosterError::OneRosterError(std::vector<Problem> problems)
    // In file order (the base is made first, from the parameter sorted in place).
    : std::runtime_error(summarize((sort_problems(problems), problems))),
      problems_(std::move(problems)) {}

std::vector<mapping::Roster> read_oneroster(const fs::path& folder, const Options& options,
                                            Findings* findings) {
  const auto files = detail::load_folder(folder);
  if (files.has_delta()) delta_without_bulk(files);
  detail::Tables tables;
  Findings found;
  auto rosters = apply(files, folder, options, tables, found);
  if (findings) *findings = std::move(found);
  return rosters;
}

OneRosterFolder::OneRosterFolder(fs::path folder, Options options, StateKeeping keeping)
    : folder_(std::move(folder)), options_(std::move(options)), keeping_(std::move(keeping)) {}

std::string OneRosterFolder::state_key() const {
  std::string key = "oneroster:" + fs::absolute(folder_).lexically_normal().string();
  if (!options_.platform_id_type.empty()) key += "|" + options_.platform_id_type;
  return key;
}

OneRosterFolder::~OneRosterFolder() = default;

std::shared_ptr<const OneRosterFolder::Snapshot> OneRosterFolder::read() {
  const std::lock_guard lock(mutex_);
  if (snapshot_ && once_) return snapshot_;
  const auto files = detail::load_folder(folder_);
  const auto fingerprint = files.fingerprint();
  if (snapshot_ && fingerprint == fingerprint_) return snapshot_;
  // After a restart, the tables the last process kept: a delta applies on top of them.
  if (!tables_ && !restored_ && keeping_.load) {
    if (const auto text = keeping_.load(state_key())) {
      if (auto kept = detail::read_state(*text, options_.platform_id_type)) {
        tables_ = std::make_unique<detail::Tables>(std::move(kept->tables));
        fingerprint_ = kept->fingerprint;
      }
    }
    restored_ = true;
  }
  if (files.has_delta() && !tables_) delta_without_bulk(files);
  // The kept tables are already those of these files (the folder did not change meanwhile).
  const bool kept_as_is = tables_ && !snapshot_ && fingerprint == fingerprint_;
  auto tables =
      tables_ ? std::make_unique<detail::Tables>(*tables_) : std::make_unique<detail::Tables>();
  Findings findings;
  auto rosters = apply(files, folder_, options_, *tables, findings, !kept_as_is);
  // Kept before it is used: a state that could not be kept is not applied either, so the next
  // read tries again rather than leaving a restart to a state older than the plans made.
  if (keeping_.save && !kept_as_is) {
    keeping_.save(state_key(), detail::write_state(*tables, fingerprint, options_.platform_id_type));
  }
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->findings = std::move(findings);
  snapshot->generation = snapshot_ ? snapshot_->generation + 1 : 1;
  for (auto& roster : rosters) {
    auto id = roster.org.id;
    snapshot->rosters.emplace(std::move(id),
                              std::make_shared<const mapping::Roster>(std::move(roster)));
  }
  tables_ = std::move(tables);
  fingerprint_ = fingerprint;
  snapshot_ = std::move(snapshot);
  return snapshot_;
}

OneRosterJournal::OneRosterJournal(std::shared_ptr<OneRosterFolder> folder, std::string org_id)
    : folder_(std::move(folder)), org_id_(std::move(org_id)) {}

OneRosterJournal::OneRosterJournal(const fs::path& folder, std::string org_id, Options options)
    : OneRosterJournal(std::make_shared<OneRosterFolder>(folder, std::move(options)),
                       std::move(org_id)) {}

mapping::JournalAnswer OneRosterJournal::fetch() {
  const auto snapshot = folder_->read();
  const auto it = snapshot->rosters.find(org_id_);
  if (it == snapshot->rosters.end()) {
    throw OneRosterError({Problem{(folder_->path() / "orgs.csv").string(), 0, org_id_, "",
                                  "no such organisation (or it is marked tobedeleted, or it is "
                                  "neither a school nor has classes)"}});
  }
  const bool unchanged = last_ != nullptr && snapshot->generation == seen_generation_;
  seen_generation_ = snapshot->generation;
  last_ = it->second;
  mapping::JournalAnswer answer{it->second, unchanged};
  if (const auto found = snapshot->findings.find(org_id_); found != snapshot->findings.end())
    answer.findings = found->second;
  return answer;
}

}  // namespace rosterd::adapters::oneroster
