#include "daemon/config_keys.h"

#include <algorithm>
#include <string_view>

#include "daemon/time_zone.h"

namespace rosterd::daemon::detail {

namespace {

// Whether errors may print a secret file's path: only a value written as a path ("/…", "./…",
// "../…"), printable and of a sane length. A token pasted where its file's name belongs is
// none of these (tokens do not start with '/' or '.'), so it never reaches a log line.
bool looks_like_path(std::string_view value) {
  const bool path_form =
      value.starts_with('/') || value.starts_with("./") || value.starts_with("../");
  const bool printable = std::none_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == '\x7f';
  });
  return path_form && printable && value.size() <= 255;
}

// A token's name goes into logs and metrics labels: plain characters only.
bool plain_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

SecretFile read_secret_ref(const Node& node, const std::filesystem::path& base_dir) {
  SecretFile secret;
  secret.key = node.path() + ".token_file";
  const auto file = node.member("token_file");
  const auto credential = node.member("token_credential");
  if (file && credential) {
    node.problem("give token_file or token_credential, not both");
  } else if (!file && !credential) {
    (void)node.member("token_file", true);
  }
  if (file) {
    if (auto text = file->text()) {
      secret.path = (base_dir / *text).lexically_normal();
      secret.show_path = looks_like_path(*text);
    }
  }
  if (credential) {
    secret.key = credential->path();
    if (auto text = credential->text()) {
      if (text->find('/') != std::string::npos || *text == "." || *text == "..") {
        credential->problem(
            "must be a credential's name (LoadCredential=NAME:…), a file name without '/'");
      }
      secret.credential = *text;
    }
  }
  return secret;
}

std::map<std::string, TokenConfig> read_tokens(const Node& node,
                                               const std::filesystem::path& base_dir) {
  std::map<std::string, TokenConfig> tokens;
  if (!node.object()) return tokens;
  for (const auto& item : node.value().items()) {
    const auto entry = *node.member(item.key());
    if (item.key() == "default") {
      entry.problem("\"default\" is the name of platform.token_file's budget; choose another name");
      continue;
    }
    if (!plain_name(item.key())) {
      entry.problem("a token's name is 1..64 letters, digits, '-', '_' or '.'");
      continue;
    }
    if (!entry.object()) continue;
    entry.only_keys({"token_file", "token_credential", "requests_per_second"});
    TokenConfig token;
    token.token_file = read_secret_ref(entry, base_dir);
    if (auto n = entry.member("requests_per_second"))
      token.requests_per_second = n->positive().value_or(token.requests_per_second);
    tokens.emplace(item.key(), std::move(token));
  }
  return tokens;
}

std::optional<std::string> zone_problem(const std::string& zone) {
  if (known_zone(zone)) return std::nullopt;
  return "unknown time zone \"" + zone + "\" (an IANA name such as Europe/Moscow or Asia/Kamchatka)";
}

std::optional<std::string> token_problem(const std::string& name,
                                         const std::map<std::string, TokenConfig>& tokens) {
  if (tokens.contains(name)) return std::nullopt;
  std::string known;
  for (const auto& [each, token] : tokens) known += (known.empty() ? "" : ", ") + each;
  return "no token \"" + name + "\" in platform.tokens (" +
         (known.empty() ? std::string{"it names none"} : "it names " + known) + ")";
}

void read_oneroster_keys(const Node& node, SourceConfig& source) {
  if (auto n = node.member("timezone")) {
    if (auto zone = n->text()) {
      if (auto problem = zone_problem(*zone)) n->problem(*problem);
      source.timezone = *zone;
    }
  }
  if (auto n = node.member("org_kinds"); n && n->object()) {
    for (const auto& item : n->value().items()) {
      const auto entry = *n->member(item.key());
      const auto text = entry.text();
      if (!text) continue;
      const auto kind = mapping::parse_org_kind(*text);
      if (!kind) {
        entry.problem("must be \"school\", \"kindergarten\" or \"additional\"");
        continue;
      }
      source.org_kinds[item.key()] = *kind;
    }
  }
  if (auto n = node.member("homerooms_only")) source.homerooms_only = n->boolean().value_or(false);
}

void read_school_keys(const Node& node, const std::map<std::string, TokenConfig>& tokens,
                      SchoolConfig& school) {
  if (auto n = node.member("timezone")) {
    if (auto zone = n->text()) {
      if (auto problem = zone_problem(*zone)) n->problem(*problem);
      school.timezone = *zone;
    }
  }
  if (auto n = node.member("platform_token")) {
    if (auto name = n->text()) {
      if (auto problem = token_problem(*name, tokens)) n->problem(*problem);
      school.platform_token = *name;
    }
  }
}

}  // namespace rosterd::daemon::detail
