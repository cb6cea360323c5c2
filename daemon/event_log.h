#pragma once
// The daemon's log: one line per event, starting with a stable event name and carrying
// key=value fields (ids, counts, durations), as human text or as JSON lines, on stderr
// (journald adds the time and the unit). Callers pass ids and counts only: never a phone
// number, an e-mail, a token or the config's content. Thread-safe.

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/config.h"

namespace spdlog {
class logger;
}

namespace rosterd::daemon {

struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), value(v), quoted(true) {}
  LogField(std::string_view k, const char* v) : key(k), value(v), quoted(true) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v), quoted(true) {}
  LogField(std::string_view k, bool v) : key(k), value(v ? "true" : "false") {}
  LogField(std::string_view k, int v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, long v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, long long v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, unsigned v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, unsigned long v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, unsigned long long v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, double v);

  std::string key;
  std::string value;
  bool quoted = false;  // a string value: JSON quotes it, text quotes it when it has spaces
};

using LogFields = std::vector<LogField>;

class EventLog {
 public:
  // `level`: trace, debug, info, warn or error (config.h LogConfig).
  EventLog(LogFormat format, std::string_view level);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  void info(std::string_view event, const LogFields& fields = {});
  void warn(std::string_view event, const LogFields& fields = {});
  void error(std::string_view event, const LogFields& fields = {});
  void debug(std::string_view event, const LogFields& fields = {});

  // One line as this log writes it, without the level (for tests).
  [[nodiscard]] static std::string render(LogFormat format, std::string_view level,
                                          std::string_view event, const LogFields& fields);

 private:
  void write(int level, std::string_view event, const LogFields& fields);

  LogFormat format_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace rosterd::daemon
