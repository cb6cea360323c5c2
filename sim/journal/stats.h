#pragma once
// Counts of the data requests answered, for GET /sim/stats (the e2e tests check that a cycle
// with no change costs one request, answered 304).

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace rosterd::sim::journal {

class RequestStats {
 public:
  void record(const std::string& path, int status, const char* fault);
  void reset();
  [[nodiscard]] nlohmann::json describe() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t requests_ = 0;
  std::uint64_t not_modified_ = 0;
  std::map<std::string, std::uint64_t> by_path_;
  std::map<std::string, std::uint64_t> by_status_;
  std::map<std::string, std::uint64_t> faults_;
};

}  // namespace rosterd::sim::journal
