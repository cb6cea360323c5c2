#pragma once
// The signals the daemon acts on, read through a signalfd: no handler runs, the scheduling loop
// reads them as events in its own time (OpenBSD ntpd style). Construct it before any thread is
// started, so every thread inherits the blocked mask and the signals reach only the fd.

#include <chrono>
#include <cstdint>

namespace rosterd::daemon {

enum class DaemonSignal : std::uint8_t { none, terminate, reload };

class SignalWatcher {
 public:
  // Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and opens the signalfd.
  // Throws std::system_error when the fd cannot be made.
  SignalWatcher();
  // Closes the fd. The signals stay blocked: one arriving while the process winds down must not
  // kill it with its default action half way through.
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  // For poll(): readable when a signal is pending.
  [[nodiscard]] int fd() const noexcept { return fd_; }
  // The next pending signal, or none; never blocks.
  [[nodiscard]] DaemonSignal take() const;

 private:
  int fd_ = -1;
};

}  // namespace rosterd::daemon
