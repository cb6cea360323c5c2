// What the status pages share. The words come from the catalog ("status.*"): Russian for the
// school administrators by default, English with the config's `language` "en"; ids and result
// codes stay as the logs and metrics spell them.
#include "daemon/status_html.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>

#include "daemon/i18n.h"
#include "daemon/status_page.h"
#include "mapping/plan.h"
#include "mapping/text.h"

namespace rosterd::daemon::status_html {

using mapping::CycleResult;

namespace {

constexpr std::string_view page_css = R"css(
:root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--bg:#f6f8fa;--card:#fff;--line:#d1d9e0;
--ok:#1a7f37;--ok-bg:#dafbe1;--held:#9a6700;--held-bg:#fff8c5;--fail:#cf222e;--fail-bg:#ffebe9;
--idle:#59636e;--idle-bg:#eff2f5;--quar:#8250df;--quar-bg:#fbefff}
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:var(--fg);background:var(--bg)}
a{color:#0969da}
.top{background:#24292f;color:#fff;padding:12px 12px 14px}
.top h1{margin:0;font-size:1.25rem;word-break:break-all}
.top p{margin:2px 0 0;color:#d1d9e0;font-size:.85rem}
.top a{color:#9ecbff}
.totals{display:flex;flex-wrap:wrap;gap:6px;margin:10px 0 0;padding:0}
.totals div{display:flex;flex-direction:row-reverse;align-items:baseline;gap:6px;
background:rgba(255,255,255,.1);border-radius:999px;padding:3px 12px 3px 9px;
border-left:5px solid #8c959f}
.totals dt{font-size:.85rem;color:#d1d9e0}
.totals dd{margin:0;font-size:1.1rem;font-weight:700}
.totals .t-ok{border-left-color:#4ac26b}.totals .t-held{border-left-color:#d4a72c}
.totals .t-failing{border-left-color:#ff8182}.totals .t-quar{border-left-color:#c297ff}
.reload{margin:10px 0 0;font-size:.85rem}
.reload.bad{background:var(--fail-bg);color:var(--fail);padding:6px 10px;border-radius:6px}
main{padding:12px;max-width:1400px;margin:0 auto}
h2{font-size:1.05rem;margin:14px 0 8px}
.filter{display:flex;gap:6px;flex-wrap:wrap;align-items:center}
.filter input{flex:1 1 12rem;min-width:0;font:inherit;padding:6px 10px;border:1px solid var(--line);
border-radius:6px}
.filter button{font:inherit;padding:6px 14px;border:1px solid var(--line);border-radius:6px;
background:var(--card)}
.found{margin:6px 0 0;color:var(--muted);font-size:.9rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,21rem),1fr));gap:12px}
.school{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--idle);
border-radius:10px;padding:12px 14px;min-width:0}
.ok{--c:var(--ok)}.held,.partial{--c:var(--held)}.failing{--c:var(--fail)}
.school.ok,.school.held,.school.partial,.school.failing{border-left-color:var(--c)}
.school h3{margin:0;font-size:1.1rem;word-break:break-all}
.head{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:6px}
.name{margin:2px 0 8px;color:var(--muted);font-size:.9rem}
.badges{display:flex;gap:6px;flex-wrap:wrap}
.badge{display:inline-block;border-radius:999px;padding:2px 10px;font-size:.8rem;font-weight:600;
background:var(--idle-bg);color:var(--idle);white-space:nowrap}
.badge small{font-weight:400;opacity:.8}
.badge.ok{background:var(--ok-bg);color:var(--ok)}
.badge.held,.badge.partial{background:var(--held-bg);color:var(--held)}
.badge.failing{background:var(--fail-bg);color:var(--fail)}.badge.quar{background:var(--quar-bg);color:var(--quar)}
.facts{display:grid;grid-template-columns:auto 1fr;gap:3px 12px;margin:0;font-size:.9rem}
.facts dt{color:var(--muted)}
.facts dd{margin:0;min-width:0;overflow-wrap:anywhere}
.facts .warn{color:var(--held);font-weight:600}.facts .bad{color:var(--fail);font-weight:600}
.actions{list-style:none;margin:0;padding:0}
.error{margin:10px 0 0;padding:8px 10px;background:var(--fail-bg);border-radius:6px;font-size:.85rem;
overflow-wrap:anywhere}
.error code,.cmd{font:.8rem/1.4 ui-monospace,"DejaVu Sans Mono",monospace;white-space:pre-wrap;
overflow-wrap:anywhere}
.cmd{display:block;background:var(--idle-bg);padding:6px 8px;border-radius:6px;margin:4px 0}
.held-list{list-style:none;margin:8px 0 0;padding:0;display:grid;gap:8px;
grid-template-columns:repeat(auto-fill,minmax(min(100%,28rem),1fr))}
.held-list li{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--held);
border-radius:10px;padding:8px 12px;min-width:0}
.held-list b{display:block;margin-bottom:4px}
.held-list small{display:block;color:var(--muted);margin-top:6px;font-size:.8rem}
.wrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:10px}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th{text-align:left;color:var(--muted);font-weight:600;background:var(--bg)}
th,td{padding:4px 8px;border-top:1px solid var(--line);vertical-align:top}
tbody tr{border-left:4px solid var(--c,var(--idle-bg))}
td.n{text-align:right;white-space:nowrap}
td b{word-break:break-all}
td small{display:block;color:var(--muted)}
td.r{white-space:nowrap;color:var(--c,var(--idle))}
.list td:nth-child(2){white-space:nowrap;color:var(--c,var(--idle))}
.list td:nth-child(n+4),.list th:nth-child(n+4){text-align:right;white-space:nowrap}
@media (max-width:640px){.w,.list td:nth-child(3),.list th:nth-child(3){display:none}}
.empty{padding:24px;text-align:center;color:var(--muted)}
footer{padding:8px 16px 20px;color:var(--muted);font-size:.8rem;text-align:center}
footer a{color:inherit}
)css";

std::string iso_shown(const std::string& iso, std::size_t keep, bool utc) {
  if (iso.empty()) return "—";
  std::string t = iso.substr(0, std::min(iso.size(), keep));
  if (const auto p = t.find('T'); p != std::string::npos) t[p] = ' ';
  if (!t.empty() && t.back() == 'Z') t.pop_back();
  if (utc) t += " UTC";
  return html_escape(t);
}

}  // namespace

void page_start(std::string& out, std::string_view title, bool refresh) {
  out += "<!DOCTYPE html>\n<html lang=\"";
  out += name(language());
  out +=
      "\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  if (refresh) out += "<meta http-equiv=\"refresh\" content=\"60\">";
  out += "<title>" + html_escape(title) + "</title><style>";
  out += page_css;
  out += "</style></head><body>\n";
}

void page_end(std::string& out, const std::string& generated_at, std::string_view root) {
  const std::string r(root);
  out += "<footer>" + tr("status.footer", "Page made {at}", {{"at", show_time(generated_at)}}) +
         " · <a href=\"" + r + "metrics\">/metrics</a> · <a href=\"" + r +
         "healthz\">/healthz</a></footer></body></html>\n";
}

std::string result_label(std::optional<CycleResult> result) {
  if (!result) return tr("status.result.never", "Never run");
  switch (*result) {
    case CycleResult::ok: return tr("status.result.ok", "Synchronized");
    case CycleResult::unchanged:
      return tr("status.result.unchanged", "Synchronized, no change in the journal");
    case CycleResult::partial: return tr("status.result.partial", "Partly done");
    case CycleResult::held: return tr("status.result.held", "Waiting for approval");
    case CycleResult::source_failure: return tr("status.result.source_failure", "Journal failure");
    case CycleResult::failed: return tr("status.result.failed", "Error");
    case CycleResult::stopped: return tr("status.result.stopped", "Stopped by shutdown");
    case CycleResult::leased: return tr("status.result.leased", "Busy in another process");
  }
  return std::string(mapping::name(*result));
}

std::string result_badge(std::optional<CycleResult> result) {
  std::string out = "<span class=\"badge " + std::string(result_class(result)) + "\">";
  out += result_label(result);
  if (result) out += " <small>" + std::string(mapping::name(*result)) + "</small>";
  return out + "</span>";
}

std::string action_label(std::string_view type) {
  using mapping::ActionType;
  const auto t = mapping::parse_action_type(type);
  if (!t) return html_escape(type);
  switch (*t) {
    case ActionType::create_chat: return tr("status.action.create_chat", "create a chat");
    case ActionType::rename_chat: return tr("status.action.rename_chat", "rename a chat");
    case ActionType::archive_chat: return tr("status.action.archive_chat", "archive a chat");
    case ActionType::add_member: return tr("status.action.add_member", "add a member");
    case ActionType::remove_member: return tr("status.action.remove_member", "remove a member");
    case ActionType::set_admin: return tr("status.action.set_admin", "make an administrator");
    case ActionType::unset_admin:
      return tr("status.action.unset_admin", "take administrator rights away");
    case ActionType::issue_invite: return tr("status.action.issue_invite", "issue an invite link");
    case ActionType::annul_invite: return tr("status.action.annul_invite", "annul an invite link");
    case ActionType::adopt_chat: return tr("status.action.adopt_chat", "take a chat over");
  }
  return html_escape(type);
}

std::string show_time(const std::string& iso) { return iso_shown(iso, iso.size(), true); }

std::string short_time(const std::string& iso) { return iso_shown(iso, 16, false); }

std::string show_duration(double s) {
  if (s < 60) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.1f", s);
    return tr("status.duration.seconds", "{s} s", {{"s", buf.data()}});
  }
  const auto whole = static_cast<long>(s);
  return tr("status.duration.minutes", "{m} min {s} s",
            {{"m", std::to_string(whole / 60)}, {"s", std::to_string(whole % 60)}});
}

std::string active_chats(const std::optional<mapping::SchoolNumbers>& n) {
  if (!n) return "—";
  return tr("status.of", "{n} of {total}",
            {{"n", std::to_string(n->active_chats)}, {"total", std::to_string(n->managed_chats)}});
}

unsigned coverage_percent(const mapping::SchoolNumbers& n) {
  return n.expected == 0 ? 100u
                         : static_cast<unsigned>(std::uint64_t{n.expected_in} * 100 / n.expected);
}

std::string coverage(const std::optional<mapping::SchoolNumbers>& n) {
  if (!n) return "—";
  return tr("status.coverage", "{percent} % ({n} of {total})",
            {{"percent", std::to_string(coverage_percent(*n))},
             {"n", std::to_string(n->expected_in)},
             {"total", std::to_string(n->expected)}});
}

void failure_facts(std::string& out, const SchoolStatus& s, std::size_t error_limit) {
  fact(out, tr("status.fact.failures", "Failures in a row"),
       std::to_string(s.consecutive_failures), s.consecutive_failures ? "bad" : "");
  fact(out, tr("status.fact.quarantine", "Quarantine"),
       s.quarantined ? tr("status.quarantine.yes", "yes: retried rarely")
                     : tr("status.quarantine.no", "no"),
       s.quarantined ? "bad" : "");
  out += "</dl>";
  if (!s.last_error.empty()) {
    out += "<p class=\"error\"><b>" + tr("status.last_error", "Last error:") + "</b> <code>" +
           shown(s.last_error, error_limit) + "</code></p>";
  }
}

void fact(std::string& out, std::string_view term, const std::string& value,
          std::string_view css) {
  out += "<dt>";
  out += term;
  out += "</dt><dd";
  if (!css.empty()) {
    out += " class=\"";
    out += css;
    out += '"';
  }
  out += '>';
  out += value;
  out += "</dd>";
}

std::string shown(std::string_view message, std::size_t limit) {
  std::string t = text(message);
  if (limit && t.size() > limit) {
    std::size_t cut = limit;
    // Not inside a UTF-8 sequence: back up over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    t.resize(cut);
    t += "…";
  }
  return html_escape(t);
}

}  // namespace rosterd::daemon::status_html

namespace rosterd::daemon {

bool school_matches(const SchoolStatus& school, std::string_view query) {
  const auto wanted = mapping::fold_text(query);
  if (wanted.empty()) return true;
  return mapping::fold_text(school.id).find(wanted) != std::string::npos ||
         mapping::fold_text(school.name).find(wanted) != std::string::npos;
}

std::string url_segment(std::string_view text) {
  static constexpr std::string_view hex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 0x80) {
      out += c;
    } else if (c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 0xF];
    }
  }
  return out;
}

std::string shell_word(std::string_view text) {
  const bool safe = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (std::isalnum(u) != 0 && u < 0x80) || std::string_view("-._/:=@+,").find(c) !=
                                                      std::string_view::npos;
  });
  if (safe) return std::string(text);
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace rosterd::daemon
