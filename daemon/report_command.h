#pragma once
// `rosterd report KIND`: what the people around a school read and print, from the store (what
// rosterd applied and saw) and the journal (names): the weekly monitoring, the invite
// hand-outs, the history of what rosterd did. Each kind lives in its own file
// (report_monitoring.cpp, report_invites.cpp, report_history.cpp); this one only dispatches.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/config.h"
#include "mapping/date.h"

namespace rosterd::daemon {

enum class ReportFormat { text, csv, json, html };
[[nodiscard]] std::string_view name(ReportFormat format) noexcept;

struct ReportRequest {
  const Config* config = nullptr;
  std::vector<const SchoolConfig*> schools;  // --school, or every school of the config
  ReportFormat format = ReportFormat::text;
  mapping::Date today;
  std::string person;  // history: only this person (--person)
  std::string chat;    // history: only this chat key (--chat)
};

// One kind: writes the report, returns the exit code (0 written, 1 failed; errors go to err,
// naming the school or the key).
using ReportWriter = int (*)(const ReportRequest& request, std::ostream& out, std::ostream& err);

struct ReportKind {
  std::string_view name;
  std::vector<ReportFormat> formats;  // the first is the default
  ReportWriter write = nullptr;
};

// The kinds `rosterd report` knows, in the order its help lists them.
[[nodiscard]] const std::vector<ReportKind>& report_kinds();

// Each kind's writer (one file each).
int write_monitoring_report(const ReportRequest& request, std::ostream& out, std::ostream& err);
int write_invites_report(const ReportRequest& request, std::ostream& out, std::ostream& err);
int write_history_report(const ReportRequest& request, std::ostream& out, std::ostream& err);

}  // namespace rosterd::daemon
