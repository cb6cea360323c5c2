// The main status page, for a region of up to thousands of schools: totals, a filter that
// works without scripts (a GET form, `?q=`, answered by the server), the schools that need a
// person first as cards, then a table row per school. One self-contained HTML5 document:
// inline CSS, no scripts, no external assets (it is read on a school's own network and on
// phones). Its size grows by one row per school, whatever their state: at most `max_cards`
// schools get a card (docs/observability.md states the bound the bench measures).
#include "daemon/status_page.h"

#include <algorithm>
#include <map>

#include "daemon/i18n.h"
#include "daemon/status_html.h"
#include "mapping/text.h"

namespace rosterd::daemon {

using mapping::CycleResult;
using namespace status_html;

namespace {

// Most urgent first: an operator with hundreds of schools reads the top of the page.
int urgency(const SchoolStatus& s) {
  const auto c = result_class(s.last_result);
  if (s.quarantined) return 0;
  if (c == "failing") return 1;
  if (!s.held_reason.empty()) return 2;
  if (c == "held" || c == "partial" || s.held > 0) return 2;
  if (c == "stopped") return 3;
  if (c == "never") return 4;
  return 5;
}

// Failing, quarantined, held or partial: a person has something to do or to look at.
bool needs_attention(const SchoolStatus& s) { return urgency(s) <= 2; }

// A school the region's listing no longer shows (discovery): held, nothing archived.
std::string held_out(const SchoolStatus& s) {
  if (s.held_reason == "distrusted") {
    return tr("status.held_out.distrusted",
              "Held: a listing of the journal that lost too many schools at once does not show "
              "it; nothing is archived");
  }
  return tr("status.held_out.vanished",
            "Held: the journal's listing no longer shows it; nothing is archived");
}

std::string school_link(const SchoolStatus& s) {
  return "<a href=\"school/" + html_escape(url_segment(s.id)) + "\">" + html_escape(s.id) +
         "</a>";
}

std::string held_link(const SchoolStatus& s) {
  return "<a href=\"school/" + html_escape(url_segment(s.id)) + "#held\">" +
         tr_n("status.held.link", "{n} action waits for approval",
              "{n} actions wait for approval", static_cast<long long>(s.held)) +
         "</a>";
}

std::string actions_list(const SchoolStatus& s) {
  if (s.last_actions.empty()) return s.last_result ? tr("status.no_changes", "no changes") : "—";
  std::string out = "<ul class=\"actions\">";
  for (const auto& [type, n] : s.last_actions) {
    out += "<li>" + action_label(type) + ": <b>" + std::to_string(n) + "</b></li>";
  }
  return out + "</ul>";
}

// Which daemon of the region syncs the school: "this one", or the other's name.
std::string owner_shown(const SchoolStatus& s, const std::string& self) {
  if (s.owner.empty()) return "—";
  return s.owner == self ? tr("status.region.this", "this one")
                         : "<small>" + html_escape(s.owner) + "</small>";
}

// `self`: this daemon's name, when it is one of a region's (a fact tells which syncs it).
void school_card(std::string& out, const SchoolStatus& s, const std::string& self) {
  const auto css = result_class(s.last_result);
  out += "<article class=\"school " + std::string(css) + "\" data-school=\"" +
         html_escape(s.id) + "\">";
  out += "<div class=\"head\"><h3>" + school_link(s) + "</h3><div class=\"badges\">";
  out += result_badge(s.last_result);
  if (s.quarantined)
    out += "<span class=\"badge quar\">" + tr("status.quarantine.badge", "Quarantine") + "</span>";
  if (!s.held_reason.empty())
    out += "<span class=\"badge quar\">" + tr("status.held_out.badge", "Held") + "</span>";
  out += "</div></div>";
  if (!s.held_reason.empty()) out += "<p class=\"error\">" + held_out(s) + "</p>";
  out += "<p class=\"name\">" + (s.name.empty() ? std::string("&nbsp;") : html_escape(s.name)) +
         "</p><dl class=\"facts\">";
  std::string run = show_time(s.last_run_at);
  if (!s.last_run_at.empty()) run += " (" + show_duration(s.last_duration_s) + ")";
  fact(out, tr("status.fact.last_run", "Last run"), run);
  fact(out, tr("status.fact.last_success", "Last success"), show_time(s.last_success_at));
  fact(out, tr("status.fact.next_run", "Next run"), show_time(s.next_run_at));
  fact(out, tr("status.fact.active_chats", "Active chats"), active_chats(s.numbers));
  fact(out, tr("status.fact.coverage", "In chats"), coverage(s.numbers));
  fact(out, tr("status.fact.actions", "Actions"), actions_list(s));
  fact(out, tr("status.fact.held", "Held"), s.held ? held_link(s) : "0", s.held ? "warn" : "");
  if (!self.empty()) fact(out, tr("status.col.daemon", "Daemon"), owner_shown(s, self));
  failure_facts(out, s, 600);  // the error cut here (many cards); whole on the school's page
  out += "</article>\n";
}

// One row. Closing tags of cells and rows are left out, as HTML allows, and the columns are
// styled by position (table.list), not by a class on each cell: 2,000 rows stay small.
// `self`: this daemon's name, when it is one of a region's (a column tells which syncs each).
void school_row(std::string& out, const SchoolStatus& s, const std::string& self) {
  out += "<tr class=\"" + std::string(result_class(s.last_result)) + "\"><td><b>" +
         school_link(s) + "</b>";
  if (!s.name.empty()) out += "<small>" + html_escape(s.name) + "</small>";
  out += "<td>" + result_label(s.last_result);
  if (s.quarantined) out += "<small>" + tr("status.quarantine.badge", "Quarantine") + "</small>";
  if (!s.held_reason.empty()) out += "<small>" + held_out(s) + "</small>";
  out += "<td>" + short_time(s.last_run_at) + "<td>";
  out += s.numbers ? std::to_string(s.numbers->active_chats) + "/" +
                         std::to_string(s.numbers->managed_chats)
                   : "—";
  out += "<td>";
  out += s.numbers ? std::to_string(coverage_percent(*s.numbers)) + " %" : "—";
  out += "<td>";
  out += s.held ? "<a href=\"school/" + html_escape(url_segment(s.id)) + "#held\">" +
                      std::to_string(s.held) + "</a>"
                : "0";
  if (!self.empty()) out += "<td>" + owner_shown(s, self);
  out += '\n';
}

// The schools from `first` on (those before it have cards).
void school_table(std::string& out, const std::vector<const SchoolStatus*>& order,
                  std::size_t first, const std::string& self) {
  if (first >= order.size()) return;
  out += "<h2>" +
         (first == 0 ? tr("status.table.all", "All schools")
                     : tr("status.table.others", "Other schools")) +
         " (" + std::to_string(order.size() - first) + ")" +
         "</h2><div class=\"wrap\"><table class=\"list\"><thead><tr><th>" +
         tr("status.col.school", "School") + "<th>" + tr("status.col.result", "Result") + "<th>" +
         tr("status.col.last_run", "Last run, UTC") + "<th>" +
         tr("status.col.chats", "Active chats") + "<th>" + tr("status.col.coverage", "In chats") +
         "<th>" + tr("status.col.held", "Held") +
         (self.empty() ? std::string{} : "<th>" + tr("status.col.daemon", "Daemon")) +
         "</thead><tbody>\n";
  for (std::size_t i = first; i < order.size(); ++i) school_row(out, *order[i], self);
  out += "</tbody></table></div>\n";
}

void totals(std::string& out, const StatusPageData& d) {
  std::map<std::string_view, std::size_t> by_class;
  std::size_t quarantined = 0;
  std::size_t held = 0;
  for (const auto& s : d.schools) {
    ++by_class[result_class(s.last_result)];
    quarantined += s.quarantined ? 1 : 0;
    held += s.held;
  }
  out += "<dl class=\"totals\">";
  const auto total = [&](std::string_view css, const std::string& term, std::size_t n) {
    out += "<div class=\"" + std::string(css) + "\"><dt>" + term + "</dt><dd>" +
           std::to_string(n) + "</dd></div>";
  };
  total("t-all", tr("status.totals.schools", "schools"), d.schools.size());
  total("t-ok", tr("status.totals.ok", "in order"), by_class["ok"]);
  total("t-held", tr("status.totals.held", "waiting for approval"), by_class["held"]);
  total("t-failing", tr("status.totals.failing", "failing"), by_class["failing"]);
  total("t-quar", tr("status.totals.quarantined", "quarantined"), quarantined);
  total("t-held", tr("status.totals.held_actions", "held actions"), held);
  out += "</dl>";
}

// "This daemon: host-a:101:x; the others: host-b:…" for a daemon among a region's.
void region_line(std::string& out, const RegionStatus& region) {
  if (region.self.empty()) return;
  std::string others;
  for (const auto& m : region.members) {
    if (m.name == region.self) continue;
    others += (others.empty() ? "" : ", ") + html_escape(m.name);
  }
  out += "<p class=\"reload\">" +
         tr("status.region.self", "This daemon: {name}", {{"name", html_escape(region.self)}}) +
         "; " +
         (others.empty() ? tr("status.region.alone", "no other daemon is alive")
                         : tr("status.region.others", "the others alive: {names}",
                              {{"names", others}})) +
         "</p>";
}

void header(std::string& out, const StatusPageData& d) {
  out += "<header class=\"top\"><h1>rosterd</h1><p>" +
         tr("status.subtitle", "School chats in step with the electronic journal") + "</p>";
  totals(out, d);
  region_line(out, d.region);
  if (d.reload_at.empty()) {
    out += "<p class=\"reload\">" +
           tr("status.reload.none", "Configuration: loaded at start, not reloaded since") + "</p>";
  } else if (d.reload_ok) {
    out += "<p class=\"reload ok\">" +
           tr("status.reload.ok", "Configuration reloaded {at}: done",
              {{"at", show_time(d.reload_at)}}) +
           "</p>";
  } else {
    out += "<p class=\"reload bad\">" +
           tr("status.reload.failed",
              "Configuration reload {at} refused, the previous one stays in force:",
              {{"at", show_time(d.reload_at)}}) +
           " <code>" + shown(d.reload_error) + "</code></p>";
  }
  out += "</header>\n";
}

void filter_form(std::string& out, std::string_view query, std::size_t found) {
  out += "<form class=\"filter\" method=\"get\" action=\"\" role=\"search\"><input type=\"search\" "
         "name=\"q\" value=\"" +
         html_escape(query) + "\" placeholder=\"" +
         html_escape(tr("status.filter.label", "School name or id")) + "\" aria-label=\"" +
         html_escape(tr("status.filter.label", "School name or id")) + "\"><button>" +
         tr("status.filter.button", "Find") + "</button></form>\n";
  if (query.empty()) return;
  out += "<p class=\"found\">" +
         html_escape(tr_n("status.filter.found", "{n} school matches \"{query}\"",
                          "{n} schools match \"{query}\"", static_cast<long long>(found),
                          {{"query", std::string(query)}})) +
         " · <a href=\"./\">" + tr("status.filter.all", "show all") + "</a></p>\n";
}

// Cards for the first schools that need attention (the order puts them first); returns how
// many got one.
std::size_t attention(std::string& out, const std::vector<const SchoolStatus*>& order,
                      const std::string& self) {
  const auto urgent = static_cast<std::size_t>(
      std::count_if(order.begin(), order.end(), [](auto* s) { return needs_attention(*s); }));
  if (urgent == 0) return 0;
  out += "<h2>" + tr("status.attention", "Need attention") + " (" + std::to_string(urgent) +
         ")</h2><div class=\"cards\">\n";
  for (std::size_t i = 0; i < std::min(urgent, max_cards); ++i) school_card(out, *order[i], self);
  out += "</div>\n";
  if (urgent > max_cards) {
    out += "<p class=\"found\">" +
           tr_n("status.attention.more", "{n} more school is first in the table below",
                "{n} more schools are first in the table below",
                static_cast<long long>(urgent - max_cards)) +
           "</p>\n";
  }
  return std::min(urgent, max_cards);
}

}  // namespace

std::string_view result_class(std::optional<CycleResult> result) noexcept {
  if (!result) return "never";
  switch (*result) {
    case CycleResult::failed:
    case CycleResult::source_failure: return "failing";
    case CycleResult::held: return "held";
    case CycleResult::partial: return "partial";
    case CycleResult::ok:
    case CycleResult::unchanged: return "ok";
    case CycleResult::stopped:
    case CycleResult::leased: return "stopped";
  }
  return "stopped";
}

std::string render_status_page(const StatusPageData& data) {
  const std::string query = mapping::clean_text(data.query);
  std::vector<const SchoolStatus*> order;
  for (const auto& s : data.schools) {
    if (school_matches(s, query)) order.push_back(&s);
  }
  std::stable_sort(order.begin(), order.end(), [](const SchoolStatus* a, const SchoolStatus* b) {
    return urgency(*a) < urgency(*b);
  });
  std::string out;
  out.reserve(8192 + order.size() * 200);
  page_start(out, "rosterd — " + tr("status.title", "status"), true);
  header(out, data);
  out += "<main>\n";
  filter_form(out, query, order.size());
  if (data.schools.empty()) {
    out += "<p class=\"empty\">" + tr("status.none", "No schools configured") + "</p>";
  } else if (order.empty()) {
    out += "<p class=\"empty\">" + tr("status.filter.none", "No school matches.") + "</p>";
  } else {
    school_table(out, order, attention(out, order, data.region.self), data.region.self);
  }
  out += "</main>";
  page_end(out, data.generated_at, "");
  return out;
}

}  // namespace rosterd::daemon
