// rosterd: everything is in the rosterd_daemon library; this only hands it the process.
#include <iostream>

#include "daemon/cli.h"

int main(int argc, char** argv) {
  return rosterd::daemon::run_cli(argc, argv, std::cout, std::cerr);
}
