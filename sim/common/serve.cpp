#include "sim/common/serve.h"

#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

namespace rosterd::sim {

sigset_t block_stop_signals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return stop_signals;
}

int serve_until_stopped(httplib::Server& server, const sigset_t& stop_signals,
                        std::string_view name, int port, std::size_t threads,
                        const std::function<void()>& on_stop) {
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  const int bound = port == 0 ? server.bind_to_any_port("127.0.0.1")
                              : (server.bind_to_port("127.0.0.1", port) ? port : -1);
  const std::string label(name);
  if (bound < 0) {
    std::fprintf(stderr, "%s: cannot listen on 127.0.0.1:%d\n", label.c_str(), port);
    return 1;
  }
  std::printf("%s: listening on 127.0.0.1:%d\n", label.c_str(), bound);
  std::fflush(stdout);

  std::thread watcher([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    on_stop();
    server.stop();
  });
  const bool clean = server.listen_after_bind();
  // Listening ended on its own (an accept failure): wake the watcher so it can be joined.
  if (!clean) pthread_kill(watcher.native_handle(), SIGTERM);
  watcher.join();
  return clean ? 0 : 1;
}

}  // namespace rosterd::sim
