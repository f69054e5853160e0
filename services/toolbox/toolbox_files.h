// The file side of MCP servers and Skills: makes each client's own file hold exactly the
// servers of AgentGate's list that go to it, and its skills folder exactly the skills, with the
// same guarantees as `client apply`: only AgentGate's own entries are touched (an entry or a
// folder of the same name the client already has is left as it is, and reported), the
// original file is kept once in $AGENTGATE_HOME/client-backups/mcp-<client>/, and when nothing
// of AgentGate's is left the file is the original again byte for byte (or, if the user edited
// it since, the original's bytes for our entries with the user's edits kept). A skill folder
// the user changed after it was written is not removed (nothing of theirs is lost): it becomes
// theirs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agentgate/admin/v1/admin.pb.h"
#include "services/clientconf/client_config.h"
#include "services/toolbox/mcp_clients.h"

namespace agentgate::toolbox {

struct SyncResult {
  std::string client;
  std::string path;                  // the file (MCP) or folder (skills)
  std::vector<std::string> added;    // ours, new
  std::vector<std::string> updated;  // ours, changed
  std::vector<std::string> removed;  // ours, gone
  std::vector<std::string> kept;     // ours, as they were
  std::vector<std::string> theirs;   // the client has its own of that name: left alone
  std::vector<std::string> notes;    // losses, a folder left because the user changed it
  bool changed = false;              // something was (or, dry run, would be) written
  // Nothing of ours is left: the file is the original byte for byte (MCP), the folder holds
  // nothing of ours (skills).
  bool original_back = false;
};

struct ClientView {
  std::string client;
  std::string path;
  bool installed = false;  // its command is on PATH
  bool present = false;    // the file / folder exists
  std::vector<std::string> ours;
  std::vector<std::string> theirs;
  bool edited_since = false;  // the file changed since AgentGate last wrote it
  std::string error;          // unreadable
};

class ToolboxFiles {
 public:
  ToolboxFiles(std::string agentgate_home, clientconf::Locations where);

  const clientconf::Locations& where() const { return where_; }
  std::string McpPath(const std::string& client) const;
  std::string SkillsDir(const std::string& client) const;
  // Whether a sync without a client named goes to it: installed, its file or folder exists,
  // or something of ours is there.
  bool IsTarget(const std::string& client) const;

  // Makes the client's file hold exactly `servers` that go to it (ServerGoesTo) as ours.
  absl::StatusOr<SyncResult> SyncMcp(const std::string& client,
                                     const std::vector<admin::v1::McpServer>& servers,
                                     bool dry_run);
  ClientView ViewMcp(const std::string& client) const;
  // The client's own servers (not AgentGate's), for import.
  absl::StatusOr<ClientServers> ReadClientMcp(const std::string& client) const;

  // Makes the client's skills folder hold exactly `skills` (with their files) that go to it.
  absl::StatusOr<SyncResult> SyncSkills(const std::string& client,
                                        const std::vector<admin::v1::Skill>& skills, bool dry_run);
  ClientView ViewSkills(const std::string& client) const;
  // The client's own skill folders (not AgentGate's), read as skills; a folder that is not a
  // valid skill goes to `skipped` with why.
  absl::StatusOr<std::vector<admin::v1::Skill>> ReadClientSkills(
      const std::string& client, std::vector<std::string>* skipped) const;

 private:
  std::string McpBackupDir(const std::string& client) const;
  std::string SkillsManifestPath(const std::string& client) const;

  std::string home_;
  clientconf::Locations where_;
};

// The clients a sync goes to when none is named: McpClients() that are IsTarget here.
std::vector<std::string> Targets(const ToolboxFiles& files);

// What `clients` have of their own that the list (`listed` names) does not: servers checked by
// NormalizeMcpServer, each name once (the first client's wins). Why each other one is not
// taken goes to `notes` as "client: why".
std::vector<admin::v1::McpServer> ServersToImport(const ToolboxFiles& files,
                                                  const std::vector<std::string>& clients,
                                                  const std::vector<std::string>& listed,
                                                  std::vector<std::string>* notes);
std::vector<admin::v1::Skill> SkillsToImport(const ToolboxFiles& files,
                                             const std::vector<std::string>& clients,
                                             const std::vector<std::string>& listed,
                                             std::vector<std::string>* notes);

// A skill folder read as a skill (regular files only: a symlink, device or a folder deeper than
// 8 is refused; kMaxSkillFiles / kMaxSkillBytes hold), checked by NormalizeSkill.
absl::StatusOr<admin::v1::Skill> ReadSkillFolder(const std::string& dir);

}  // namespace agentgate::toolbox
