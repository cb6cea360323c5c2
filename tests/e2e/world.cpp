#include "world.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "generator/generator.h"

namespace rosterd::e2e {

using nlohmann::json;

World::World(const WorldOptions& options) {
  char pattern[] = "/tmp/rosterd-e2e-XXXXXX";
  dir_ = mkdtemp(pattern);
  std::ofstream(dir_ / "platform.token") << "e2e-secret-token-4242\n";
  std::ofstream(dir_ / "journal.token") << "e2e-journal-token-4343\n";
  auto args = options.sim_args;
  args.insert(args.end(), {"--token-file", (dir_ / "platform.token").string()});
  sim_ = std::make_unique<testing::SimServer>(PLATFORM_SIM_BIN, args, dir_);
  write_config(options);
}

World::~World() {
  sim_->stop();
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir_);
}

void World::write_config(const WorldOptions& o) {
  const json source =
      o.journal_url.empty()
          ? json{{"type", "export"}, {"path", "export/sch-0001"}}
          : json{{"type", "http"}, {"base_url", o.journal_url}, {"token_file", "journal.token"}};
  const json config = {
      {"schools",
       {{{"id", "sch-0001"},
         {"source", source},
         {"fallback_admin", {{"platform_user_id", kFallbackAdmin}, {"label", "platform-admin"}}}}}},
      {"defaults", {{"limits", {{"max_removals", o.max_removals}}}}},
      {"platform",
       {{"base_url", sim_->base_url()},
        {"token_file", "platform.token"},
        {"requests_per_second", o.client_rps},
        {"timeout_ms", o.timeout_ms},
        {"batch_size", o.batch_size}}},
      {"store", {{"sqlite", "state/rosterd.db"}}}};
  json merged = config;
  merged.merge_patch(o.extra_config);
  std::ofstream(dir_ / "rosterd.json") << merged.dump(2);
}

json export_schools(const std::vector<std::string>& ids) {
  json schools = json::array();
  for (const auto& id : ids) {
    schools.push_back(
        {{"id", id},
         {"source", {{"type", "export"}, {"path", "export/" + id}}},
         {"fallback_admin", {{"platform_user_id", kFallbackAdmin}, {"label", "platform-admin"}}}});
  }
  return schools;
}

void World::write_journal(const mapping::Roster& roster) {
  generator::write_export(roster, dir_ / "export" / roster.org.id);
}

std::vector<std::string> World::sync_argv(mapping::Date today) const {
  return {ROSTERD_BIN, "sync", "--once", "--config", (dir_ / "rosterd.json").string(), "--today",
          today.iso()};
}

testing::RunResult World::sync(mapping::Date today) const {
  return testing::run(sync_argv(today), dir_);
}

testing::RunResult World::rosterd(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {ROSTERD_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--config", (dir_ / "rosterd.json").string()});
  return testing::run(argv, dir_);
}

json World::state() const { return json::parse(sim_->get("/sim/state")); }
json World::stats() const { return json::parse(sim_->get("/sim/stats")); }

std::string World::all_output() const {
  std::string all;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    if (entry.path().extension() == ".out") all += testing::read_file(entry.path());
  }
  return all;
}

JournalSim::JournalSim(const std::filesystem::path& dir, const mapping::Roster& school) {
  generator::write_export(school, dir / "journal-data" / school.org.id);
  std::ofstream(dir / "journal-tokens") << "e2e-journal-token-4343 " << school.org.id << "\n";
  server_ = std::make_unique<testing::SimServer>(
      JOURNAL_SIM_BIN,
      std::vector<std::string>{"--data", (dir / "journal-data").string(), "--token-file",
                               (dir / "journal-tokens").string(), "--seed", "5"},
      dir);
}

json JournalSim::roster() const { return json::parse(server_->get("/sim/state/sch-0001")); }
json JournalSim::stats() const { return json::parse(server_->get("/sim/stats")); }
void JournalSim::advance() { (void)server_->post("/sim/advance", R"({"days": 1})"); }
void JournalSim::fault(const std::string& mode) {
  (void)server_->post("/sim/faults", json{{"mode", mode}, {"count", 1000}}.dump());
}

PlatformView expected_view(const World& world, const std::string& org_id, mapping::Date today) {
  return model_view(read_export_journal(world.dir() / "export" / org_id), today.iso(),
                    kFallbackAdmin);
}

PlatformView observed_view(const json& state) {
  PlatformView view;
  std::set<std::string> seen;
  for (const auto& chat : state.at("chats")) {
    const auto title = chat.at("title").get<std::string>();
    if (chat.at("archived").get<bool>()) {  // read-only history; its title may live on
      view.archived.insert(title);
      continue;
    }
    if (!seen.insert(title).second) view.duplicate_titles.push_back(title);
    auto& members = view.live[title];
    for (const auto& m : chat.at("members")) {
      if (m.at("is_owner").get<bool>()) continue;
      members[m.at("user_id").get<mapping::PlatformUserId>()] = m.at("is_admin").get<bool>();
    }
  }
  return view;
}

std::string describe_difference(const PlatformView& want, const PlatformView& got) {
  std::ostringstream out;
  for (const auto& [title, members] : want.live) {
    const auto it = got.live.find(title);
    if (it == got.live.end()) {
      out << "missing chat «" << title << "»\n";
      continue;
    }
    for (const auto& [uid, admin] : members) {
      const auto m = it->second.find(uid);
      if (m == it->second.end()) out << "«" << title << "»: missing " << uid << "\n";
      else if (m->second != admin) out << "«" << title << "»: " << uid << " admin=" << m->second << "\n";
    }
    for (const auto& [uid, admin] : it->second) {
      if (!members.contains(uid)) out << "«" << title << "»: extra " << uid << "\n";
    }
  }
  for (const auto& [title, _] : got.live) {
    if (!want.live.contains(title)) out << "extra chat «" << title << "»\n";
  }
  for (const auto& t : got.duplicate_titles) out << "duplicate chat «" << t << "»\n";
  return out.str();
}

}  // namespace rosterd::e2e
