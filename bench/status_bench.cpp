// rosterd-status-bench: the status page for a region (2,000 schools by default): its size and
// the time to render it from the Observatory, three schools failing and then all of them; one
// school's page with its held actions. Prints figures; asserts nothing (the size bound is a
// test: tests/daemon/status_page_test.cpp).

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "daemon/observability.h"
#include "daemon/status_page.h"

namespace {

using namespace rosterd;
using Clock = std::chrono::steady_clock;

std::string school_id(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "sch-%04d", n);
  return buf;
}

daemon::SyncResult result_of(mapping::CycleResult r, std::string error = {}) {
  daemon::SyncResult s;
  s.result = r;
  s.error = std::move(error);
  mapping::SchoolNumbers n;
  n.managed_chats = 70;
  n.active_chats = 64;
  n.expected = 1900;
  n.expected_in = 1712;
  s.numbers = n;
  return s;
}

// Every school ran once: ok, except `failing` of them (spread over the region).
void record_region(daemon::Observatory& o, int schools, int failing) {
  const auto ok = result_of(mapping::CycleResult::ok);
  const auto failed = result_of(mapping::CycleResult::failed,
                                "journal: persons.json: record p-77: missing \"roles\"");
  for (int i = 0; i < schools; ++i) {
    const bool fails = failing > 0 && i % std::max(1, schools / failing) == 0 &&
                       i / std::max(1, schools / failing) < failing;
    daemon::CycleReport c;
    c.school_id = school_id(i);
    c.org_name = "МБОУ «Средняя общеобразовательная школа № " + std::to_string(i) + "»";
    c.result = fails ? &failed : &ok;
    c.duration_s = 3.2;
    c.finished_at = "2026-11-20T12:00:05Z";
    c.finished_unix = 1795003205;
    c.consecutive_failures = fails ? 5 : 0;
    c.quarantined = fails;
    c.next_run_at = "2026-11-20T12:15:05Z";
    o.record_cycle(c);
  }
}

// The fastest of `repeats` renders (the machine is shared: the least disturbed one), in ms.
template <class F>
double fastest_ms(int repeats, F render, std::size_t& bytes) {
  double best = 1e18;
  for (int i = 0; i < repeats; ++i) {
    const auto start = Clock::now();
    bytes = render().size();
    best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return best;
}

void page_line(const char* what, std::size_t bytes, double ms, int schools) {
  std::printf("  %-34s %8.1f KiB  %6.0f bytes/school  %7.2f ms\n", what, bytes / 1024.0,
              static_cast<double>(bytes) / schools, ms);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rosterd-status-bench: the status page's size and render time for a region"};
  int schools = 2000;
  int repeats = 5;
  app.add_option("--schools", schools, "Schools in the region")->check(CLI::Range(1, 100000));
  app.add_option("--repeats", repeats, "Renders per figure (the fastest is printed)")
      ->check(CLI::Range(1, 1000));
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> ids;
  for (int i = 0; i < schools; ++i) ids.push_back(school_id(i));
  std::printf("status page, %d schools (Russian; stated bound: 600 KiB for 2,000 schools)\n",
              schools);
  std::size_t bytes = 0;
  for (const int failing : {3, schools}) {
    daemon::Observatory o;
    o.set_schools(ids);
    record_region(o, schools, failing);
    const double ms = fastest_ms(repeats, [&] { return o.status_html(); }, bytes);
    const std::string what = "main page, " + std::to_string(failing) + " failing";
    page_line(what.c_str(), bytes, ms, schools);
    if (failing == 3) {
      const double q = fastest_ms(repeats, [&] { return o.status_html("sch-01"); }, bytes);
      page_line("filtered ?q=sch-01", bytes, q, schools);
    }
  }

  for (const std::size_t held : {std::size_t{47}, daemon::max_held_shown}) {
    daemon::SchoolPageData d;
    d.status.id = "sch-0002";
    d.status.last_result = mapping::CycleResult::held;
    d.status.held = held;
    d.detail.emplace();
    for (std::size_t i = 0; i < held; ++i) {
      mapping::Action a;
      a.type = mapping::ActionType::remove_member;
      a.chat_key = "class:g-" + std::to_string(i % 30);
      a.person_id = "p-" + std::to_string(10000 + i);
      a.reason = "no longer in the class";
      a.held = true;
      a.held_reason = "more than 30 removals in one run";
      d.detail->held.push_back(a);
    }
    d.config_file = "/etc/rosterd/rosterd.json";
    const double ms = fastest_ms(repeats, [&] { return daemon::render_school_page(d); }, bytes);
    std::printf("  school page, %3zu held actions     %8.1f KiB  %6.0f bytes/action  %7.2f ms\n",
                held, bytes / 1024.0, static_cast<double>(bytes) / static_cast<double>(held), ms);
  }
  return 0;
}
