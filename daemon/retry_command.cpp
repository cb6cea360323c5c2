#include "daemon/retry_command.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "daemon/i18n.h"
#include "daemon/observability.h"
#include "daemon/status_page.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

// Where this machine reaches the daemon's server on loopback: a wildcard address listens on
// loopback too; any other address would make this command a non-loopback peer, refused.
std::optional<std::string> loopback_host(const std::string& address) {
  if (address == "0.0.0.0" || address.empty()) return "127.0.0.1";
  if (address == "::") return "::1";
  if (is_loopback_address(address)) return address;
  return std::nullopt;
}

int answered(const httplib::Result& res, const std::string& school, std::ostream& out,
             std::ostream& err) {
  std::string answer;
  try {
    answer = nlohmann::json::parse(res->body).value("answer", "");
  } catch (const nlohmann::json::exception&) {
    answer = "http " + std::to_string(res->status);
  }
  if (answer == "queued") {
    out << tr("status.retry.queued", "School {school} runs again now.", {{"school", school}})
        << "\n";
    return 0;
  }
  if (answer == "running") {
    err << tr("status.retry.running", "School {school} is running now: nothing to retry.",
              {{"school", school}})
        << "\n";
  } else if (answer == "unknown_school") {
    err << tr("status.retry.unknown",
              "The running daemon has no school {school}: reload it (SIGHUP) after changing its "
              "config.",
              {{"school", school}})
        << "\n";
  } else {
    err << tr("status.retry.refused", "The daemon did not take the retry: {answer}.",
              {{"answer", mapping::printable(answer)}})
        << "\n";
  }
  return 1;
}

}  // namespace

int retry_school(const Config& config, const std::string& school_id, std::optional<int> port,
                 std::ostream& out, std::ostream& err) {
  const std::string school = mapping::printable(school_id);
  if (config.find_school(school_id) == nullptr) {
    err << "rosterd: --school " << school << ": "
        << tr("status.retry.not_configured", "no such school in {file}",
              {{"file", config.file.string()}})
        << "\n";
    return 1;
  }
  const auto host = loopback_host(config.observability.address);
  const int to = port.value_or(config.observability.port);
  if (!host || to <= 0) {
    err << "rosterd: "
        << tr("status.retry.no_address",
              "observability.address and .port must name a loopback address and a fixed port "
              "(or give --port)")
        << "\n";
    return 1;
  }
  httplib::Client client(*host, to);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(15, 0);
  const auto res = client.Post(("/schools/" + url_segment(school_id) + "/retry").c_str());
  if (!res) {
    err << "rosterd: "
        << tr("status.retry.no_daemon", "no rosterd answers on {host} port {port}: is it running?",
              {{"host", *host}, {"port", std::to_string(to)}})
        << "\n";
    return 1;
  }
  return answered(res, school, out, err);
}

}  // namespace rosterd::daemon
