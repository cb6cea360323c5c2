#pragma once
// Progress of long work for a person at a terminal: a first sync of a school sends thousands of
// writes at a few requests a second, so `sync --once` says how far it is and how long is left
// at the token's rate. Under systemd (or with output to a file) it says nothing: the log lines
// serve there.

#include <cstddef>
#include <ostream>
#include <string>

namespace rosterd::daemon {

// Whether progress is shown on this stream's file descriptor: a terminal, and not a service
// (systemd sets INVOCATION_ID and JOURNAL_STREAM for the units it runs).
[[nodiscard]] bool shows_progress(int fd);

// "~2 мин 05 с" / "~2 min 05 s": the time `writes` take at `requests_per_second` requests of
// `batch_size` writes each.
[[nodiscard]] std::string time_left(std::size_t writes, std::size_t batch_size,
                                    double requests_per_second);

class TerminalProgress {
 public:
  TerminalProgress(std::ostream& out, std::size_t batch_size, double requests_per_second)
      : out_(out), batch_size_(batch_size), rps_(requests_per_second) {}
  // One line, rewritten in place: "school-1: 1 250 из 3 400 записей, осталось ~7 мин 10 с".
  void update(const std::string& school, std::size_t done, std::size_t total);
  // Ends the line if one was drawn.
  void finish();

 private:
  std::ostream& out_;
  std::size_t batch_size_;
  double rps_;
  bool drawn_ = false;
};

}  // namespace rosterd::daemon
