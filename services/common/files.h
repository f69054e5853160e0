// File-system helpers: the AgentGate home folder and its ownership check, whole-file reads and
// atomic writes. Stateless; every function is safe to call from any thread, except that the
// ones reading the environment (UserHome, DefaultHome) race with a concurrent setenv.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace agentgate {

// The user's home folder: $HOME when set and not empty, else the home folder of the effective
// user in the password database. NotFound when neither gives one.
absl::StatusOr<std::string> UserHome();

// $AGENTGATE_HOME, else UserHome()/.agentgate. Empty when there is no user home at all (no
// $HOME and no password entry): callers must then ask for --home (never fall back to a shared
// folder such as /tmp, where another user could have planted the files).
std::string DefaultHome();

// What to tell the user when DefaultHome() is empty.
std::string NoHomeMessage();

// Creates `dir` and any missing parents, each with exactly `mode` whatever the umask, and sets
// `mode` on `dir` when it already exists.
absl::Status EnsureDir(const std::string& dir, int mode = 0700);

// OK when `dir` is a folder fit to hold AgentGate's secrets: owned by the effective user, not
// writable by group or others, and, when `dir` is a symlink, the link owned by the effective
// user too. FailedPrecondition otherwise, with a message naming the folder, its owner and the
// fix; NotFound when it does not exist.
absl::Status CheckDataDir(const std::string& dir);

// The data folder as a service or agentgatectl opens it: checks an existing one with
// CheckDataDir before touching it, then creates it (0700) if missing and makes it 0700.
absl::Status EnsureDataDir(const std::string& dir);

absl::StatusOr<std::string> ReadFile(const std::string& path);

// Writes `content` to a new temporary file with a unique random name in the same folder
// (created exclusively, never through a symlink or an existing file), sets exactly `mode` on it,
// fsyncs it, renames it over `path` and fsyncs the folder, so readers see the old or the new
// content, never a torn one. A symlink at `path` is replaced, not followed. On failure the
// temporary file is removed and `path` is unchanged.
absl::Status WriteFileAtomic(const std::string& path, const std::string& content, int mode = 0600);

// The permission bits of `path`, or an error.
absl::StatusOr<int> FileMode(const std::string& path);

bool FileExists(const std::string& path);

}  // namespace agentgate
