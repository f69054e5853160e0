// File-system helpers: the AgentGate home folder, whole-file reads and atomic writes.
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

// Creates `dir` (and parents) with mode `mode` if missing.
absl::Status EnsureDir(const std::string& dir, int mode = 0700);

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
