#include "adapters/oneroster/oneroster.h"

#include <algorithm>
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

// The folder applied on `tables` (which the caller passes as a copy), or an exception.
std::vector<mapping::Roster> apply(const detail::FolderFiles& files, const fs::path& folder,
                                   const Options& options, detail::Tables& tables) {
  std::vector<Problem> problems;
  detail::apply_files(files, options, tables, problems);
  if (!problems.empty()) throw OneRosterError(std::move(problems));
  auto rosters = detail::build_rosters(tables, options, folder, problems);
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
    : std::runtime_error(summarize(problems)), problems_(std::move(problems)) {}

std::vector<mapping::Roster> read_oneroster(const fs::path& folder, const Options& options) {
  const auto files = detail::load_folder(folder);
  if (files.has_delta()) delta_without_bulk(files);
  detail::Tables tables;
  return apply(files, folder, options, tables);
}

OneRosterFolder::OneRosterFolder(fs::path folder, Options options)
    : folder_(std::move(folder)), options_(std::move(options)) {}

OneRosterFolder::~OneRosterFolder() = default;

std::shared_ptr<const OneRosterFolder::Snapshot> OneRosterFolder::read() {
  const std::lock_guard lock(mutex_);
  if (snapshot_ && once_) return snapshot_;
  const auto files = detail::load_folder(folder_);
  const auto fingerprint = files.fingerprint();
  if (snapshot_ && fingerprint == fingerprint_) return snapshot_;
  if (files.has_delta() && !tables_) delta_without_bulk(files);
  auto tables =
      tables_ ? std::make_unique<detail::Tables>(*tables_) : std::make_unique<detail::Tables>();
  auto rosters = apply(files, folder_, options_, *tables);
  auto snapshot = std::make_shared<Snapshot>();
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
  return mapping::JournalAnswer{it->second, unchanged};
}

}  // namespace rosterd::adapters::oneroster
