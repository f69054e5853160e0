// The file side shared by everything that edits a client's files: reading a file that may be
// missing, writing atomically through a symlink to its target with a mode, and the manifest kept
// beside the originals in a backup folder (client-backups/<scope>/manifest.json): per file its
// path, whether it existed, the original's SHA-256 and mode, the SHA-256 of what was last
// written, and the managed paths.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/clientconf/client_config.h"

namespace agentgate::clientconf {

absl::StatusOr<std::optional<std::string>> ReadOptional(const std::string& path);
// Where writing `path` should go: a symlink's target, so a dotfiles link stays a link.
std::string WriteTarget(const std::string& path);
// Writes atomically with `mode`, creating missing parent folders (0700; existing folders keep
// their permissions).
absl::Status WriteConfig(const std::string& path, const std::string& content, int mode);
// The file's mode (of a symlink's target), or `def` when it cannot be read.
int ModeOr(const std::string& path, int def);

struct ManifestFile {
  std::string name;
  std::string path;
  bool existed = false;
  std::string sha256;  // the original's
  int mode = 0600;     // the original's
  std::string applied_sha256;
  std::vector<Path> managed;
};

struct Manifest {
  std::string client;
  int64_t created_at_ms = 0;
  std::vector<ManifestFile> files;

  ManifestFile* Find(const std::string& name);
  std::string ToJson() const;
  static absl::StatusOr<Manifest> FromJson(const std::string& text);
};

}  // namespace agentgate::clientconf
