#pragma once
// Reading call parameters strictly: a malformed value is error 100, never a silent default.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/platform/platform.h"

namespace rosterd::sim {

// Thrown by the readers below; the platform answers it with error 100.
class ParamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[nodiscard]] std::int64_t required_int(const Params& params, const std::string& name);
[[nodiscard]] std::int64_t optional_int(const Params& params, const std::string& name,
                                        std::int64_t fallback);
[[nodiscard]] std::string optional_string(const Params& params, const std::string& name,
                                          const std::string& fallback);
// A comma list of positive ids; empty when the parameter is absent or empty.
[[nodiscard]] std::vector<std::int64_t> id_list(const Params& params, const std::string& name);

// The platform's title rules (createChat, editChat, a rename by hand): present, at most 128
// Unicode code points, no control characters (C0, DEL, C1). Throws ParamError.
void check_title(const std::string& title);

}  // namespace rosterd::sim
