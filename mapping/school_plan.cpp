#include "mapping/school_plan.h"

#include "mapping/adoption.h"
#include "mapping/message.h"
#include "mapping/observe.h"
#include "mapping/text.h"

#include <algorithm>

namespace rosterd::mapping {

int latest_academic_year(const Roster& roster) noexcept {
  int latest = 0;
  for (const auto& g : roster.groups) latest = std::max(latest, g.academic_year);
  return latest;
}

namespace {

// Adopted chats join the applied state the plan is made against, counted as the listing counts.
void take_in(AppliedState& applied, const AdoptionResult& adoption,
             std::span<const PlatformChat> listing) {
  for (AppliedChat chat : adoption.adopted) {
    for (const auto& listed : listing) {
      if (listed.chat_id == chat.chat_id) chat.members_seen = listed.members_count;
    }
    const auto at = std::ranges::lower_bound(applied.chats, chat.key, {}, &AppliedChat::key);
    applied.chats.insert(at, std::move(chat));
  }
}

// Adoptions come first; a group whose existing chat is unclear gets nothing but its creation,
// held until an administrator adopts a chat for it or approves the creation.
void merge_adoption(Plan& plan, AdoptionResult adoption) {
  std::erase_if(plan.actions, [&](const Action& a) {
    return adoption.undecided.contains(a.chat_key) && a.type != ActionType::create_chat;
  });
  std::erase_if(plan.invites,
                [&](const InviteList& list) { return adoption.undecided.contains(list.chat_key); });
  for (auto& a : plan.actions) {
    if (a.type != ActionType::create_chat || !adoption.undecided.contains(a.chat_key)) continue;
    a.held = true;
    a.held_reason = msg("plan.held_adoption_unclear",
                        "a chat that may already serve the group exists: adopt it (rosterd adopt) "
                        "or approve this creation");
  }
  plan.actions.insert(plan.actions.begin(), std::make_move_iterator(adoption.actions.begin()),
                      std::make_move_iterator(adoption.actions.end()));
  plan.findings.insert(plan.findings.end(), std::make_move_iterator(adoption.findings.begin()),
                       std::make_move_iterator(adoption.findings.end()));
}

// Creations the plan holds for an administrator (a chat deleted or archived by hand, an unclear
// adoption) go ahead once approved.
void release_approved_creations(Plan& plan, const std::set<std::string>& approved) {
  for (auto& a : plan.actions) {
    if (a.held && a.type == ActionType::create_chat && approved.contains(action_id(a))) {
      a.held = false;
      a.held_reason.clear();
    }
  }
}

// Rejected actions are left out, and the ids still proposed are kept for the store.
void drop_rejected(Plan& plan, const std::set<std::string>* rejected,
                   std::set<std::string>& still_rejected) {
  if (rejected == nullptr || rejected->empty()) return;
  std::erase_if(plan.actions, [&](const Action& a) {
    auto id = action_id(a);
    if (!rejected->contains(id)) return false;
    still_rejected.insert(std::move(id));
    return true;
  });
}

}  // namespace

SchoolPlanning plan_school(const SchoolSettings& school, const Roster& roster,
                           const AppliedState& applied, std::set<std::string> approved,
                           Date today, const PlatformView* view) {
  SchoolPlanning out;
  if (roster.org.id != school.school_id) {
    out.refusal = msg("plan.other_organisation",
                      "the journal's answer holds organisation {org}, not the configured school "
                      "{school}; nothing is planned",
                      {{"org", quote_id(roster.org.id)}, {"school", std::string(school.school_id)}});
    out.plan.org_id = std::string(school.school_id);
    out.plan.today = today;
    return out;
  }
  out.desired = desired(roster, school.rules, today);
  out.applied = applied;
  AdoptionResult adoption;
  if (view) {
    out.recognised = recognise(out.applied, out.desired, view->read);
    adoption = adopt({out.desired, out.applied, view->listing, view->read, view->bound, view->self,
                      view->bindings});
    take_in(out.applied, adoption, view->listing);
  }
  Plan plan = diff(out.desired, out.applied, school.policy, today);
  merge_adoption(plan, std::move(adoption));
  release_approved_creations(plan, approved);
  drop_rejected(plan, school.rejected, out.still_rejected);
  GuardInput guarding{school.limits, count(roster), applied.last_good_counts, std::move(approved),
                      latest_academic_year(roster)};
  out.plan = guard(std::move(plan), guarding);
  out.numbers = numbers(out.desired, out.applied);
  return out;
}

}  // namespace rosterd::mapping
