// MCP servers and Skills, the rules every writer shares (the router's store checks them; the
// command line and the desktop app check before they send): names, transports, the shape of a
// skill folder, and SKILL.md's front matter. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "agentgate/admin/v1/admin.pb.h"

namespace agentgate::toolbox {

// The clients MCP servers and Skills are applied to, in this order.
const std::vector<std::string>& McpClients();
// Of those, the ones that read skill folders.
const std::vector<std::string>& SkillClients();
bool IsMcpClient(std::string_view name);

// Whether `server` goes to `client` (enabled, and its list names the client or is empty).
bool ServerGoesTo(const admin::v1::McpServer& server, std::string_view client);
bool SkillGoesTo(const admin::v1::Skill& skill, std::string_view client);

// Checks a server and puts it in its one form: the transport filled in (a command: stdio; a
// URL: http), names trimmed, clients lower-cased, deduplicated and in McpClients' order.
// InvalidArgument with a message naming the field.
absl::Status NormalizeMcpServer(admin::v1::McpServer& server);

// What SKILL.md's front matter says.
struct SkillFrontMatter {
  std::string name;
  std::string description;
};
// The block between the first two "---" lines: "key: value" lines, values plain, quoted
// ('...' or "...") or folded/literal blocks (> or |) on the indented lines below. InvalidArgument
// when there is no front matter or it lacks a name or a description.
absl::StatusOr<SkillFrontMatter> ParseSkillFrontMatter(std::string_view skill_md);

// Limits of a skill kept by the gateway.
inline constexpr size_t kMaxSkillFiles = 128;
inline constexpr size_t kMaxSkillBytes = 2 * 1024 * 1024;

// A relative path inside a skill folder: '/'-separated, no empty, "." or ".." segment, no
// backslash, control character or leading '/', at most 255 bytes.
bool IsSafeSkillPath(std::string_view path);

// Checks a skill and puts it in its one form: name and description from SKILL.md (which must be
// there), files sorted (SKILL.md first), total_bytes, file_count and sha256 filled in, clients
// as for servers. InvalidArgument.
absl::Status NormalizeSkill(admin::v1::Skill& skill);

// The SHA-256 (hex) of a skill's files: each path, mode and content, length-prefixed.
std::string SkillDigest(const admin::v1::Skill& skill);

}  // namespace agentgate::toolbox
