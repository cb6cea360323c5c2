#pragma once
// Internal: the OneRoster records as read, by sourcedId, and how a folder's files change them
// (bulk replaces a table, delta upserts and deletes by sourcedId, absent leaves it).

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/oneroster/oneroster.h"
#include "mapping/date.h"
#include "mapping/state.h"

namespace rosterd::adapters::oneroster::detail {

// What every row has. A deleted row (status tobedeleted) stays as a tombstone, so a reference
// to it drops the referring record instead of being reported as dangling.
struct RowBase {
  std::string id;
  std::size_t line = 0;
  bool deleted = false;
};

struct OrgRow : RowBase {
  std::string name;
  std::string type;  // lower case
};

enum class UserRole : std::uint8_t {
  student,
  teacher,
  administrator,
  aide,
  proctor,
  parent,
  guardian,
  relative,
  mother,
  father
};

struct UserRow : RowBase {
  UserRole role = UserRole::student;
  std::vector<std::string> orgs;
  std::vector<std::string> agents;
  std::string given_name, family_name, middle_name;
  std::string email, phone;  // personal data: never in a message
  std::optional<std::int64_t> platform_id;
};

struct ClassRow : RowBase {
  std::string title;
  std::optional<int> grade;
  std::string school;
  std::vector<std::string> terms;
  bool homeroom = false;
  std::string class_code;  // what tells sections of one title apart (docs/oneroster.md, "Titles")
  std::string periods;
};

enum class EnrollmentRole : std::uint8_t { student, teacher, other };

struct EnrollmentRow : RowBase {
  std::string class_id, user_id;
  EnrollmentRole role = EnrollmentRole::student;
  bool primary = false;
  std::optional<mapping::Date> begin, end;
};

struct SessionRow : RowBase {
  std::optional<mapping::Date> start, end;
  // OneRoster's: the year the school year ends (2027 = 2026/27). Checked against the dates,
  // which are followed: ClassLink writes the year it starts.
  std::optional<int> school_year;
};

template <class Row>
using Table = std::unordered_map<std::string, Row>;

struct Tables {
  Table<OrgRow> orgs;
  Table<UserRow> users;
  Table<ClassRow> classes;
  Table<EnrollmentRow> enrollments;
  Table<SessionRow> sessions;
};

// The tables as text to keep in the state store between processes (state.cpp): one line per
// row, fields escaped so that the text is valid UTF-8 without NUL bytes. `read_state` returns
// nothing for text it cannot read (another version, or damaged): the state is then lost, as if
// never kept.
[[nodiscard]] std::string write_state(const Tables& tables, std::uint64_t fingerprint,
                                      const std::string& platform_id_type);
struct KeptState {
  Tables tables;
  std::uint64_t fingerprint = 0;
};
[[nodiscard]] std::optional<KeptState> read_state(std::string_view text,
                                                  const std::string& platform_id_type);

enum class FileMode : std::uint8_t { absent, bulk, delta };

// The files of a folder, with the manifest's word for each and their bytes.
struct FolderFiles {
  struct File {
    std::string name;  // "users.csv"
    std::string path;  // as problems name it
    FileMode mode = FileMode::absent;
    std::string text;
  };
  std::string manifest_path;
  std::vector<File> files;  // orgs, users, classes, enrollments, academicSessions, in that order
  [[nodiscard]] bool has_delta() const noexcept;
  [[nodiscard]] std::uint64_t fingerprint() const noexcept;
};

// Reads manifest.csv and the files it names. Throws OneRosterError.
[[nodiscard]] FolderFiles load_folder(const std::filesystem::path& folder);

// Applies the folder's files to `tables`; problems go to `problems` (the caller throws).
void apply_files(const FolderFiles& files, const Options& options, Tables& tables,
                 std::vector<Problem>& problems);

// The rosters of the tables (one per organisation that is a school or has classes); problems
// (dangling references, classes without a term) go to `problems`, findings (a schoolYear the
// dates contradict, chat titles left alike) to `findings` by org id. `files` says which files
// this read had, so that a reference into a file the manifest left out names the manifest.
[[nodiscard]] std::vector<mapping::Roster> build_rosters(
    const Tables& tables, const Options& options, const FolderFiles& files,
    const std::filesystem::path& folder, std::vector<Problem>& problems,
    std::map<std::string, std::vector<mapping::Finding>>& findings);

[[nodiscard]] bool same_name(std::string_view a, std::string_view b) noexcept;

}  // namespace rosterd::adapters::oneroster::detail
