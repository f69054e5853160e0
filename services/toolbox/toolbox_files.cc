#include "services/toolbox/toolbox_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <filesystem>
#include <set>
#include <system_error>

#include "services/clientconf/client_files.h"
#include "services/clientconf/file_io.h"
#include "services/clientconf/json_edit.h"
#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/toolbox/rules.h"

namespace agentgate::toolbox {
namespace {

namespace fs = std::filesystem;
using clientconf::Manifest;
using clientconf::ManifestFile;

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string Binary(const std::string& client) {
  auto kind = clientconf::ParseClientKind(client);
  return kind ? clientconf::ClientBinary(*kind) : client;
}

// The names of our entries a manifest records (the second segment of its managed paths).
std::vector<std::string> OursIn(const Manifest& m) {
  std::vector<std::string> out;
  for (const auto& f : m.files) {
    for (const auto& p : f.managed) {
      if (p.size() >= 2 && !Contains(out, p[1])) out.push_back(p[1]);
    }
  }
  return out;
}

absl::StatusOr<std::optional<Manifest>> ReadManifest(const std::string& path) {
  auto text = clientconf::ReadOptional(path);
  if (!text.ok()) return text.status();
  if (!*text) return std::optional<Manifest>();
  auto m = Manifest::FromJson(**text);
  if (!m.ok()) return m.status();
  return std::optional<Manifest>(std::move(*m));
}

// The folder's files, recursively, as a skill's (no checks of the skill's own rules).
absl::Status ReadFolderFiles(const fs::path& root, admin::v1::Skill* out) {
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(root, ec))) {
    return absl::NotFoundError(root.string() + " is not a folder");
  }
  size_t total = 0;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) return absl::InternalError("cannot read " + root.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return absl::InternalError("cannot read " + root.string() + ": " + ec.message());
    const fs::path p = it->path();
    const std::string rel = fs::relative(p, root, ec).generic_string();
    const auto st = it->symlink_status(ec);
    if (fs::is_symlink(st)) return absl::InvalidArgumentError(rel + " is a symlink");
    if (fs::is_directory(st)) {
      if (it.depth() >= 8) return absl::InvalidArgumentError(rel + ": folders nested too deep");
      continue;
    }
    if (!fs::is_regular_file(st)) return absl::InvalidArgumentError(rel + " is not a regular file");
    if (static_cast<size_t>(out->files_size()) >= kMaxSkillFiles) {
      return absl::InvalidArgumentError("more than " + std::to_string(kMaxSkillFiles) + " files");
    }
    auto size = fs::file_size(p, ec);
    if (ec || total + size > kMaxSkillBytes) {
      return absl::InvalidArgumentError("more than 2 MiB of files");
    }
    auto content = ReadFile(p.string());
    if (!content.ok()) return content.status();
    total += content->size();
    auto* f = out->add_files();
    f->set_path(rel);
    f->set_content(std::move(*content));
    f->set_executable((static_cast<unsigned>(st.permissions()) & 0100) != 0);
  }
  return absl::OkStatus();
}

// The digest of what a folder holds now ("" when it is not a readable skill).
std::string FolderDigest(const fs::path& dir) {
  auto s = ReadSkillFolder(dir.string());
  return s.ok() ? s->sha256() : std::string();
}

absl::Status WriteSkill(const fs::path& dir, const admin::v1::Skill& skill) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return absl::InternalError("cannot create " + dir.string() + ": " + ec.message());
  for (const auto& f : skill.files()) {
    const fs::path p = dir / f.path();
    fs::create_directories(p.parent_path(), ec);
    if (ec) return absl::InternalError("cannot create " + p.parent_path().string());
    if (auto st = WriteFileAtomic(p.string(), f.content(), f.executable() ? 0755 : 0644);
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

// What a skills manifest holds: our folders with the digest of what was written, and whether
// the skills folder itself was made by us (then it goes when nothing is left in it).
struct SkillsManifest {
  std::vector<std::pair<std::string, std::string>> ours;
  bool made_folder = false;
};

std::string SkillsManifestJson(const std::string& client, const SkillsManifest& m) {
  boost::json::array a;
  for (const auto& [name, sha] : m.ours) {
    a.emplace_back(boost::json::object{{"name", name}, {"sha256", sha}});
  }
  return clientconf::JsonDoc::Format(
             boost::json::object{{"client", client}, {"made_folder", m.made_folder}, {"skills", a}},
             "", "  ", "\n") +
         "\n";
}

absl::StatusOr<SkillsManifest> ReadSkillsManifest(const std::string& path) {
  SkillsManifest m;
  auto& out = m.ours;
  auto text = clientconf::ReadOptional(path);
  if (!text.ok()) return text.status();
  if (!*text) return m;
  try {
    boost::json::value v = boost::json::parse(**text);
    if (const auto* made = v.as_object().if_contains("made_folder"); made && made->is_bool()) {
      m.made_folder = made->as_bool();
    }
    for (const auto& e : v.at("skills").as_array()) {
      std::string name = boost::json::value_to<std::string>(e.at("name"));
      // A manifest is ours, but a name that would leave the folder is never acted on.
      if (!IsSafeSkillPath(name) || name.find('/') != std::string::npos) continue;
      out.emplace_back(std::move(name), boost::json::value_to<std::string>(e.at("sha256")));
    }
  } catch (const std::exception& e) {
    return absl::DataLossError(path + " cannot be read: " + e.what());
  }
  return m;
}

}  // namespace

ToolboxFiles::ToolboxFiles(std::string agentgate_home, clientconf::Locations where)
    : home_(std::move(agentgate_home)), where_(std::move(where)) {}

std::string ToolboxFiles::McpPath(const std::string& client) const {
  // The file ours went into stays the one (OpenCode's choice may change when another file
  // appears beside it).
  auto manifest = ReadManifest(McpBackupDir(client) + "/manifest.json");
  if (manifest.ok() && *manifest && (*manifest)->files.size() == 1) {
    return (*manifest)->files[0].path;
  }
  return McpFilePath(client, where_);
}

std::string ToolboxFiles::SkillsDir(const std::string& client) const {
  if (client == "codex") return where_.codex_home + "/skills";
  if (client == "claude") return where_.claude_config_dir + "/skills";
  if (client == "gemini") return where_.gemini_cli_home + "/.gemini/skills";
  return where_.xdg_config_home + "/opencode/skills";
}

std::string ToolboxFiles::McpBackupDir(const std::string& client) const {
  return home_ + "/client-backups/mcp-" + client;
}

std::string ToolboxFiles::SkillsManifestPath(const std::string& client) const {
  return home_ + "/client-backups/skills-" + client + "/skills.json";
}

bool ToolboxFiles::IsTarget(const std::string& client) const {
  if (!clientconf::FindOnPath(Binary(client)).empty()) return true;
  if (FileExists(McpPath(client))) return true;
  std::error_code ec;
  const std::string folder = client == "claude" ? where_.claude_config_dir
                                                : fs::path(McpPath(client)).parent_path().string();
  if (fs::is_directory(folder, ec)) return true;
  return FileExists(McpBackupDir(client) + "/manifest.json") ||
         FileExists(SkillsManifestPath(client));
}

absl::StatusOr<SyncResult> ToolboxFiles::SyncMcp(const std::string& client,
                                                 const std::vector<admin::v1::McpServer>& servers,
                                                 bool dry_run) {
  if (!IsMcpClient(client)) return absl::InvalidArgumentError("unknown client " + client);
  const std::string dir = McpBackupDir(client);
  const std::string manifest_path = dir + "/manifest.json";
  SyncResult r;
  r.client = client;
  r.path = McpPath(client);
  const clientconf::ClientFile file = McpFile(r.path);
  auto current = clientconf::ReadOptional(r.path);
  if (!current.ok()) return current.status();
  auto manifest = ReadManifest(manifest_path);
  if (!manifest.ok()) return manifest.status();

  // The original (kept once) and the file as it would be without our entries.
  std::optional<std::string> original = *current;
  std::optional<std::string> base = *current;
  std::vector<std::string> ours_before;
  if (*manifest) {
    const ManifestFile* mf = (*manifest)->Find(file.name);
    if (mf == nullptr || mf->path != r.path) {
      return absl::FailedPreconditionError("the backup in " + dir +
                                           " is of another file; run `agentgatectl mcp restore " +
                                           client + "` with the same environment it was made in");
    }
    original.reset();
    if (mf->existed) {
      auto orig = ReadFile(dir + "/" + file.name + ".orig");
      if (!orig.ok()) return orig.status();
      if (clientconf::Sha256Hex(*orig) != mf->sha256) {
        return absl::DataLossError("the backup " + dir + "/" + file.name +
                                   ".orig does not match its recorded hash; not touching " +
                                   r.path);
      }
      original = std::move(*orig);
    }
    auto restore =
        clientconf::RestoreFile(file, *current, original, mf->applied_sha256, mf->managed);
    if (!restore.ok()) return restore.status();
    switch (restore->action) {
      case clientconf::RestoreAction::kWriteOriginal:
      case clientconf::RestoreAction::kWriteMerged:
        base = restore->content;
        break;
      case clientconf::RestoreAction::kRemoveFile:
      case clientconf::RestoreAction::kNothing:
        base.reset();
        break;
    }
    ours_before = OursIn(**manifest);
  }

  // What goes in: the servers for this client whose names the client does not use itself.
  auto theirs = McpEntryNames(client, base.value_or(""));
  if (!theirs.ok()) {
    return absl::Status(theirs.status().code(),
                        r.path + ": " + std::string(theirs.status().message()));
  }
  std::vector<clientconf::Setting> settings;
  std::vector<std::string> ours;
  bool secret = false;
  for (const auto& s : servers) {
    if (!ServerGoesTo(s, client)) continue;
    if (Contains(*theirs, s.name())) {
      r.theirs.push_back(s.name());
      continue;
    }
    McpEntry e = EncodeMcpServer(client, s);
    for (const auto& loss : e.losses) r.notes.push_back(s.name() + ": " + loss);
    if (e.unsupported) continue;
    ours.push_back(s.name());
    secret = secret || !s.env().empty() || !s.headers().empty();
    settings.insert(settings.end(), e.settings.begin(), e.settings.end());
  }

  std::optional<std::string> after = base;
  if (!ours.empty()) {
    auto applied = clientconf::ApplySettings(file.format, base.value_or(""), settings);
    if (!applied.ok()) {
      return absl::Status(applied.status().code(),
                          r.path + ": " + std::string(applied.status().message()));
    }
    after = std::move(*applied);
  }
  // What changed, by entry: compare each of ours as written before and now.
  auto entry_text = [&](const std::optional<std::string>& text, const std::string& name) {
    if (!text) return std::string();
    if (file.format == clientconf::FileFormat::kJson) {
      auto doc = clientconf::JsonDoc::Parse(*text);
      auto v = doc.ok() ? doc->Get(McpEntryPath(client, name)) : std::nullopt;
      return v ? boost::json::serialize(*v) : std::string();
    }
    auto servers_now = DecodeMcpServers(client, *text);
    if (servers_now.ok()) {
      for (const auto& s : servers_now->servers) {
        if (s.name() == name) return s.SerializeAsString();
      }
    }
    return std::string();
  };
  for (const auto& name : ours) {
    if (!Contains(ours_before, name)) {
      r.added.push_back(name);
    } else if (entry_text(*current, name) != entry_text(after, name)) {
      r.updated.push_back(name);
    } else {
      r.kept.push_back(name);
    }
  }
  for (const auto& name : ours_before) {
    if (!Contains(ours, name)) r.removed.push_back(name);
  }
  r.changed = after != *current;
  r.original_back = ours.empty() && after == original;
  if (dry_run) return r;

  if (ours.empty()) {
    if (r.changed) {
      if (after) {
        const int mode = original && after == original && *manifest
                             ? (*manifest)->Find(file.name)->mode
                             : clientconf::ModeOr(r.path, 0600);
        if (auto st = clientconf::WriteConfig(r.path, *after, mode); !st.ok()) return st;
      } else if (::unlink(clientconf::WriteTarget(r.path).c_str()) != 0 && errno != ENOENT) {
        return absl::InternalError("cannot remove " + r.path);
      }
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::remove(fs::path(dir).parent_path(), ec);  // client-backups, when it is empty now
    return r;
  }

  Manifest m;
  if (*manifest) {
    m = std::move(**manifest);
    // Edited since we wrote it: the file without our entries is the one to come back to now
    // (the first original would lose those edits).
    ManifestFile* mf = m.Find(file.name);
    if (base != original) {
      mf->existed = base.has_value();
      mf->sha256 = base ? clientconf::Sha256Hex(*base) : std::string();
      if (base) {
        auto st = WriteFileAtomic(dir + "/" + file.name + ".orig", *base, 0600);
        if (!st.ok()) return st;
      } else {
        ::unlink((dir + "/" + file.name + ".orig").c_str());
      }
    }
  } else {
    m.client = "mcp-" + client;
    m.created_at_ms = NowMs();
    if (auto st = EnsureDir(dir, 0700); !st.ok()) return st;
    ManifestFile f;
    f.name = file.name;
    f.path = r.path;
    f.existed = current->has_value();
    if (f.existed) {
      f.sha256 = clientconf::Sha256Hex(**current);
      f.mode = clientconf::ModeOr(r.path, 0600);
      auto st = WriteFileAtomic(dir + "/" + file.name + ".orig", **current, 0600);
      if (!st.ok()) return st;
    }
    m.files.push_back(std::move(f));
    // The backup is in place before the file changes.
    if (auto st = WriteFileAtomic(manifest_path, m.ToJson(), 0600); !st.ok()) return st;
  }
  if (r.changed) {
    // Environment values and headers are often tokens: such a file is made private.
    int mode = clientconf::ModeOr(r.path, 0600);
    if (secret || !*current) mode &= 0700;
    if (auto st = clientconf::WriteConfig(r.path, *after, mode); !st.ok()) return st;
  }
  ManifestFile* mf = m.Find(file.name);
  mf->applied_sha256 = clientconf::Sha256Hex(*after);
  mf->managed.clear();
  for (const auto& s : settings) mf->managed.push_back(s.path);
  if (auto st = WriteFileAtomic(manifest_path, m.ToJson(), 0600); !st.ok()) return st;
  return r;
}

ClientView ToolboxFiles::ViewMcp(const std::string& client) const {
  ClientView v;
  v.client = client;
  v.path = McpPath(client);
  v.installed = !clientconf::FindOnPath(Binary(client)).empty();
  auto current = clientconf::ReadOptional(v.path);
  if (!current.ok()) {
    v.error = std::string(current.status().message());
    return v;
  }
  v.present = current->has_value();
  auto manifest = ReadManifest(McpBackupDir(client) + "/manifest.json");
  if (manifest.ok() && *manifest) {
    const auto ours = OursIn(**manifest);
    const ManifestFile* mf = (*manifest)->Find(McpFile(v.path).name);
    v.edited_since =
        mf != nullptr && clientconf::Sha256Hex(current->value_or("")) != mf->applied_sha256;
    auto names = McpEntryNames(client, current->value_or(""));
    for (const auto& n : ours) {
      if (names.ok() && Contains(*names, n)) v.ours.push_back(n);
    }
  }
  auto names = McpEntryNames(client, current->value_or(""));
  if (!names.ok()) {
    v.error = v.path + ": " + std::string(names.status().message());
    return v;
  }
  for (const auto& n : *names) {
    if (!Contains(v.ours, n)) v.theirs.push_back(n);
  }
  return v;
}

absl::StatusOr<ClientServers> ToolboxFiles::ReadClientMcp(const std::string& client) const {
  auto current = clientconf::ReadOptional(McpPath(client));
  if (!current.ok()) return current.status();
  auto all = DecodeMcpServers(client, current->value_or(""));
  if (!all.ok()) return all.status();
  const ClientView v = ViewMcp(client);
  ClientServers out;
  out.skipped = std::move(all->skipped);
  for (auto& s : all->servers) {
    if (!Contains(v.ours, s.name())) out.servers.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<SyncResult> ToolboxFiles::SyncSkills(const std::string& client,
                                                    const std::vector<admin::v1::Skill>& skills,
                                                    bool dry_run) {
  if (!IsMcpClient(client)) return absl::InvalidArgumentError("unknown client " + client);
  SyncResult r;
  r.client = client;
  r.path = SkillsDir(client);
  const std::string manifest_path = SkillsManifestPath(client);
  auto manifest = ReadSkillsManifest(manifest_path);
  if (!manifest.ok()) return manifest.status();
  const auto* before = &manifest->ours;
  const fs::path root(r.path);
  std::error_code ec;
  const bool made_folder = before->empty() ? !fs::exists(root, ec) : manifest->made_folder;

  std::vector<std::pair<std::string, std::string>> now;  // ours after this sync
  std::set<std::string> wanted;
  for (const auto& s : skills) {
    if (SkillGoesTo(s, client)) wanted.insert(s.name());
  }
  // Ours from before: gone from the list, or changed, or changed by the user.
  std::set<std::string> ours_before;
  for (const auto& [name, sha] : *before) {
    ours_before.insert(name);
    const fs::path dir = root / name;
    if (!fs::exists(fs::symlink_status(dir, ec))) {
      if (wanted.count(name)) continue;  // written again below
      r.removed.push_back(name);
      continue;
    }
    if (FolderDigest(dir) != sha) {
      // The user changed it: theirs now, whatever the list says.
      r.notes.push_back(name + ": changed in " + dir.string() +
                        " since AgentGate wrote it; left as it is (it is yours now)");
      continue;
    }
    const admin::v1::Skill* want = nullptr;
    for (const auto& s : skills) {
      if (s.name() == name && SkillGoesTo(s, client)) want = &s;
    }
    if (want != nullptr && want->sha256() == sha) {
      r.kept.push_back(name);
      now.emplace_back(name, sha);
      continue;
    }
    r.changed = true;
    if (want != nullptr) {
      r.updated.push_back(name);
    } else {
      r.removed.push_back(name);
    }
    if (!dry_run) {
      fs::remove_all(dir, ec);
      if (ec) return absl::InternalError("cannot remove " + dir.string() + ": " + ec.message());
      if (want != nullptr) {
        if (auto st = WriteSkill(dir, *want); !st.ok()) return st;
      }
    }
    if (want != nullptr) now.emplace_back(name, want->sha256());
  }
  for (const auto& s : skills) {
    if (!SkillGoesTo(s, client)) continue;
    bool handled = false;
    for (const auto& [name, sha] : now) handled = handled || name == s.name();
    if (handled) continue;
    const fs::path dir = root / s.name();
    if (fs::exists(fs::symlink_status(dir, ec))) {
      if (!ours_before.count(s.name())) r.theirs.push_back(s.name());
      continue;
    }
    if (s.files().empty()) {
      return absl::InvalidArgumentError("skill " + s.name() + " came without its files");
    }
    r.changed = true;
    r.added.push_back(s.name());
    if (!dry_run) {
      if (auto st = WriteSkill(dir, s); !st.ok()) return st;
    }
    now.emplace_back(s.name(), s.sha256());
  }
  r.original_back = now.empty();
  if (dry_run) return r;
  if (now.empty()) {
    fs::remove_all(fs::path(manifest_path).parent_path(), ec);
    fs::remove(fs::path(manifest_path).parent_path().parent_path(), ec);
    // A skills folder this made and left empty goes too.
    if (made_folder && fs::is_empty(root, ec) && !ec) fs::remove(root, ec);
    return r;
  }
  if (auto st = EnsureDir(fs::path(manifest_path).parent_path().string(), 0700); !st.ok())
    return st;
  return WriteFileAtomic(manifest_path, SkillsManifestJson(client, {now, made_folder}), 0600).ok()
             ? absl::StatusOr<SyncResult>(std::move(r))
             : absl::InternalError("cannot write " + manifest_path);
}

ClientView ToolboxFiles::ViewSkills(const std::string& client) const {
  ClientView v;
  v.client = client;
  v.path = SkillsDir(client);
  v.installed = !clientconf::FindOnPath(Binary(client)).empty();
  std::error_code ec;
  v.present = fs::is_directory(v.path, ec);
  auto manifest = ReadSkillsManifest(SkillsManifestPath(client));
  if (!manifest.ok()) v.error = std::string(manifest.status().message());
  std::set<std::string> ours;
  if (manifest.ok()) {
    for (const auto& [name, sha] : manifest->ours) {
      if (FolderDigest(fs::path(v.path) / name) == sha) {
        ours.insert(name);
      } else if (fs::exists(fs::path(v.path) / name, ec)) {
        v.edited_since = true;
      }
    }
  }
  if (!v.present) return v;
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(v.path, ec)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.' || !e.is_directory(ec)) continue;
    if (!fs::exists(e.path() / "SKILL.md", ec)) continue;
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) (ours.count(n) ? v.ours : v.theirs).push_back(n);
  return v;
}

absl::StatusOr<std::vector<admin::v1::Skill>> ToolboxFiles::ReadClientSkills(
    const std::string& client, std::vector<std::string>* skipped) const {
  std::vector<admin::v1::Skill> out;
  const ClientView v = ViewSkills(client);
  for (const auto& name : v.theirs) {
    auto s = ReadSkillFolder(v.path + "/" + name);
    if (!s.ok()) {
      if (skipped != nullptr) skipped->push_back(name + ": " + std::string(s.status().message()));
      continue;
    }
    if (s->name() != name) {
      if (skipped != nullptr) {
        skipped->push_back(name + ": its SKILL.md calls it " + s->name());
      }
      continue;
    }
    s->set_origin("imported from " + client);
    out.push_back(*std::move(s));
  }
  return out;
}

std::vector<std::string> Targets(const ToolboxFiles& files) {
  std::vector<std::string> out;
  for (const auto& c : McpClients()) {
    if (files.IsTarget(c)) out.push_back(c);
  }
  return out;
}

std::vector<admin::v1::McpServer> ServersToImport(const ToolboxFiles& files,
                                                  const std::vector<std::string>& clients,
                                                  const std::vector<std::string>& listed,
                                                  std::vector<std::string>* notes) {
  std::vector<admin::v1::McpServer> out;
  std::set<std::string> names(listed.begin(), listed.end());
  for (const auto& c : clients) {
    auto read = files.ReadClientMcp(c);
    if (!read.ok()) {
      notes->push_back(c + ": " + std::string(read.status().message()));
      continue;
    }
    for (const auto& why : read->skipped) notes->push_back(c + ": not imported: " + why);
    for (auto& s : read->servers) {
      if (names.count(s.name())) continue;  // the list has it: it stays as the list has it
      if (auto st = NormalizeMcpServer(s); !st.ok()) {
        notes->push_back(c + ": not imported: " + std::string(st.message()));
        continue;
      }
      names.insert(s.name());
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::vector<admin::v1::Skill> SkillsToImport(const ToolboxFiles& files,
                                             const std::vector<std::string>& clients,
                                             const std::vector<std::string>& listed,
                                             std::vector<std::string>* notes) {
  std::vector<admin::v1::Skill> out;
  std::set<std::string> names(listed.begin(), listed.end());
  for (const auto& c : clients) {
    std::vector<std::string> skipped;
    auto read = files.ReadClientSkills(c, &skipped);
    if (!read.ok()) {
      notes->push_back(c + ": " + std::string(read.status().message()));
      continue;
    }
    for (const auto& why : skipped) notes->push_back(c + ": not imported: " + why);
    for (auto& s : *read) {
      if (!names.insert(s.name()).second) continue;
      out.push_back(std::move(s));
    }
  }
  return out;
}

absl::StatusOr<admin::v1::Skill> ReadSkillFolder(const std::string& dir) {
  admin::v1::Skill s;
  if (auto st = ReadFolderFiles(fs::path(dir), &s); !st.ok()) return st;
  if (auto st = NormalizeSkill(s); !st.ok()) {
    return absl::InvalidArgumentError(dir + ": " + std::string(st.message()));
  }
  return s;
}

}  // namespace agentgate::toolbox
