#include "daemon/config.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "daemon/config_bindings.h"
#include "daemon/config_keys.h"
#include "daemon/config_node.h"
#include "daemon/config_runtime.h"
#include "daemon/config_settings.h"

namespace rosterd::daemon {

using detail::Node;
using detail::read_secret_ref;

namespace {

// Placeholders render_title understands; anything else in braces is a typo.
void check_placeholders(const Node& title, const std::string& text, bool has_group) {
  for (auto open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const auto close = text.find('}', open);
    if (close == std::string::npos) return;
    const auto field = text.substr(open, close - open + 1);
    if (field == "{group.name}" && !has_group) {
      title.problem("the staff chat has no group, so " + field + " cannot be filled");
    } else if (field != "{group.name}" && field != "{org.short_name}" && field != "{org.name}" &&
               field != "{year}") {
      title.problem("unknown placeholder " + field +
                    " (known: {group.name}, {org.short_name}, {org.name}, {year})");
    }
  }
}

std::optional<mapping::ChatTemplate> read_template(const Node& node, bool is_staff) {
  if (!node.object()) return std::nullopt;
  node.only_keys(
      is_staff ? std::initializer_list<std::string_view>{"title"}
               : std::initializer_list<std::string_view>{"kind", "title", "include_teachers"});
  mapping::ChatTemplate tmpl;
  bool ok = true;
  if (is_staff) {
    tmpl.kind = mapping::ChatKind::staff;
  } else if (auto kind = node.member("kind", true)) {
    auto text = kind->text();
    auto parsed = text ? mapping::parse_chat_kind(*text) : std::nullopt;
    if (text && (!parsed || *parsed == mapping::ChatKind::staff)) {
      kind->problem("must be one of class, parents, association");
    }
    ok = parsed.has_value() && *parsed != mapping::ChatKind::staff;
    if (ok) tmpl.kind = *parsed;
  } else {
    ok = false;
  }
  if (auto title = node.member("title", true); title && title->text()) {
    tmpl.title = title->value().get<std::string>();
    check_placeholders(*title, tmpl.title, !is_staff);
  } else {
    ok = false;
  }
  if (auto teachers = node.member("include_teachers")) {
    tmpl.include_teachers = teachers->boolean().value_or(false);
  }
  if (!ok) return std::nullopt;
  return tmpl;
}

void read_template_list(const Node& node, std::vector<mapping::ChatTemplate>& out) {
  if (!node.array()) return;
  out.clear();
  for (const auto& element : node.elements()) {
    if (auto tmpl = read_template(element, false)) out.push_back(*tmpl);
  }
}

void read_org_rules(const Node& node, mapping::OrgRules& rules) {
  if (!node.object()) return;
  node.only_keys(
      {"class", "kindergarten_group", "association", "staff_chat", "staff_admin_positions"});
  if (auto n = node.member("class")) read_template_list(*n, rules.class_chats);
  if (auto n = node.member("kindergarten_group"))
    read_template_list(*n, rules.kindergarten_group_chats);
  if (auto n = node.member("association")) read_template_list(*n, rules.association_chats);
  if (auto n = node.member("staff_chat")) {
    // null: this kind of organisation gets no staff chat.
    rules.staff_chat = n->value().is_null() ? std::nullopt : read_template(*n, true);
  }
  if (auto n = node.member("staff_admin_positions"); n && n->array()) {
    rules.staff_admin_positions.clear();
    for (const auto& element : n->elements()) {
      if (auto position = element.text()) rules.staff_admin_positions.push_back(*position);
    }
  }
}

void read_rules(const Node& node, mapping::Rules& rules) {
  if (!node.object()) return;
  node.only_keys({"school", "kindergarten", "additional"});
  if (auto n = node.member("school")) read_org_rules(*n, rules.school);
  if (auto n = node.member("kindergarten")) read_org_rules(*n, rules.kindergarten);
  if (auto n = node.member("additional")) read_org_rules(*n, rules.additional);
}

void read_policy(const Node& node, mapping::Policy& policy) {
  if (!node.object()) return;
  node.only_keys({"grace_days", "invite_ttl_days", "strict", "removed_by_hand"});
  if (auto n = node.member("grace_days")) {
    if (auto v = n->integer(0)) policy.grace_days = static_cast<int>(*v);
  }
  if (auto n = node.member("invite_ttl_days")) {
    if (auto v = n->integer(1)) policy.invite_ttl_days = static_cast<int>(*v);
  }
  if (auto n = node.member("strict")) policy.strict = n->boolean().value_or(policy.strict);
  if (auto n = node.member("removed_by_hand")) {
    if (auto text = n->text(); text && (*text == "restore" || *text == "report")) {
      policy.restore_removed = *text == "restore";
    } else if (text) {
      n->problem("must be \"restore\" or \"report\"");
    }
  }
}

void read_limits(const Node& node, mapping::Limits& limits) {
  if (!node.object()) return;
  node.only_keys({"max_removals", "max_removal_share", "max_archives", "max_archive_share",
                  "max_source_drop"});
  if (auto n = node.member("max_removals")) {
    if (auto v = n->integer(0)) limits.max_removals = static_cast<int>(*v);
  }
  if (auto n = node.member("max_archives")) {
    if (auto v = n->integer(0)) limits.max_archives = static_cast<int>(*v);
  }
  if (auto n = node.member("max_removal_share")) {
    limits.max_removal_share = n->share().value_or(limits.max_removal_share);
  }
  if (auto n = node.member("max_archive_share")) {
    limits.max_archive_share = n->share().value_or(limits.max_archive_share);
  }
  if (auto n = node.member("max_source_drop")) {
    limits.max_source_drop = n->share().value_or(limits.max_source_drop);
  }
}

// An API's address. A user or password in it ("https://user:secret@host") is refused without
// quoting it: URLs get logged, and the token has its own file.
std::string read_base_url(const Node& node) {
  auto text = node.text();
  if (!text) return {};
  if (!text->starts_with("http://") && !text->starts_with("https://"))
    node.problem("must start with http:// or https://");
  if (text->find('@') != std::string::npos) {
    node.problem("must not carry a user name or password (…@host): give the token in token_file");
  }
  return *text;
}

PlatformConfig read_platform(const Node& node, const std::filesystem::path& base_dir) {
  PlatformConfig platform;
  if (!node.object()) return platform;
  node.only_keys({"base_url", "token_file", "token_credential", "requests_per_second", "timeout_ms",
                  "batch_size", "tokens"});
  if (auto n = node.member("base_url", true)) platform.base_url = read_base_url(*n);
  platform.token_file = read_secret_ref(node, base_dir);
  if (auto n = node.member("requests_per_second")) {
    platform.requests_per_second = n->positive().value_or(platform.requests_per_second);
  }
  if (auto n = node.member("timeout_ms")) {
    if (auto v = n->integer(1)) platform.timeout_ms = static_cast<int>(*v);
  }
  if (auto n = node.member("batch_size")) {
    if (auto v = n->integer(1)) {
      if (*v > 25) n->problem("must be at most 25 (the platform's execute limit)");
      platform.batch_size = static_cast<int>(std::min<long long>(*v, 25));
    }
  }
  if (auto n = node.member("tokens")) platform.tokens = detail::read_tokens(*n, base_dir);
  return platform;
}

// "password=…" in a keyword string, or "user:secret@" in a URI.
bool carries_password(std::string_view conninfo) {
  if (conninfo.find("password") != std::string_view::npos) return true;
  const auto scheme = conninfo.find("://");
  if (scheme == std::string_view::npos) return false;
  const auto rest = conninfo.substr(scheme + 3);
  const auto at = rest.find('@');
  return at != std::string_view::npos && rest.substr(0, at).find(':') != std::string_view::npos;
}

StoreConfig read_store(const Node& node, const std::filesystem::path& base_dir) {
  StoreConfig store;
  if (!node.object()) return store;
  node.only_keys({"sqlite", "postgres"});
  const auto sqlite = node.member("sqlite");
  const auto postgres = node.member("postgres");
  if (sqlite.has_value() == postgres.has_value()) {
    node.problem("must name exactly one of sqlite (a file) or postgres (a connection string)");
  }
  if (sqlite) {
    if (auto text = sqlite->text()) store.sqlite_path = (base_dir / *text).lexically_normal();
  }
  if (postgres) {
    store.kind = StoreKind::postgres;
    if (auto text = postgres->text()) {
      if (carries_password(*text))
        postgres->problem("must not carry a password: use a passfile (passfile=… or PGPASSFILE)");
      store.postgres = *text;
    }
  }
  return store;
}

struct Defaults {
  mapping::Rules rules = mapping::Rules::defaults();
  mapping::Policy policy;
  mapping::Limits limits;
};

Defaults read_defaults(const std::optional<Node>& node) {
  Defaults defaults;
  if (!node || !node->object()) return defaults;
  node->only_keys({"policy", "limits", "rules"});
  if (auto n = node->member("policy")) read_policy(*n, defaults.policy);
  if (auto n = node->member("limits")) read_limits(*n, defaults.limits);
  if (auto n = node->member("rules")) read_rules(*n, defaults.rules);
  return defaults;
}

// export: {type, path}; http: {type, base_url, token_file | token_credential, timeout_ms?};
// oneroster: {type, path, platform_id_type?, timezone?, org_kinds?, homerooms_only?}. A region's
// source names the `root` folder that
// holds one folder per school instead of one school's `path`.
void read_source(const Node& node, const std::filesystem::path& base_dir, SourceConfig& source,
                 bool region = false) {
  if (!node.object()) return;
  std::string type = "export";
  if (auto n = node.member("type", true)) {
    type = n->text().value_or("");
    if (type != "export" && type != "http" && type != "oneroster")
      n->problem("must be \"export\", \"http\" or \"oneroster\"");
  }
  const std::string_view folder_key = region ? "root" : "path";
  const auto path = [&](bool required) {
    if (auto n = node.member(folder_key, required)) {
      if (auto text = n->text()) source.path = (base_dir / *text).lexically_normal();
    }
  };
  if (type == "http") {
    source.type = SourceType::http;
    node.only_keys({"type", "base_url", "token_file", "token_credential", "timeout_ms"});
    if (auto n = node.member("base_url", true)) source.base_url = read_base_url(*n);
    source.token_file = read_secret_ref(node, base_dir);
    if (auto n = node.member("timeout_ms")) {
      if (auto v = n->integer(1)) source.timeout_ms = static_cast<int>(*v);
    }
  } else if (type == "oneroster") {
    source.type = SourceType::oneroster;
    node.only_keys({"type", folder_key, "platform_id_type", "timezone", "org_kinds",
                    "homerooms_only"});
    path(true);
    if (auto n = node.member("platform_id_type")) source.platform_id_type = n->text().value_or("");
    detail::read_oneroster_keys(node, source);
  } else {
    node.only_keys({"type", folder_key});
    path(true);
  }
}

void read_fallback_admin(const Node& node, mapping::Rules& rules) {
  if (!node.object()) return;
  node.only_keys({"platform_user_id", "label"});
  mapping::FallbackAdmin admin;
  if (auto uid = node.member("platform_user_id", true)) {
    if (auto v = uid->integer(1)) admin.platform_user_id = *v;
  }
  admin.person_id = "uid:" + std::to_string(admin.platform_user_id);
  if (auto label = node.member("label")) {
    if (auto text = label->text()) admin.person_id = *text;
  }
  rules.fallback_admin = admin;
}

// The named tokens a school's `platform_token` may name.
const std::map<std::string, TokenConfig>& tokens_of(const Config& config) {
  static const std::map<std::string, TokenConfig> none;
  return config.platform ? config.platform->tokens : none;
}

SchoolConfig read_school(const Node& node, const Defaults& defaults,
                         const std::filesystem::path& base_dir, const Config& config) {
  SchoolConfig school{{}, {}, defaults.rules, defaults.policy, defaults.limits, {}, {}, {}};
  if (!node.object()) return school;
  node.only_keys({"id", "source", "fallback_admin", "policy", "limits", "bindings", "timezone",
                  "platform_token"});
  if (auto id = node.member("id", true)) school.id = id->text().value_or("");
  if (auto n = node.member("bindings")) school.bindings = detail::read_bindings(*n, school.id);
  if (auto n = node.member("source", true)) read_source(*n, base_dir, school.source);
  if (auto n = node.member("fallback_admin")) read_fallback_admin(*n, school.rules);
  if (auto n = node.member("policy")) read_policy(*n, school.policy);
  if (auto n = node.member("limits")) read_limits(*n, school.limits);
  detail::read_school_keys(node, tokens_of(config), school);
  return school;
}

void read_schools(const Node& node, const Defaults& defaults, const std::filesystem::path& base_dir,
                  Config& config) {
  const auto elements = node.elements();
  if (node.value().is_array() && elements.empty()) node.problem("must list at least one school");
  for (const auto& element : elements) {
    auto school = read_school(element, defaults, base_dir, config);
    if (!school.id.empty() && config.find_school(school.id) != nullptr) {
      element.member("id")->problem("duplicate school id " + school.id);
    }
    config.schools.push_back(std::move(school));
  }
  detail::check_bindings_unique(node, config.schools);
}

// `region.schools: "all"`: the schools are listed later (with_listed_schools), by the region's
// http source, the only one that can list.
void read_discovery(const Node& region, const Node& schools, SchoolConfig school,
                    std::map<std::string, SchoolSettings> settings, Config& config) {
  if (schools.value() != "all") {
    schools.problem(R"(must be a list of school ids or "all")");
    return;
  }
  if (school.source.type != SourceType::http) {
    schools.problem(R"("all" needs an http source: only the journal's API lists organisations)");
  }
  RegionDiscovery discovery{std::move(school), {}, 3600, std::move(settings)};
  if (auto n = region.member("exclude")) {
    for (const auto& element : n->elements()) {
      if (auto id = element.text()) discovery.exclude.push_back(*id);
    }
  }
  if (auto n = region.member("list_interval_s")) {
    if (auto v = n->integer(1)) {
      if (*v > 365LL * 24 * 3600) {
        n->problem("must be at most " + std::to_string(365LL * 24 * 3600));
      } else {
        discovery.list_interval_s = static_cast<int>(*v);
      }
    }
  }
  config.discovery = std::move(discovery);
}

// A region: one source for many schools, each school's folder being root/<id>; its schools
// listed by id, or "all" that its http source lists. The settings file's row of a school is
// laid over the region's settings.
void read_region(const Node& node, const Defaults& defaults, const std::filesystem::path& base_dir,
                 Config& config) {
  if (!node.object()) return;
  node.only_keys({"source", "schools", "exclude", "list_interval_s", "settings_file",
                  "fallback_admin", "policy", "limits", "timezone", "platform_token"});
  SchoolConfig region{{}, {}, defaults.rules, defaults.policy, defaults.limits, {}, {}, {}};
  if (auto n = node.member("source", true)) read_source(*n, base_dir, region.source, true);
  if (auto n = node.member("fallback_admin")) read_fallback_admin(*n, region.rules);
  if (auto n = node.member("policy")) read_policy(*n, region.policy);
  if (auto n = node.member("limits")) read_limits(*n, region.limits);
  detail::read_school_keys(node, tokens_of(config), region);
  std::map<std::string, SchoolSettings> settings;
  std::string settings_name;
  if (auto n = node.member("settings_file")) {
    if (auto text = n->text()) {
      const auto file = (base_dir / *text).lexically_normal();
      settings_name = file.string();
      settings = detail::read_settings_file(*n, file, tokens_of(config));
    }
  }
  const auto ids = node.member("schools", true);
  if (!ids) return;
  if (ids->value().is_string()) {
    read_discovery(node, *ids, std::move(region), std::move(settings), config);
    return;
  }
  for (const auto* key : {"exclude", "list_interval_s"}) {
    if (auto n = node.member(key)) n->problem(R"(only with "schools": "all")");
  }
  const auto root = region.source.path;
  const auto elements = ids->elements();
  if (ids->value().is_array() && elements.empty()) ids->problem("must list at least one school");
  for (const auto& element : elements) {
    const auto id = element.text();
    if (!id) continue;
    if (id->find('/') != std::string::npos || *id == "." || *id == "..") {
      element.problem("a school id must not contain '/'");
      continue;
    }
    if (config.find_school(*id) != nullptr) {
      element.problem("duplicate school id " + *id);
      continue;
    }
    SchoolConfig school = region;
    school.id = *id;
    if (school.source.type != SourceType::http) school.source.path = root / *id;
    if (const auto row = settings.find(*id); row != settings.end()) {
      row->second.apply_to(school);
      settings.erase(row);
    }
    config.schools.push_back(std::move(school));
  }
  // The listing may not show a school yet: a row ahead of it is worth a word, not a refusal.
  for (const auto& [id, row] : settings) {
    config.warnings.push_back("region.settings_file: " + settings_name + ": a row for " + id +
                              ", which is not one of region.schools");
  }
}

std::string position_of(std::string_view text, std::size_t byte) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    column = text[i] == '\n' ? 1 : column + 1;
    line += text[i] == '\n' ? 1 : 0;
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string join_problems(const std::string& source_name,
                          const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += '\n';
    out += source_name + ": " + p;
  }
  return out;
}

}  // namespace

const SchoolConfig* Config::find_school(std::string_view id) const noexcept {
  for (const auto& school : schools) {
    if (school.id == id) return &school;
  }
  return nullptr;
}

ConfigError::ConfigError(const std::string& source_name, std::vector<std::string> problems)
    : std::runtime_error(join_problems(source_name, problems)), problems_(std::move(problems)) {}

Config parse_config(std::string_view text, const std::filesystem::path& base_dir,
                    std::string_view source_name) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text, nullptr, true, true);
  } catch (const nlohmann::json::parse_error& e) {
    throw ConfigError(std::string{source_name}, {"malformed JSON at " + position_of(text, e.byte)});
  }
  std::vector<std::string> problems = detail::duplicate_keys(text);
  const Node root(document, "", problems);
  Config config;
  if (root.object()) {
    root.only_keys(
        {"schools", "region", "defaults", "platform", "store", "schedule", "observability", "log",
                    "language"});
    const auto defaults = read_defaults(root.member("defaults"));
    if (auto n = root.member("platform")) config.platform = read_platform(*n, base_dir);
    if (auto n = root.member("store")) config.store = read_store(*n, base_dir);
    if (auto n = root.member("schedule")) config.schedule = detail::read_schedule(*n);
    if (auto n = root.member("observability"))
      config.observability = detail::read_observability(*n);
    if (auto n = root.member("log")) config.log = detail::read_log(*n);
    if (auto n = root.member("language")) {
      if (auto lang = n->text(); lang && (*lang == "ru" || *lang == "en")) {
        config.language = *lang;
      } else {
        n->problem("must be \"ru\" or \"en\"");
      }
    }
    const auto region = root.member("region");
    if (auto schools = root.member("schools", !region))
      read_schools(*schools, defaults, base_dir, config);
    if (region) read_region(*region, defaults, base_dir, config);
  }
  if (!problems.empty()) throw ConfigError(std::string{source_name}, std::move(problems));
  return config;
}

Config load_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(file.string(), {"cannot open"});
  std::ostringstream text;
  text << in.rdbuf();
  auto base_dir = std::filesystem::absolute(file).parent_path();
  auto config = parse_config(text.str(), base_dir, file.string());
  config.file = file;
  return config;
}

}  // namespace rosterd::daemon
