// The HTTP side of the observability module: cpp-httplib in a thread of its own. It only
// reads the Observatory (which locks), so a slow scrape never holds up a sync cycle.
#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "daemon/observability.h"

namespace rosterd::daemon {

namespace {

constexpr const char* metrics_type = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* html_type = "text/html; charset=utf-8";

}  // namespace

struct StatusServer::Impl {
  const Observatory& observatory;
  httplib::Server server;
  int port = 0;
  std::atomic<bool> finished{false};
  std::thread thread;

  explicit Impl(const Observatory& o) : observatory(o) {}
  void routes();
};

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
  server.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content(observatory.status_html(), html_type);
  });
}

StatusServer::StatusServer(const Observatory& observatory, const std::string& address, int port)
    : impl_(std::make_unique<Impl>(observatory)) {
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
