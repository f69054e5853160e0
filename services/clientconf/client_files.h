// The file side of client configuration: reads a client's config files, backs the originals up
// once, writes the new contents atomically (keeping each file's mode, except that a file apply
// puts the token in is made 0600; writing through a symlink to its target), and puts the
// originals back, with their own modes.
//
// Backups live in $AGENTGATE_HOME/client-backups/<client>/ (0700, every file in it 0600):
// <file-name>.orig (the original bytes, for files that existed) and manifest.json — per file its
// path, whether it existed, the original's SHA-256 and mode, the SHA-256 of what apply last
// wrote, and the managed paths. The first apply makes them; later applies keep the originals and
// only update the manifest. Restore removes them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/clientconf/client_config.h"

namespace agentgate::clientconf {

struct ApplyResult {
  Plan plan;
  std::vector<std::string> paths;  // per plan file
  bool backup_created = false;     // false: an earlier apply's backup is kept
  std::string backup_dir;
};

struct RestoreResult {
  struct File {
    std::string path;
    RestoreAction action = RestoreAction::kNothing;
    bool changed_since_apply = false;
  };
  std::vector<File> files;
};

struct ClientStatus {
  ClientKind kind = ClientKind::kCodex;
  std::string binary;       // full path on PATH, "" when not found
  std::string config_path;  // the main file
  bool config_present = false;
  Inspection inspection;
  bool backup_present = false;
};

class ClientConfigurator {
 public:
  ClientConfigurator(std::string agentgate_home, Locations where);

  std::string BackupDir(ClientKind kind) const;
  std::vector<std::string> Paths(ClientKind kind) const;
  // The client's files (nullopt: missing). Fails on a file that exists but cannot be read.
  absl::StatusOr<std::vector<std::optional<std::string>>> Read(ClientKind kind) const;

  // Plans; unless dry_run, backs up (first time only) and writes what changed.
  absl::StatusOr<ApplyResult> Apply(ClientKind kind, const ApplyOptions& o, bool dry_run);
  // NotFound when there is no backup (nothing was applied).
  absl::StatusOr<RestoreResult> Restore(ClientKind kind);
  bool HasBackup(ClientKind kind) const;
  ClientStatus Status(ClientKind kind, const std::string& gateway_url,
                      const std::string& token) const;

 private:
  std::string home_;
  Locations where_;
};

// The command's full path when it is an executable file in a $PATH folder, else "".
std::string FindOnPath(const std::string& command);

}  // namespace agentgate::clientconf
