// Crash safety: a process SIGKILLed in the middle of recording a batch of intents leaves either
// the whole batch or none of it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "mapping/plan.h"
#include "tests/adapters/store/store_target.h"

namespace rosterd::adapters::store::testing {
namespace {

using StoreCrash = StoreTest;
ROSTERD_STORE_SUITE(StoreCrash);

// Big enough that a kill mostly lands among the inserts. SQLite's batch needs more: its
// commit's fsync (the batch is already in the WAL, so durable against a kill) takes most of a
// small batch's time on a busy disk, and kills then fell only after the commit.
std::size_t batch_size(Backend backend) {
  return backend == Backend::sqlite ? 2000 : 400;
}

// The child: records batches (run id = batch number) until killed. Before each batch it writes
// one byte to `announce`, so the parent knows how many batches were begun.
[[noreturn]] void record_batches_forever(const StoreTarget& target, std::size_t batch_size,
                                         std::int64_t first_run, int announce) {
  try {
    const auto store = target.open();
    lease(*store, {"sch-1"});  // each child takes over from the one killed before it
    std::vector<mapping::Action> actions(batch_size);
    for (std::size_t i = 0; i < actions.size(); ++i) {
      actions[i].chat_key = "class:g-" + std::to_string(i);
      actions[i].person_id = "p-" + std::to_string(i);
    }
    for (std::int64_t run = first_run;; ++run) {
      const char byte = 1;
      if (::write(announce, &byte, 1) != 1) ::_exit(2);
      (void)store->record_intents("sch-1", run, actions, {});
    }
  } catch (...) {
    ::_exit(1);
  }
}

TEST_P(StoreCrash, KeepsWholeBatchesOfIntentsOnlyWhenKilledMidway) {
  (void)store();  // migrate in the parent, so the child spends its life recording
  close_store();  // no connection of the parent's is shared across fork
  std::mt19937 random{20261126};
  int killed_inside_a_batch = 0;
  std::int64_t next_run = 1;
  for (int round = 0; round < 5; ++round) {
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(pipe_fds[0]);
      record_batches_forever(target(), batch_size(GetParam()), next_run, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    char byte = 0;
    ASSERT_EQ(::read(pipe_fds[0], &byte, 1), 1);  // the first batch has begun
    std::this_thread::sleep_for(std::chrono::microseconds(random() % 150'000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself, status " << status;
    std::int64_t begun = 1;
    while (::read(pipe_fds[0], &byte, 1) == 1) ++begun;
    ::close(pipe_fds[0]);

    std::map<std::int64_t, std::size_t> per_run;
    const auto open = target().open();
    for (const auto& record : open->unresolved("sch-1")) ++per_run[record.run_id];
    std::int64_t committed_this_round = 0;
    for (const auto& [run, count] : per_run) {
      EXPECT_EQ(count, batch_size(GetParam())) << "run " << run << " was recorded in part";
      if (run >= next_run) ++committed_this_round;
    }
    killed_inside_a_batch += begun > committed_this_round;
    next_run += begun;
  }
  // Otherwise the test proved nothing: every kill fell between two batches.
  EXPECT_GT(killed_inside_a_batch, 0);
}

}  // namespace
}  // namespace rosterd::adapters::store::testing
