#include "services/ctl/stack_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "services/common/files.h"
#include "tests/common/temp_dir.h"

namespace agentgate::ctl {
namespace {

TEST(StackLockTest, ASecondHolderIsRefusedWithThePidOfTheFirst) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  auto first = StackLock::Acquire(dir.path());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*ReadFile(StackLockPath(dir.path())), std::to_string(::getpid()) + "\n");

  auto second = StackLock::Acquire(dir.path());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  std::string message(second.status().message());
  EXPECT_THAT(message, testing::HasSubstr("pid " + std::to_string(::getpid())));
  EXPECT_THAT(message, testing::HasSubstr(dir.path()));
  EXPECT_THAT(message, testing::HasSubstr("down"));
}

TEST(StackLockTest, ReleasedWhenTheHolderGoes) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  {
    auto first = StackLock::Acquire(dir.path());
    ASSERT_TRUE(first.ok()) << first.status();
    StackLock moved = std::move(*first);
    EXPECT_FALSE(StackLock::Acquire(dir.path()).ok());
  }
  EXPECT_TRUE(StackLock::Acquire(dir.path()).ok());
}

TEST(StackLockTest, AForkedChildKeepsTheLockAfterTheParentLetsGo) {
  // What `up --detach` relies on: the background supervisor holds the lock its parent took.
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = -1;
  {
    auto lock = StackLock::Acquire(dir.path());
    ASSERT_TRUE(lock.ok()) << lock.status();
    child = ::fork();
    if (child == 0) {
      ::close(ready[0]);
      bool ok = lock->SetHolder(::getpid()).ok();
      char c = ok ? 'y' : 'n';
      (void)!::write(ready[1], &c, 1);
      ::pause();  // until killed
      ::_exit(0);
    }
    ASSERT_GT(child, 0);
  }
  ::close(ready[1]);
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ::close(ready[0]);
  EXPECT_EQ(c, 'y');

  auto refused = StackLock::Acquire(dir.path());
  EXPECT_FALSE(refused.ok());
  if (!refused.ok()) {
    EXPECT_THAT(std::string(refused.status().message()),
                testing::HasSubstr("pid " + std::to_string(child)));
  }
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_TRUE(StackLock::Acquire(dir.path()).ok());
}

}  // namespace
}  // namespace agentgate::ctl
