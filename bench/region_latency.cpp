#include "bench/region_latency.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace rosterd::bench {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Transfer {
  std::string org;
  std::string person;
  std::string from_group;
  std::string to_group;
  std::set<std::int64_t> chats_before;  // the student's live chats before the move
  Clock::time_point at;
};

std::string text(const json& item, const char* key) {
  const auto it = item.find(key);
  return it != item.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// A running student enrolment on `day` (ISO dates compare as text).
bool running_on(const json& e, const std::string& day) {
  const auto from = text(e, "from");
  const auto to = text(e, "to");
  return text(e, "role") == "student" && (from.empty() || from <= day) && (to.empty() || to >= day);
}

std::map<std::int64_t, std::set<std::int64_t>> memberships(RegionWorld& world,
                                                           const std::vector<std::int64_t>& users) {
  std::string query = "/sim/memberships?user_ids=";
  for (std::size_t i = 0; i < users.size(); ++i) query += (i ? "," : "") + std::to_string(users[i]);
  const auto answer = json::parse(world.platform().get(query));
  std::map<std::int64_t, std::set<std::int64_t>> chats;
  for (const auto& [user, ids] : answer.items()) {
    chats[std::stoll(user)] = ids.get<std::set<std::int64_t>>();
  }
  return chats;
}

// A student of `org` with a platform account, in one class and in some live chat, who is not
// moving already; moved to another class of the school. nullopt when the school has none.
std::optional<std::pair<std::int64_t, Transfer>> pick(RegionWorld& world, const std::string& org,
                                                      const std::string& day,
                                                      const std::set<std::int64_t>& busy,
                                                      std::mt19937_64& rng) {
  const auto roster = json::parse(world.journal().get("/sim/state/" + org));
  std::set<std::string> classes;
  for (const auto& g : roster.at("groups")) {
    if (text(g, "kind") == "class") classes.insert(text(g, "id"));
  }
  std::map<std::string, std::int64_t> accounts;
  for (const auto& p : roster.at("persons")) {
    const auto id = p.find("platform_user_id");
    if (id != p.end() && id->is_number_integer() && !busy.contains(id->get<std::int64_t>())) {
      accounts[text(p, "id")] = id->get<std::int64_t>();
    }
  }
  std::map<std::string, std::vector<std::string>> classes_of;
  for (const auto& e : roster.at("enrollments")) {
    if (running_on(e, day) && classes.contains(text(e, "group_id"))) {
      classes_of[text(e, "person_id")].push_back(text(e, "group_id"));
    }
  }
  std::vector<std::pair<std::string, std::string>> candidates;  // person, their class
  for (const auto& [person, groups] : classes_of) {
    if (groups.size() == 1 && accounts.contains(person)) candidates.emplace_back(person, groups[0]);
  }
  if (candidates.empty() || classes.size() < 2) return std::nullopt;
  const auto& [person, from] = candidates[rng() % candidates.size()];
  std::vector<std::string> others;
  for (const auto& g : classes) {
    if (g != from) others.push_back(g);
  }
  const auto user = accounts.at(person);
  auto before = memberships(world, {user})[user];
  if (before.empty()) return std::nullopt;  // not synced (yet): nothing to see move
  return std::pair{user, Transfer{org, person, from, others[rng() % others.size()],
                                  std::move(before), Clock::now()}};
}

void inject(RegionWorld& world, Transfer& t) {
  const json body = {{"scenario",
                      {{{"type", "transfer"},
                        {"org_id", t.org},
                        {"person_id", t.person},
                        {"from_group_id", t.from_group},
                        {"to_group_id", t.to_group}}}}};
  t.at = Clock::now();  // the journal changes while this request is answered
  (void)world.journal().post("/sim/advance", body.dump());
}

// The move shows when the student left a chat they were in and is in a chat they were not in.
bool shown(const Transfer& t, const std::set<std::int64_t>& now) {
  const bool left = std::ranges::any_of(t.chats_before, [&](auto c) { return !now.contains(c); });
  const bool joined = std::ranges::any_of(now, [&](auto c) { return !t.chats_before.contains(c); });
  return left && joined;
}

void check_pending(RegionWorld& world, std::map<std::int64_t, Transfer>& pending,
                   LatencyResult& result) {
  throw_if_interrupted();
  if (pending.empty()) return;
  std::vector<std::int64_t> users;
  for (const auto& [user, t] : pending) users.push_back(user);
  const auto now = Clock::now();
  for (const auto& [user, chats] : memberships(world, users)) {
    const auto it = pending.find(user);
    if (it == pending.end() || !shown(it->second, chats)) continue;
    result.seconds.push_back(std::chrono::duration<double>(now - it->second.at).count());
    pending.erase(it);
  }
}

}  // namespace

LatencyResult measure_latency(RegionWorld& world, const RegionArgs& args, std::mt19937_64& rng) {
  LatencyResult result;
  const auto day = json::parse(world.journal().get("/sim/state")).at("day").get<std::string>();
  const auto window = std::chrono::duration<double>(args.minutes * 60.0);
  const auto start = Clock::now();
  std::map<std::int64_t, Transfer> pending;  // by the student's platform account
  std::uniform_real_distribution<double> within(0.0, 1.0);
  for (int i = 0; i < args.changes; ++i) {
    // The i-th change at a random moment of the i-th slice of the window.
    const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                 window * ((i + within(rng)) / args.changes));
    while (Clock::now() < due) {
      check_pending(world, pending, result);
      std::this_thread::sleep_until(std::min(due, Clock::now() + std::chrono::milliseconds(500)));
    }
    std::set<std::int64_t> busy;
    for (const auto& [user, t] : pending) busy.insert(user);
    for (int attempt = 0; attempt < 20; ++attempt) {
      const auto& org = world.ids()[rng() % world.ids().size()];
      auto picked = pick(world, org, day, busy, rng);
      if (!picked) continue;
      inject(world, picked->second);
      pending.emplace(picked->first, std::move(picked->second));
      ++result.injected;
      break;
    }
  }
  const auto deadline =
      Clock::now() + std::chrono::seconds(3 * (args.interval_s + args.jitter_s) + 60);
  while (!pending.empty() && Clock::now() < deadline) {
    check_pending(world, pending, result);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  result.unseen = static_cast<int>(pending.size());
  return result;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::ranges::sort(values);
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * values.size()));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

}  // namespace rosterd::bench
