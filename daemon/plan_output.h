#pragma once
// How a plan is shown: text for an administrator, JSON for programs (docs/plan-format.md).
// Names appear (the plan is for the administrator); contacts never do. The text is in the
// process's language (daemon/i18n.h); JSON keys are English, and every reason, finding and
// held reason carries its stable code beside its text.

#include <array>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "daemon/planner.h"

namespace rosterd::daemon {

// The full plan: per school its chats grouped by class in natural order, held actions under
// one heading per chat and kind of action, findings by kind naming people, state changes, one
// line on who waits for a link; then a line per school and the region's total.
void write_plan_text(std::ostream& out, const PlanRun& run);
void write_plan_json(std::ostream& out, const PlanRun& run);
// `plan --summary`: one line per chat, each school's total, the region's total.
void write_plan_summary_text(std::ostream& out, const PlanRun& run);
void write_plan_summary_json(std::ostream& out, const PlanRun& run);

// What a plan changes, counted: for a chat, a school or the whole run.
struct PlanTally {
  std::size_t chats_created = 0;
  std::size_t chats_renamed = 0;
  std::size_t chats_archived = 0;
  std::size_t chats_adopted = 0;
  std::size_t members_added = 0;
  std::size_t members_removed = 0;
  std::size_t admins_set = 0;
  std::size_t admins_unset = 0;
  std::size_t links_issued = 0;
  std::size_t links_annulled = 0;
  std::size_t held = 0;
  // A school's or the run's only:
  std::size_t state_changes = 0;
  std::size_t findings = 0;
  std::size_t waiting_for_link = 0;  // people without a platform account (report invites)

  void add(const mapping::Action& action);
  PlanTally& operator+=(const PlanTally& other);
};
[[nodiscard]] PlanTally tally_school(const mapping::Plan& plan);
// "новый чат, +2 участника, −1 участник, 1 новая ссылка; 3 замечания", or "no changes".
[[nodiscard]] std::string tally_words(const PlanTally& tally);
// A total line per school, then the region's (every school of the run).
void write_run_totals(std::ostream& out, const PlanRun& run);

// The chats a plan touches in the order a person reads them: classes in natural order
// (1А, 1Б, 2А … 11А), a class's chat before its parents' chat, then associations, the staff
// chat, and chats whose group the journal no longer has.
struct ChatSection {
  std::string heading;            // "Класс 5А", "Сотрудники"
  std::vector<std::string> keys;  // chat keys
};
[[nodiscard]] std::vector<ChatSection> chat_sections(const SchoolPlan& school);

// Words shared by the plan and `approve`, in the process's language.
[[nodiscard]] std::string action_name(mapping::ActionType type);   // "добавить", "add"
[[nodiscard]] std::string role_name(mapping::MemberRole role);     // "участник", "member"
[[nodiscard]] std::string chat_kind_name(mapping::ChatKind kind);  // "чат класса"
[[nodiscard]] std::string finding_title(mapping::FindingCode code);
// "Иванова Анна (5А, ученик, p-s1)", or the quoted id of someone the journal does not know.
[[nodiscard]] std::string person_words(const SchoolPlan& school, const std::string& id);
// "«5А · ШТ» [class:g-5a]", or "[class:g-5a]" when the chat has no title yet.
[[nodiscard]] std::string chat_words(const std::string& title, const std::string& key);

}  // namespace rosterd::daemon
