#include "daemon/signals.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace rosterd::daemon {

SignalWatcher::SignalWatcher() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGHUP);
  if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0)
    throw std::system_error(errno, std::generic_category(), "pthread_sigmask");
  fd_ = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "signalfd");
}

SignalWatcher::~SignalWatcher() {
  ::close(fd_);
}

DaemonSignal SignalWatcher::take() const {
  signalfd_siginfo info{};
  const auto n = ::read(fd_, &info, sizeof info);
  if (n != static_cast<ssize_t>(sizeof info)) return DaemonSignal::none;
  switch (info.ssi_signo) {
    case SIGTERM:
    case SIGINT:
      return DaemonSignal::terminate;
    case SIGHUP:
      return DaemonSignal::reload;
    default:
      return DaemonSignal::none;
  }
}

}  // namespace rosterd::daemon
