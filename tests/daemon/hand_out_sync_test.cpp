// The sync names each invite link it replaces that `rosterd report invites` handed out to
// families, and no other: a replacement does not go unnoticed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "daemon/sync.h"
#include "tests/daemon/fakes.h"
#include "tests/mapping/builders.h"

namespace rosterd::daemon::testing {
namespace {

using mapping::testing::D;

// 5А: a class teacher with an account and two students without one: the class chat needs a
// member link (the admin link is not needed).
struct World {
  FakeDatabase db;
  FakePlatform platform;
  FakeJournal journal{mapping::testing::RosterBuilder{}
                          .group("g5a", "5А")
                          .leader("t1", "g5a", 9001)
                          .student("s1", "g5a", std::nullopt)
                          .student("s2", "g5a", std::nullopt)
                          .build()};
  FakeStore store{db};

  SyncResult run(mapping::Date today) {
    SyncSettings s;
    s.org_id = "org1";
    s.rules.school.class_chats = {
        {mapping::ChatKind::class_chat, "{group.name} · {org.short_name}", false}};
    s.policy.invite_ttl_days = 14;
    s.holder = "host-a:1:aaaaaa";
    s.now_iso = [] { return std::string("2026-11-30T12:00:00Z"); };
    SchoolSync sync(std::move(s), journal, platform, store);
    return sync.run_once(today, "2026-11-30T12:00:00Z");
  }
  [[nodiscard]] std::string member_link() {
    for (const auto& invite : db.schools["org1"].chats.at("class:g5a").invites) {
      if (invite.role == mapping::MemberRole::member) return invite.link;
    }
    return {};
  }
};

TEST(HandOutSync, NamesTheReplacedLinkThatWasHandedOut) {
  World w;
  ASSERT_TRUE(w.run(D("2026-11-01")).replaced_hand_outs.empty());
  const auto handed = w.member_link();
  ASSERT_FALSE(handed.empty());
  w.store.record_hand_outs(
      "org1", std::vector<mapping::HandOut>{{"class:g5a", mapping::MemberRole::member, handed,
                                             D("2026-11-02")}});

  const auto result = w.run(D("2026-11-15"));  // 14 days old: replaced
  EXPECT_NE(w.member_link(), handed);
  EXPECT_EQ(result.replaced_hand_outs, std::vector<std::string>{"class:g5a"});
}

TEST(HandOutSync, SaysNothingOfAReplacedLinkNobodyHandedOut) {
  World w;
  ASSERT_TRUE(w.run(D("2026-11-01")).replaced_hand_outs.empty());
  const auto first = w.member_link();
  w.store.record_hand_outs(
      "org1", std::vector<mapping::HandOut>{{"class:g5a", mapping::MemberRole::member,
                                             "https://fake.invalid/join/older", D("2026-10-01")}});

  const auto result = w.run(D("2026-11-15"));
  EXPECT_NE(w.member_link(), first) << "replaced";
  EXPECT_TRUE(result.replaced_hand_outs.empty());
}

}  // namespace
}  // namespace rosterd::daemon::testing
