#include "services/ctl/supervisor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "services/common/files.h"
#include "services/ctl/stack_file.h"
#include "services/ctl/stack_lock.h"
#include "tests/common/temp_dir.h"
#include "tests/ctl/process_util.h"

namespace agentgate::ctl {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class SupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0700), 0);
    auto boot = BootId();
    ASSERT_TRUE(boot.ok()) << boot.status();
    boot_id_ = *boot;
  }

  int64_t StartTime(pid_t pid) {
    auto id = ReadProcessIdentity(pid);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? id->start_time : 0;
  }

  // A stack file naming `pid` as the supervisor and as every service.
  void WriteStack(pid_t pid, int64_t start_time, const std::string& boot_id) {
    StackFile f;
    f.supervisor_pid = pid;
    f.supervisor_start_time = start_time;
    f.boot_id = boot_id;
    f.home = dir_.path();
    for (const char* name : {"edge", "router", "probe", "stats"}) {
      f.services[name] = {"127.0.0.1:1", pid, start_time};
    }
    ASSERT_TRUE(WriteStackFile(dir_.path(), f).ok());
  }

  // RunDown with its output.
  int Down(std::string* out, std::string* err) {
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    int rc = RunDown(dir_.path());
    std::fflush(stdout);
    std::fflush(stderr);
    *out = testing::internal::GetCapturedStdout();
    *err = testing::internal::GetCapturedStderr();
    return rc;
  }

  UpOptions Options() {
    UpOptions o;
    o.home = dir_.path();
    o.bin_dir = "/nonexistent";
    o.edge_port = o.router_port = o.probe_port = o.stats_port = 0;
    return o;
  }

  // RunUp with its error output; the tests make it stop before it starts anything.
  int Up(const UpOptions& o, std::string* err) {
    testing::internal::CaptureStderr();
    int rc = RunUp(o);
    std::fflush(stderr);
    *err = testing::internal::GetCapturedStderr();
    return rc;
  }

  test::TempDir dir_;
  std::string boot_id_;
};

TEST_F(SupervisorTest, DownNeverSignalsAProcessThatReusedARecordedPid) {
  // A live process that is not the stack: the pids match, the start times do not.
  test::SleepChild unrelated;
  WriteStack(unrelated.pid(), StartTime(unrelated.pid()) + 1, boot_id_);
  std::string out, err;
  EXPECT_EQ(Down(&out, &err), 0) << out << err;
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(unrelated.Alive());
  EXPECT_THAT(out, HasSubstr("not running (stale pid)"));
  EXPECT_FALSE(FileExists(StackFilePath(dir_.path())));
}

TEST_F(SupervisorTest, DownNeverSignalsAPidFromAnotherBoot) {
  test::SleepChild unrelated;
  WriteStack(unrelated.pid(), StartTime(unrelated.pid()), "some-earlier-boot");
  std::string out, err;
  EXPECT_EQ(Down(&out, &err), 0) << out << err;
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(unrelated.Alive());
  EXPECT_THAT(out, HasSubstr("stale pid"));
}

TEST_F(SupervisorTest, DownStopsTheRecordedSupervisorAndWaitsUntilItIsGone) {
  test::SleepChild supervisor;
  WriteStack(supervisor.pid(), StartTime(supervisor.pid()), boot_id_);
  // down waits until the supervisor is reaped (init does it for a real one); here the test is
  // its parent, so it reaps it while down waits.
  std::thread reaper([&] { supervisor.WaitExit(10s); });
  std::string out, err;
  EXPECT_EQ(Down(&out, &err), 0) << out << err;
  reaper.join();
  EXPECT_FALSE(supervisor.Alive());
  EXPECT_EQ(supervisor.TermSignal(), SIGTERM);
  EXPECT_EQ(::kill(supervisor.pid(), 0), -1);
  EXPECT_THAT(out, HasSubstr("AgentGate stopped."));
}

TEST_F(SupervisorTest, DownStopsTheRecordedServicesOfADeadSupervisor) {
  test::SleepChild edge;
  StackFile f;
  f.supervisor_pid = edge.pid();
  f.supervisor_start_time = StartTime(edge.pid()) + 1;  // reused: not the supervisor
  f.boot_id = boot_id_;
  f.services["edge"] = {"127.0.0.1:1", edge.pid(), StartTime(edge.pid())};
  ASSERT_TRUE(WriteStackFile(dir_.path(), f).ok());
  std::string out, err;
  EXPECT_EQ(Down(&out, &err), 0) << out << err;
  ASSERT_TRUE(edge.WaitExit(5s));
  EXPECT_EQ(edge.TermSignal(), SIGTERM);
  EXPECT_THAT(out, HasSubstr("edge (pid " + std::to_string(edge.pid()) + "): told to stop"));
}

TEST_F(SupervisorTest, DownLeavesThePidsOfAnOlderStackFileAlone) {
  test::SleepChild unknown;
  WriteStack(unknown.pid(), 0, "");  // as written before start times were recorded
  std::string out, err;
  EXPECT_EQ(Down(&out, &err), 1) << out << err;
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(unknown.Alive());
  EXPECT_THAT(err, HasSubstr("cannot be verified"));
  EXPECT_THAT(err, HasSubstr("not signalled"));
  // Kept, so the user can see what it names.
  EXPECT_TRUE(FileExists(StackFilePath(dir_.path())));
}

TEST_F(SupervisorTest, UpFailsAtOnceWhileAnotherUpHoldsTheFolder) {
  auto lock = StackLock::Acquire(dir_.path());
  ASSERT_TRUE(lock.ok()) << lock.status();
  std::string err;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Up(Options(), &err), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_THAT(err, HasSubstr("already running"));
  EXPECT_THAT(err, HasSubstr("pid " + std::to_string(::getpid())));
}

TEST_F(SupervisorTest, UpRefusesAFolderOthersCanWrite) {
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0777), 0);
  std::string err;
  EXPECT_EQ(Up(Options(), &err), 1);
  EXPECT_THAT(err, HasSubstr("chmod 700 " + dir_.path()));
  EXPECT_FALSE(FileExists(StackLockPath(dir_.path())));
}

TEST_F(SupervisorTest, UpWillNotGuessAboutAnOlderStackFilesLiveSupervisor) {
  test::SleepChild unknown;
  WriteStack(unknown.pid(), 0, "");
  std::string err;
  EXPECT_EQ(Up(Options(), &err), 1);
  EXPECT_THAT(err, HasSubstr("cannot be verified"));
  EXPECT_TRUE(unknown.Alive());
}

}  // namespace
}  // namespace agentgate::ctl
