#include "tests/adapters/export/export_fixture.h"

#include <stdlib.h>  // mkdtemp

#include <fstream>
#include <stdexcept>

namespace rosterd::adapters::export_folder::testing {

namespace fs = std::filesystem;

ExportFiles::ExportFiles()
    : records_{
          {"orgs.json",
           {R"({"id": "org-1", "name": "Школа № 1", "short_name": "Ш1", "kind": "school",
                "timezone": "Europe/Moscow"})"}},
          {"groups.json",
           {R"({"id": "g-5a", "name": "5А", "kind": "class", "grade": 5, "academic_year": 2026})"}},
          {"persons.json",
           {R"({"id": "p-child", "roles": ["student"], "last_name": "Иванова", "first_name": "Анна"})",
            R"({"id": "p-parent", "roles": ["parent"], "last_name": "Иванова", "first_name": "Мария"})"}},
          {"enrollments.json",
           {R"({"person_id": "p-child", "group_id": "g-5a", "role": "student", "from": "2026-09-01"})"}},
          {"relations.json",
           {R"({"parent_id": "p-parent", "child_id": "p-child", "kind": "mother"})"}},
      } {}

void ExportFiles::write_to(const fs::path& folder) const {
  for (const auto& [file, records] : records_) {
    if (const auto raw = raw_.find(file); raw != raw_.end()) {
      write_file(folder / file, raw->second);
      continue;
    }
    std::string text = "[\n";
    for (std::size_t i = 0; i < records.size(); ++i) {
      text += records[i];
      text += i + 1 < records.size() ? ",\n" : "\n";
    }
    write_file(folder / file, text + "]\n");
  }
}

}  // namespace rosterd::adapters::export_folder::testing
