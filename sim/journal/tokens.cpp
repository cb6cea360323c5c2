#include "sim/journal/tokens.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rosterd::sim::journal {
namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::ifstream open(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read token file " + path);
  return in;
}

}  // namespace

Tokens::Tokens(const std::string& school_file, const std::string& regional_file) {
  if (school_file.empty() && regional_file.empty()) {
    regional_ = "test-token";
    return;
  }
  if (!school_file.empty()) {
    auto in = open(school_file);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      line = trim(line);
      if (line.empty() || line.starts_with('#')) continue;
      std::istringstream fields(line);
      std::string token;
      std::string org_id;
      std::string extra;
      // The message names the line, never the token on it.
      if (!(fields >> token >> org_id) || (fields >> extra)) {
        throw std::runtime_error(school_file + ":" + std::to_string(number) +
                                 ": expected TOKEN ORG_ID");
      }
      school_[token].insert(org_id);
    }
  }
  if (!regional_file.empty()) {
    auto in = open(regional_file);
    std::stringstream text;
    text << in.rdbuf();
    regional_ = trim(text.str());
    if (regional_->empty()) throw std::runtime_error("no token in " + regional_file);
  }
}

Access Tokens::access(const std::string& token) const {
  Access access;
  if (token.empty()) return access;
  if (regional_ && token == *regional_) {
    access.known = true;
    access.all = true;
    return access;
  }
  const auto it = school_.find(token);
  if (it != school_.end()) {
    access.known = true;
    access.orgs = it->second;
  }
  return access;
}

std::string bearer_token(const std::string& authorization) {
  constexpr std::string_view scheme = "Bearer ";
  if (authorization.size() <= scheme.size()) return {};
  // The scheme is case-insensitive (RFC 7235).
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i])))
      return {};
  }
  return trim(authorization.substr(scheme.size()));
}

}  // namespace rosterd::sim::journal
