#include "sim/journal/stats.h"

namespace rosterd::sim::journal {

void RequestStats::record(const std::string& path, int status, const char* fault) {
  std::lock_guard lock(mutex_);
  ++requests_;
  ++by_path_[path];
  ++by_status_[std::to_string(status)];
  if (status == 304) ++not_modified_;
  if (fault != nullptr) ++faults_[fault];
}

void RequestStats::reset() {
  std::lock_guard lock(mutex_);
  requests_ = 0;
  not_modified_ = 0;
  by_path_.clear();
  by_status_.clear();
  faults_.clear();
}

nlohmann::json RequestStats::describe() const {
  std::lock_guard lock(mutex_);
  return {{"requests", requests_},
          {"not_modified", not_modified_},
          {"by_path", by_path_},
          {"by_status", by_status_},
          {"faults", faults_}};
}

}  // namespace rosterd::sim::journal
