// `rosterd report monitoring`: the weekly monitoring the regional operator sends, per school and
// for the region, from the store's weekly rows (docs/reports.md).
#include "daemon/report_monitoring.h"

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>
#include <tuple>

#include "daemon/i18n.h"
#include "daemon/report_command.h"
#include "daemon/report_output.h"
#include "daemon/wiring.h"
#include "mapping/text.h"

namespace rosterd::daemon {
namespace monitoring {

using mapping::ChatKind;

Figures figures(const mapping::SchoolNumbers& n) {
  Figures f;
  f.day = n.day.value_or(mapping::Date{});
  f.class_chats = n.kind(ChatKind::class_chat).chats;
  f.parents_chats = n.kind(ChatKind::parents).chats;
  f.association_chats = n.kind(ChatKind::association).chats;
  f.staff_chats = n.kind(ChatKind::staff).chats;
  f.managed_chats = n.managed_chats;
  f.active_chats = n.active_chats;
  f.classes = {n.classes, n.classes_covered};
  const auto share = [&](ChatKind k) { return Share{n.kind(k).people, n.kind(k).people_in}; };
  f.students = share(ChatKind::class_chat);
  f.parents = share(ChatKind::parents);
  f.staff = share(ChatKind::staff);
  return f;
}

void add(Figures& into, const Figures& more) {
  into.day = std::max(into.day, more.day);
  into.class_chats += more.class_chats;
  into.parents_chats += more.parents_chats;
  into.association_chats += more.association_chats;
  into.staff_chats += more.staff_chats;
  into.managed_chats += more.managed_chats;
  into.active_chats += more.active_chats;
  for (Share Figures::*share :
       {&Figures::classes, &Figures::students, &Figures::parents, &Figures::staff}) {
    (into.*share).total += (more.*share).total;
    (into.*share).in += (more.*share).in;
  }
}

std::string shown(mapping::Date day) {
  if (language() == Language::en) return day.iso();
  const auto iso = day.iso();  // YYYY-MM-DD
  return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

namespace {

std::string signed_number(long long n) {
  return (n > 0 ? "+" : "") + std::to_string(n);
}

}  // namespace

std::string change_text(const Row& row) {
  if (!row.now) return tr("report.monitoring.no_data", "no data");
  if (!row.before) return tr("report.monitoring.no_week_before", "no week before to compare");
  const Figures& a = row.before->figures;
  const Figures& b = row.now->figures;
  std::vector<std::string> parts;
  const auto delta = [](std::uint32_t from, std::uint32_t to) {
    return static_cast<long long>(to) - static_cast<long long>(from);
  };
  if (const auto d = delta(a.managed_chats, b.managed_chats))
    parts.push_back(tr("report.monitoring.change.chats", "chats {d}", {{"d", signed_number(d)}}));
  if (const auto d = delta(a.active_chats, b.active_chats))
    parts.push_back(tr("report.monitoring.change.active", "active {d}", {{"d", signed_number(d)}}));
  if (const auto d = delta(a.classes.in, b.classes.in))
    parts.push_back(
        tr("report.monitoring.change.classes", "classes covered {d}", {{"d", signed_number(d)}}));
  if (const auto d = delta(a.students.in, b.students.in))
    parts.push_back(
        tr("report.monitoring.change.students", "students in {d}", {{"d", signed_number(d)}}));
  if (const auto d = delta(a.parents.in, b.parents.in))
    parts.push_back(
        tr("report.monitoring.change.parents", "parents in {d}", {{"d", signed_number(d)}}));
  if (const auto d = delta(a.staff.in, b.staff.in))
    parts.push_back(
        tr("report.monitoring.change.staff", "staff in {d}", {{"d", signed_number(d)}}));
  if (parts.empty()) return tr("report.monitoring.no_change", "no change");
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace monitoring

namespace {

using namespace monitoring;
using json = nlohmann::ordered_json;

// A school's row from its weekly rows (the latest first): the report's week and the ones
// before it; weeks after the report's (`--today` in the past) are left out.
Row school_row(const SchoolConfig& school, const std::vector<mapping::WeekNumbers>& weeks,
               mapping::Date report_week) {
  Row row{school.id, school.id, std::nullopt, std::nullopt, {}};
  const auto first_week = report_week.plus_days(-7 * static_cast<int>(trend_weeks - 1));
  for (const auto& w : weeks) {
    if (w.week > report_week) continue;
    Week week{w.week, figures(w.numbers)};
    if (!row.now) {
      row.now = week;
      if (!w.numbers.name.empty()) row.name = w.numbers.name;
    } else if (!row.before && w.week == row.now->week.plus_days(-7)) {
      row.before = week;
    }
    if (w.week >= first_week) row.trend.push_back(week);
  }
  std::ranges::reverse(row.trend);
  return row;
}

// The region: every school's latest week, the week before, and each week of the trend summed.
Row region_row(const std::vector<Row>& schools, mapping::Date report_week) {
  Row region{"", tr("report.monitoring.region", "Region"), std::nullopt, std::nullopt, {}};
  std::map<mapping::Date, Figures> trend;
  for (const auto& s : schools) {
    if (s.now) {
      if (!region.now) region.now = Week{report_week, {}};
      add(region.now->figures, s.now->figures);
    }
    if (s.before) {
      if (!region.before) region.before = Week{report_week.plus_days(-7), {}};
      add(region.before->figures, s.before->figures);
    }
    for (const auto& w : s.trend) add(trend[w.week], w.figures);
  }
  for (const auto& [week, f] : trend) region.trend.push_back({week, f});
  return region;
}

// Worst first: schools without numbers, then by the share of people in their chats, then by
// classes covered, then by name.
bool worse(const Row& a, const Row& b) {
  const auto key = [](const Row& r) {
    const double people = r.now ? r.now->figures.people().in * 1.0 /
                                      std::max<std::uint32_t>(1, r.now->figures.people().total)
                                : -1;
    const double classes = r.now ? r.now->figures.classes.percent() : -1;
    return std::tuple{r.now.has_value(), people, classes};
  };
  if (key(a) != key(b)) return key(a) < key(b);
  return mapping::natural_less(a.name, b.name);
}

Report gather(const ReportRequest& request, mapping::StateStore& store) {
  Report report;
  report.week = mapping::week_start(request.today);
  // Far enough back for a report of an earlier week (`--today`): ten years of weeks.
  constexpr std::size_t kept_weeks = 520;
  for (const SchoolConfig* school : request.schools) {
    report.schools.push_back(school_row(*school, store.weeks(school->id, kept_weeks), report.week));
  }
  std::ranges::sort(report.schools, worse);
  report.region = region_row(report.schools, report.week);
  return report;
}

std::string percent(const Share& s) {
  return std::to_string(s.percent()) + " %";
}
std::string of(const Share& s) {
  return tr("report.monitoring.of", "{in} of {total}",
            {{"in", std::to_string(s.in)}, {"total", std::to_string(s.total)}});
}

std::vector<std::string> text_cells(const Row& row) {
  if (!row.now) return {row.name, "—", "—", "—", "—", "—", "—", change_text(row)};
  const Figures& f = row.now->figures;
  return {row.name,
          std::to_string(f.class_chats) + "/" + std::to_string(f.parents_chats) + "/" +
              std::to_string(f.staff_chats) +
              (f.association_chats ? " +" + std::to_string(f.association_chats) : ""),
          of({f.managed_chats, f.active_chats}),
          of(f.classes) + " (" + percent(f.classes) + ")",
          percent(f.students),
          percent(f.parents),
          percent(f.staff),
          change_text(row)};
}

// Characters as a terminal counts them: UTF-8 code points.
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(std::ranges::count_if(
      s, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void write_text(const Report& report, std::ostream& out) {
  out << tr("report.monitoring.title", "Weekly monitoring, week of {week}",
            {{"week", shown(report.week)}})
      << "\n\n";
  std::vector<std::vector<std::string>> table;
  table.push_back({tr("report.monitoring.col.school", "School"),
                   tr("report.monitoring.col.chats", "Chats (class/parents/staff)"),
                   tr("report.monitoring.col.active", "Active (>3)"),
                   tr("report.monitoring.col.classes", "Classes covered"),
                   tr("report.monitoring.col.students", "Students"),
                   tr("report.monitoring.col.parents", "Parents"),
                   tr("report.monitoring.col.staff", "Staff"),
                   tr("report.monitoring.col.change", "Since the week before")});
  for (const auto& row : report.schools) table.push_back(text_cells(row));
  table.push_back(text_cells(report.region));
  std::vector<std::size_t> widths(table.front().size(), 0);
  for (const auto& cells : table) {
    for (std::size_t i = 0; i < cells.size(); ++i) widths[i] = std::max(widths[i], width(cells[i]));
  }
  for (std::size_t r = 0; r < table.size(); ++r) {
    if (r + 1 == table.size()) out << "\n";  // the region's total stands apart
    for (std::size_t i = 0; i < table[r].size(); ++i) {
      out << table[r][i];
      if (i + 1 < table[r].size()) out << std::string(widths[i] - width(table[r][i]) + 2, ' ');
    }
    out << "\n";
  }
}

void csv_row(CsvWriter& csv, const Row& row, mapping::Date report_week) {
  csv.cell(row.id.empty() ? "*" : row.id);
  csv.cell(row.name);
  csv.cell(report_week.iso());
  if (!row.now) {
    csv.end_row();
    return;
  }
  const Figures& f = row.now->figures;
  csv.cell(f.day.iso());
  for (const auto n : {f.class_chats, f.parents_chats, f.association_chats, f.staff_chats,
                       f.managed_chats, f.active_chats})
    csv.cell(std::to_string(n));
  for (const Share* s : {&f.classes, &f.students, &f.parents, &f.staff}) {
    csv.cell(std::to_string(s->total));
    csv.cell(std::to_string(s->in));
    csv.cell(std::to_string(s->percent()));
  }
  csv.cell(change_text(row));
  csv.end_row();
}

void write_csv(const Report& report, std::ostream& out) {
  CsvWriter csv(out);
  for (const auto& title : {tr("report.monitoring.csv.id", "School id"),
                            tr("report.monitoring.col.school", "School"),
                            tr("report.monitoring.csv.week", "Week"),
                            tr("report.monitoring.csv.as_of", "As of"),
                            tr("report.monitoring.csv.class_chats", "Class chats"),
                            tr("report.monitoring.csv.parents_chats", "Parents' chats"),
                            tr("report.monitoring.csv.association_chats", "Association chats"),
                            tr("report.monitoring.csv.staff_chats", "Staff chats"),
                            tr("report.monitoring.csv.managed", "Chats in all"),
                            tr("report.monitoring.csv.active", "Active chats (>3)"),
                            tr("report.monitoring.csv.classes", "Classes"),
                            tr("report.monitoring.csv.classes_in", "Classes covered"),
                            tr("report.monitoring.csv.classes_pct", "Classes covered, %"),
                            tr("report.monitoring.csv.students", "Students"),
                            tr("report.monitoring.csv.students_in", "Students in chats"),
                            tr("report.monitoring.csv.students_pct", "Students in chats, %"),
                            tr("report.monitoring.csv.parents", "Parents"),
                            tr("report.monitoring.csv.parents_in", "Parents in chats"),
                            tr("report.monitoring.csv.parents_pct", "Parents in chats, %"),
                            tr("report.monitoring.csv.staff", "Staff"),
                            tr("report.monitoring.csv.staff_in", "Staff in chats"),
                            tr("report.monitoring.csv.staff_pct", "Staff in chats, %"),
                            tr("report.monitoring.col.change", "Since the week before")})
    csv.cell(title);
  csv.end_row();
  for (const auto& row : report.schools) csv_row(csv, row, report.week);
  csv_row(csv, report.region, report.week);
}

json share_json(const Share& s) {
  return {{"total", s.total}, {"in", s.in}, {"percent", s.percent()}};
}

json figures_json(const Figures& f) {
  return {{"as_of", f.day.iso()},
          {"chats",
           {{"class", f.class_chats},
            {"parents", f.parents_chats},
            {"association", f.association_chats},
            {"staff", f.staff_chats},
            {"managed", f.managed_chats},
            {"active", f.active_chats}}},
          {"classes", share_json(f.classes)},
          {"students", share_json(f.students)},
          {"parents", share_json(f.parents)},
          {"staff", share_json(f.staff)}};
}

json row_json(const Row& row) {
  json out = json::object();
  if (!row.id.empty()) out["id"] = row.id;
  out["name"] = row.name;
  out["now"] = row.now ? figures_json(row.now->figures) : json();
  out["week_before"] = row.before ? figures_json(row.before->figures) : json();
  out["change"] = change_text(row);
  json trend = json::array();
  for (const auto& w : row.trend) {
    trend.push_back({{"week", w.week.iso()},
                     {"people_percent", w.figures.people().percent()},
                     {"classes_percent", w.figures.classes.percent()}});
  }
  out["trend"] = std::move(trend);
  return out;
}

void write_json(const Report& report, std::ostream& out) {
  json schools = json::array();
  for (const auto& row : report.schools) schools.push_back(row_json(row));
  out << json{{"report", "monitoring"},
              {"week", report.week.iso()},
              {"schools", std::move(schools)},
              {"region", row_json(report.region)}}
             .dump(2)
      << "\n";
}

}  // namespace

int write_monitoring_report(const ReportRequest& request, std::ostream& out, std::ostream& err) {
  std::unique_ptr<mapping::StateStore> store;
  Report report;
  try {
    store = open_store(*request.config);
    report = gather(request, *store);
  } catch (const std::exception& e) {
    err << "rosterd: report monitoring: " << mapping::printable_lines(e.what()) << "\n";
    return 1;
  }
  switch (request.format) {
    case ReportFormat::text: write_text(report, out); break;
    case ReportFormat::csv: write_csv(report, out); break;
    case ReportFormat::json: write_json(report, out); break;
    case ReportFormat::html: write_html(report, out); break;
  }
  return 0;
}

}  // namespace rosterd::daemon
