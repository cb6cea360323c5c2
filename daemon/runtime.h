#pragma once
// `rosterd run`: the daemon's controller. It owns the process side — config file, signals,
// sd_notify, the status server — and drives the work (worker_pool.h, sync.h) through a
// scheduling loop of named steps: wait → signals → finished cycles → dispatch → watchdog.

#include <filesystem>
#include <optional>
#include <ostream>

#include "daemon/config.h"
#include "daemon/i18n.h"

namespace rosterd::daemon {

struct RunOptions {
  std::filesystem::path config_file;
  std::optional<LogFormat> log_format;  // --log-format: overrides the config's log.format
  std::optional<Language> language;     // --lang: overrides the config's language (the page's)
};

// Runs until SIGTERM (or SIGINT); returns the exit code. A config that does not load is
// reported on `err`, every problem with its key path, and exits 1.
[[nodiscard]] int run_daemon(const RunOptions& options, std::ostream& err);

}  // namespace rosterd::daemon
