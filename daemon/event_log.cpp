#include "daemon/event_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "mapping/text.h"

namespace rosterd::daemon {

namespace {

// Values that a reader (or a grep) would split wrongly are quoted, with quotes escaped; control
// characters are shown escaped ("\n", "\x1b"), so a value cannot start a log line of its own.
std::string text_value(const LogField& field) {
  if (!field.quoted) return field.value;
  std::string quoted;
  for (const char c : field.value) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  std::string shown = mapping::printable(quoted);
  const bool plain = !field.value.empty() && shown == field.value &&
                     field.value.find_first_of(" =") == std::string::npos;
  return plain ? shown : "\"" + shown + "\"";
}

}  // namespace

LogField::LogField(std::string_view k, double v) : key(k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  value = buf;
}

EventLog::EventLog(LogFormat format, std::string_view level)
    : format_(format),
      logger_(std::make_shared<spdlog::logger>("rosterd",
                                               std::make_shared<spdlog::sinks::stderr_sink_mt>())) {
  // The line is the whole message: journald (or the JSON fields) give the rest.
  logger_->set_pattern("%v");
  logger_->set_level(spdlog::level::from_str(std::string{level}));
  logger_->flush_on(spdlog::level::trace);
}

EventLog::~EventLog() = default;

std::string EventLog::render(LogFormat format, std::string_view level, std::string_view event,
                             const LogFields& fields) {
  if (format == LogFormat::json) {
    nlohmann::ordered_json line;
    line["event"] = event;
    line["level"] = level;
    for (const auto& f : fields) {
      if (f.quoted) {
        line[f.key] = f.value;
      } else {
        line[f.key] = nlohmann::json::parse(f.value, nullptr, false);
      }
    }
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string line{event};
  if (level == "warning" || level == "error") line += " level=" + std::string{level};
  for (const auto& f : fields) line += " " + f.key + "=" + text_value(f);
  return line;
}

void EventLog::write(int level, std::string_view event, const LogFields& fields) {
  const auto lvl = static_cast<spdlog::level::level_enum>(level);
  if (!logger_->should_log(lvl)) return;
  const auto name = spdlog::level::to_string_view(lvl);
  logger_->log(lvl, "{}",
               render(format_, std::string_view(name.data(), name.size()), event, fields));
}

void EventLog::info(std::string_view event, const LogFields& fields) {
  write(spdlog::level::info, event, fields);
}
void EventLog::warn(std::string_view event, const LogFields& fields) {
  write(spdlog::level::warn, event, fields);
}
void EventLog::error(std::string_view event, const LogFields& fields) {
  write(spdlog::level::err, event, fields);
}
void EventLog::debug(std::string_view event, const LogFields& fields) {
  write(spdlog::level::debug, event, fields);
}

}  // namespace rosterd::daemon
