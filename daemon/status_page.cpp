// The status page: one self-contained HTML5 document (inline CSS, no scripts, no external
// assets: the page is read on the school's own network and on phones). UI text is Russian,
// for the school administrators; ids and result codes stay as the logs and metrics spell them.
#include "daemon/status_page.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>

namespace rosterd::daemon {

using mapping::CycleResult;

namespace {

constexpr std::string_view page_css = R"css(
:root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--bg:#f6f8fa;--card:#fff;--line:#d1d9e0;
--ok:#1a7f37;--ok-bg:#dafbe1;--held:#9a6700;--held-bg:#fff8c5;--fail:#cf222e;--fail-bg:#ffebe9;
--idle:#59636e;--idle-bg:#eff2f5;--quar:#8250df;--quar-bg:#fbefff}
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:var(--fg);background:var(--bg)}
.top{background:#24292f;color:#fff;padding:12px 12px 14px}
.top h1{margin:0;font-size:1.25rem}
.top p{margin:2px 0 0;color:#d1d9e0;font-size:.85rem}
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
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,21rem),1fr));gap:12px;
padding:12px;max-width:1400px;margin:0 auto}
.school{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--idle);
border-radius:10px;padding:12px 14px;min-width:0}
.school.ok{border-left-color:var(--ok)}.school.held,.school.partial{border-left-color:var(--held)}
.school.failing{border-left-color:var(--fail)}
.school h2{margin:0;font-size:1.1rem;word-break:break-all}
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
.error code{font:.8rem/1.4 ui-monospace,"DejaVu Sans Mono",monospace;white-space:pre-wrap}
.empty{padding:24px;text-align:center;color:var(--muted)}
footer{padding:8px 16px 20px;color:var(--muted);font-size:.8rem;text-align:center}
footer a{color:inherit}
)css";

struct ResultView {
  std::string_view css_class;
  std::string_view label;
};

ResultView view_of(std::optional<CycleResult> result) {
  const auto css = result_class(result);
  if (!result) return {css, "Ещё не запускалась"};
  switch (*result) {
    case CycleResult::ok: return {css, "Синхронизировано"};
    case CycleResult::partial: return {css, "Частично"};
    case CycleResult::held: return {css, "Ждёт одобрения"};
    case CycleResult::source_failure: return {css, "Сбой журнала"};
    case CycleResult::failed: return {css, "Ошибка"};
    case CycleResult::stopped: return {css, "Прервано остановкой"};
    case CycleResult::leased: return {css, "Занята другим процессом"};
  }
  return {css, "Неизвестно"};
}

std::string_view action_label(std::string_view type) {
  static const std::map<std::string_view, std::string_view> labels = {
      {"create_chat", "создать чат"},
      {"rename_chat", "переименовать чат"},
      {"archive_chat", "архивировать чат"},
      {"add_member", "добавить участника"},
      {"remove_member", "удалить участника"},
      {"set_admin", "назначить администратора"},
      {"unset_admin", "снять администратора"},
      {"issue_invite", "выдать приглашение"},
      {"annul_invite", "аннулировать приглашение"},
  };
  const auto it = labels.find(type);
  return it == labels.end() ? type : it->second;
}

// Most urgent first: an operator with hundreds of schools reads the top of the page.
int urgency(const SchoolStatus& s) {
  const auto c = result_class(s.last_result);
  if (s.quarantined) return 0;
  if (c == "failing") return 1;
  if (c == "held" || c == "partial") return 2;
  if (c == "stopped") return 3;
  if (c == "never") return 4;
  return 5;
}

// "2026-11-20T12:00:05Z" → "2026-11-20 12:00:05 UTC"; empty → a dash.
std::string show_time(const std::string& iso) {
  if (iso.empty()) return "—";
  std::string t = iso;
  if (const auto p = t.find('T'); p != std::string::npos) t[p] = ' ';
  if (!t.empty() && t.back() == 'Z') t.replace(t.size() - 1, 1, " UTC");
  return html_escape(t);
}

std::string show_duration(double s) {
  std::array<char, 48> buf{};
  if (s < 60) {
    std::snprintf(buf.data(), buf.size(), "%.1f с", s);
  } else {
    const auto whole = static_cast<long>(s);
    std::snprintf(buf.data(), buf.size(), "%ld мин %ld с", whole / 60, whole % 60);
  }
  return buf.data();
}

void fact(std::string& out, std::string_view term, const std::string& value,
          std::string_view css = {}) {
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

std::string actions_list(const SchoolStatus& s) {
  if (s.last_actions.empty()) return s.last_result ? "нет изменений" : "—";
  std::string out = "<ul class=\"actions\">";
  for (const auto& [type, n] : s.last_actions) {
    out += "<li>" + html_escape(action_label(type)) + ": <b>" + std::to_string(n) + "</b></li>";
  }
  return out + "</ul>";
}

// "5 из 12"; "—" before the first look at the platform.
std::string active_chats(const SchoolStatus& s) {
  if (!s.numbers) return "—";
  return std::to_string(s.numbers->active_chats) + " из " +
         std::to_string(s.numbers->managed_chats);
}

// "86 % (130 из 150)": whole percents rounded down, so that 100 % means everybody is in.
std::string coverage(const SchoolStatus& s) {
  if (!s.numbers) return "—";
  const auto& n = *s.numbers;
  const auto percent = n.expected == 0 ? 100 : std::uint64_t{n.expected_in} * 100 / n.expected;
  return std::to_string(percent) + " % (" + std::to_string(n.expected_in) + " из " +
         std::to_string(n.expected) + ")";
}

void school_card(std::string& out, const SchoolStatus& s) {
  const auto v = view_of(s.last_result);
  out += "<article class=\"school " + std::string(v.css_class) + "\" data-school=\"" +
         html_escape(s.id) + "\">";
  out += "<div class=\"head\"><h2>" + html_escape(s.id) + "</h2><div class=\"badges\">";
  out += "<span class=\"badge " + std::string(v.css_class) + "\">" + std::string(v.label);
  if (s.last_result) out += " <small>" + std::string(mapping::name(*s.last_result)) + "</small>";
  out += "</span>";
  if (s.quarantined) out += "<span class=\"badge quar\">Карантин</span>";
  out += "</div></div>";
  out += "<p class=\"name\">" + (s.name.empty() ? std::string("&nbsp;") : html_escape(s.name)) +
         "</p><dl class=\"facts\">";
  std::string run = show_time(s.last_run_at);
  if (!s.last_run_at.empty()) run += " (" + show_duration(s.last_duration_s) + ")";
  fact(out, "Последний запуск", run);
  fact(out, "Последний успех", show_time(s.last_success_at));
  fact(out, "Следующий запуск", show_time(s.next_run_at));
  fact(out, "Активные чаты", active_chats(s));
  fact(out, "В чатах", coverage(s));
  fact(out, "Действия", actions_list(s));
  fact(out, "Удержано", std::to_string(s.held), s.held ? "warn" : "");
  fact(out, "Ошибок подряд", std::to_string(s.consecutive_failures),
       s.consecutive_failures ? "bad" : "");
  fact(out, "Карантин", s.quarantined ? "да — повтор редко" : "нет", s.quarantined ? "bad" : "");
  out += "</dl>";
  if (!s.last_error.empty()) {
    out += "<p class=\"error\"><b>Последняя ошибка:</b> <code>" + html_escape(s.last_error) +
           "</code></p>";
  }
  out += "</article>\n";
}

void header(std::string& out, const StatusPageData& d) {
  std::map<std::string_view, std::size_t> by_class;
  std::size_t quarantined = 0;
  for (const auto& s : d.schools) {
    ++by_class[result_class(s.last_result)];
    quarantined += s.quarantined ? 1 : 0;
  }
  out +=
      "<header class=\"top\"><h1>rosterd</h1>"
      "<p>Синхронизация чатов школ с электронным журналом</p><dl class=\"totals\">";
  const auto total = [&](std::string_view css, std::string_view term, std::size_t n) {
    out += "<div class=\"" + std::string(css) + "\"><dt>" + std::string(term) + "</dt><dd>" +
           std::to_string(n) + "</dd></div>";
  };
  total("t-all", "школ", d.schools.size());
  total("t-ok", "в порядке", by_class["ok"]);
  total("t-held", "ждут одобрения", by_class["held"]);
  total("t-failing", "с ошибкой", by_class["failing"]);
  total("t-quar", "в карантине", quarantined);
  out += "</dl>";
  if (d.reload_at.empty()) {
    out += "<p class=\"reload\">Конфигурация: загружена при запуске, перезагрузок не было</p>";
  } else if (d.reload_ok) {
    out += "<p class=\"reload ok\">Перезагрузка конфигурации " + show_time(d.reload_at) +
           ": успешно</p>";
  } else {
    out += "<p class=\"reload bad\">Перезагрузка конфигурации " + show_time(d.reload_at) +
           " не удалась, действует прежняя: <code>" + html_escape(d.reload_error) + "</code></p>";
  }
  out += "</header>\n";
}

}  // namespace

std::string_view result_class(std::optional<CycleResult> result) noexcept {
  if (!result) return "never";
  switch (*result) {
    case CycleResult::failed:
    case CycleResult::source_failure: return "failing";
    case CycleResult::held: return "held";
    case CycleResult::partial: return "partial";
    case CycleResult::ok: return "ok";
    case CycleResult::stopped:
    case CycleResult::leased: return "stopped";
  }
  return "stopped";
}

std::string render_status_page(const StatusPageData& data) {
  std::vector<const SchoolStatus*> order;
  for (const auto& s : data.schools) order.push_back(&s);
  std::stable_sort(order.begin(), order.end(), [](const SchoolStatus* a, const SchoolStatus* b) {
    return urgency(*a) < urgency(*b);
  });
  std::string out;
  out.reserve(4096 + data.schools.size() * 1500);
  out +=
      "<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta http-equiv=\"refresh\" content=\"60\">"
      "<title>rosterd — состояние</title><style>";
  out += page_css;
  out += "</style></head><body>\n";
  header(out, data);
  out += "<main>\n";
  if (order.empty()) out += "<p class=\"empty\">Школы не настроены</p>";
  for (const SchoolStatus* s : order) school_card(out, *s);
  out += "</main><footer>Страница создана " + show_time(data.generated_at) +
         " · обновляется каждую минуту · <a href=\"metrics\">/metrics</a> · "
         "<a href=\"healthz\">/healthz</a></footer></body></html>\n";
  return out;
}

}  // namespace rosterd::daemon
