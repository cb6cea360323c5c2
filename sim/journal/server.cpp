#include "sim/journal/server.h"

#include <httplib.h>

#include <chrono>
#include <cstdio>

#include "sim/journal/paging.h"
#include "sim/journal/roster_json.h"

namespace rosterd::sim::journal {
namespace {

using nlohmann::json;

constexpr const char* json_type = "application/json; charset=utf-8";
constexpr const char* org_path = R"(/v1/organisations/([^/]+))";
constexpr const char* list_path =
    R"(/v1/organisations/([^/]+)/(groups|persons|enrollments|relations))";

DataAnswer refusal(int status, const char* error) {
  return {status, dump(json{{"error", error}}), {}, false};
}

// If-None-Match holds a list of entity tags (weak ones compare equal for a GET) or "*".
bool matches(const std::string& if_none_match, const std::string& etag) {
  std::size_t start = 0;
  while (start <= if_none_match.size()) {
    auto end = if_none_match.find(',', start);
    if (end == std::string::npos) end = if_none_match.size();
    auto tag = if_none_match.substr(start, end - start);
    const auto first = tag.find_first_not_of(" \t");
    const auto last = tag.find_last_not_of(" \t");
    tag = first == std::string::npos ? "" : tag.substr(first, last - first + 1);
    if (tag.starts_with("W/")) tag = tag.substr(2);
    if (tag == "*" || tag == etag) return true;
    start = end + 1;
  }
  return false;
}

// A page of `items` as of `version`; a cursor must be one issued for this org, list and
// version.
DataAnswer page(const httplib::Request& req, const std::vector<std::string>& items,
                const Cursor& pinned, std::size_t page_size) {
  const auto limit = parse_limit(req.get_param_value("limit"), page_size);
  if (!limit) return refusal(400, "bad_limit");
  std::size_t offset = 0;
  if (req.has_param("cursor")) {
    const auto cursor = decode_cursor(req.get_param_value("cursor"));
    if (!cursor || cursor->org_id != pinned.org_id || cursor->list != pinned.list ||
        cursor->offset > items.size()) {
      return refusal(400, "bad_cursor");
    }
    if (cursor->version != pinned.version) return refusal(409, "snapshot_changed");
    offset = cursor->offset;
  }
  std::optional<std::string> next;
  if (offset + *limit < items.size()) {
    Cursor following = pinned;
    following.offset = offset + *limit;
    next = encode_cursor(following);
  }
  return {200, page_body(items, offset, *limit, next), {}, true};
}

// A broken body that is still recognisably the answer's start, so a client logs something
// useful; a JSON object cut before its last '}' never parses.
std::string truncated(const std::string& body) {
  return body.substr(0, body.size() / 2);
}

constexpr const char* malformed_body = R"({"items": [{"id": "x",, "name": nul}], "next_cursor": )";

}  // namespace

HttpFrontend::HttpFrontend(Journal& journal, Tokens tokens, std::size_t page_size, bool verbose)
    : journal_(journal), tokens_(std::move(tokens)), page_size_(page_size), verbose_(verbose) {}

void HttpFrontend::install(httplib::Server& server) {
  using httplib::Request;
  using httplib::Response;
  server.Get("/v1/organisations", [this](const Request& req, Response& res) {
    serve_data(req, res, [&](const Access& a) { return organisations(req, a); });
  });
  server.Get(org_path, [this](const Request& req, Response& res) {
    serve_data(req, res, [&](const Access& a) { return organisation(req, a, req.matches[1]); });
  });
  server.Get(list_path, [this](const Request& req, Response& res) {
    const auto kind = parse_list(req.matches[2].str());
    serve_data(req, res, [&](const Access& a) { return list(req, a, req.matches[1], *kind); });
  });
  server.Post("/sim/advance",
              [this](const Request& req, Response& res) { handle_advance(req, res); });
  server.Post("/sim/organisations",
              [this](const Request& req, Response& res) { handle_organisations(req, res); });
  server.Post("/sim/faults",
              [this](const Request& req, Response& res) { handle_faults(req, res); });
  server.Get("/sim/faults", [this](const Request&, Response& res) {
    res.set_content(dump(faults_.describe()), json_type);
  });
  server.Get("/sim/stats", [this](const Request&, Response& res) {
    res.set_content(dump(stats_.describe()), json_type);
  });
  server.Post("/sim/stats/reset", [this](const Request&, Response& res) {
    stats_.reset();
    res.set_content(dump(stats_.describe()), json_type);
  });
  server.Get("/sim/state", [this](const Request&, Response& res) {
    res.set_content(dump(journal_.state()), json_type);
  });
  server.Get(R"(/sim/state/([^/]+))", [this](const Request& req, Response& res) {
    const auto roster = journal_.roster_json(req.matches[1]);
    if (roster.is_null()) {
      res.status = 404;
      res.set_content(R"({"error": "not_found"})", json_type);
      return;
    }
    res.set_content(dump(roster), json_type);
  });
  // Unknown paths get a JSON 404 like the known ones.
  server.set_error_handler([](const Request&, Response& res) {
    if (res.body.empty()) res.set_content(R"({"error": "not_found"})", json_type);
  });
}

void HttpFrontend::stop() {
  std::lock_guard lock(stop_mutex_);
  stopping_ = true;
  stop_cv_.notify_all();
}

template <typename Answer>
void HttpFrontend::serve_data(const httplib::Request& req, httplib::Response& res, Answer answer) {
  const auto started = std::chrono::steady_clock::now();
  const Access access = tokens_.access(bearer_token(req.get_header_value("Authorization")));
  DataAnswer data = access.known ? answer(access) : refusal(401, "unauthorized");
  const Fault fault = faults_.take(data.status, data.is_list);
  apply_fault(fault, data);
  res.status = data.status;
  if (data.status == 401) res.set_header("WWW-Authenticate", "Bearer");
  if (!data.etag.empty()) res.set_header("ETag", data.etag);
  if (data.status != 304) res.set_content(data.body, json_type);
  const char* fault_name = fault.mode == FaultMode::none ? nullptr : name(fault.mode);
  stats_.record(req.path, data.status, fault_name);
  if (verbose_) {
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    std::fprintf(stderr, "journal.request path=%s status=%d fault=%s ms=%lld\n", req.path.c_str(),
                 data.status, fault_name ? fault_name : "none",
                 static_cast<long long>(took.count()));
  }
}

void HttpFrontend::apply_fault(const Fault& fault, DataAnswer& answer) {
  switch (fault.mode) {
    case FaultMode::none:
      return;
    case FaultMode::http_5xx:
      answer = {fault.status, dump(json{{"error", "unavailable"}}), {}, answer.is_list};
      return;
    case FaultMode::slow: {
      std::unique_lock lock(stop_mutex_);
      stop_cv_.wait_for(lock, std::chrono::milliseconds(fault.slow_ms), [&] { return stopping_; });
      return;
    }
    case FaultMode::truncated:
      answer.body = truncated(answer.body);
      return;
    case FaultMode::malformed:
      answer.body = malformed_body;
      return;
    case FaultMode::empty:
      answer.body = page_body({}, 0, 0, std::nullopt);
      return;
  }
}

DataAnswer HttpFrontend::organisations(const httplib::Request& req, const Access& access) const {
  std::vector<std::string> items;
  const auto listing = journal_.listing();
  for (const auto& snap : listing.snapshots) {
    if (access.sees(snap->org_id)) items.push_back(snap->organisation);
  }
  // /sim/organisations changes the set: a cursor pins the set it was issued for.
  return page(req, items, Cursor{"", "organisations", 0, listing.version}, page_size_);
}

DataAnswer HttpFrontend::organisation(const httplib::Request& req, const Access& access,
                                      const std::string& org_id) const {
  const auto snap = journal_.snapshot(org_id);
  // A school token learns nothing about other organisations, not even whether they exist.
  if (!access.sees(org_id)) return refusal(403, "forbidden");
  if (!snap) return refusal(404, "not_found");
  if (req.has_header("If-None-Match") && matches(req.get_header_value("If-None-Match"), snap->etag))
    return {304, {}, snap->etag, false};
  return {200, snap->organisation, snap->etag, false};
}

DataAnswer HttpFrontend::list(const httplib::Request& req, const Access& access,
                              const std::string& org_id, ListKind kind) const {
  const auto snap = journal_.snapshot(org_id);
  if (!access.sees(org_id)) return refusal(403, "forbidden");
  if (!snap) return refusal(404, "not_found");
  const Cursor pinned{org_id, list_names[static_cast<std::size_t>(kind)], 0, snap->version};
  DataAnswer answer = page(req, snap->items(kind), pinned, page_size_);
  if (answer.status == 200) answer.etag = snap->etag;
  return answer;
}

void HttpFrontend::handle_advance(const httplib::Request& req, httplib::Response& res) {
  const json body = json::parse(req.body, nullptr, false);
  AdvanceRequest request;
  const auto fail = [&](const std::string& message) {
    res.status = 400;
    res.set_content(dump(json{{"error", "bad_request"}, {"message", message}}), json_type);
  };
  if (!body.is_object()) return fail("expected a JSON object");
  if (body.contains("days")) {
    const auto& days = body["days"];
    if (!days.is_number_integer() || days.get<int>() < 0 || days.get<int>() > 3660) {
      return fail("days must be an integer 0..3660");
    }
    request.days = days.get<int>();
  }
  if (body.contains("movement")) {
    if (!body["movement"].is_boolean()) return fail("movement must be true or false");
    request.movement = body["movement"].get<bool>();
  }
  if (body.contains("scenario")) request.scenario = body["scenario"];
  if (!body.contains("days") && request.scenario.is_null()) return fail("needs days or scenario");
  try {
    const auto result = journal_.advance(request);
    res.set_content(
        dump(json{
            {"day", result.day.iso()}, {"versions", result.versions}, {"changed", result.changed}}),
        json_type);
  } catch (const DataError& error) {
    fail(error.what());
  }
}

void HttpFrontend::handle_organisations(const httplib::Request& req, httplib::Response& res) {
  const json body = json::parse(req.body, nullptr, false);
  const auto fail = [&](const std::string& message) {
    res.status = 400;
    res.set_content(dump(json{{"error", "bad_request"}, {"message", message}}), json_type);
  };
  if (!body.is_object()) return fail("expected a JSON object");
  std::vector<std::string> hide;
  std::vector<std::string> show;
  for (const auto& [key, ids] : {std::pair{"hide", &hide}, std::pair{"show", &show}}) {
    if (!body.contains(key)) continue;
    const auto& list = body[key];
    if (!list.is_array()) return fail(std::string(key) + " must be a list of organisation ids");
    for (const auto& id : list) {
      if (!id.is_string()) return fail(std::string(key) + " must be a list of organisation ids");
      ids->push_back(id.get<std::string>());
    }
  }
  try {
    res.set_content(dump(json{{"hidden", journal_.hide_show(hide, show)}}), json_type);
  } catch (const DataError& error) {
    fail(error.what());
  }
}

void HttpFrontend::handle_faults(const httplib::Request& req, httplib::Response& res) {
  try {
    faults_.set(parse_fault_settings(json::parse(req.body, nullptr, false)));
    res.set_content(dump(faults_.describe()), json_type);
  } catch (const std::invalid_argument& error) {
    res.status = 400;
    res.set_content(dump(json{{"error", "bad_request"}, {"message", error.what()}}), json_type);
  }
}

}  // namespace rosterd::sim::journal
