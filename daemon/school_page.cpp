// One school's status page (/school/<id>): what its last cycle did and found, its monitoring
// figures, its last cycles, and each held action with the command that approves or rejects
// it, so that the administrator who reads the page knows what to type.
#include <algorithm>

#include "daemon/i18n.h"
#include "daemon/status_html.h"
#include "daemon/status_page.h"
#include "mapping/plan.h"

namespace rosterd::daemon {

using namespace status_html;

namespace {

// "rosterd approve --config /etc/rosterd/rosterd.json --school sch-1", escaped for the page.
std::string command(std::string_view verb, const SchoolPageData& d) {
  const std::string config = d.config_file.empty() ? "rosterd.json" : d.config_file;
  return html_escape("rosterd " + std::string(verb) + " --config " + shell_word(config) +
                     " --school " + shell_word(d.status.id));
}

void state_facts(std::string& out, const SchoolPageData& d) {
  const SchoolStatus& s = d.status;
  out += "<section class=\"school " + std::string(result_class(s.last_result)) +
         "\"><div class=\"badges\">" + result_badge(s.last_result);
  if (s.quarantined)
    out += "<span class=\"badge quar\">" + tr("status.quarantine.badge", "Quarantine") + "</span>";
  out += "</div><dl class=\"facts\">";
  std::string run = show_time(s.last_run_at);
  if (!s.last_run_at.empty()) run += " (" + show_duration(s.last_duration_s) + ")";
  fact(out, tr("status.fact.last_run", "Last run"), run);
  fact(out, tr("status.fact.last_success", "Last success"), show_time(s.last_success_at));
  fact(out, tr("status.fact.next_run", "Next run"), show_time(s.next_run_at));
  failure_facts(out, s, 0);
  if (s.quarantined) {
    out += "<p>" + tr("status.retry.hint", "To try it again now:") + "</p><code class=\"cmd\">" +
           command("retry", d) + "</code>";
  }
  out += "</section>\n";
}

void monitoring(std::string& out, const std::optional<mapping::SchoolNumbers>& numbers) {
  out += "<h2>" + tr("status.school.monitoring", "Monitoring") + "</h2>";
  if (!numbers) {
    out += "<p>" +
           tr("status.school.no_numbers",
              "rosterd has not looked at the platform for this school yet.") +
           "</p>\n";
    return;
  }
  out += "<dl class=\"facts\">";
  fact(out, tr("status.school.managed", "Managed chats"), std::to_string(numbers->managed_chats));
  fact(out, tr("status.school.active", "Active chats (more than 3 members)"),
       std::to_string(numbers->active_chats));
  fact(out, tr("status.school.coverage", "People in their chats"), coverage(numbers));
  out += "</dl>\n";
}

// One held action as a block (a table of six columns does not fit a phone): what, who, which
// chat, why, why held, and the two commands that decide it.
void held_item(std::string& out, const mapping::Action& a, const std::string& command) {
  const auto id = shell_word(mapping::action_id(a));
  std::string chat = html_escape(a.chat_key);
  if (!a.title.empty()) chat += " «" + html_escape(a.title) + "»";
  out += "<li><b>" + action_label(mapping::name(a.type)) + "</b><dl class=\"facts\">";
  if (!a.person_id.empty()) fact(out, tr("status.held.col.who", "Who"), html_escape(a.person_id));
  fact(out, tr("status.held.col.chat", "Chat"), chat);
  if (!a.reason.empty()) fact(out, tr("status.held.col.why", "Why"), shown(a.reason));
  if (!a.held_reason.empty())
    fact(out, tr("status.held.col.why_held", "Why held"), shown(a.held_reason));
  out += "</dl><small>" + tr("status.held.col.command", "Approve or reject:") +
         "</small><code class=\"cmd\">" + command + html_escape(" --action " + id) +
         "</code><code class=\"cmd\">" + command + html_escape(" --reject " + id) +
         "</code></li>\n";
}

void held_actions(std::string& out, const std::vector<mapping::Action>& held,
                  const std::string& command) {
  out += "<h2 id=\"held\">" + tr("status.held.title", "Held actions") + " (" +
         std::to_string(held.size()) + ")</h2>";
  if (held.empty()) {
    out += "<p>" + tr("status.held.none", "Nothing waits for approval.") + "</p>\n";
    return;
  }
  out += "<p>" +
         tr("status.held.approve_all", "Approve them all (rosterd lists them and asks first):") +
         "</p><code class=\"cmd\">" + command + "</code><ol class=\"held-list\">\n";
  const auto shown_n = std::min(held.size(), max_held_shown);
  for (std::size_t i = 0; i < shown_n; ++i) held_item(out, held[i], command);
  out += "</ol>\n";
  if (held.size() > shown_n) {
    out += "<p class=\"found\">" +
           tr_n("status.held.more", "{n} more action is not shown: rosterd approve lists them all.",
                "{n} more actions are not shown: rosterd approve lists them all.",
                static_cast<long long>(held.size() - shown_n)) +
           "</p>\n";
  }
}

void findings(std::string& out, const SchoolStatus& s) {
  out += "<h2>" + tr("status.findings.title", "Findings of the last cycle") + " (" +
         std::to_string(s.findings_total) + ")</h2>";
  if (s.findings.empty()) {
    out += "<p>" + tr("status.findings.none", "None.") + "</p>\n";
    return;
  }
  out += "<ul>";
  for (const auto& f : s.findings) {
    out += "<li><small>" + std::string(mapping::name(f.code)) + "</small> " + shown(f.message) +
           "</li>";
  }
  out += "</ul>\n";
  if (s.findings_total > s.findings.size()) {
    out += "<p class=\"found\">" +
           tr_n("status.findings.more", "{n} more finding: rosterd plan shows them all.",
                "{n} more findings: rosterd plan shows them all.",
                static_cast<long long>(s.findings_total - s.findings.size())) +
           "</p>\n";
  }
}

void runs(std::string& out, const std::vector<mapping::RunRecord>& runs) {
  out += "<h2>" + tr("status.runs.title", "Last cycles") + "</h2>";
  if (runs.empty()) {
    out += "<p>" + tr("status.runs.none", "No cycle recorded yet.") + "</p>\n";
    return;
  }
  out += "<div class=\"wrap\"><table><thead><tr><th>" +
         tr("status.runs.col.started", "Started, UTC") + "<th class=\"w\">" +
         tr("status.runs.col.finished", "Finished, UTC") + "<th>" +
         tr("status.col.result", "Result") + "<th>" + tr("status.runs.col.summary", "Summary") +
         "</thead><tbody>\n";
  for (const auto& r : runs) {
    out += "<tr class=\"" + std::string(result_class(r.result)) + "\"><td>" +
           short_time(r.started_at) + "<td class=\"w\">" + short_time(r.finished_at) +
           "<td class=\"r\">" +
           (r.result ? result_label(r.result) : tr("status.runs.unfinished", "did not finish")) +
           "<td>" + shown(r.summary) + "\n";
  }
  out += "</tbody></table></div>\n";
}

}  // namespace

std::string render_school_page(const SchoolPageData& d) {
  const SchoolStatus& s = d.status;
  std::string out;
  page_start(out, s.id + " — rosterd", true);
  out += "<header class=\"top\"><p><a href=\"../\">← " + tr("status.back", "All schools") +
         "</a></p><h1>" + html_escape(s.id) + "</h1><p>" + html_escape(s.name) +
         "</p></header>\n<main>\n";
  state_facts(out, d);
  const auto* detail = d.detail ? &*d.detail : nullptr;
  if (detail && !detail->error.empty()) {
    out += "<p class=\"error\">" +
           html_escape(tr("status.store_error", "The store could not be read: {error}",
                          {{"error", text(detail->error)}})) +
           "</p>\n";
  }
  monitoring(out, detail && detail->numbers ? detail->numbers : s.numbers);
  if (detail) held_actions(out, detail->held, command("approve", d));
  findings(out, s);
  if (detail) runs(out, detail->runs);
  out += "</main>";
  page_end(out, d.generated_at, "../");
  return out;
}

}  // namespace rosterd::daemon
