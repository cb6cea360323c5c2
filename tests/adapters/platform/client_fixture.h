#pragma once
// A VkPlatform pointed at a FakePlatformServer, with fast backoff and a generous rate.

#include <memory>

#include "adapters/platform/vk_platform.h"
#include "tests/adapters/platform/fake_platform_server.h"

namespace rosterd::adapters::platform::testing {

inline constexpr const char* test_token = "tok-3f9a-SECRET-c0ffee";

inline PlatformOptions options_for(const FakePlatformServer& server) {
  PlatformOptions options;
  options.base_url = server.base_url();
  options.token = test_token;
  options.timeout_ms = 2000;
  options.max_attempts = 3;
  options.jitter_seed = 1;
  options.backoff_initial_ms = 1;
  options.backoff_max_ms = 4;
  return options;
}

inline std::unique_ptr<VkPlatform> client_with(PlatformOptions options) {
  return std::make_unique<VkPlatform>(std::move(options), std::make_shared<RateLimiter>(1000));
}

inline std::unique_ptr<VkPlatform> client_for(const FakePlatformServer& server) {
  return client_with(options_for(server));
}

inline mapping::PlatformWrite add(mapping::ChatId chat, mapping::PlatformUserId user) {
  return {mapping::ActionType::add_member, chat, "", user, mapping::MemberRole::member};
}

inline mapping::PlatformWrite remove(mapping::ChatId chat, mapping::PlatformUserId user) {
  return {mapping::ActionType::remove_member, chat, "", user, mapping::MemberRole::member};
}

}  // namespace rosterd::adapters::platform::testing
