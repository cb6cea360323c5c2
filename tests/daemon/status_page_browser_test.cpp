// The status page in a real browser: headless Chromium loads it from a running StatusServer
// in a phone-sized window, its DOM is checked, and a screenshot is kept with the test output
// (ROSTERD_TEST_OUTPUT_DIR/status-page.png) for a person to look at.
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
  int run(const std::string& action, const std::string& url, std::string& out) {
    const fs::path profile = dir_ / ("profile-" + std::to_string(runs_++));
    const fs::path stdout_file = dir_ / "stdout";
    const fs::path stderr_file = dir_ / "stderr";
    // As root the sandbox cannot start; everything that would reach the network is off.
    const std::string cmd =
        "timeout 120 '" + binary_ + "' --headless --no-sandbox --disable-gpu --disable-quic" +
        " --no-first-run --disable-background-networking --disable-component-update" +
        " --disable-sync --disable-dev-shm-usage --hide-scrollbars --user-data-dir='" +
        profile.string() + "' --window-size=412,915 " + action + " '" + url + "' >'" +
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

TEST(StatusPageInChromium, ShowsEverySchoolOnAPhoneSizedScreen) {
  const std::string binary = find_chromium();
  ASSERT_FALSE(binary.empty())
      << "chromium not found: install Debian's chromium package (./scripts/deps installs it) "
         "or set ROSTERD_CHROMIUM to the browser's path";

  Observatory o;
  o.set_schools({"sch-0001", "sch-0002", "sch-0003"});
  const auto ok = result("ok", 3, 41, 0);
  const auto held = result("held", 0, 2, 37);
  const auto failed =
      result("failed", 0, 0, 0, "journal: sch-0003/persons.json: record p-77: missing \"roles\"");
  record(o, "sch-0001", "МБОУ «Школа № 1»", ok, 0, false);
  record(o, "sch-0002", "МБОУ «Гимназия № 2»", held, 0, false);
  record(o, "sch-0003", "МАОУ «Лицей № 3»", failed, 5, true);
  const StatusServer server(o, "127.0.0.1", 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";

  Chromium chromium(binary);
  std::string dom;
  ASSERT_EQ(chromium.run("--dump-dom", url, dom), 0) << chromium.errors();
  for (const char* id : {"sch-0001", "sch-0002", "sch-0003"}) {
    EXPECT_NE(dom.find(std::string("data-school=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_NE(dom.find("<small>ok</small>"), std::string::npos);
  EXPECT_NE(dom.find("<small>held</small>"), std::string::npos);
  EXPECT_NE(dom.find("<small>failed</small>"), std::string::npos);
  EXPECT_NE(dom.find("МАОУ «Лицей № 3»"), std::string::npos) << "UTF-8 survived the trip";
  EXPECT_NE(dom.find("record p-77: missing \"roles\""), std::string::npos);

  const fs::path out_dir = ROSTERD_TEST_OUTPUT_DIR;
  fs::create_directories(out_dir);
  const fs::path png = out_dir / "status-page.png";
  fs::remove(png);
  std::string ignored;
  ASSERT_EQ(chromium.run("--screenshot=" + png.string(), url, ignored), 0) << chromium.errors();
  const std::string image = read_file(png);
  ASSERT_GT(image.size(), 24u) << "no screenshot at " << png;
  EXPECT_EQ(image.substr(1, 3), "PNG");
  EXPECT_EQ(be32(image, 16), 412u) << "width";
  EXPECT_EQ(be32(image, 20), 915u) << "height";
  std::cout << "status page screenshot: " << png.string() << "\n";
}

}  // namespace
}  // namespace rosterd::daemon
