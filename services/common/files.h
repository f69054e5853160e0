// File-system helpers: the AgentGate home folder, whole-file reads and atomic writes.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace agentgate {

// $AGENTGATE_HOME, else $HOME/.agentgate.
std::string DefaultHome();

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
