#pragma once
// The conformance suite's fixture: every test runs against each backend (a temp SQLite file, a
// fresh database of the throwaway PostgreSQL cluster), through the same mapping::StateStore.

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <ostream>
#include <string>

#include "mapping/ports.h"

namespace rosterd::adapters::store::testing {

enum class Backend { sqlite, postgres };
void PrintTo(Backend backend, std::ostream* out);  // gtest names the backend in failures

// One empty database for one test, and a way around the store to arrange what it never writes.
class StoreTarget {
 public:
  virtual ~StoreTarget() = default;
  [[nodiscard]] virtual std::unique_ptr<mapping::StateStore> open() const = 0;
  // What open errors name: the file path, or "PostgreSQL host=…".
  [[nodiscard]] virtual std::string description() const = 0;
  virtual void exec_raw(const std::string& sql) const = 0;
  [[nodiscard]] virtual std::int64_t query_int(const std::string& sql) const = 0;
};

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The store under test, opened on first use (so a test may first arrange the raw database).
  [[nodiscard]] mapping::StateStore& store();
  void close_store() { store_.reset(); }
  [[nodiscard]] const StoreTarget& target() const { return *target_; }

 private:
  std::unique_ptr<StoreTarget> target_;
  std::unique_ptr<mapping::StateStore> store_;
};

// Takes the leases of these schools for `store`, as a sync does before it writes (an hour, so a
// test never sees them expire). The fencing itself is tested in lease_test.cpp.
void lease(mapping::StateStore& store, std::initializer_list<std::string> org_ids);

[[nodiscard]] std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

// A removal of p-1 from 5А's class chat, held for approval (the held list, the action log).
inline mapping::Action held_removal() {
  mapping::Action a;
  a.type = mapping::ActionType::remove_member;
  a.chat_key = "class:g-5a";
  a.chat_kind = mapping::ChatKind::class_chat;
  a.group_id = "g-5a";
  a.person_id = "p-1";
  a.platform_user_id = 1001;
  a.reason = "withdrawn";
  a.held = true;
  return a;
}

}  // namespace rosterd::adapters::store::testing

// Runs a suite deriving from StoreTest against both backends: Store/<Suite>.<Test>/sqlite, …
#define ROSTERD_STORE_SUITE(suite)                                               \
  INSTANTIATE_TEST_SUITE_P(                                                      \
      Store, suite,                                                              \
      ::testing::Values(::rosterd::adapters::store::testing::Backend::sqlite,    \
                        ::rosterd::adapters::store::testing::Backend::postgres), \
      ::rosterd::adapters::store::testing::backend_name)
