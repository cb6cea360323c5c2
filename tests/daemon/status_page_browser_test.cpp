// The status page in a real browser: headless Chromium loads it from a running StatusServer
// serving a region of 2,000 schools, three of them failing, its DOM is checked, and
// screenshots are kept with the test output (ROSTERD_TEST_OUTPUT_DIR/status-page.png as a
// phone shows it, status-page-wide.png as a desktop does) for a person to look at.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "daemon/observability.h"

namespace rosterd::daemon {
namespace {

namespace fs = std::filesystem;

// The browser: $ROSTERD_CHROMIUM, else Debian's chromium on the PATH.
std::string find_chromium() {
  if (const char* env = std::getenv("ROSTERD_CHROMIUM"); env && *env) return env;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    for (const char* name : {"chromium", "chromium-browser"}) {
      const fs::path p = fs::path(dir) / name;
      if (::access(p.c_str(), X_OK) == 0) return p;
    }
  }
  return {};
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t be32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s.at(at + i));
  return v;
}

class Chromium {
 public:
  explicit Chromium(std::string binary) : binary_(std::move(binary)) {
    std::string tmpl = (fs::temp_directory_path() / "rosterd-chromium-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
  }
  ~Chromium() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Chromium(const Chromium&) = delete;
  Chromium& operator=(const Chromium&) = delete;

  // Runs the browser with `action` (--dump-dom or --screenshot=FILE); its stdout is returned.
  int run(const std::string& action, const std::string& url, std::string& out,
          const std::string& window = "412,915") {
    const fs::path profile = dir_ / ("profile-" + std::to_string(runs_++));
    const fs::path stdout_file = dir_ / "stdout";
    const fs::path stderr_file = dir_ / "stderr";
    // As root the sandbox cannot start; everything that would reach the network is off.
    const std::string cmd =
        "timeout 120 '" + binary_ + "' --headless --no-sandbox --disable-gpu --disable-quic" +
        " --no-first-run --disable-background-networking --disable-component-update" +
        " --disable-sync --disable-dev-shm-usage --hide-scrollbars --user-data-dir='" +
        profile.string() + "' --window-size=" + window + " " + action + " '" + url + "' >'" +
        stdout_file.string() + "' 2>'" + stderr_file.string() + "'";
    const int rc = std::system(cmd.c_str());
    out = read_file(stdout_file);
    errors_ = read_file(stderr_file);
    return rc;
  }
  [[nodiscard]] const std::string& errors() const { return errors_; }

 private:
  std::string binary_;
  fs::path dir_;
  int runs_ = 0;
  std::string errors_;
};

SyncResult result(std::string r, std::size_t creates, std::size_t adds, std::size_t held,
                  std::string error = {}) {
  SyncResult s;
  s.result = mapping::parse_cycle_result(r).value();
  s.error = std::move(error);
  const auto add = [&](mapping::ActionType t, std::size_t n, bool is_held) {
    for (std::size_t i = 0; i < n; ++i) {
      mapping::Action a;
      a.type = t;
      a.held = is_held;
      s.plan.actions.push_back(a);
    }
  };
  add(mapping::ActionType::create_chat, creates, false);
  add(mapping::ActionType::add_member, adds, false);
  add(mapping::ActionType::remove_member, held, true);
  for (std::size_t i = 0; i < creates; ++i)
    s.writes.add(mapping::ActionType::create_chat, mapping::WriteStatus::done);
  for (std::size_t i = 0; i < adds; ++i)
    s.writes.add(mapping::ActionType::add_member, mapping::WriteStatus::done);
  return s;
}

void record(Observatory& o, const std::string& id, const std::string& name, const SyncResult& r,
            std::size_t failures, bool quarantined) {
  CycleReport c;
  c.school_id = id;
  c.org_name = name;
  c.result = &r;
  c.duration_s = 4.2;
  c.finished_at = "2026-11-20T12:00:05Z";
  c.finished_unix = 1795003205;
  c.consecutive_failures = failures;
  c.quarantined = quarantined;
  c.next_run_at = quarantined ? "2026-11-20T18:00:05Z" : "2026-11-20T12:15:05Z";
  o.record_cycle(c);
}

std::string school_id(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "sch-%04d", n);
  return buf;
}

// A region of 2,000 schools: three failing (one quarantined), one held, the rest in order.
void record_region(Observatory& o) {
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) ids.push_back(school_id(i));
  o.set_schools(ids);
  auto ok = result("ok", 0, 3, 0);
  mapping::SchoolNumbers n;
  n.managed_chats = 70;
  n.active_chats = 64;
  n.expected = 1900;
  n.expected_in = 1712;
  ok.numbers = n;
  const auto held = result("held", 0, 2, 37);
  const auto failed =
      result("failed", 0, 0, 0, "journal: sch-0412/persons.json: record p-77: missing \"roles\"");
  const auto source = result("source_failure", 0, 0, 0, "the journal lists 41 % fewer people");
  for (int i = 0; i < 2000; ++i) {
    const auto id = school_id(i);
    const auto name = "МБОУ «Средняя общеобразовательная школа № " + std::to_string(i) + "»";
    if (i == 412) {
      record(o, id, "МАОУ «Лицей № 3»", failed, 5, true);
    } else if (i == 1250 || i == 1999) {
      record(o, id, name, i == 1250 ? source : failed, 1, false);
    } else if (i == 7) {
      record(o, id, name, held, 0, false);
    } else {
      record(o, id, name, ok, 0, false);
    }
  }
}

TEST(StatusPageInChromium, ShowsARegionOfTwoThousandSchoolsWithTheFailingOnesFirst) {
  const std::string binary = find_chromium();
  ASSERT_FALSE(binary.empty())
      << "chromium not found: install Debian's chromium package (./scripts/deps installs it) "
         "or set ROSTERD_CHROMIUM to the browser's path";

  Observatory o;
  record_region(o);
  StatusHooks hooks;
  hooks.school_detail = [](const std::string&) {
    SchoolDetail d;
    for (int i = 0; i < 37; ++i) {
      mapping::Action a;
      a.type = mapping::ActionType::remove_member;
      a.chat_key = i < 20 ? "class:g-5a" : "parents:g-5a";
      a.person_id = "p-" + std::to_string(1000 + i);
      a.reason = "no longer in class 5А";
      a.held = true;
      a.held_reason = "37 removals in one run: more than max_removals (30)";
      d.held.push_back(a);
    }
    mapping::RunRecord run;
    run.started_at = "2026-11-20T12:00:00Z";
    run.finished_at = "2026-11-20T12:00:04Z";
    run.result = mapping::CycleResult::held;
    run.summary = "2 add_member, 37 remove_member; 37 held; 2 written";
    d.runs = {run, run};
    return d;
  };
  hooks.config_file = "/etc/rosterd/rosterd.json";
  const StatusServer server(o, "127.0.0.1", 0, hooks);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";

  Chromium chromium(binary);
  std::string dom;
  ASSERT_EQ(chromium.run("--dump-dom", url, dom), 0) << chromium.errors();
  for (int i = 0; i < 2000; i += 111) {
    EXPECT_NE(dom.find("href=\"school/" + school_id(i) + "\""), std::string::npos) << i;
  }
  // The three failing and the held one come first, as cards, before the table of the rest.
  const auto table = dom.find("<table");
  for (const char* id : {"sch-0412", "sch-1250", "sch-1999", "sch-0007"}) {
    EXPECT_LT(dom.find(std::string("data-school=\"") + id + "\""), table) << id;
  }
  EXPECT_NE(dom.find("МАОУ «Лицей № 3»"), std::string::npos) << "UTF-8 survived the trip";
  EXPECT_NE(dom.find("record p-77: missing \"roles\""), std::string::npos);
  EXPECT_NE(dom.find("<dd>2000</dd>"), std::string::npos);

  const fs::path out_dir = ROSTERD_TEST_OUTPUT_DIR;
  fs::create_directories(out_dir);
  for (const auto& [file, window, width, height] :
       {std::tuple{"status-page.png", "412,915", 412u, 915u},
        std::tuple{"status-page-wide.png", "1280,1400", 1280u, 1400u}}) {
    const fs::path png = out_dir / file;
    fs::remove(png);
    std::string ignored;
    ASSERT_EQ(chromium.run("--screenshot=" + png.string(), url, ignored, window), 0)
        << chromium.errors();
    const std::string image = read_file(png);
    ASSERT_GT(image.size(), 24u) << "no screenshot at " << png;
    EXPECT_EQ(image.substr(1, 3), "PNG");
    EXPECT_EQ(be32(image, 16), width) << "width";
    EXPECT_EQ(be32(image, 20), height) << "height";
    std::cout << "status page screenshot: " << png.string() << "\n";
  }
  const fs::path school_png = out_dir / "status-school-page.png";
  std::string ignored;
  ASSERT_EQ(chromium.run("--screenshot=" + school_png.string(), url + "school/sch-0007", ignored,
                         "412,1400"),
            0)
      << chromium.errors();
  EXPECT_EQ(read_file(school_png).substr(1, 3), "PNG");
  std::cout << "school page screenshot: " << school_png.string() << "\n";
}

}  // namespace
}  // namespace rosterd::daemon
