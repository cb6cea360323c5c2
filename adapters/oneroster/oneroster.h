#pragma once
// OneRoster 1.1 CSV folders (manifest.csv, orgs.csv, users.csv, classes.csv, enrollments.csv,
// academicSessions.csv) -> one mapping::Roster per organisation. Bulk folders replace what was
// read before; delta folders apply on top of it. The mapping is in docs/oneroster.md.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "mapping/model.h"
#include "mapping/ports.h"

namespace rosterd::adapters::oneroster {

struct Options {
  // The userIds type ({TYPE:ID}) that carries the platform account id, e.g. "sferum"; empty:
  // no person has one. Matched without regard to case.
  std::string platform_id_type;
  // Every organisation's timezone: OneRoster has none.
  std::string timezone;
  // OneRoster org types know no kindergarten or additional education: name them here by org
  // sourcedId. Every other organisation is a school.
  std::map<std::string, mapping::OrgKind> org_kinds;
  // Only classes whose classType is "homeroom" become groups (for systems that also export
  // every subject section as a class).
  bool homerooms_only = false;
};

// One thing wrong with the input. Names places and record ids, never a contact value.
struct Problem {
  std::string file;      // the file's path
  std::size_t line = 0;  // where the record starts (1 = the header); 0: the whole file
  std::string record;    // the record's sourcedId; empty when unknown or the whole file
  std::string field;     // the column; empty when not one field's
  std::string message;
};

// "…/users.csv:12 (sourcedId u-7): userIds: malformed {TYPE:ID} list"
[[nodiscard]] std::string describe(const Problem& problem);

// The folder cannot be used as it is: the input must change before a retry helps. Nothing of
// the folder is applied when this is thrown.
class OneRosterError : public std::runtime_error {
 public:
  explicit OneRosterError(std::vector<Problem> problems);
  [[nodiscard]] const std::vector<Problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<Problem> problems_;
};

namespace detail {
struct Tables;  // the records read so far, by sourcedId (tables.h)
}

// Findings about the records (docs/oneroster.md, "Findings"), by org id.
using Findings = std::map<std::string, std::vector<mapping::Finding>>;

// Reads a bulk folder on its own: one roster per organisation that is a school or has classes,
// sorted by org id; `findings`, when given, receives the findings. A delta folder throws (it
// needs the state a bulk left).
[[nodiscard]] std::vector<mapping::Roster> read_oneroster(const std::filesystem::path& folder,
                                                          const Options& options,
                                                          Findings* findings = nullptr);

// Where a folder's state (the tables its deltas apply to) is kept between processes: the
// state store's source states (mapping::StateStore::source_state). `load` gives the text kept
// under the key, if any; `save` replaces it. Either may be empty: a `plan` loads but does not
// save; with neither, the state lives in memory only, as long as the object.
struct StateKeeping {
  std::function<std::optional<std::string>(const std::string& key)> load;
  std::function<void(const std::string& key, const std::string& state)> save;
};

// A folder read again and again, keeping the state deltas apply to. Thread-safe: one instance
// can serve the journals of every organisation in the folder, which then read it once per change.
class OneRosterFolder {
 public:
  OneRosterFolder(std::filesystem::path folder, Options options, StateKeeping keeping = {});
  ~OneRosterFolder();
  OneRosterFolder(const OneRosterFolder&) = delete;
  OneRosterFolder& operator=(const OneRosterFolder&) = delete;

  struct Snapshot {
    std::uint64_t generation = 0;  // grows each time the folder's content changed
    std::map<std::string, std::shared_ptr<const mapping::Roster>> rosters;  // by org id
    Findings findings;
  };

  // Reads the folder unless its bytes are those read last time. Throws OneRosterError (the kept
  // state is then untouched, so a broken delta can be replaced and read again).
  [[nodiscard]] std::shared_ptr<const Snapshot> read();
  // For a one-shot command (plan, sync --once) over many schools of one folder: once read, the
  // folder is not looked at again, so each school's fetch costs nothing more than a look-up.
  void read_once() noexcept { once_ = true; }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return folder_; }
  // The key its state is kept under: "oneroster:" + the folder's absolute path, and
  // "|" + platform_id_type when there is one (the rows are read with it).
  [[nodiscard]] std::string state_key() const;

 private:
  std::filesystem::path folder_;
  Options options_;
  StateKeeping keeping_;
  bool restored_ = false;  // the kept state was looked for
  std::mutex mutex_;
  std::unique_ptr<detail::Tables> tables_;  // null until a bulk was read
  std::uint64_t fingerprint_ = 0;
  std::shared_ptr<const Snapshot> snapshot_;
  bool once_ = false;
};

// One organisation's roster from a OneRoster folder. unchanged is true when the folder has not
// changed since this journal's previous fetch. Throws OneRosterError, also when the organisation
// is not in the folder (or is marked tobedeleted): an org that vanished is not an empty school.
class OneRosterJournal final : public mapping::JournalSource {
 public:
  OneRosterJournal(std::shared_ptr<OneRosterFolder> folder, std::string org_id);
  OneRosterJournal(const std::filesystem::path& folder, std::string org_id, Options options);

  [[nodiscard]] mapping::JournalAnswer fetch() override;

 private:
  std::shared_ptr<OneRosterFolder> folder_;
  std::string org_id_;
  std::uint64_t seen_generation_ = 0;
  std::shared_ptr<const mapping::Roster> last_;
};

}  // namespace rosterd::adapters::oneroster
