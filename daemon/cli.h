#pragma once
// The controller: argv, the config file and the clock. It turns them into a request for
// the work (planner.h) and the work's result into output and an exit code.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "daemon/config.h"
#include "daemon/sync.h"

namespace rosterd::daemon {

// Exit codes of `rosterd plan --detailed-exitcode`; without the flag, changes exit 0.
inline constexpr int exit_ok = 0;
inline constexpr int exit_error = 1;
inline constexpr int exit_changes = 2;
// `rosterd adopt`: 0 bound, 1 refused (or an error), 2 bad usage.
inline constexpr int exit_usage = 2;

// `rosterd sync --once [--audit]`.
struct SyncArgs {
  std::string config;
  std::string school;
  std::string today;
  bool once = false;
  bool audit = false;  // read every managed chat's members now
};

// The arguments after the program's name ("sync", "--config", …), read as run_cli reads them.
// nullopt after printing the problem to `err`.
[[nodiscard]] std::optional<SyncArgs> parse_sync_args(const std::vector<std::string>& args,
                                                      std::ostream& err);
// What one school's cycle is asked to do by the command.
[[nodiscard]] SyncSettings sync_command_settings(const Config& config, const SchoolConfig& school,
                                                 const SyncArgs& args);

[[nodiscard]] int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace rosterd::daemon
