#pragma once
// What the configuration tells the core: which chats each group gets, their titles,
// who stands in as admin, and how cautious the sync is.

#include <optional>
#include <string>
#include <vector>

#include "mapping/chat.h"
#include "mapping/model.h"

namespace rosterd::mapping {

struct ChatTemplate {
  ChatKind kind = ChatKind::class_chat;
  // Placeholders: {group.name}, {org.short_name}, {org.name}, {year} ("2026/27").
  std::string title;
  // Subject teachers (enrolment role "teacher") join as members too.
  bool include_teachers = false;
  friend bool operator==(const ChatTemplate&, const ChatTemplate&) = default;
};

// The school's platform administrator: admin of any chat that has no leader.
struct FallbackAdmin {
  std::string person_id;  // a journal id when the administrator is in the journal, else a label
  PlatformUserId platform_user_id = 0;
  friend bool operator==(const FallbackAdmin&, const FallbackAdmin&) = default;
};

struct OrgRules {
  std::vector<ChatTemplate> class_chats;
  std::vector<ChatTemplate> kindergarten_group_chats;
  std::vector<ChatTemplate> association_chats;
  std::optional<ChatTemplate> staff_chat;
  // Staff with these positions administer the staff chat.
  std::vector<std::string> staff_admin_positions;

  [[nodiscard]] const std::vector<ChatTemplate>& chats_for(GroupKind kind) const noexcept;
  friend bool operator==(const OrgRules&, const OrgRules&) = default;
};

struct Rules {
  OrgRules school;
  OrgRules kindergarten;
  OrgRules additional;
  std::optional<FallbackAdmin> fallback_admin;

  [[nodiscard]] const OrgRules& for_kind(OrgKind kind) const noexcept;
  // DESIGN's chats per organisation kind with Russian titles.
  [[nodiscard]] static Rules defaults();
  friend bool operator==(const Rules&, const Rules&) = default;
};

struct Policy {
  int grace_days = 3;        // a person missing without a dated withdrawal waits this long
  int invite_ttl_days = 14;  // an invite link older than this is replaced or annulled
  bool strict = false;       // remove people added to managed chats by hand
  // A managed member somebody removed on the platform: added back (true) or only reported.
  bool restore_removed = true;
  friend bool operator==(const Policy&, const Policy&) = default;
};

struct Limits {
  int max_removals = 30;             // per school and run, above it all removals are held
  double max_removal_share = 0.10;   // ... or above this share of the applied memberships
  int max_archives = 3;              // per school and run, above it all archives are held
  double max_archive_share = 0.25;   // ... or above this share of the managed chats
  double max_source_drop = 0.25;     // a journal answer this much smaller is a source failure
  friend bool operator==(const Limits&, const Limits&) = default;
};

// Renders a title template; unknown placeholders are kept literally so that a typo shows. Names
// are cleaned (mapping/text.h); a title over the platform's limit (longest_title) has its names
// cut alike, as little as needed, keeping the template's own words.
[[nodiscard]] std::string render_title(const std::string& tmpl, const Organisation& org,
                                       const Group* group, int academic_year);

}  // namespace rosterd::mapping
