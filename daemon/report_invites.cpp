// `rosterd report invites`: the class teacher's hand-out. Per class, the chat's current member
// link (as text and as a QR code), when it was issued and when it will be replaced, and the
// families still missing. Who is missing is what the plan would invite (planned from the
// journal and the store, no platform call); the links are those the store says are live. Each
// report records what it handed out, so the next one marks a link replaced since.
#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon/i18n.h"
#include "daemon/planner.h"
#include "daemon/qr_svg.h"
#include "daemon/report_command.h"
#include "daemon/report_output.h"
#include "daemon/wiring.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

using mapping::ChatKind;
using mapping::Date;

constexpr double qr_size_mm = 45;  // scans from a phone held at arm's length over a desk

struct Missing {
  std::string name;
  std::vector<std::string> children;  // parents: the children of this class
};

struct InviteChat {
  std::string key;
  ChatKind kind = ChatKind::class_chat;
  std::string title;
  std::string link;  // empty: the next sync issues one
  std::optional<Date> issued_on;
  std::optional<Date> replaced_on;  // issued_on + the school's invite_ttl_days
  bool replaced = false;            // a hand-out printed another link before this one
  std::vector<Missing> missing;
};

struct ClassInvites {
  std::string group;              // "5А"
  std::vector<InviteChat> chats;  // parents' chat first
};

struct SchoolInvites {
  std::string id;
  std::string name;
  std::vector<ClassInvites> classes;  // in natural order
  std::vector<std::string> replaced;  // classes whose link changed since the last hand-out
};

// Dates as the reader writes them: 16.11.2026 in Russian, ISO in English.
std::string shown(Date day) {
  if (language() == Language::en) return day.iso();
  const auto two = [](unsigned n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  return two(day.day()) + "." + two(day.month()) + "." + std::to_string(day.year());
}

std::optional<ChatKind> kind_of(const std::string& key) {
  return mapping::parse_chat_kind(std::string_view(key).substr(0, key.find(':')));
}

int chat_order(ChatKind kind) { return kind == ChatKind::parents ? 0 : 1; }

InviteChat invite_chat(const SchoolPlan& plan, const mapping::InviteList& list, ChatKind kind,
                       int ttl_days, const std::map<std::string, mapping::HandOut>& handed) {
  InviteChat chat{list.chat_key, kind, plan.chat_title(list.chat_key), {}, {}, {}, false, {}};
  const std::pair<std::string, mapping::MemberRole> id{list.chat_key, list.role};
  if (const auto link = plan.invite_links.find(id); link != plan.invite_links.end()) {
    chat.link = link->second;
    if (const auto on = plan.invite_issued_on.find(id); on != plan.invite_issued_on.end()) {
      chat.issued_on = on->second;
      chat.replaced_on = on->second.plus_days(ttl_days);
    }
    const auto was = handed.find(list.chat_key);
    chat.replaced = was != handed.end() && was->second.link != chat.link;
  }
  for (const auto person : list.person_ids) {
    const std::string pid(person);
    auto name = plan.person_name(pid);
    Missing m{name.empty() ? mapping::quote_id(pid) : std::move(name), {}};
    if (const auto c = plan.invitee_children.find({list.chat_key, pid});
        c != plan.invitee_children.end()) {
      m.children = c->second;
    }
    chat.missing.push_back(std::move(m));
  }
  std::sort(chat.missing.begin(), chat.missing.end(), [](const Missing& a, const Missing& b) {
    return mapping::natural_less(a.name, b.name);
  });
  return chat;
}

// The families' chats of each group with somebody to invite. Leaders' (admin) links are never
// on a hand-out: they make whoever follows them an administrator. The staff chat is the
// director's business, not a class teacher's.
SchoolInvites gather(const Config& config, const SchoolConfig& school,
                     mapping::StateStore& store, Date today) {
  PlanRequest request;
  request.school = school.id;
  request.today = today;
  const auto run = plan_schools(config, request);
  const SchoolPlan& plan = run.schools.front();
  if (plan.failed()) throw std::runtime_error(plan.error);
  std::map<std::string, mapping::HandOut> handed;
  for (auto& h : store.hand_outs(school.id)) {
    if (h.role == mapping::MemberRole::member) handed.emplace(h.chat_key, std::move(h));
  }
  std::map<std::string, ClassInvites> by_group;  // by group id
  for (const auto& list : plan.plan->invites) {
    const auto kind = kind_of(list.chat_key);
    if (list.role != mapping::MemberRole::member || !kind || *kind == ChatKind::staff) continue;
    auto& group = by_group[list.chat_key.substr(list.chat_key.find(':') + 1)];
    if (const auto* g = plan.chat_group(list.chat_key)) group.group = g->name;
    group.chats.push_back(invite_chat(plan, list, *kind, school.policy.invite_ttl_days, handed));
  }
  SchoolInvites out{school.id, plan.org_name, {}, {}};
  for (auto& [id, group] : by_group) {
    std::stable_sort(group.chats.begin(), group.chats.end(),
                     [](const auto& a, const auto& b) { return chat_order(a.kind) < chat_order(b.kind); });
    out.classes.push_back(std::move(group));
  }
  std::stable_sort(out.classes.begin(), out.classes.end(), [](const auto& a, const auto& b) {
    return mapping::natural_less(a.group, b.group);
  });
  for (const auto& c : out.classes) {
    if (std::any_of(c.chats.begin(), c.chats.end(), [](const auto& ch) { return ch.replaced; }))
      out.replaced.push_back(c.group);
  }
  return out;
}

std::string who_missing(ChatKind kind) {
  return kind == ChatKind::parents ? tr("report.invites.who.parent", "parent")
                                   : tr("report.invites.who.student", "student");
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string replaced_note(const InviteChat& chat) {
  return tr("report.invites.replaced", "Link replaced on {date}: hand out the new one",
            {{"date", chat.issued_on ? shown(*chat.issued_on) : std::string{}}});
}

std::string dates_line(const InviteChat& chat) {
  if (chat.link.empty()) {
    return tr("report.invites.pending",
              "The link is issued at the next sync: print this page after it");
  }
  return tr("report.invites.dates", "Link issued on {issued}, replaced on {replaced}",
            {{"issued", chat.issued_on ? shown(*chat.issued_on) : "?"},
             {"replaced", chat.replaced_on ? shown(*chat.replaced_on) : "?"}});
}

std::string school_heading(const SchoolInvites& school, Date today) {
  return tr("report.invites.title", "Invitations to the chats of {school} on {date}",
            {{"school", school.name.empty() ? school.id : school.name}, {"date", shown(today)}});
}

std::string replaced_summary(const SchoolInvites& school) {
  if (school.replaced.empty()) {
    return tr("report.invites.none_replaced", "No link was replaced since the last hand-out");
  }
  return tr("report.invites.replaced_classes",
            "Links replaced since the last hand-out (hand out the new ones): {classes}",
            {{"classes", joined(school.replaced)}});
}

// ---- text ----------------------------------------------------------------------------------

void write_text(const std::vector<SchoolInvites>& schools, Date today, std::ostream& out) {
  for (const auto& school : schools) {
    out << mapping::printable(school_heading(school, today)) << '\n'
        << mapping::printable(replaced_summary(school)) << '\n';
    for (const auto& c : school.classes) {
      out << '\n' << mapping::printable(c.group) << '\n';
      for (const auto& chat : c.chats) {
        out << "  " << mapping::printable(chat.title) << '\n';
        if (chat.replaced) out << "  ! " << mapping::printable(replaced_note(chat)) << '\n';
        if (!chat.link.empty()) out << "  " << mapping::printable(chat.link) << '\n';
        out << "  " << mapping::printable(dates_line(chat)) << '\n';
        for (const auto& m : chat.missing) {
          out << "    " << mapping::printable(m.name);
          if (!m.children.empty()) out << " — " << mapping::printable(joined(m.children));
          out << '\n';
        }
      }
    }
  }
}

// ---- CSV -----------------------------------------------------------------------------------

void write_csv(const std::vector<SchoolInvites>& schools, std::ostream& out) {
  CsvWriter csv(out);
  csv.row({tr("report.invites.col.school", "School"), tr("report.invites.col.class", "Class"),
           tr("report.invites.col.chat", "Chat"), tr("report.invites.col.link", "Link"),
           tr("report.invites.col.issued", "Issued on"),
           tr("report.invites.col.replaced_on", "Replaced on"),
           tr("report.invites.col.link_replaced", "Replaced since the last hand-out"),
           tr("report.invites.col.who", "Who"), tr("report.invites.col.name", "Name"),
           tr("report.invites.col.children", "Child")});
  const std::string yes = tr("report.invites.yes", "yes");
  for (const auto& school : schools) {
    for (const auto& c : school.classes) {
      for (const auto& chat : c.chats) {
        const auto issued = chat.issued_on ? chat.issued_on->iso() : std::string{};
        const auto until = chat.replaced_on ? chat.replaced_on->iso() : std::string{};
        for (const auto& m : chat.missing) {
          csv.row({school.name, c.group, chat.title, chat.link, issued, until,
                   chat.replaced ? yes : std::string{}, who_missing(chat.kind), m.name,
                   joined(m.children)});
        }
      }
    }
  }
}

// ---- HTML ----------------------------------------------------------------------------------

constexpr std::string_view page_style = R"(
@page { size: A4; margin: 14mm 16mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 11pt;
       color: #000; background: #fff; margin: 0; }
.page { break-before: page; page-break-before: always; }
.cover { break-before: auto; page-break-before: auto; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; }
.chat { break-inside: avoid-page; }
.qr { float: right; margin: 0 0 3mm 4mm; }
.qr svg { display: block; }
.link { font-family: "DejaVu Sans Mono", monospace; font-size: 12pt; word-break: break-all; }
.replaced { border: 0.6mm solid #000; padding: 2mm 3mm; font-weight: bold; margin: 2mm 0; }
.dates { color: #333; }
table { border-collapse: collapse; width: 100%; clear: both; margin-top: 2mm; }
th, td { border: 0.2mm solid #777; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
@media screen { .page { border-top: 1px dashed #999; margin-top: 8mm; padding-top: 4mm; } }
)";

void write_chat_html(const InviteChat& chat, std::ostream& out) {
  out << "<div class=\"chat\"><h2>" << html_escape(chat.title) << "</h2>\n";
  if (chat.replaced) out << "<p class=\"replaced\">" << html_escape(replaced_note(chat)) << "</p>\n";
  if (!chat.link.empty()) {
    out << "<div class=\"qr\">" << qr_svg(chat.link, qr_size_mm) << "</div>\n"
        << "<p class=\"link\">" << html_escape(chat.link) << "</p>\n";
  }
  out << "<p class=\"dates\">" << html_escape(dates_line(chat)) << "</p>\n<table><tr><th>"
      << html_escape(chat.kind == ChatKind::parents
                         ? tr("report.invites.missing_parents", "Parents still to join")
                         : tr("report.invites.missing_students", "Students still to join"))
      << "</th>";
  if (chat.kind == ChatKind::parents)
    out << "<th>" << html_escape(tr("report.invites.col.children", "Child")) << "</th>";
  out << "</tr>\n";
  for (const auto& m : chat.missing) {
    out << "<tr><td>" << html_escape(m.name) << "</td>";
    if (chat.kind == ChatKind::parents) out << "<td>" << html_escape(joined(m.children)) << "</td>";
    out << "</tr>\n";
  }
  out << "</table></div>\n";
}

void write_html(const std::vector<SchoolInvites>& schools, Date today, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"" << name(language())
      << "\"><head><meta charset=\"utf-8\"><title>"
      << html_escape(tr("report.invites.doc_title", "Invitations to the chats"))
      << "</title><style>" << page_style << "</style></head><body>\n";
  bool first = true;
  for (const auto& school : schools) {
    out << "<section class=\"page" << (first ? " cover" : "") << "\"><h1>"
        << html_escape(school_heading(school, today)) << "</h1>\n<p"
        << (school.replaced.empty() ? "" : " class=\"replaced\"") << ">"
        << html_escape(replaced_summary(school)) << "</p></section>\n";
    first = false;
    for (const auto& c : school.classes) {
      out << "<section class=\"page\" data-class=\"" << html_escape(c.group) << "\"><h1>"
          << html_escape(c.group) << "</h1>\n<p>"
          << html_escape(tr("report.invites.how",
                            "To join, open the link or point the phone's camera at the QR code."))
          << "</p>\n";
      for (const auto& chat : c.chats) write_chat_html(chat, out);
      out << "</section>\n";
    }
  }
  out << "</body></html>\n";
}

// What this report handed out: the next one compares the live links with these.
void record(mapping::StateStore& store, const SchoolInvites& school, Date today) {
  std::vector<mapping::HandOut> hand_outs;
  for (const auto& c : school.classes) {
    for (const auto& chat : c.chats) {
      if (!chat.link.empty())
        hand_outs.push_back({chat.key, mapping::MemberRole::member, chat.link, today});
    }
  }
  if (!hand_outs.empty()) store.record_hand_outs(school.id, hand_outs);
}

}  // namespace

int write_invites_report(const ReportRequest& request, std::ostream& out, std::ostream& err) {
  if (!request.config->store) {
    err << "rosterd: report invites: the config has no `store`: the links are kept there\n";
    return 1;
  }
  auto store = open_store(*request.config);
  std::vector<SchoolInvites> schools;
  int status = 0;
  for (const auto* school : request.schools) {
    try {
      schools.push_back(gather(*request.config, *school, *store, request.today));
    } catch (const std::exception& e) {
      // One school's failure never stops the others' hand-outs.
      err << "rosterd: report invites: school " << school->id << ": " << e.what() << '\n';
      status = 1;
    }
  }
  switch (request.format) {
    case ReportFormat::csv: write_csv(schools, out); break;
    case ReportFormat::html: write_html(schools, request.today, out); break;
    default: write_text(schools, request.today, out); break;
  }
  out.flush();
  if (!out) {
    err << "rosterd: report invites: the report could not be written\n";
    return 1;
  }
  for (const auto& school : schools) record(*store, school, request.today);
  return status;
}

}  // namespace rosterd::daemon
