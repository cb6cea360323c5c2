#include "adapters/export/export_reader.h"

#include <simdjson.h>

#include <algorithm>
#include <string_view>
#include <system_error>
#include <utility>

#include "adapters/export/entity_readers.h"
#include "adapters/export/field_reader.h"
#include "adapters/export/reference_checks.h"

namespace rosterd::adapters::export_folder {

namespace fs = std::filesystem;
namespace od = simdjson::ondemand;

namespace {

constexpr std::string_view orgs_file = "orgs.json";
constexpr std::string_view groups_file = "groups.json";
constexpr std::string_view persons_file = "persons.json";
constexpr std::string_view enrolments_file = "enrollments.json";
constexpr std::string_view relations_file = "relations.json";

// Enough to act on; the full list is in problems().
constexpr std::size_t listed_problems = 20;

std::string summarize(const std::vector<Problem>& problems) {
  std::string text = std::to_string(problems.size());
  text += problems.size() == 1 ? " problem" : " problems";
  text += " in the journal export:";
  const std::size_t listed = std::min(problems.size(), listed_problems);
  for (std::size_t i = 0; i < listed; ++i) text += "\n  " + describe(problems[i]);
  if (problems.size() > listed) {
    text += "\n  and " + std::to_string(problems.size() - listed) + " more";
  }
  return text;
}

// Reads a folder's files one by one with one parser, whose buffers grow once and are reused.
class FolderReader {
 public:
  explicit FolderReader(fs::path folder) : folder_(std::move(folder)) {}

  [[nodiscard]] detail::FileContext context(std::string_view name) {
    return detail::FileContext{(folder_ / name).string(), problems_};
  }

  // Not complete when the file is missing or could not be read to its end.
  template <class Record>
  [[nodiscard]] detail::FileOutcome read(std::string_view name,
                                         detail::FileOutcome (*read_records)(od::document&,
                                                                             detail::FileContext,
                                                                             std::vector<Record>&),
                                         std::vector<Record>& out) {
    detail::FileContext file = context(name);
    std::error_code error;
    if (!fs::is_regular_file(file.file, error)) {
      const bool exists = fs::exists(file.file, error);
      problems_.push_back(
          Problem{file.file, "", "", exists ? "not a regular file" : "missing file"});
      return {};
    }
    simdjson::padded_string json;
    if (const auto code = simdjson::padded_string::load(file.file).get(json)) {
      problems_.push_back(Problem{
          file.file, "", "", std::string("cannot read file: ") + simdjson::error_message(code)});
      return {};
    }
    return detail::read_text(parser_, json, std::move(file), read_records, out);
  }

  [[nodiscard]] std::vector<Problem>& problems() noexcept { return problems_; }

 private:
  fs::path folder_;
  od::parser parser_;
  std::vector<Problem> problems_;
};

}  // namespace

ExportError::ExportError(std::vector<Problem> problems)
    : std::runtime_error(summarize(problems)), problems_(std::move(problems)) {}

const std::vector<Problem>& ExportError::problems() const noexcept {
  return problems_;
}

std::string describe(const Problem& problem) {
  std::string text = problem.file + problem.record;
  if (!problem.field.empty()) text += ": " + problem.field;
  text += ": " + problem.message;
  return text;
}

mapping::Roster read_export(const fs::path& folder) {
  FolderReader reader(folder);
  mapping::Roster roster;
  std::vector<mapping::Organisation> orgs;
  (void)reader.read(orgs_file, detail::read_organisations, orgs);
  (void)detail::index_ids(orgs, reader.context(orgs_file));
  // Ids are indexed even from a file cut short, for its duplicates; but references into such a
  // file are not checked, since the record they name may be in the unread part.
  const bool groups_read = reader.read(groups_file, detail::read_groups, roster.groups).complete;
  const auto groups = detail::index_ids(roster.groups, reader.context(groups_file));
  const bool persons_read =
      reader.read(persons_file, detail::read_persons, roster.persons).complete;
  const auto persons = detail::index_ids(roster.persons, reader.context(persons_file));
  const auto* known_groups = groups_read ? &groups : nullptr;
  const auto* known_persons = persons_read ? &persons : nullptr;

  const auto enrolments = reader.read(enrolments_file, detail::read_enrolments, roster.enrolments);
  detail::check_unique(roster.enrolments, enrolments.flawed, reader.context(enrolments_file));
  detail::check_references(roster.enrolments, known_persons, known_groups,
                           reader.context(enrolments_file), roster.links);

  const auto relations = reader.read(relations_file, detail::read_relations, roster.relations);
  detail::check_unique(roster.relations, relations.flawed, reader.context(relations_file));
  detail::check_references(roster.relations, known_persons, reader.context(relations_file),
                           roster.links);

  // A previous_group_id is deliberately not checked: last year's group may be gone from the
  // journal, and the core treats a dangling one as "no predecessor".
  if (!reader.problems().empty()) throw ExportError(std::move(reader.problems()));
  roster.org = std::move(orgs.front());
  return roster;
}

std::vector<fs::path> list_export_folders(const fs::path& root) {
  const auto fail = [&root](const std::error_code& error) {
    throw ExportError({Problem{root.string(), "", "", "cannot list folder: " + error.message()}});
  };
  std::error_code error;
  fs::directory_iterator it(root, error);
  if (error) fail(error);
  std::vector<fs::path> folders;
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) fail(error);
    const fs::path& path = it->path();
    // Hidden folders are skipped: a writer may build a folder under a dot name, then rename it.
    if (path.filename().string().starts_with('.')) continue;
    std::error_code ignored;
    if (it->is_directory(ignored) && fs::is_regular_file(path / orgs_file, ignored)) {
      folders.push_back(path);
    }
  }
  if (error) fail(error);
  std::sort(folders.begin(), folders.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  return folders;
}

}  // namespace rosterd::adapters::export_folder
