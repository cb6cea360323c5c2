#pragma once
// Who may see what: school tokens (one organisation each) and one regional token (all).
// Tokens are compared and never printed.

#include <map>
#include <optional>
#include <set>
#include <string>

namespace rosterd::sim::journal {

struct Access {
  bool known = false;  // false: 401
  bool all = false;    // a regional token
  std::set<std::string> orgs;

  [[nodiscard]] bool sees(const std::string& org_id) const { return all || orgs.contains(org_id); }
};

class Tokens {
 public:
  // From the files given (either may be empty: not given); with neither, "test-token" sees
  // everything. Throws std::runtime_error naming the file and line of a bad entry.
  Tokens(const std::string& school_file, const std::string& regional_file);

  [[nodiscard]] Access access(const std::string& token) const;

 private:
  std::map<std::string, std::set<std::string>> school_;
  std::optional<std::string> regional_;
};

// The bearer token of an Authorization header; empty when there is none.
[[nodiscard]] std::string bearer_token(const std::string& authorization);

}  // namespace rosterd::sim::journal
