#pragma once
// The controller: argv, the config file and the clock. It turns them into a request for
// the work (planner.h) and the work's result into output and an exit code.

#include <ostream>

namespace rosterd::daemon {

// Exit codes of `rosterd plan --detailed-exitcode`; without the flag, changes exit 0.
inline constexpr int exit_ok = 0;
inline constexpr int exit_error = 1;
inline constexpr int exit_changes = 2;

[[nodiscard]] int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace rosterd::daemon
