// What a plan changes, counted per chat, per school and for the region, and the order in which
// a person reads a school's chats. `plan --summary` is made of these lines; the full plan ends
// with the school and region totals.

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "daemon/i18n.h"
#include "daemon/plan_output.h"
#include "mapping/text.h"

namespace rosterd::daemon {

using mapping::ActionType;

void PlanTally::add(const mapping::Action& action) {
  switch (action.type) {
    case ActionType::create_chat: ++chats_created; break;
    case ActionType::rename_chat: ++chats_renamed; break;
    case ActionType::archive_chat: ++chats_archived; break;
    case ActionType::adopt_chat: ++chats_adopted; break;
    case ActionType::add_member: ++members_added; break;
    case ActionType::remove_member: ++members_removed; break;
    case ActionType::set_admin: ++admins_set; break;
    case ActionType::unset_admin: ++admins_unset; break;
    case ActionType::issue_invite: ++links_issued; break;
    case ActionType::annul_invite: ++links_annulled; break;
  }
  if (action.held) ++held;
}

PlanTally& PlanTally::operator+=(const PlanTally& o) {
  chats_created += o.chats_created;
  chats_renamed += o.chats_renamed;
  chats_archived += o.chats_archived;
  chats_adopted += o.chats_adopted;
  members_added += o.members_added;
  members_removed += o.members_removed;
  admins_set += o.admins_set;
  admins_unset += o.admins_unset;
  links_issued += o.links_issued;
  links_annulled += o.links_annulled;
  held += o.held;
  state_changes += o.state_changes;
  findings += o.findings;
  waiting_for_link += o.waiting_for_link;
  return *this;
}

PlanTally tally_school(const mapping::Plan& plan) {
  PlanTally tally;
  for (const auto& action : plan.actions) tally.add(action);
  tally.state_changes = plan.state_changes.size();
  tally.findings = plan.findings.size();
  // A parent of two classes waits in two chats: counted once, as a person.
  std::set<std::string_view> waiting;
  for (const auto& list : plan.invites) {
    for (const auto id : list.person_ids) waiting.insert(id);
  }
  tally.waiting_for_link = waiting.size();
  return tally;
}

std::string tally_words(const PlanTally& t) {
  std::string out;
  const auto add = [&out](std::size_t n, const std::string& words) {
    if (n != 0) out += (out.empty() ? "" : ", ") + words;
  };
  const auto n = [](std::size_t v) { return static_cast<long long>(v); };
  add(t.chats_created,
      tr_n("plan.tally.created", "{n} new chat", "{n} new chats", n(t.chats_created)));
  add(t.chats_adopted, tr_n("plan.tally.adopted", "{n} chat taken over", "{n} chats taken over",
                            n(t.chats_adopted)));
  add(t.chats_renamed,
      tr_n("plan.tally.renamed", "{n} chat renamed", "{n} chats renamed", n(t.chats_renamed)));
  add(t.chats_archived,
      tr_n("plan.tally.archived", "{n} chat archived", "{n} chats archived", n(t.chats_archived)));
  add(t.members_added, tr_n("plan.tally.added", "+{n} member", "+{n} members", n(t.members_added)));
  add(t.members_removed,
      tr_n("plan.tally.removed", "-{n} member", "-{n} members", n(t.members_removed)));
  add(t.admins_set, tr_n("plan.tally.admins_set", "+{n} admin", "+{n} admins", n(t.admins_set)));
  add(t.admins_unset,
      tr_n("plan.tally.admins_unset", "-{n} admin", "-{n} admins", n(t.admins_unset)));
  add(t.links_issued,
      tr_n("plan.tally.links_issued", "{n} new link", "{n} new links", n(t.links_issued)));
  add(t.links_annulled, tr_n("plan.tally.links_annulled", "{n} link annulled", "{n} links annulled",
                             n(t.links_annulled)));
  add(t.held, tr_n("plan.tally.held", "{n} action held", "{n} actions held", n(t.held)));
  add(t.state_changes, tr_n("plan.tally.state_changes", "{n} state change", "{n} state changes",
                            n(t.state_changes)));
  add(t.findings, tr_n("plan.tally.findings", "{n} finding", "{n} findings", n(t.findings)));
  add(t.waiting_for_link, tr_n("plan.tally.waiting", "{n} person waits for a link",
                               "{n} people wait for a link", n(t.waiting_for_link)));
  return out.empty() ? tr("plan.tally.none", "no changes") : out;
}

namespace {

// Classes first, in natural order; then associations, the staff chat, chats of no known group.
enum class Rank { classes, associations, staff, other };

Rank rank_of(const SchoolPlan& school, const std::string& key) {
  if (const auto* group = school.chat_group(key)) {
    return group->kind == mapping::GroupKind::association ? Rank::associations : Rank::classes;
  }
  return key.starts_with("staff:") ? Rank::staff : Rank::other;
}

std::string section_heading(Rank rank, const ChatGroup* group) {
  switch (rank) {
    case Rank::classes:
      if (group->kind == mapping::GroupKind::kindergarten_group)
        return tr("plan.section.kindergarten", "Group {group}", {{"group", group->name}});
      return tr("plan.section.class", "Class {group}", {{"group", group->name}});
    case Rank::associations:
      return tr("plan.section.association", "Association {group}", {{"group", group->name}});
    case Rank::staff: return tr("plan.section.staff", "Staff");
    case Rank::other: return tr("plan.section.other", "Other chats");
  }
  return {};
}

// A class's chat before its parents' chat: the kind's order in the key ("class:" < "parents:").
int kind_order(const std::string& key) {
  const auto kind = mapping::parse_chat_kind(key.substr(0, key.find(':')));
  return kind ? static_cast<int>(*kind) : 99;
}

}  // namespace

std::vector<ChatSection> chat_sections(const SchoolPlan& school) {
  std::set<std::string> keys;
  if (school.plan) {
    for (const auto& action : school.plan->actions) keys.insert(action.chat_key);
  }
  struct Placed {
    Rank rank;
    std::string group;
    int kind;
    std::string key;
  };
  std::vector<Placed> placed;
  for (const auto& key : keys) {
    const auto* group = school.chat_group(key);
    placed.push_back(
        {rank_of(school, key), group ? group->name : std::string{}, kind_order(key), key});
  }
  std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.group != b.group) return mapping::natural_less(a.group, b.group);
    return std::tie(a.kind, a.key) < std::tie(b.kind, b.key);
  });
  std::vector<ChatSection> sections;
  for (std::size_t i = 0; i < placed.size(); ++i) {
    const auto& p = placed[i];
    if (i == 0 || p.rank != placed[i - 1].rank || p.group != placed[i - 1].group)
      sections.push_back({section_heading(p.rank, school.chat_group(p.key)), {}});
    sections.back().keys.push_back(p.key);
  }
  return sections;
}

void write_run_totals(std::ostream& out, const PlanRun& run) {
  PlanTally region;
  std::size_t failed = 0;
  for (const auto& school : run.schools) {
    const auto id = mapping::printable(school.school_id);
    if (!school.plan) {
      ++failed;
      out << tr("plan.total.school_failed", "Total for {school}: FAILED", {{"school", id}}) << "\n";
      continue;
    }
    const auto tally = tally_school(*school.plan);
    region += tally;
    out << tr("plan.total.school", "Total for {school}: {tally}",
              {{"school", id}, {"tally", tally_words(tally)}})
        << "\n";
  }
  const auto n = static_cast<long long>(run.schools.size());
  auto schools = tr_n("plan.total.schools", "{n} school", "{n} schools", n);
  if (failed != 0) {
    schools += "; " + tr_n("plan.total.failed", "{n} failed", "{n} failed",
                           static_cast<long long>(failed));
  }
  out << tr("plan.total.region", "Region total ({schools}): {tally}",
            {{"schools", schools}, {"tally", tally_words(region)}})
      << "\n";
}

void write_plan_summary_text(std::ostream& out, const PlanRun& run) {
  for (const auto& school : run.schools) {
    out << "=== " << mapping::printable(school.school_id);
    if (!school.org_name.empty()) out << " — " << mapping::printable(school.org_name);
    out << " — "
        << tr("plan.summary.header", "plan summary for {date}", {{"date", run.today.iso()}})
        << "\n";
    if (!school.plan) {
      out << tr("plan.error", "ERROR: {error}", {{"error", mapping::printable_lines(school.error)}})
          << "\n\n";
      continue;
    }
    std::map<std::string, PlanTally> chats;
    for (const auto& action : school.plan->actions) chats[action.chat_key].add(action);
    for (const auto& section : chat_sections(school)) {
      for (const auto& key : section.keys) {
        out << "  " << section.heading << ", " << chat_words(school.chat_title(key), key) << ": "
            << tally_words(chats[key]) << "\n";
      }
    }
    out << "\n";
  }
  write_run_totals(out, run);
}

}  // namespace rosterd::daemon
