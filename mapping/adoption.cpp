// Placeholder until the adoption helper's branch lands (replaced wholesale at merge).
#include "mapping/adoption.h"

namespace rosterd::mapping {
AdoptionResult adopt(const AdoptionInput&) { return {}; }
std::vector<ChatId> adoption_candidates(const DesiredState&, const AppliedState&,
                                        std::span<const PlatformChat>, const std::set<ChatId>&) {
  return {};
}
}  // namespace rosterd::mapping
