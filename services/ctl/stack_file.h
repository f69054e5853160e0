// $AGENTGATE_HOME/run/stack.json: what `agentgatectl up` started — the supervisor's pid and each
// service's address and pid — so `down`, `status` and every admin command find the stack.
//
// A pid alone does not name a process: after a crash or a reboot the kernel hands it to another
// one. So the file also records each process's start time (field 22 of /proc/PID/stat, clock
// ticks since boot) and the boot id, and nothing is signalled unless it still matches. Files from
// an older agentgatectl lack them; their pids are unverifiable and never signalled.
//
// Plain functions over /proc; safe to call from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace agentgate::ctl {

struct StackService {
  std::string address;
  int pid = 0;
  int64_t start_time = 0;  // clock ticks since boot; 0: not recorded (older file)
};

// What a recorded pid is now.
enum class PidState {
  kRunning,       // the recorded process, still alive
  kNotRunning,    // no live process has the pid
  kStale,         // another process has the pid now (other start time or boot): never signal it
  kUnverifiable,  // a process has the pid, but no start time was recorded to compare with
};

// "running", "not running", "not running (stale pid)", "cannot be verified".
std::string PidStateText(PidState state);

struct StackFile {
  int supervisor_pid = 0;
  int64_t supervisor_start_time = 0;  // 0: not recorded (older file)
  std::string boot_id;                // "": not recorded (older file)
  int64_t started_at_ms = 0;
  std::string home;
  std::map<std::string, StackService> services;  // edge, router, probe, stats

  std::string GatewayUrl() const;  // "http://127.0.0.1:9090"
  PidState SupervisorState() const;
  PidState ServiceState(const StackService& s) const;
  std::string ToJson() const;
  static absl::StatusOr<StackFile> FromJson(const std::string& text);
};

std::string StackFilePath(const std::string& home);
// NotFound when there is no file.
absl::StatusOr<StackFile> ReadStackFile(const std::string& home);
absl::Status WriteStackFile(const std::string& home, const StackFile& f);
// Whether any process has `pid` (which one, it cannot tell: prefer CheckPid).
bool ProcessAlive(int pid);

// What tells a process apart from a later one with the same pid.
struct ProcessIdentity {
  int64_t start_time = 0;  // field 22 (starttime) of /proc/PID/stat, clock ticks since boot
  std::string boot_id;     // /proc/sys/kernel/random/boot_id
  bool exited = false;     // a zombie: it has exited and waits for its parent to reap it
};

// This boot's id, or an error when /proc cannot tell.
absl::StatusOr<std::string> BootId();
// The identity of the process `pid` (a zombie too, marked exited); NotFound when there is none.
absl::StatusOr<ProcessIdentity> ReadProcessIdentity(int pid);

// Compares the process now at `pid` with the recorded start time and boot id (0 and "": not
// recorded, so at best kUnverifiable). A zombie is kNotRunning: it has exited.
PidState CheckPid(int pid, int64_t start_time, const std::string& boot_id);

// True once the recorded process is gone altogether: exited and reaped, so its pid is free (or
// already another process's). A zombie is not gone yet.
bool ProcessGone(int pid, int64_t start_time, const std::string& boot_id);

// Sends `sig` to `pid` only when CheckPid says kRunning, through a pidfd where the kernel has
// them so the pid cannot change hands between the check and the signal. Returns the state found;
// the signal went out only for kRunning.
PidState SignalIfSame(int pid, int64_t start_time, const std::string& boot_id, int sig);

}  // namespace agentgate::ctl
