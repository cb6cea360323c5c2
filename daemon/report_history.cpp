// `rosterd report history`: what rosterd did for a school (or one person, or one chat) and why,
// from the store's action log, with the chats' titles and the people's names (docs/reports.md).
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "daemon/i18n.h"
#include "daemon/report_command.h"
#include "daemon/report_output.h"
#include "daemon/wiring.h"
#include "mapping/message.h"
#include "mapping/text.h"

namespace rosterd::daemon {
namespace {

using json = nlohmann::ordered_json;
using mapping::ActionStatus;
using mapping::ActionType;

std::string action_text(ActionType type) {
  switch (type) {
    case ActionType::create_chat: return tr("report.history.create_chat", "chat created");
    case ActionType::rename_chat: return tr("report.history.rename_chat", "chat renamed");
    case ActionType::archive_chat: return tr("report.history.archive_chat", "chat archived");
    case ActionType::add_member: return tr("report.history.add_member", "added to the chat");
    case ActionType::remove_member:
      return tr("report.history.remove_member", "removed from the chat");
    case ActionType::set_admin: return tr("report.history.set_admin", "made an administrator");
    case ActionType::unset_admin:
      return tr("report.history.unset_admin", "no longer an administrator");
    case ActionType::issue_invite: return tr("report.history.issue_invite", "invite link issued");
    case ActionType::annul_invite: return tr("report.history.annul_invite", "invite link annulled");
    case ActionType::adopt_chat: return tr("report.history.adopt_chat", "existing chat taken over");
  }
  return std::string(mapping::name(type));
}

std::string outcome_text(const mapping::ActionRecord& r) {
  switch (r.status) {
    case ActionStatus::intended: return tr("report.history.intended", "begun, no answer recorded");
    case ActionStatus::done: return tr("report.history.done", "done");
    case ActionStatus::rejected: {
      auto out = tr("report.history.rejected", "refused by the platform (error {code})",
                    {{"code", std::to_string(r.error_code)}});
      if (!r.message.empty()) out += ": " + mapping::printable(r.message);
      return out;
    }
    case ActionStatus::unknown: return tr("report.history.unknown", "outcome unknown");
    case ActionStatus::not_sent: return tr("report.history.not_sent", "not sent");
    case ActionStatus::resolved: return tr("report.history.resolved", "settled by a later look");
  }
  return std::string(mapping::name(r.status));
}

// "2026-09-01 10:15" of the store's "2026-09-01T10:15:42Z" (UTC, as the store keeps it).
std::string when(const std::string& iso) {
  auto out = iso.substr(0, 16);
  if (out.size() > 10 && out[10] == 'T') out[10] = ' ';
  return out;
}

// One entry as people read it: its chat's title and its person's name looked up.
struct Entry {
  const mapping::ActionRecord* record;
  std::string chat;
  std::string person;
};

struct SchoolLog {
  const SchoolConfig* school;
  std::vector<mapping::ActionRecord> records;
  std::vector<Entry> entries;
};

// Names from the journal; a journal that does not answer leaves ids (said once on err).
std::map<std::string, std::string> names_of(const SchoolConfig& school,
                                            const std::set<std::string>& ids,
                                            JournalCache& journals, std::ostream& err) {
  std::map<std::string, std::string> names;
  if (ids.empty()) return names;
  try {
    const auto answer = journals.get(school)->fetch();
    for (const auto& person : answer.roster->persons) {
      if (ids.contains(person.id)) names[person.id] = person.display_name();
    }
  } catch (const std::exception& e) {
    err << tr("report.history.no_journal",
              "rosterd: {school}: the journal did not answer, people are shown by id: {error}",
              {{"school", school.id}, {"error", mapping::printable_lines(e.what())}})
        << "\n";
  }
  return names;
}

SchoolLog read_log(const SchoolConfig& school, const ReportRequest& request,
                   mapping::StateStore& store, JournalCache& journals, std::ostream& err) {
  SchoolLog log{&school, store.action_log(school.id, {request.person, request.chat, 0}), {}};
  if (log.records.empty()) return log;
  std::map<std::string, std::string> titles;
  for (const auto& chat : store.load(school.id).chats) titles[chat.key] = chat.title;
  std::set<std::string> people;
  for (const auto& r : log.records) {
    if (!r.action.person_id.empty()) people.insert(r.action.person_id);
  }
  const auto names = names_of(school, people, journals, err);
  for (const auto& r : log.records) {
    const auto& a = r.action;
    const auto title = titles.find(a.chat_key);
    std::string chat = title != titles.end() ? title->second
                       : a.title.empty()     ? a.chat_key
                                             : a.title;
    const auto name = names.find(a.person_id);
    std::string person = name != names.end()                        ? name->second
                         : mapping::looks_like_contact(a.person_id) ? mapping::quote_id(a.person_id)
                                                                    : a.person_id;
    log.entries.push_back({&r, std::move(chat), std::move(person)});
  }
  return log;
}

void write_text(const std::vector<SchoolLog>& logs, std::ostream& out) {
  for (const auto& log : logs) {
    out << tr("report.history.title", "What rosterd did for {school}", {{"school", log.school->id}})
        << " — "
        << tr_n("report.history.count", "{n} action", "{n} actions",
                static_cast<long long>(log.entries.size()))
        << "\n";
    for (const auto& e : log.entries) {
      const auto& r = *e.record;
      out << when(r.intended_at) << "  " << action_text(r.action.type) << "  «"
          << mapping::printable(e.chat) << "»";
      if (!e.person.empty()) out << "  " << mapping::printable(e.person);
      if (!r.action.reason.empty()) out << " — " << mapping::printable(text(r.action.reason));
      out << " — " << outcome_text(r) << "\n";
    }
    out << "\n";
  }
}

void write_csv(const std::vector<SchoolLog>& logs, std::ostream& out) {
  CsvWriter csv(out);
  csv.row({tr("report.history.col.school", "School id"), tr("report.history.col.when", "Date"),
           tr("report.history.col.action", "Action"), tr("report.history.col.chat", "Chat"),
           tr("report.history.col.person", "Person"), tr("report.history.col.reason", "Reason"),
           tr("report.history.col.outcome", "Outcome")});
  for (const auto& log : logs) {
    for (const auto& e : log.entries) {
      const auto& r = *e.record;
      csv.row({log.school->id, when(r.intended_at), action_text(r.action.type), e.chat, e.person,
               text(r.action.reason), outcome_text(r)});
    }
  }
}

json entry_json(const Entry& e) {
  const auto& r = *e.record;
  return {{"id", r.id},
          {"at", r.intended_at},
          {"updated_at", r.updated_at},
          {"type", std::string(mapping::name(r.action.type))},
          {"action", action_text(r.action.type)},
          {"chat_key", r.action.chat_key},
          {"chat", e.chat},
          {"person_id", mapping::looks_like_contact(r.action.person_id)
                            ? mapping::quote_id(r.action.person_id)
                            : r.action.person_id},
          {"person", e.person},
          {"reason_code", mapping::message_code(r.action.reason)},
          {"reason", text(r.action.reason)},
          {"status", std::string(mapping::name(r.status))},
          {"error_code", r.error_code},
          {"outcome", outcome_text(r)}};
}

void write_json(const std::vector<SchoolLog>& logs, std::ostream& out) {
  json schools = json::array();
  for (const auto& log : logs) {
    json actions = json::array();
    for (const auto& e : log.entries) actions.push_back(entry_json(e));
    schools.push_back({{"id", log.school->id}, {"actions", std::move(actions)}});
  }
  out << json{{"report", "history"}, {"schools", std::move(schools)}}.dump(2) << "\n";
}

}  // namespace

int write_history_report(const ReportRequest& request, std::ostream& out, std::ostream& err) {
  std::vector<SchoolLog> logs;
  try {
    auto store = open_store(*request.config);
    JournalCache journals({}, true);  // schools sharing a OneRoster folder read it once
    journals.keep_states(std::make_shared<const Config>(*request.config), false);
    for (const SchoolConfig* school : request.schools) {
      auto log = read_log(*school, request, *store, journals, err);
      // Asked about one person or chat across schools: only the schools that had to do with it.
      const bool narrowed = !request.person.empty() || !request.chat.empty();
      if (!log.entries.empty() || !narrowed || request.schools.size() == 1)
        logs.push_back(std::move(log));
    }
  } catch (const std::exception& e) {
    err << "rosterd: report history: " << mapping::printable_lines(e.what()) << "\n";
    return 1;
  }
  switch (request.format) {
    case ReportFormat::csv: write_csv(logs, out); break;
    case ReportFormat::json: write_json(logs, out); break;
    default: write_text(logs, out); break;
  }
  return 0;
}

}  // namespace rosterd::daemon
