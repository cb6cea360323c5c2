#pragma once
// The service manager's side channel (sd_notify through libsystemd): READY, STATUS, WATCHDOG,
// RELOADING and STOPPING. Without $NOTIFY_SOCKET every call is a no-op, so `rosterd run` works
// the same outside systemd.

#include <chrono>
#include <optional>
#include <string_view>

namespace rosterd::daemon {

class ServiceNotifier {
 public:
  // Reads $WATCHDOG_USEC (and $WATCHDOG_PID) once.
  ServiceNotifier();

  void ready() const;
  void status(std::string_view line) const;
  void watchdog() const;
  // RELOADING=1 with MONOTONIC_USEC, as systemd's Type=notify-reload expects; ready() after.
  void reloading() const;
  void stopping() const;

  // Half the watchdog timeout: how often watchdog() must be called; nullopt when disabled.
  [[nodiscard]] std::optional<std::chrono::microseconds> watchdog_period() const noexcept {
    return watchdog_period_;
  }

 private:
  std::optional<std::chrono::microseconds> watchdog_period_;
};

}  // namespace rosterd::daemon
