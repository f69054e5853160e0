#include "services/clientconf/client_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "services/clientconf/file_io.h"
#include "services/common/clock.h"
#include "services/common/files.h"

namespace agentgate::clientconf {
namespace {

namespace fs = std::filesystem;

std::string StatusText(const absl::Status& st) {
  return std::string(st.message().data(), st.message().size());
}

// Whether Apply puts the token in `file`. Such a file is made 0600 whatever its mode was: a
// world-readable 0644 config.toml would hand the token to every local user.
bool CarriesToken(ClientKind kind, const ClientFile& file, const ApplyOptions& o) {
  if (o.token.empty()) return false;
  for (const auto& setting : Settings(kind, file, o)) {
    if (setting.value && setting.value->is_string() && setting.value->get_string() == o.token) {
      return true;
    }
  }
  return false;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ClientConfigurator::ClientConfigurator(std::string agentgate_home, Locations where)
    : home_(std::move(agentgate_home)), where_(std::move(where)) {}

std::string ClientConfigurator::BackupDir(ClientKind kind) const {
  return home_ + "/client-backups/" + ClientName(kind);
}

std::vector<std::string> ClientConfigurator::Paths(ClientKind kind) const {
  std::vector<std::string> out;
  for (const auto& f : ClientFiles(kind)) out.push_back(FilePath(kind, f, where_));
  return out;
}

absl::StatusOr<std::vector<std::optional<std::string>>> ClientConfigurator::Read(
    ClientKind kind) const {
  std::vector<std::optional<std::string>> out;
  for (const auto& path : Paths(kind)) {
    auto text = ReadOptional(path);
    if (!text.ok()) return text.status();
    out.push_back(std::move(*text));
  }
  return out;
}

bool ClientConfigurator::HasBackup(ClientKind kind) const {
  return FileExists(BackupDir(kind) + "/manifest.json");
}

absl::StatusOr<ApplyResult> ClientConfigurator::Apply(ClientKind kind, const ApplyOptions& o,
                                                      bool dry_run) {
  ApplyResult r;
  r.paths = Paths(kind);
  r.backup_dir = BackupDir(kind);
  auto current = Read(kind);
  if (!current.ok()) return current.status();
  auto plan = clientconf::Apply(kind, *current, o);
  if (!plan.ok()) return plan.status();
  r.plan = std::move(*plan);
  if (kind == ClientKind::kOpenCode) {
    std::string jsonc = fs::path(r.paths[0]).replace_extension(".jsonc").string();
    if (FileExists(jsonc)) {
      r.plan.notes.push_back(jsonc +
                             " exists too: OpenCode merges it with opencode.json, and what "
                             "it sets (a \"model\", say) can override what apply set");
    }
  }
  if (dry_run) return r;

  const std::string manifest_path = r.backup_dir + "/manifest.json";
  Manifest m;
  auto existing = ReadOptional(manifest_path);
  if (!existing.ok()) return existing.status();
  if (*existing) {
    auto parsed = Manifest::FromJson(**existing);
    if (!parsed.ok()) return parsed.status();
    m = std::move(*parsed);
  } else {
    m.client = ClientName(kind);
    m.created_at_ms = NowMs();
  }
  // The originals, once: a file the manifest already has keeps its first backup.
  bool manifest_changed = false;
  for (size_t i = 0; i < r.plan.files.size(); ++i) {
    const auto& fp = r.plan.files[i];
    if (ManifestFile* f = m.Find(fp.file.name)) {
      if (f->path != r.paths[i]) {
        return absl::FailedPreconditionError(
            "a backup of " + f->path + " from an earlier apply is kept in " + r.backup_dir +
            "; restore it first (agentgatectl client restore " + ClientName(kind) + ")");
      }
      // Edited since the last apply: what a restore should give back is now the file with
      // the user's edits and without our entries, not the first original (that would lose
      // the edits once this apply's hash matches).
      {
        if (fp.before && Sha256Hex(*fp.before) != f->applied_sha256) {
          std::optional<std::string> original;
          const std::string orig_path = r.backup_dir + "/" + f->name + ".orig";
          if (f->existed) {
            auto orig = ReadFile(orig_path);
            if (!orig.ok()) return orig.status();
            if (Sha256Hex(*orig) != f->sha256) {
              return absl::DataLossError("the backup " + orig_path +
                                         " does not match its recorded hash; not applying");
            }
            original = std::move(*orig);
          }
          auto base = RestoreFile(fp.file, fp.before, original, f->applied_sha256, f->managed);
          if (!base.ok()) return base.status();
          const bool exists = base->action == RestoreAction::kWriteOriginal ||
                              base->action == RestoreAction::kWriteMerged;
          if (!exists || base->content != original) {
            f->existed = exists;
            f->sha256 = exists ? Sha256Hex(base->content) : std::string();
            if (exists) {
              if (auto st = WriteFileAtomic(orig_path, base->content, 0600); !st.ok()) return st;
            } else {
              ::unlink(orig_path.c_str());
            }
            manifest_changed = true;
          }
        }
      }
      continue;
    }
    if (auto st = EnsureDir(r.backup_dir, 0700); !st.ok()) return st;
    ManifestFile f;
    f.name = fp.file.name;
    f.path = r.paths[i];
    f.existed = fp.before.has_value();
    if (f.existed) {
      f.sha256 = Sha256Hex(*fp.before);
      f.mode = ModeOr(r.paths[i], 0600);
      auto st = WriteFileAtomic(r.backup_dir + "/" + f.name + ".orig", *fp.before, 0600);
      if (!st.ok()) return st;
    }
    m.files.push_back(std::move(f));
    manifest_changed = true;
    r.backup_created = true;
  }
  if (manifest_changed) {
    if (auto st = WriteFileAtomic(manifest_path, m.ToJson(), 0600); !st.ok()) return st;
  }
  for (size_t i = 0; i < r.plan.files.size(); ++i) {
    const auto& fp = r.plan.files[i];
    // Files without the token keep their mode; those with it become private (the backup of the
    // original is 0600 already, and Restore gives the original its own mode back).
    bool secret = CarriesToken(kind, fp.file, o);
    if (fp.changed()) {
      int mode = secret || !fp.before ? 0600 : ModeOr(r.paths[i], 0600);
      if (auto st = WriteConfig(r.paths[i], fp.after, mode); !st.ok()) return st;
    } else if (secret && (ModeOr(r.paths[i], 0600) & 077) != 0) {
      // Unchanged (applied before), but still readable by others.
      std::string target = WriteTarget(r.paths[i]);
      if (::chmod(target.c_str(), 0600) != 0) {
        return absl::InternalError("cannot make " + target +
                                   " private (chmod 600): " + std::strerror(errno));
      }
    }
    ManifestFile* f = m.Find(fp.file.name);
    f->applied_sha256 = Sha256Hex(fp.after);
    for (const auto& p : fp.managed) {
      bool known = false;
      for (const auto& q : f->managed) known = known || q == p;
      if (!known) f->managed.push_back(p);
    }
  }
  if (auto st = WriteFileAtomic(manifest_path, m.ToJson(), 0600); !st.ok()) return st;
  return r;
}

absl::StatusOr<RestoreResult> ClientConfigurator::Restore(ClientKind kind) {
  const std::string dir = BackupDir(kind);
  auto text = ReadOptional(dir + "/manifest.json");
  if (!text.ok()) return text.status();
  if (!*text) {
    return absl::NotFoundError("no backup of " + ClientTitle(kind) +
                               "'s configuration: nothing to restore (no `client apply " +
                               ClientName(kind) + "` since the last restore)");
  }
  auto m = Manifest::FromJson(**text);
  if (!m.ok()) return m.status();
  // Everything is read and checked before anything is written.
  struct Step {
    std::string path;
    FileRestore restore;
    int mode = 0600;
  };
  std::vector<Step> steps;
  for (const auto& f : m->files) {
    auto current = ReadOptional(f.path);
    if (!current.ok()) return current.status();
    std::optional<std::string> original;
    if (f.existed) {
      auto orig = ReadFile(dir + "/" + f.name + ".orig");
      if (!orig.ok()) return orig.status();
      if (Sha256Hex(*orig) != f.sha256) {
        return absl::DataLossError("the backup " + dir + "/" + f.name +
                                   ".orig does not match its recorded hash; not restoring");
      }
      original = std::move(*orig);
    }
    ClientFile file;
    file.name = f.name;
    for (const auto& cf : ClientFiles(kind)) {
      if (cf.name == f.name) file = cf;
    }
    auto restore = RestoreFile(file, *current, original, f.applied_sha256, f.managed);
    if (!restore.ok()) return restore.status();
    int mode = restore->action == RestoreAction::kWriteOriginal ? f.mode : ModeOr(f.path, 0600);
    steps.push_back(Step{f.path, std::move(*restore), mode});
  }
  RestoreResult r;
  for (const auto& s : steps) {
    switch (s.restore.action) {
      case RestoreAction::kWriteOriginal:
      case RestoreAction::kWriteMerged:
        if (auto st = WriteConfig(s.path, s.restore.content, s.mode); !st.ok()) return st;
        break;
      case RestoreAction::kRemoveFile:
        if (::unlink(WriteTarget(s.path).c_str()) != 0 && errno != ENOENT) {
          return absl::InternalError("cannot remove " + s.path);
        }
        break;
      case RestoreAction::kNothing:
        break;
    }
    r.files.push_back({s.path, s.restore.action, s.restore.changed_since_apply});
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) return absl::InternalError("restored, but cannot remove " + dir + ": " + ec.message());
  fs::remove(fs::path(dir).parent_path(), ec);  // client-backups, when it is empty now
  return r;
}

ClientStatus ClientConfigurator::Status(ClientKind kind, const std::string& gateway_url,
                                        const std::string& token) const {
  ClientStatus s;
  s.kind = kind;
  s.binary = FindOnPath(ClientBinary(kind));
  auto paths = Paths(kind);
  s.config_path = paths.front();
  s.config_present = FileExists(s.config_path);
  auto files = Read(kind);
  if (files.ok()) {
    s.inspection = Inspect(kind, *files, gateway_url, token);
  } else {
    s.inspection.pointing = Pointing::kUnreadable;
    s.inspection.problems.push_back(StatusText(files.status()));
  }
  s.backup_present = HasBackup(kind);
  return s;
}

std::string FindOnPath(const std::string& command) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::string all = path;
  size_t start = 0;
  while (start <= all.size()) {
    size_t colon = all.find(':', start);
    std::string dir =
        all.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + command;
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return "";
}

}  // namespace agentgate::clientconf
