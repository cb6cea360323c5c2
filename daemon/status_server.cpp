// The HTTP side of the observability module: cpp-httplib in a thread of its own. It only
// reads the Observatory (which locks), so a slow scrape never holds up a sync cycle.
#include <httplib.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "daemon/i18n.h"
#include "daemon/observability.h"
#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

constexpr const char* metrics_type = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* html_type = "text/html; charset=utf-8";
constexpr const char* json_type = "application/json";

int retry_status(RetryAnswer answer) {
  switch (answer) {
    case RetryAnswer::queued: return 202;
    case RetryAnswer::running: return 409;
    case RetryAnswer::unknown_school: return 404;
    case RetryAnswer::unavailable: return 503;
  }
  return 503;
}

}  // namespace

bool is_loopback_address(std::string_view address) noexcept {
  const std::string a(address);
  in_addr v4{};
  if (inet_pton(AF_INET, a.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, a.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  // ::ffff:127.x.y.z, as a dual-stack socket shows an IPv4 peer.
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

struct StatusServer::Impl {
  const Observatory& observatory;
  StatusHooks hooks;
  httplib::Server server;
  int port = 0;
  std::atomic<bool> finished{false};
  std::thread thread;

  Impl(const Observatory& o, StatusHooks h) : observatory(o), hooks(std::move(h)) {}
  void routes();
  void school_page(const httplib::Request& req, httplib::Response& res) const;
  void retry(const httplib::Request& req, httplib::Response& res) const;
};

// The id comes decoded from the path; only a configured school has a page.
void StatusServer::Impl::school_page(const httplib::Request& req, httplib::Response& res) const {
  res.set_header("Cache-Control", "no-store");
  if (auto page = observatory.school_html(req.matches[1].str(), hooks)) {
    res.set_content(*page, html_type);
    return;
  }
  // Plain text: an id from the address bar is never markup here.
  res.status = 404;
  res.set_content(tr("status.not_found", "No school {id} is configured.",
                     {{"id", mapping::printable(req.matches[1].str())}}) +
                      "\n",
                  "text/plain; charset=utf-8");
}

// Asking the daemon to run a school now changes what it does, so only a process of this
// machine may ask (the status server may listen on other addresses for the page).
void StatusServer::Impl::retry(const httplib::Request& req, httplib::Response& res) const {
  nlohmann::json answer{{"school", req.matches[1].str()}};
  if (!is_loopback_address(req.remote_addr)) {
    res.status = 403;
    answer["answer"] = "refused";
    answer["error"] = "retry is only accepted from a loopback address";
  } else {
    const auto a = hooks.retry ? hooks.retry(req.matches[1].str()) : RetryAnswer::unavailable;
    res.status = retry_status(a);
    answer["answer"] = name(a);
  }
  res.set_content(answer.dump() + "\n", json_type);
}

void StatusServer::Impl::routes() {
  // A scrape, a health probe and a person at a phone: two workers are plenty.
  server.new_task_queue = [] { return new httplib::ThreadPool(2); };
  // httplib's default adds SO_REUSEPORT, which would let a second daemon share the port
  // silently; a port in use must be an error.
  server.set_socket_options([](auto sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(observatory.prometheus_text(), metrics_type);
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain; charset=utf-8");
  });
  server.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content(observatory.status_html(req.get_param_value("q")), html_type);
  });
  server.Get(R"(/school/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
    school_page(req, res);
  });
  server.Post(R"(/schools/(.+)/retry)", [this](const httplib::Request& req,
                                                httplib::Response& res) { retry(req, res); });
}

StatusServer::StatusServer(const Observatory& observatory, const std::string& address, int port,
                           StatusHooks hooks)
    : impl_(std::make_unique<Impl>(observatory, std::move(hooks))) {
  Impl& im = *impl_;
  im.routes();
  if (port == 0) {
    im.port = im.server.bind_to_any_port(address);
    if (im.port <= 0) throw std::runtime_error("status server: cannot listen on " + address);
  } else {
    if (!im.server.bind_to_port(address, port))
      throw std::runtime_error("status server: cannot listen on " + address + ":" +
                               std::to_string(port));
    im.port = port;
  }
  im.thread = std::thread([&im] {
    im.server.listen_after_bind();
    im.finished = true;
  });
  // stop() only acts on a running server: wait until it runs, so that the destructor can
  // always stop it, and a client may connect as soon as the constructor returns.
  while (!im.server.is_running() && !im.finished) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

StatusServer::~StatusServer() {
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int StatusServer::port() const noexcept {
  return impl_->port;
}

}  // namespace rosterd::daemon
