// No phone number or e-mail reaches anything rosterd prints, on the error paths too: exports
// whose records carry contacts in the wrong columns (a phone as a person's or group's id, an
// e-mail as a name, a phone as a group's name, contacts in dates, enumerations and references
// the reader rejects), run through `rosterd plan` (text and JSON), `rosterd sync --once` and
// `rosterd run`. Everything they printed is searched, whole: stdout, stderr, the daemon's log,
// the status page and /metrics; for every contact anywhere in the synthetic data, as written
// and as bare digits.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "daemon/wall_clock.h"
#include "generator/generator.h"
#include "tests/daemon/run_support.h"
#include "tests/e2e/world.h"

namespace rosterd::daemon::run_test {
namespace {

using e2e::World;
using nlohmann::json;

const std::string kToken = "e2e-secret-token-4242";  // what World writes to platform.token
const std::vector<std::string> kFiles = {"orgs.json", "groups.json", "persons.json",
                                         "enrollments.json", "relations.json"};

json load(const std::filesystem::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

void save(const std::filesystem::path& file, const json& records) {
  std::ofstream(file, std::ios::trunc) << records.dump(1);
}

json& first(json& records, const std::function<bool(const json&)>& wanted) {
  for (auto& r : records) {
    if (wanted(r)) return r;
  }
  throw std::logic_error("the generated school has no such record");
}

bool is(const json& record, const char* field, const char* value) {
  return record.contains(field) && record[field] == value;
}

// sch-0001 still reads: a student's id is a phone number, a parent's another phone in
// another format, a linked parent's names are an e-mail and a phone, a class is named by a
// phone number, an enrolment's reason and a teacher's position are e-mails.
void contacts_in_readable_columns(const std::filesystem::path& folder) {
  auto groups = load(folder / "groups.json"), persons = load(folder / "persons.json");
  auto enrolments = load(folder / "enrollments.json"), relations = load(folder / "relations.json");
  const auto rename_person = [&](const std::string& from, const std::string& to) {
    first(persons, [&](const json& p) { return p["id"] == from; })["id"] = to;
    for (auto& e : enrolments) {
      if (e["person_id"] == from) e["person_id"] = to;
    }
    for (auto& r : relations) {
      for (const char* side : {"parent_id", "child_id"}) {
        if (r[side] == from) r[side] = to;
      }
    }
  };
  auto& enrolment = first(enrolments, [](const json& e) { return is(e, "role", "student"); });
  enrolment["reason"] = "reason.in.a.reason@example.invalid";
  const auto& relation = first(relations, [](const json&) { return true; });
  rename_person(enrolment["person_id"].get<std::string>(), "+79007654321");
  rename_person(relation["parent_id"].get<std::string>(), "8 (900) 765-43-22");
  auto& linked = first(persons, [](const json& p) {
    return p.value("platform_user_id", json()).is_number() &&
           p["roles"].dump().find("parent") != std::string::npos;
  });
  linked["last_name"] = "surname.is.an.email@example.invalid";
  linked["middle_name"] = "+7 900 765-43-23";
  first(persons, [](const json& p) {
    return p["roles"].dump().find("staff") != std::string::npos;
  })["positions"] = json::array({"position.email@example.invalid"});
  first(groups, [](const json& g) { return is(g, "kind", "class"); })["name"] = "+7 900 765-43-24";
  save(folder / "groups.json", groups);
  save(folder / "persons.json", persons);
  save(folder / "enrollments.json", enrolments);
  save(folder / "relations.json", relations);
}

// sch-0002 does not read: contacts in a date, an integer, enumerations, duplicate ids and
// references to nobody, each a problem the reader reports naming its record.
void contacts_in_rejected_columns(const std::filesystem::path& folder) {
  auto groups = load(folder / "groups.json"), persons = load(folder / "persons.json");
  auto enrolments = load(folder / "enrollments.json"), relations = load(folder / "relations.json");
  const json group = {{"id", "+79005550006"},  {"name", "+79005550007"},
                      {"kind", "class"},       {"grade", 5},
                      {"academic_year", 2026}, {"opened_on", "2026-09-01"}};
  groups.push_back(group);
  groups.push_back(group);  // a duplicate id
  groups.push_back(json{{"id", "g-bad-kind"},
                        {"name", "5Ж"},
                        {"kind", "kind@example.invalid"},
                        {"academic_year", 2026}});
  persons.push_back(json{{"id", "+79005550001"},
                         {"roles", json::array({"parent@example.invalid"})},
                         {"last_name", "last@example.invalid"},
                         {"first_name", "+79005550008"},
                         {"birth_date", "+79005550002"},
                         {"platform_user_id", "+79005550003"},
                         {"phone", "phone.field@example.invalid"},
                         {"email", "+79005550009"}});
  persons.push_back(json{{"id", "+79005550001"},
                         {"roles", json::array({"parent"})},  // a duplicate id
                         {"last_name", "Дубль"},
                         {"first_name", "Дубль"}});
  enrolments.push_back(json{{"person_id", "+79005550004"},
                            {"group_id", "group.ref@example.invalid"},
                            {"role", "student"}});
  relations.push_back(json{{"parent_id", "+7 (900) 555-00-05"},
                           {"child_id", "child.ref@example.invalid"},
                           {"kind", "mother"}});
  save(folder / "groups.json", groups);
  save(folder / "persons.json", persons);
  save(folder / "enrollments.json", enrolments);
  save(folder / "relations.json", relations);
}

void collect_strings(const json& value, std::vector<std::string>& out) {
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (!value.is_structured()) return;
  for (const auto& item : value) collect_strings(item, out);
}

// Every phone number and e-mail anywhere in the export's files (whatever column it sits in),
// keyed by what to search for: as written, and a phone's digits (all of them, and the ten of
// the national number, so "+7 900 …" and "8 900 …" and "7900…" are all found).
std::map<std::string, std::string> contacts(const std::filesystem::path& root) {
  std::map<std::string, std::string> needles;  // needle → where it came from
  for (const auto& school : std::filesystem::directory_iterator(root)) {
    for (const auto& file : kFiles) {
      std::vector<std::string> strings;
      collect_strings(load(school.path() / file), strings);
      for (const auto& s : strings) {
        std::string digits;
        bool phone_like = !s.empty();
        for (const char c : s) {
          if (c >= '0' && c <= '9')
            digits += c;
          else if (std::string_view("+ ()-").find(c) == std::string_view::npos)
            phone_like = false;
        }
        if (s.find('@') != std::string::npos) needles.emplace(s, file);
        if (phone_like && digits.size() >= 10) {
          needles.emplace(s, file);
          needles.emplace(digits, file + " (digits)");
          needles.emplace(digits.substr(digits.size() - 10), file + " (national digits)");
        }
      }
    }
  }
  return needles;
}

std::filesystem::path write_exports(World& w) {
  const auto today = local_today();
  for (const auto* id : {"sch-0001", "sch-0002"}) {
    w.write_journal(generator::make_school(id, id == std::string("sch-0001") ? 61 : 62, today,
                                           {.classes = 2, .students_per_class = 5}));
  }
  contacts_in_readable_columns(w.dir() / "export" / "sch-0001");
  contacts_in_rejected_columns(w.dir() / "export" / "sch-0002");
  RunConfig c;
  c.platform_url = w.sim().base_url();
  c.schools = {"sch-0001", "sch-0002"};
  c.fallback_admin = e2e::kFallbackAdmin;
  write_json(w.dir() / "run.json", run_config(c));
  return w.dir() / "run.json";
}

// Each output by name; a failure names the output, the contact and where it was in the data.
void expect_no_contacts(const std::map<std::string, std::string>& outputs,
                        const std::map<std::string, std::string>& needles) {
  ASSERT_GE(needles.size(), 40u) << "the synthetic data should be full of contacts";
  for (const auto& [name, text] : outputs) {
    EXPECT_FALSE(text.empty()) << name << " printed nothing: nothing was checked";
    EXPECT_EQ(text.find(kToken), std::string::npos) << name << " holds the platform token";
    for (const auto& [needle, origin] : needles) {
      const auto at = text.find(needle);
      EXPECT_EQ(at, std::string::npos) << name << " holds " << needle << " (from " << origin
                                       << "): …" << text.substr(at < 60 ? 0 : at - 60, 140) << "…";
    }
  }
}

TEST(PersonalData, PlanAndSyncPrintNoContactFromRecordsWithContactsInTheWrongColumns) {
  World w;
  const auto config = write_exports(w);
  const auto needles = contacts(w.dir() / "export");
  std::map<std::string, std::string> outputs;
  const auto rosterd = [&](const std::string& name, std::vector<std::string> args) {
    args.insert(args.begin(), ROSTERD_BIN);
    args.insert(args.end(), {"--config", config.string()});
    const auto run = testing::run(args, w.dir());
    outputs[name] = run.output;
    return run;
  };
  const auto text = rosterd("plan (text)", {"plan"});
  EXPECT_EQ(text.status, 1) << "sch-0002 cannot be read: " << text.output;
  EXPECT_NE(text.output.find("sch-0002"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("добавить"), std::string::npos) << "sch-0001 is planned";
  EXPECT_EQ(rosterd("plan (json)", {"plan", "--format", "json"}).status, 1);
  EXPECT_EQ(rosterd("plan sch-0002 (text)", {"plan", "--school", "sch-0002"}).status, 1);
  const auto sync = rosterd("sync --once", {"sync", "--once"});
  EXPECT_NE(sync.status, 0) << sync.output;
  EXPECT_FALSE(w.state()["chats"].empty()) << "sch-0001 was applied: " << sync.output;
  expect_no_contacts(outputs, needles);
}

TEST(PersonalData, RunPrintsNoContactFromRecordsWithContactsInTheWrongColumns) {
  World w;
  const auto config = write_exports(w);
  const auto needles = contacts(w.dir() / "export");
  Daemon daemon(config, w.dir() / "rosterd-run.out");
  EXPECT_NE(daemon.wait_for_log("school=sch-0001 result=", 30s), std::string::npos) << daemon.log();
  EXPECT_NE(daemon.wait_for_log("school=sch-0002 result=failed", 30s), std::string::npos)
      << daemon.log();
  std::map<std::string, std::string> outputs;
  for (const auto* path : {"/", "/metrics", "/healthz"}) {
    const auto [status, body] = daemon.get(path);
    EXPECT_EQ(status, 200) << path;
    outputs[std::string("GET ") + path] = body;
  }
  EXPECT_NE(outputs["GET /"].find("sch-0002"), std::string::npos) << "the failing school is shown";
  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait(10s), 0) << daemon.log();
  outputs["rosterd run (log)"] = daemon.log();
  expect_no_contacts(outputs, needles);
}

}  // namespace
}  // namespace rosterd::daemon::run_test
