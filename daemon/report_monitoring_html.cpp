// The weekly monitoring as one page an operator opens in a browser: a table of the schools,
// worst first, each with its coverage as bars and the last weeks' trend as a line. One
// self-contained file: inline CSS and SVG, no scripts, no external assets (it is mailed and
// archived). Compact, since a region has some 2,000 schools: the bars' colours are CSS classes.
#include <ostream>
#include <string>

#include "daemon/i18n.h"
#include "daemon/report_monitoring.h"
#include "daemon/report_output.h"

namespace rosterd::daemon::monitoring {
namespace {

constexpr std::string_view style = R"(<style>
body{font:14px/1.35 system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:20px;margin:0 0 4px}p{margin:0 0 12px;color:#555}
table{border-collapse:collapse;width:100%}
th,td{padding:3px 8px;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:middle}
th{background:#f4f4f4;position:sticky;top:0}
td.n{white-space:nowrap}small{color:#777}
tr.region td{font-weight:600;border-top:2px solid #999}
svg{display:block}svg text{font-size:9px;fill:#333}
.bg{fill:#eee}.lo{fill:#d9534f}.mid{fill:#f0ad4e}.hi{fill:#5cb85c}
.line{fill:none;stroke:#337ab7;stroke-width:1.5}.dot{fill:#337ab7}
</style>)";

// The colour of a bar: below half red, below the whole amber, everybody green.
std::string_view level(std::uint32_t percent) {
  return percent < 50 ? "lo" : percent < 100 ? "mid" : "hi";
}

// Four bars (students, parents, staff, classes covered), each labelled with its share.
void bars(const Figures& f, std::ostream& out) {
  const std::pair<const Share*, std::string> rows[] = {
      {&f.students, tr("report.monitoring.bar.students", "students")},
      {&f.parents, tr("report.monitoring.bar.parents", "parents")},
      {&f.staff, tr("report.monitoring.bar.staff", "staff")},
      {&f.classes, tr("report.monitoring.bar.classes", "classes")}};
  out << R"(<svg width="200" height="44" role="img">)";
  int y = 0;
  for (const auto& [share, label] : rows) {
    const auto p = share->percent();
    out << "<rect class=\"bg\" x=\"60\" y=\"" << y << "\" width=\"100\" height=\"9\"/>"
        << "<rect class=\"" << level(p) << "\" x=\"60\" y=\"" << y << "\" width=\"" << p
        << "\" height=\"9\"><title>" << share->in << " / " << share->total << "</title></rect>"
        << "<text x=\"0\" y=\"" << y + 8 << "\">" << html_escape(label) << "</text>"
        << "<text x=\"164\" y=\"" << y + 8 << "\">" << p << " %</text>";
    y += 11;
  }
  out << "</svg>";
}

// The share of people in their chats, week by week: one point a week the school has numbers.
void trend(const std::vector<Week>& weeks, mapping::Date report_week, std::ostream& out) {
  constexpr int step = 12, height = 30;
  out << "<svg width=\"" << step * static_cast<int>(trend_weeks - 1) + 8 << "\" height=\""
      << height + 4 << "\" role=\"img\"><polyline class=\"line\" points=\"";
  std::string dots;
  for (const auto& w : weeks) {
    const int weeks_back = mapping::days_between(w.week, report_week) / 7;
    const int x = 4 + step * (static_cast<int>(trend_weeks) - 1 - weeks_back);
    const int y = 2 + height - static_cast<int>(w.figures.people().percent()) * height / 100;
    out << x << "," << y << " ";
    dots += "<circle class=\"dot\" cx=\"" + std::to_string(x) + "\" cy=\"" + std::to_string(y) +
            "\" r=\"2\"><title>" + shown(w.week) + ": " +
            std::to_string(w.figures.people().percent()) + " %</title></circle>";
  }
  out << "\"/>" << dots << "</svg>";
}

void row(const Row& r, mapping::Date report_week, std::ostream& out) {
  out << (r.id.empty() ? "<tr class=\"region\">" : "<tr>") << "<td>" << html_escape(r.name);
  if (!r.id.empty() && r.name != r.id) out << "<br><small>" << html_escape(r.id) << "</small>";
  out << "</td>";
  if (!r.now) {
    out << "<td colspan=\"4\">" << html_escape(change_text(r)) << "</td></tr>\n";
    return;
  }
  const Figures& f = r.now->figures;
  out << "<td>";
  bars(f, out);
  out << "</td><td class=\"n\">" << f.class_chats << " / " << f.parents_chats << " / "
      << f.staff_chats << "<br><small>"
      << html_escape(tr("report.monitoring.html.active", "active {active} of {managed}",
                        {{"active", std::to_string(f.active_chats)},
                         {"managed", std::to_string(f.managed_chats)}}))
      << "</small></td><td>";
  trend(r.trend, report_week, out);
  out << "</td><td>" << html_escape(change_text(r)) << "</td></tr>\n";
}

}  // namespace

void write_html(const Report& report, std::ostream& out) {
  const auto title = tr("report.monitoring.title", "Weekly monitoring, week of {week}",
                        {{"week", shown(report.week)}});
  out << "<!DOCTYPE html>\n<html lang=\"" << name(language())
      << "\"><head><meta charset=\"utf-8\"><title>" << html_escape(title) << "</title>" << style
      << "</head><body>\n<h1>" << html_escape(title) << "</h1><p>"
      << html_escape(tr_n("report.monitoring.html.schools", "{n} school, the worst covered first",
                          "{n} schools, the worst covered first",
                          static_cast<long long>(report.schools.size())))
      << "</p>\n<table><thead><tr><th>" << html_escape(tr("report.monitoring.col.school", "School"))
      << "</th><th>" << html_escape(tr("report.monitoring.html.coverage", "In their chats"))
      << "</th><th>"
      << html_escape(tr("report.monitoring.col.chats", "Chats (class/parents/staff)"))
      << "</th><th>"
      << html_escape(tr("report.monitoring.html.trend", "Last {n} weeks",
                        {{"n", std::to_string(trend_weeks)}}))
      << "</th><th>" << html_escape(tr("report.monitoring.col.change", "Since the week before"))
      << "</th></tr></thead><tbody>\n";
  row(report.region, report.week, out);
  for (const auto& school : report.schools) row(school, report.week, out);
  out << "</tbody></table></body></html>\n";
}

}  // namespace rosterd::daemon::monitoring
