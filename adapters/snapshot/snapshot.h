#pragma once
// The applied-state snapshot file (docs/applied-state.md): what rosterd made real on the
// platform, per school, until the state store exists. One file may hold many schools.

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mapping/state.h"

namespace rosterd::adapters::snapshot {

inline constexpr std::string_view format_tag = "rosterd-applied/1";

// A snapshot that cannot be read: the message names the file and the JSON path of the
// offending value ("applied.json: schools.sch-0001.chats[3].members[0].role: ..."), never
// the value itself.
class SnapshotError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Snapshot {
  std::map<std::string, mapping::AppliedState, std::less<>> schools;  // by organisation id

  // The school's applied state; an empty one (nothing applied yet) when the file lacks it.
  [[nodiscard]] mapping::AppliedState school(std::string_view org_id) const;
  // Replaces the school's state; its org_id is the key.
  void put(mapping::AppliedState state);
};

// `source_name` is what errors call the text (usually the file name).
[[nodiscard]] Snapshot parse_snapshot(std::string_view text, std::string_view source_name);
[[nodiscard]] std::string format_snapshot(const Snapshot& snapshot);

// Throws SnapshotError, also for a file that does not exist.
[[nodiscard]] Snapshot read_snapshot(const std::filesystem::path& file);
// Replaces the file atomically (write aside, then rename), creating its folder if needed.
// The file is the owner's only (0600), and so is each folder it creates (0700): a snapshot
// holds live invite links.
void write_snapshot(const std::filesystem::path& file, const Snapshot& snapshot);

// Creates the folders missing on the way to `folder`, each the owner's only (0700); folders that
// exist are left as they are. Also for the daemon's other files (the SQLite store's folder).
// Throws std::filesystem::filesystem_error.
void create_private_folders(const std::filesystem::path& folder);

}  // namespace rosterd::adapters::snapshot
