// rosterd: everything is in the rosterd_daemon library; this only hands it the process.
#include <sys/stat.h>

#include <iostream>

#include "daemon/cli.h"

int main(int argc, char** argv) {
  // Whatever rosterd creates (the state store with live invite links, snapshots, their
  // folders) is for its own user only: 0600 files, 0700 folders, whatever the caller's umask.
  ::umask(077);
  return rosterd::daemon::run_cli(argc, argv, std::cout, std::cerr);
}
