// MCP servers in each client's own configuration format — pure functions from a server to the
// settings that write it, and from a client's file back to servers (for import).
//
//   codex     $CODEX_HOME/config.toml   [mcp_servers.NAME] command, args, env, cwd | url,
//                                       http_headers (streamable HTTP only: no SSE)
//   claude    ~/.claude.json            mcpServers.NAME {type stdio|http|sse, command, args,
//             ($CLAUDE_CONFIG_DIR/.claude.json)  env | url, headers} (a url without a type is
//                                       read as stdio and skipped: the type is always written)
//   gemini    ~/.gemini/settings.json   mcpServers.NAME {command, args, env, cwd | url, type
//                                       http|sse, headers} (httpUrl, deprecated, is read)
//   opencode  ~/.config/opencode/opencode.json[c]  mcp.NAME {type local, command [cmd, args...],
//                                       environment, cwd, enabled | type remote, url, headers}
// Checked against the clients themselves (their `mcp add` output and what they accept, in the
// versions tests/e2e runs). What a client cannot hold of a server (a working folder in Claude
// Code, SSE in Codex) is named as a loss.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agentgate/admin/v1/admin.pb.h"
#include "services/clientconf/client_config.h"

namespace agentgate::toolbox {

// Where a client keeps its MCP servers (for OpenCode: opencode.json, else an existing
// opencode.jsonc), and that file's name and format.
std::string McpFilePath(const std::string& client, const clientconf::Locations& where);
clientconf::ClientFile McpFile(const std::string& path);
// The path of a server's entry in that file ({"mcp_servers", name}, {"mcpServers", name},
// {"mcp", name}).
clientconf::Path McpEntryPath(const std::string& client, const std::string& name);

struct McpEntry {
  std::vector<clientconf::Setting> settings;  // what writes the entry (each path under it)
  std::vector<std::string> losses;            // what the client cannot hold of it
  bool unsupported = false;                   // the client cannot hold it at all (losses say why)
};
McpEntry EncodeMcpServer(const std::string& client, const admin::v1::McpServer& server);

// The servers a client's file holds (text of McpFile), in file order. A server that cannot be
// read as one (a shape this does not know) goes to `skipped` with why, by name.
struct ClientServers {
  std::vector<admin::v1::McpServer> servers;
  std::vector<std::string> skipped;
};
absl::StatusOr<ClientServers> DecodeMcpServers(const std::string& client, const std::string& text);

// The names of the entries in the client's file (whatever their shape).
absl::StatusOr<std::vector<std::string>> McpEntryNames(const std::string& client,
                                                       const std::string& text);

}  // namespace agentgate::toolbox
