// One stack per data folder: `agentgatectl up` holds an exclusive flock(2) on
// $AGENTGATE_HOME/run/lock for the life of its supervisor, so a second `up` on the same folder
// fails at once instead of racing the first for stack.json and the ports. The kernel drops the
// lock when the holder exits, however it exits, so a crash never leaves it stuck. The file holds
// the holder's pid, for the message the second `up` prints.
//
// The lock belongs to the open file, not the process: a fork()ed child shares it, and it lasts
// until every copy of the descriptor is closed (the descriptor is close-on-exec, so the services
// the supervisor starts do not keep it). Not thread-safe; one owner.
#pragma once

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"

namespace agentgate::ctl {

std::string StackLockPath(const std::string& home);  // $home/run/lock

class StackLock {
 public:
  // Takes the lock without waiting and records this process as its holder. FailedPrecondition
  // naming the holder's pid when another `up` has it; another error when the file cannot be
  // opened.
  static absl::StatusOr<StackLock> Acquire(const std::string& home);

  StackLock(StackLock&& other) noexcept;
  StackLock& operator=(StackLock&& other) noexcept;
  StackLock(const StackLock&) = delete;
  StackLock& operator=(const StackLock&) = delete;
  // Closes this copy of the descriptor; the lock goes when no forked copy is left.
  ~StackLock();

  // Records `pid` as the holder: for the child that keeps the lock after a fork.
  absl::Status SetHolder(pid_t pid);

 private:
  StackLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}

  int fd_ = -1;
  std::string path_;
};

}  // namespace agentgate::ctl
