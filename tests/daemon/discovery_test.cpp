// The region between listings (daemon/discovery.h): new organisations are scheduled, vanished
// ones held (never archived, never forgotten), and a listing that lost too many is distrusted.
#include <gtest/gtest.h>

#include <cstdlib>
#include <future>
#include <thread>

#include "daemon/discovery.h"

namespace rosterd::daemon {
namespace {

using Ids = std::vector<std::string>;

std::map<std::string, HeldReason> held(std::initializer_list<std::pair<const std::string, HeldReason>> l) {
  return l;
}

Ids ten() { return {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"}; }

TEST(RegionListing, SchedulesEveryListedSchoolOnTheFirstListing) {
  RegionListing listing;
  const auto change = listing.take({"b", "a", "c"}, {}, 0.25);
  EXPECT_EQ(change.added, (Ids{"a", "b", "c"}));
  EXPECT_FALSE(change.distrusted);
  EXPECT_EQ(listing.scheduled(), (Ids{"a", "b", "c"}));
  EXPECT_TRUE(listing.held().empty());
}

TEST(RegionListing, AddsANewOrganisationAndHoldsOneThatVanished) {
  RegionListing listing;
  (void)listing.take(ten(), {}, 0.25);
  auto next = ten();
  next.erase(next.begin() + 3);  // s3 vanished: 1 of 10, under the 25 % a listing may lose
  next.push_back("s10");
  const auto change = listing.take(next, {}, 0.25);
  EXPECT_EQ(change.added, Ids{"s10"});
  EXPECT_EQ(change.vanished, Ids{"s3"});
  EXPECT_FALSE(change.distrusted);
  EXPECT_EQ(listing.held(), held({{"s3", HeldReason::vanished}}));
  EXPECT_EQ(listing.scheduled().size(), 10U);
}

TEST(RegionListing, SchedulesAHeldSchoolAgainWhenItComesBack) {
  RegionListing listing;
  (void)listing.take(ten(), {}, 0.25);
  auto without = ten();
  without.pop_back();
  (void)listing.take(without, {}, 0.25);
  const auto change = listing.take(ten(), {}, 0.25);
  EXPECT_EQ(change.returned, Ids{"s9"});
  EXPECT_TRUE(change.added.empty());
  EXPECT_TRUE(listing.held().empty());
  EXPECT_EQ(listing.scheduled(), ten());
}

TEST(RegionListing, DistrustsAnEmptyListingAndHoldsEverySchool) {
  RegionListing listing;
  (void)listing.take(ten(), {}, 0.25);
  const auto change = listing.take({}, {}, 0.25);
  EXPECT_TRUE(change.distrusted);
  EXPECT_EQ(change.vanished, ten());
  EXPECT_TRUE(listing.scheduled().empty());
  EXPECT_EQ(listing.held().size(), 10U);
  EXPECT_EQ(listing.held().at("s0"), HeldReason::distrusted);
  // The next good listing brings them all back: the empty one did not become the baseline.
  const auto back = listing.take(ten(), {}, 0.25);
  EXPECT_FALSE(back.distrusted);
  EXPECT_EQ(back.returned, ten());
  EXPECT_TRUE(listing.held().empty());
}

TEST(RegionListing, DistrustsAListingThatDropsMoreThanTheShareAndAddsNothing) {
  RegionListing listing;
  (void)listing.take(ten(), {}, 0.25);
  // 3 of 10 gone (30 % > 25 %), and a new one that must wait for a trusted listing.
  const auto change = listing.take({"s0", "s1", "s2", "s3", "s4", "s5", "s6", "new"}, {}, 0.25);
  EXPECT_TRUE(change.distrusted);
  EXPECT_EQ(change.dropped, 3U);
  EXPECT_EQ(change.baseline, 10U);
  EXPECT_TRUE(change.added.empty());
  EXPECT_EQ(change.vanished, (Ids{"s7", "s8", "s9"}));
  EXPECT_EQ(listing.scheduled(), (Ids{"s0", "s1", "s2", "s3", "s4", "s5", "s6"}));
}

TEST(RegionListing, TrustsADropOfExactlyTheShare) {
  RegionListing listing;
  (void)listing.take({"a", "b", "c", "d"}, {}, 0.25);
  const auto change = listing.take({"a", "b", "c"}, {}, 0.25);  // 1 of 4 = 25 %
  EXPECT_FALSE(change.distrusted);
  EXPECT_EQ(listing.held(), held({{"d", HeldReason::vanished}}));
}

TEST(RegionListing, ForgetsAnExcludedSchoolWhetherScheduledOrHeld) {
  RegionListing listing;
  (void)listing.take(ten(), {}, 0.25);
  auto without = ten();
  without.pop_back();
  (void)listing.take(without, {}, 0.25);  // s9 held
  const auto change = listing.take(ten(), {"s9", "s0"}, 0.25);
  EXPECT_TRUE(change.returned.empty());
  EXPECT_TRUE(listing.held().empty());
  EXPECT_EQ(listing.scheduled(), (Ids{"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"}));
}

// The daemon's loop sleeps until it is woken: a wake that comes before the listing's result is
// in place would leave the result unseen until the loop's next timeout (up to a minute).
TEST(Discoverer, HasTheListingsResultInPlaceWhenItWakesTheLoop) {
  ::unsetenv("CREDENTIALS_DIRECTORY");  // the token cannot be read: the listing fails at once
  Config config;
  config.discovery = RegionDiscovery{};
  config.discovery->school.source.type = SourceType::http;
  config.discovery->school.source.token_file.credential = "journal-token";
  std::promise<void> woken;
  Discoverer discoverer([&woken] {
    woken.set_value();
    // Whatever the listing thread does after waking the loop comes too late for the loop.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  });
  discoverer.start_if_due(config, Discoverer::clock::now(), true);
  woken.get_future().wait();
  const auto finished = discoverer.take_finished();
  ASSERT_TRUE(finished.has_value());
  EXPECT_FALSE(finished->ids.has_value());
  EXPECT_NE(finished->error.find("$CREDENTIALS_DIRECTORY is not set"), std::string::npos)
      << finished->error;
}

}  // namespace
}  // namespace rosterd::daemon
