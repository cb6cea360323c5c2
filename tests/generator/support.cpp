#include "tests/generator/support.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <vector>

namespace rosterd::generator::test {

std::vector<std::string> integrity_problems(const mapping::Roster& r) {
  std::vector<std::string> problems;
  std::set<std::string> persons, groups;
  for (const auto& p : r.persons) {
    if (!persons.insert(p.id).second) problems.push_back("duplicate person " + p.id);
  }
  for (const auto& g : r.groups) {
    if (!groups.insert(g.id).second) problems.push_back("duplicate group " + g.id);
    if (g.previous_group_id && !groups.contains(*g.previous_group_id) &&
        find_group(r, *g.previous_group_id) == nullptr) {
      problems.push_back("group " + g.id + " has an unknown previous group");
    }
    if (g.opened_on && g.closed_on && *g.closed_on < *g.opened_on)
      problems.push_back("group " + g.id + " closes before it opens");
  }
  std::set<std::tuple<std::string, std::string, int, std::optional<mapping::Date>>> enrolments;
  for (const auto& e : r.enrolments) {
    if (!enrolments.insert({e.person_id, e.group_id, static_cast<int>(e.role), e.from}).second) {
      problems.push_back("duplicate enrolment " + e.person_id + " in " + e.group_id);
    }
    if (!persons.contains(e.person_id))
      problems.push_back("enrolment of unknown person " + e.person_id);
    if (!groups.contains(e.group_id))
      problems.push_back("enrolment in unknown group " + e.group_id);
    if (e.from && e.to && *e.to < *e.from)
      problems.push_back("enrolment ends before it starts: " + e.person_id);
  }
  std::set<std::pair<std::string, std::string>> relations;
  for (const auto& rel : r.relations) {
    if (!persons.contains(rel.parent_id))
      problems.push_back("relation of unknown parent " + rel.parent_id);
    if (!persons.contains(rel.child_id))
      problems.push_back("relation of unknown child " + rel.child_id);
    if (!relations.insert({rel.parent_id, rel.child_id}).second)
      problems.push_back("duplicate relation " + rel.child_id);
  }
  return problems;
}

const mapping::Person* find_person(const mapping::Roster& r, const std::string& id) {
  for (const auto& p : r.persons) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const mapping::Group* find_group(const mapping::Roster& r, const std::string& id) {
  for (const auto& g : r.groups) {
    if (g.id == id) return &g;
  }
  return nullptr;
}

std::map<std::string, std::set<std::string>> parents_by_child(const mapping::Roster& r) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& rel : r.relations) out[rel.child_id].insert(rel.parent_id);
  return out;
}

std::map<std::string, std::set<std::string>> classes_by_student(const mapping::Roster& r,
                                                                mapping::Date day) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& e : r.enrolments) {
    if (e.role == mapping::EnrolmentRole::student && e.active_on(day))
      out[e.person_id].insert(e.group_id);
  }
  return out;
}

std::vector<std::string> classes_without_leader(const mapping::Roster& r, mapping::Date day) {
  std::set<std::string> led;
  for (const auto& e : r.enrolments) {
    if (e.role == mapping::EnrolmentRole::leader && e.active_on(day)) led.insert(e.group_id);
  }
  std::vector<std::string> out;
  for (const auto& g : r.groups) {
    if (g.kind == mapping::GroupKind::class_group && g.active_on(day) && !led.contains(g.id))
      out.push_back(g.id);
  }
  return out;
}

std::string read_export_bytes(const std::string& folder) {
  std::string all;
  for (const char* file :
       {"orgs.json", "groups.json", "persons.json", "enrollments.json", "relations.json"}) {
    std::ifstream in(std::filesystem::path(folder) / file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    all += std::string{file} + "\n" + content.str();
  }
  return all;
}

namespace {

// The folders this test process made, removed when it exits.
struct MadeFolders {
  std::vector<std::filesystem::path> folders;
  ~MadeFolders() {
    std::error_code ignored;
    for (const auto& f : folders) std::filesystem::remove_all(f, ignored);
  }
};

}  // namespace

std::string fresh_temp_folder(const std::string& name) {
  static MadeFolders made;
  const auto folder = std::filesystem::temp_directory_path() /
                      ("rosterd-generator-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  made.folders.push_back(folder);
  return folder.string();
}

}  // namespace rosterd::generator::test
