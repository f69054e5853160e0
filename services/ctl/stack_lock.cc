#include "services/ctl/stack_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "services/common/files.h"
#include "services/common/strings.h"

namespace agentgate::ctl {

std::string StackLockPath(const std::string& home) { return home + "/run/lock"; }

absl::StatusOr<StackLock> StackLock::Acquire(const std::string& home) {
  if (auto st = EnsureDir(home + "/run"); !st.ok()) return st;
  std::string path = StackLockPath(home);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::InternalError("cannot open the lock file " + path + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err != EWOULDBLOCK) {
      return absl::InternalError("cannot lock " + path + ": " + std::strerror(err));
    }
    // The holder writes its pid right after locking; it may not have yet.
    std::string holder = "pid unknown";
    if (auto text = ReadFile(path); text.ok()) {
      std::string pid(StripSpace(*text));
      if (!pid.empty() && std::atoi(pid.c_str()) > 0) holder = "pid " + pid;
    }
    return absl::FailedPreconditionError("AgentGate is already running on " + home +
                                         ": another agentgatectl up (" + holder + ") holds " +
                                         path + "; stop it with agentgatectl --home " + home +
                                         " down, or start this one with another --home");
  }
  StackLock lock(fd, path);
  if (auto st = lock.SetHolder(::getpid()); !st.ok()) return st;
  return lock;
}

StackLock::StackLock(StackLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

StackLock& StackLock::operator=(StackLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

StackLock::~StackLock() {
  if (fd_ >= 0) ::close(fd_);
}

absl::Status StackLock::SetHolder(pid_t pid) {
  std::string text = std::to_string(pid) + "\n";
  if (::ftruncate(fd_, 0) != 0 ||
      ::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return absl::InternalError("cannot write " + path_ + ": " + std::strerror(errno));
  }
  return absl::OkStatus();
}

}  // namespace agentgate::ctl
