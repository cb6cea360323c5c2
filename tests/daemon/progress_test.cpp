#include "daemon/progress.h"

#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "daemon/i18n.h"

namespace rosterd::daemon {
namespace {

class ProgressTest : public ::testing::Test {
 protected:
  void TearDown() override { set_language(Language::ru); }
};

// A child process's environment is the parent's: these run where no systemd variables are set,
// and set them on purpose.
class ServiceEnvironment {
 public:
  ServiceEnvironment() { ::setenv("INVOCATION_ID", "0123456789abcdef", 1); }
  ~ServiceEnvironment() { ::unsetenv("INVOCATION_ID"); }
};

TEST_F(ProgressTest, ShowsOnATerminalButNotInAPipeNorUnderSystemd) {
  ::unsetenv("INVOCATION_ID");
  ::unsetenv("JOURNAL_STREAM");
  int master = -1, slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  EXPECT_TRUE(shows_progress(slave));
  {
    ServiceEnvironment service;
    EXPECT_FALSE(shows_progress(slave));
  }
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  EXPECT_FALSE(shows_progress(pipe_fds[1]));
  for (const int fd : {master, slave, pipe_fds[0], pipe_fds[1]}) close(fd);
}

TEST_F(ProgressTest, TimeLeftIsTheRequestsLeftAtTheTokensRate) {
  set_language(Language::en);
  // 3,400 writes in batches of 25 are 136 requests; at 3 a second, 45.3 s → 46 s.
  EXPECT_EQ(time_left(3400, 25, 3.0), "~46 s");
  // 1 write still needs a request.
  EXPECT_EQ(time_left(1, 25, 0.5), "~2 s");
  // 25,000 writes at 1 request a second: 1,000 s.
  EXPECT_EQ(time_left(25'000, 25, 1.0), "~16 min 40 s");
  EXPECT_EQ(time_left(250'000, 25, 1.0), "~2 h 46 min");
  set_language(Language::ru);
  EXPECT_EQ(time_left(25'000, 25, 1.0), "~16 мин 40 с");
}

TEST_F(ProgressTest, RewritesOneLineAndEndsItOnce) {
  set_language(Language::ru);
  std::ostringstream out;
  TerminalProgress progress(out, 25, 3.0);
  progress.update("school-1", 1250, 3400);
  progress.update("school-1", 3400, 3400);
  progress.finish();
  progress.finish();
  EXPECT_EQ(out.str(),
            "\r\x1b[Kschool-1: 1250 из 3400 записей, осталось ~29 с"
            "\r\x1b[Kschool-1: 3400 из 3400 записей, осталось ~0 с\n");
}

TEST_F(ProgressTest, DrawsNothingWhenNothingWasSent) {
  std::ostringstream out;
  TerminalProgress progress(out, 25, 3.0);
  progress.finish();
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace rosterd::daemon
