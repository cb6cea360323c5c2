#pragma once
// Test data for the HTTP journal adapter: a tiny hand-written journal, a generated school as the
// contract's JSON items, a canonical text of a Roster for whole-roster comparisons, and options
// with fast retries.

#include <filesystem>
#include <string>

#include "adapters/journal_http/http_journal.h"
#include "mapping/model.h"
#include "tests/adapters/journal_http/fake_journal_server.h"

namespace rosterd::adapters::journal_http::testing {

// Contact values of the tiny journal: they must never appear in an error.
inline constexpr const char* tiny_phone = "+79991234567";
inline constexpr const char* tiny_email = "anna.petrova@example.org";

// org-1: groups g-1a, g-2b; persons p-1..p-5 (students, a parent, staff); 5 enrolments, 2
// relations.
[[nodiscard]] JournalData tiny_journal();

struct GeneratedSchool {
  mapping::Roster roster;
  JournalData data;
};
// A small generated school (rosterd::generator), its export folder read back as JSON items.
[[nodiscard]] GeneratedSchool generated_school(const std::string& org_id,
                                               const std::filesystem::path& scratch);

// One line per record, sorted within each list: equal texts, equal rosters.
[[nodiscard]] std::string roster_text(const mapping::Roster& roster);

// Options against `base_url` with the test token and retries that do not slow the tests.
[[nodiscard]] HttpJournalOptions fast_options(const std::string& base_url,
                                              const std::string& org_id = "org-1");

// A fresh folder under the system temp dir, removed by the destructor.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace rosterd::adapters::journal_http::testing
