// rosterd-oneroster-bench: `rosterd plan` over a region whose schools share one OneRoster
// folder. For each region size N (50, 100, 200, 300 by default) writes a bulk folder of N
// synthetic schools (not timed), then times planning all N (in-process, through the same
// plan_schools as `rosterd plan`). The folder is read and parsed once per plan run, not once
// per school (N parses of a folder that grows with N: N²), so the time grows linearly with N.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "daemon/config.h"
#include "daemon/planner.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Shape {
  int classes = 6;
  int students_per_class = 18;
};

std::string school_id(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "sch-%04d", n);
  return buf;
}

void write(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error(file.string() + ": cannot write");
}

// One school's rows: a director and a teacher per class; students with one parent for every
// second student; everyone enrolled in their class. Synthetic names, no contacts.
struct Rows {
  std::string orgs, users, classes, enrollments;
};

void add_school(Rows& rows, const std::string& org, const Shape& shape) {
  rows.orgs += org + ",active,,School " + org + ",school," + org + ",dist-1\n";
  rows.users += org + "-dir,active,,true," + org + ",administrator," + org + "-dir,,Director,Of " +
                org + ",,,,,,,,\n";
  int enrolment = 0;
  const auto enrol = [&](const std::string& cls, const std::string& user, const char* role,
                         const char* primary) {
    rows.enrollments += org + "-e" + std::to_string(++enrolment) + ",active,," + cls + "," + org +
                        "," + user + "," + role + "," + primary + ",,\n";
  };
  for (int c = 1; c <= shape.classes; ++c) {
    const std::string cls = org + "-c" + std::to_string(c);
    const std::string grade = std::to_string(1 + (c - 1) % 11);
    rows.classes += cls + ",active,," + grade + "A," + grade + ",crs-1," + grade + "A,homeroom,," +
                    org + ",term-1,,,\n";
    const std::string teacher = cls + "-t";
    rows.users += teacher + ",active,,true," + org + ",teacher," + teacher +
                  ",{sferum:" + std::to_string(1000 + c) + "},Teacher,Number" + std::to_string(c) +
                  ",,,,,,,,\n";
    enrol(cls, teacher, "teacher", "true");
    for (int s = 1; s <= shape.students_per_class; ++s) {
      const std::string student = cls + "-s" + std::to_string(s);
      const std::string parent = cls + "-p" + std::to_string(s);
      const bool has_parent = s % 2 == 0;
      rows.users += student + ",active,,true," + org + ",student," + student + ",,Student,Number" +
                    std::to_string(s) + ",,,,,," + (has_parent ? parent : "") + "," + grade + ",\n";
      if (has_parent) {
        rows.users += parent + ",active,,true," + org + ",parent," + parent + ",,Parent,Number" +
                      std::to_string(s) + ",,,,,," + student + ",,\n";
      }
      enrol(cls, student, "student", "false");
    }
  }
}

std::uintmax_t write_folder(const fs::path& folder, int schools, const Shape& shape) {
  fs::create_directories(folder);
  Rows rows;
  rows.orgs =
      "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
      "dist-1,active,,District,district,D1,\n";
  rows.users =
      "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
      "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
      "password\n";
  rows.classes =
      "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,"
      "location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n";
  rows.enrollments =
      "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,"
      "primary,beginDate,endDate\n";
  for (int i = 1; i <= schools; ++i) add_school(rows, school_id(i), shape);
  std::string manifest = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n";
  for (const auto* name : {"orgs", "users", "classes", "enrollments", "academicSessions"})
    manifest += "file." + std::string(name) + ",bulk\n";
  write(folder / "manifest.csv", manifest);
  write(folder / "orgs.csv", rows.orgs);
  write(folder / "users.csv", rows.users);
  write(folder / "classes.csv", rows.classes);
  write(folder / "enrollments.csv", rows.enrollments);
  write(folder / "academicSessions.csv",
        "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,"
        "schoolYear\nterm-1,active,,2026/27,schoolYear,2026-09-01,2027-05-31,,2027\n");
  std::uintmax_t bytes = 0;
  for (const auto& entry : fs::directory_iterator(folder)) bytes += entry.file_size();
  return bytes;
}

// The config a regional operator writes: every school names the same folder.
std::string config_text(int schools) {
  std::string text = R"({"schools": [)";
  for (int i = 1; i <= schools; ++i) {
    if (i > 1) text += ",";
    text += R"({"id": ")" + school_id(i) +
            R"(", "source": {"type": "oneroster", "path": "oneroster",
                "platform_id_type": "sferum"}, "fallback_admin": {"platform_user_id": 9}})";
  }
  return text + "]}";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> counts{50, 100, 200, 300};
  Shape shape;
  CLI::App app{"rosterd-oneroster-bench: plan N schools that share one OneRoster folder"};
  app.add_option("--schools", counts, "region sizes to plan, each its own folder")
      ->capture_default_str();
  app.add_option("--classes", shape.classes, "classes per school")->capture_default_str();
  app.add_option("--students-per-class", shape.students_per_class, "students per class")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  const auto scratch =
      fs::temp_directory_path() / ("rosterd-oneroster-bench-" + std::to_string(::getpid()));
  int status = 0;
  try {
    std::printf("rosterd-oneroster-bench: N schools in one OneRoster folder, %d classes of %d "
                "students each, all planned\n",
                shape.classes, shape.students_per_class);
    for (const int n : counts) {
      // A region of n schools: the folder holds exactly them (written anew, not timed).
      fs::remove_all(scratch / "oneroster");
      const auto bytes = write_folder(scratch / "oneroster", n, shape);
      const auto config = rosterd::daemon::parse_config(config_text(n), scratch,
                                                        (scratch / "rosterd.json").string());
      rosterd::daemon::PlanRequest request;
      request.today = rosterd::mapping::Date::from_ymd(2026, 9, 1);
      const auto t0 = Clock::now();
      const std::clock_t cpu0 = std::clock();
      const auto run = rosterd::daemon::plan_schools(config, request);
      const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
      const std::chrono::duration<double> took = Clock::now() - t0;
      std::size_t actions = 0;
      for (const auto& school : run.schools) {
        if (school.failed()) throw std::runtime_error(school.school_id + ": " + school.error);
        actions += school.plan->actions.size();
      }
      // CPU time as well: on a shared machine the wall clock also counts other processes.
      std::printf("  plan %4d schools (%4.1f MB of CSV): %7.2f s wall, %7.2f s CPU (%.1f ms CPU "
                  "per school, %zu actions)\n",
                  n, static_cast<double>(bytes) / 1e6, took.count(), cpu, cpu * 1000.0 / n,
                  actions);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rosterd-oneroster-bench: %s\n", e.what());
    status = 1;
  }
  fs::remove_all(scratch);
  return status;
}
