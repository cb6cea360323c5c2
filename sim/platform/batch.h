#pragma once
// The execute method's batch form, parsed on its own (the client encodes it with its own code):
//   return [API.<method>(<JSON object>), ...];
// Strict: anything else is "unparseable" (error 12). No other VKScript is understood.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/platform/platform.h"

namespace rosterd::sim {

inline constexpr std::size_t max_batch_calls = 25;

struct BatchCall {
  std::string method;
  Params params;
  std::string param_error;  // non-empty: a value that is no parameter (an object, null)
};

// The calls in order, or nullopt when the code is not the batch form.
[[nodiscard]] std::optional<std::vector<BatchCall>> parse_batch(std::string_view code);

}  // namespace rosterd::sim
