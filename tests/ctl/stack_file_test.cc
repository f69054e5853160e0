#include "services/ctl/stack_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "services/common/files.h"
#include "services/common/strings.h"
#include "tests/common/temp_dir.h"
#include "tests/ctl/process_util.h"

namespace agentgate::ctl {
namespace {

using namespace std::chrono_literals;

TEST(StackFileTest, JsonRoundTripKeepsStartTimesAndBootId) {
  StackFile f;
  f.supervisor_pid = 42;
  f.supervisor_start_time = 123456;
  f.boot_id = "0e5f0c1a-aaaa-bbbb-cccc-1234567890ab";
  f.started_at_ms = 1700000000000;
  f.home = "/home/u/.agentgate";
  f.services["edge"] = {"127.0.0.1:9090", 43, 123460};
  f.services["router"] = {"127.0.0.1:9091", 44, 123458};
  auto back = StackFile::FromJson(f.ToJson());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->supervisor_pid, 42);
  EXPECT_EQ(back->supervisor_start_time, 123456);
  EXPECT_EQ(back->boot_id, f.boot_id);
  EXPECT_EQ(back->services.at("edge").pid, 43);
  EXPECT_EQ(back->services.at("edge").start_time, 123460);
  EXPECT_EQ(back->services.at("router").start_time, 123458);
  EXPECT_EQ(back->GatewayUrl(), "http://127.0.0.1:9090");
}

TEST(StackFileTest, ReadsAnOlderFileWithoutStartTimes) {
  auto f = StackFile::FromJson(
      R"({"supervisor_pid":42,"started_at_ms":1,"home":"/h","gateway_url":"http://x",)"
      R"("services":{"edge":{"address":"127.0.0.1:9090","pid":43}}})");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->supervisor_pid, 42);
  EXPECT_EQ(f->supervisor_start_time, 0);
  EXPECT_EQ(f->boot_id, "");
  EXPECT_EQ(f->services.at("edge").pid, 43);
  EXPECT_EQ(f->services.at("edge").start_time, 0);
}

TEST(StackFileTest, IdentityOfThisProcessMatchesProc) {
  auto boot = BootId();
  ASSERT_TRUE(boot.ok()) << boot.status();
  auto file = ReadFile("/proc/sys/kernel/random/boot_id");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(*boot, std::string(StripSpace(*file)));

  auto me = ReadProcessIdentity(::getpid());
  ASSERT_TRUE(me.ok()) << me.status();
  EXPECT_GT(me->start_time, 0);
  EXPECT_EQ(me->boot_id, *boot);
  // A child started later has a start time no earlier than ours.
  test::SleepChild child;
  auto other = ReadProcessIdentity(child.pid());
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_GE(other->start_time, me->start_time);
  EXPECT_EQ(CheckPid(::getpid(), me->start_time, me->boot_id), PidState::kRunning);
}

TEST(StackFileTest, CheckPidTellsTheRecordedProcessFromAnotherWithItsPid) {
  test::SleepChild child;
  auto id = ReadProcessIdentity(child.pid());
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(CheckPid(child.pid(), id->start_time, id->boot_id), PidState::kRunning);
  EXPECT_EQ(CheckPid(child.pid(), id->start_time + 1, id->boot_id), PidState::kStale);
  EXPECT_EQ(CheckPid(child.pid(), id->start_time, "another-boot"), PidState::kStale);
  // An older stack file recorded neither.
  EXPECT_EQ(CheckPid(child.pid(), 0, ""), PidState::kUnverifiable);
  EXPECT_EQ(CheckPid(child.pid(), id->start_time, ""), PidState::kUnverifiable);
  EXPECT_EQ(CheckPid(0, id->start_time, id->boot_id), PidState::kNotRunning);
  EXPECT_EQ(CheckPid(-1, 0, ""), PidState::kNotRunning);
}

TEST(StackFileTest, ExitedProcessIsNotRunningButNotGoneUntilReaped) {
  test::SleepChild child;
  auto id = ReadProcessIdentity(child.pid());
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_FALSE(id->exited);
  EXPECT_FALSE(ProcessGone(child.pid(), id->start_time, id->boot_id));
  ASSERT_EQ(::kill(child.pid(), SIGKILL), 0);
  // A zombie until this test reaps it: not running, but its pid is not free yet.
  bool zombie = false;
  for (int i = 0; i < 500 && !zombie; ++i) {
    auto now = ReadProcessIdentity(child.pid());
    zombie = now.ok() && now->exited;
    if (!zombie) std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(zombie);
  EXPECT_EQ(CheckPid(child.pid(), id->start_time, id->boot_id), PidState::kNotRunning);
  EXPECT_FALSE(ProcessGone(child.pid(), id->start_time, id->boot_id));
  ASSERT_TRUE(child.WaitExit(5s));
  EXPECT_EQ(CheckPid(child.pid(), id->start_time, id->boot_id), PidState::kNotRunning);
  EXPECT_TRUE(ProcessGone(child.pid(), id->start_time, id->boot_id));
  // Another process with the pid would not be ours either.
  test::SleepChild other;
  auto other_id = ReadProcessIdentity(other.pid());
  ASSERT_TRUE(other_id.ok());
  EXPECT_TRUE(ProcessGone(other.pid(), other_id->start_time + 1, other_id->boot_id));
}

TEST(StackFileTest, SignalIfSameNeverSignalsAnUnrelatedProcess) {
  test::SleepChild child;
  auto id = ReadProcessIdentity(child.pid());
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(SignalIfSame(child.pid(), id->start_time + 7, id->boot_id, SIGTERM), PidState::kStale);
  EXPECT_EQ(SignalIfSame(child.pid(), 0, "", SIGTERM), PidState::kUnverifiable);
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(child.Alive());

  EXPECT_EQ(SignalIfSame(child.pid(), id->start_time, id->boot_id, SIGTERM), PidState::kRunning);
  ASSERT_TRUE(child.WaitExit(5s));
  EXPECT_EQ(child.TermSignal(), SIGTERM);
}

TEST(StackFileTest, PidStateTextSaysStale) {
  EXPECT_EQ(PidStateText(PidState::kStale), "not running (stale pid)");
  EXPECT_EQ(PidStateText(PidState::kRunning), "running");
}

TEST(StackFileTest, WriteAndReadStackFile) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  StackFile f;
  f.supervisor_pid = 7;
  f.supervisor_start_time = 99;
  f.boot_id = "b";
  ASSERT_TRUE(WriteStackFile(dir.path(), f).ok());
  auto back = ReadStackFile(dir.path());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->supervisor_start_time, 99);
  EXPECT_EQ(back->boot_id, "b");
}

}  // namespace
}  // namespace agentgate::ctl
