#pragma once
// journal-sim's settings, as the command line gives them.

#include <cstddef>
#include <cstdint>
#include <string>

#include "mapping/date.h"

namespace rosterd::sim::journal {

struct Options {
  int port = 0;  // 0: any free port
  std::string data_dir;
  std::string token_file;           // lines "TOKEN ORG_ID"; empty: not given
  std::string regional_token_file;  // one token that sees every organisation; empty: not given
  std::uint64_t seed = 1;           // drives the generator's movement on /sim/advance
  std::size_t page_size = 500;      // the default `limit`
  mapping::Date day = mapping::Date::from_ymd(2026, 9, 1);  // the day the data describes
  bool verbose = false;                                     // one line per data request on stderr
};

}  // namespace rosterd::sim::journal
