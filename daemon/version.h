#pragma once
// What `rosterd --version` prints: "rosterd 0.13.0 (git 1a2b3c4)". The version is the CMake
// project's (CMakeLists.txt); the commit is read at build time (cmake/version_header.cmake).

#include <string>

namespace rosterd::daemon {

[[nodiscard]] std::string version_line();

}  // namespace rosterd::daemon
