#include "daemon/status_command.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "daemon/i18n.h"
#include "daemon/membership.h"
#include "daemon/wall_clock.h"
#include "daemon/wiring.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

struct RegionState {
  std::vector<mapping::DaemonMember> members;
  std::map<std::string, std::string> owner;     // school → the daemon that owns it
  std::map<std::string, std::size_t> owned;     // daemon → how many schools
  std::map<std::string, mapping::Lease> leases;  // school → its lease (expired ones too)
  std::vector<std::string> schools;
  std::string now;  // ISO 8601 UTC: an expiry before it is a lease nobody holds
};

RegionState read_region(const Config& config) {
  RegionState state;
  const auto store = open_store(config);
  state.members = store->daemons();
  for (const auto& lease : store->leases()) state.leases[lease.org_id] = lease;
  for (const auto& school : config.schools) state.schools.push_back(school.id);
  RegionView view;
  view.members = state.members;
  state.owner = owners(state.schools, view.names());
  for (const auto& [_, daemon] : state.owner) {
    if (!daemon.empty()) ++state.owned[daemon];
  }
  state.now = utc_now_iso();
  return state;
}

bool held(const mapping::Lease& lease, const std::string& now) {
  return lease.expires_at > now;
}

nlohmann::json as_json(const RegionState& s) {
  auto daemons = nlohmann::json::array();
  for (const auto& m : s.members) {
    const auto owned = s.owned.find(m.name);
    daemons.push_back({{"name", m.name},
                       {"since", m.since},
                       {"heartbeat_at", m.heartbeat_at},
                       {"expires_at", m.expires_at},
                       {"schools_owned", owned == s.owned.end() ? 0 : owned->second}});
  }
  auto schools = nlohmann::json::array();
  for (const auto& id : s.schools) {
    nlohmann::json school = {{"id", id}, {"owner", s.owner.at(id)}, {"lease", nullptr}};
    if (const auto it = s.leases.find(id); it != s.leases.end()) {
      school["lease"] = {{"holder", it->second.holder},
                         {"token", it->second.token},
                         {"expires_at", it->second.expires_at},
                         {"held", held(it->second, s.now)}};
    }
    schools.push_back(std::move(school));
  }
  return {{"daemons", daemons}, {"schools", schools}};
}

void write_text(const RegionState& s, std::ostream& out) {
  out << tr_n("coordination.daemons", "{n} live daemon:", "{n} live daemons:",
              static_cast<long long>(s.members.size()))
      << "\n";
  for (const auto& m : s.members) {
    const auto owned = s.owned.find(m.name);
    out << "  " << mapping::printable(m.name) << "  "
        << tr("coordination.daemon",
              "since {since}, last heartbeat {heartbeat}, schools: {owned}",
              {{"since", m.since},
               {"heartbeat", m.heartbeat_at},
               {"owned", std::to_string(owned == s.owned.end() ? 0 : owned->second)}})
        << "\n";
  }
  out << tr_n("coordination.schools", "{n} school:", "{n} schools:",
              static_cast<long long>(s.schools.size()))
      << "\n";
  for (const auto& id : s.schools) {
    const auto& owner = s.owner.at(id);
    out << "  " << mapping::printable(id) << "  "
        << (owner.empty() ? tr("coordination.no_owner", "no live daemon owns it")
                          : tr("coordination.owner", "owner {daemon}",
                               {{"daemon", mapping::printable(owner)}}));
    const auto it = s.leases.find(id);
    if (it == s.leases.end()) {
      out << "; " << tr("coordination.never_leased", "never synced");
    } else if (held(it->second, s.now)) {
      out << "; " << tr("coordination.lease", "lease held by {holder} until {until}",
                        {{"holder", mapping::printable(it->second.holder)},
                         {"until", it->second.expires_at}});
    } else {
      out << "; " << tr("coordination.lease_free", "lease free (last {holder})",
                        {{"holder", mapping::printable(it->second.holder)}});
    }
    out << "\n";
  }
}

}  // namespace

int show_region_status(const Config& config, StatusFormat format, std::ostream& out,
                       std::ostream& err) {
  RegionState state;
  try {
    state = read_region(config);
  } catch (const std::exception& e) {
    err << "rosterd: " << mapping::printable_lines(e.what()) << "\n";
    return 1;
  }
  if (format == StatusFormat::json) {
    out << as_json(state).dump(2) << "\n";
  } else {
    write_text(state, out);
  }
  return 0;
}

}  // namespace rosterd::daemon
