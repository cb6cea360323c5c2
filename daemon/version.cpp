#include "daemon/version.h"

#include "rosterd_version.h"  // generated into the build tree

namespace rosterd::daemon {

std::string version_line() {
  return std::string{"rosterd "} + ROSTERD_VERSION + " (git " + ROSTERD_GIT_COMMIT + ")";
}

}  // namespace rosterd::daemon
