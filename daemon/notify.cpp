#include "daemon/notify.h"

#include <systemd/sd-daemon.h>
#include <time.h>

#include <cstdint>
#include <string>

namespace rosterd::daemon {

namespace {

void notify(const std::string& state) {
  // 0: keep $NOTIFY_SOCKET, every later message needs it. A failure to notify is not a reason
  // to stop syncing: the watchdog or the start timeout will tell the service manager.
  (void)sd_notify(0, state.c_str());
}

}  // namespace

ServiceNotifier::ServiceNotifier() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
    watchdog_period_ = std::chrono::microseconds(usec / 2);
}

void ServiceNotifier::ready() const {
  notify("READY=1");
}

void ServiceNotifier::status(std::string_view line) const {
  std::string state = "STATUS=";
  for (const char c : line) state += c == '\n' ? ' ' : c;
  notify(state);
}

void ServiceNotifier::watchdog() const {
  notify("WATCHDOG=1");
}

void ServiceNotifier::reloading() const {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const auto usec = static_cast<unsigned long long>(now.tv_sec) * 1'000'000ULL +
                    static_cast<unsigned long long>(now.tv_nsec) / 1000ULL;
  notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void ServiceNotifier::stopping() const {
  notify("STOPPING=1");
}

}  // namespace rosterd::daemon
