#include "daemon/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdlib>

#include "daemon/i18n.h"
#include "mapping/text.h"

namespace rosterd::daemon {

bool shows_progress(int fd) {
  if (std::getenv("INVOCATION_ID") != nullptr || std::getenv("JOURNAL_STREAM") != nullptr)
    return false;
  return isatty(fd) == 1;
}

std::string time_left(std::size_t writes, std::size_t batch_size, double requests_per_second) {
  const auto requests = (writes + batch_size - 1) / std::max<std::size_t>(batch_size, 1);
  const auto seconds = static_cast<long long>(
      std::ceil(static_cast<double>(requests) / std::max(requests_per_second, 0.001)));
  if (seconds < 60) return tr("progress.seconds", "~{s} s", {{"s", std::to_string(seconds)}});
  auto two = [](long long v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  if (seconds < 3600) {
    return tr("progress.minutes", "~{m} min {s} s",
              {{"m", std::to_string(seconds / 60)}, {"s", two(seconds % 60)}});
  }
  return tr("progress.hours", "~{h} h {m} min",
            {{"h", std::to_string(seconds / 3600)}, {"m", two(seconds % 3600 / 60)}});
}

void TerminalProgress::update(const std::string& school, std::size_t done, std::size_t total) {
  out_ << "\r\x1b[K"
       << tr_n("progress.line", "{school}: {done} of {n} write, {left} left",
               "{school}: {done} of {n} writes, {left} left", static_cast<long long>(total),
               {{"school", mapping::printable(school)},
                {"done", std::to_string(done)},
                {"left", time_left(total - done, batch_size_, rps_)}})
       << std::flush;
  drawn_ = true;
}

void TerminalProgress::finish() {
  if (drawn_) out_ << "\n";
  drawn_ = false;
}

}  // namespace rosterd::daemon
