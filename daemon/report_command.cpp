#include "daemon/report_command.h"

namespace rosterd::daemon {

std::string_view name(ReportFormat format) noexcept {
  switch (format) {
    case ReportFormat::text: return "text";
    case ReportFormat::csv: return "csv";
    case ReportFormat::json: return "json";
    case ReportFormat::html: return "html";
  }
  return "text";
}

const std::vector<ReportKind>& report_kinds() {
  using enum ReportFormat;
  static const std::vector<ReportKind> kinds{
      {"monitoring", {text, csv, json, html}, write_monitoring_report},
      {"invites", {html, csv, text}, write_invites_report},
      {"history", {text, csv, json}, write_history_report},
  };
  return kinds;
}

}  // namespace rosterd::daemon
