#include "services/toolbox/mcp_clients.h"

#include "services/clientconf/json_edit.h"
#include "services/clientconf/toml_edit.h"
#include "services/common/files.h"

namespace agentgate::toolbox {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using clientconf::ClientFile;
using clientconf::FileFormat;
using clientconf::Path;
using clientconf::Setting;

object Pairs(const google::protobuf::RepeatedPtrField<admin::v1::McpPair>& pairs) {
  object o;
  for (const auto& p : pairs) o[p.name()] = p.value();
  return o;
}

array Strings(const google::protobuf::RepeatedPtrField<std::string>& list) {
  array a;
  for (const auto& s : list) a.emplace_back(s);
  return a;
}

bool IsStdio(const admin::v1::McpServer& s) {
  return s.transport() == admin::v1::MCP_TRANSPORT_STDIO;
}

// Reads {"K": "v", ...} into pairs; false when a value is not a string.
bool ReadPairs(const value* v, google::protobuf::RepeatedPtrField<admin::v1::McpPair>* out) {
  if (v == nullptr) return true;
  if (!v->is_object()) return false;
  for (const auto& [k, e] : v->as_object()) {
    if (!e.is_string()) return false;
    auto* p = out->Add();
    p->set_name(std::string(k));
    p->set_value(std::string(e.as_string()));
  }
  return true;
}

bool ReadStrings(const value* v, google::protobuf::RepeatedPtrField<std::string>* out) {
  if (v == nullptr) return true;
  if (!v->is_array()) return false;
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) return false;
    out->Add(std::string(e.as_string()));
  }
  return true;
}

std::string StringOf(const object& o, std::string_view key) {
  const value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// One entry of a client's file, as JSON (Codex's table read into an object first), to a server.
// Empty `why` on success.
admin::v1::McpServer FromEntry(const std::string& client, const std::string& name, const object& o,
                               std::string* why) {
  admin::v1::McpServer s;
  s.set_name(name);
  s.set_origin("imported from " + client);
  bool ok = true;
  if (client == "opencode") {
    const std::string type = StringOf(o, "type");
    if (type == "local") {
      s.set_transport(admin::v1::MCP_TRANSPORT_STDIO);
      google::protobuf::RepeatedPtrField<std::string> command;
      ok = ReadStrings(o.if_contains("command"), &command) && !command.empty();
      if (ok) {
        s.set_command(command[0]);
        for (int i = 1; i < command.size(); ++i) s.add_args(command[i]);
      }
      ok = ok && ReadPairs(o.if_contains("environment"), s.mutable_env());
      s.set_cwd(StringOf(o, "cwd"));
    } else if (type == "remote") {
      s.set_transport(admin::v1::MCP_TRANSPORT_HTTP);
      s.set_url(StringOf(o, "url"));
      ok = ReadPairs(o.if_contains("headers"), s.mutable_headers());
    } else {
      *why = "type \"" + type + "\" is neither local nor remote";
      return s;
    }
    if (const value* e = o.if_contains("enabled"); e != nullptr && e->is_bool() && !e->as_bool()) {
      s.set_disabled(true);
    }
  } else {
    s.set_command(StringOf(o, "command"));
    ok = ReadStrings(o.if_contains("args"), s.mutable_args()) &&
         ReadPairs(o.if_contains("env"), s.mutable_env());
    s.set_cwd(StringOf(o, "cwd"));
    std::string type = StringOf(o, "type");
    if (client == "gemini") {
      // httpUrl (deprecated) is streamable HTTP; url is too unless its type says sse.
      if (!StringOf(o, "httpUrl").empty()) {
        s.set_url(StringOf(o, "httpUrl"));
        type = "http";
      } else {
        s.set_url(StringOf(o, "url"));
      }
    } else {
      s.set_url(StringOf(o, "url"));
    }
    ok = ok && ReadPairs(o.if_contains(client == "codex" ? "http_headers" : "headers"),
                         s.mutable_headers());
    if (client == "claude" && s.command().empty() && type.empty()) {
      *why = "a URL without a type, which Claude Code reads as a stdio server and skips";
      return s;
    }
    if (!s.command().empty()) {
      s.set_transport(admin::v1::MCP_TRANSPORT_STDIO);
    } else if (type == "sse") {
      s.set_transport(admin::v1::MCP_TRANSPORT_SSE);
    } else {
      s.set_transport(admin::v1::MCP_TRANSPORT_HTTP);
    }
    if (client == "codex") {
      if (const value* e = o.if_contains("enabled"); e && e->is_bool() && !e->as_bool()) {
        s.set_disabled(true);
      }
      const std::string bearer = StringOf(o, "bearer_token_env_var");
      if (!bearer.empty()) {
        *why = "its bearer token comes from $" + bearer + ", which other clients cannot read";
        return s;
      }
    }
  }
  if (!ok) {
    *why = "a value has a shape this does not read";
    return s;
  }
  if (s.command().empty() && s.url().empty()) *why = "neither a command nor a URL";
  return s;
}

}  // namespace

ClientFile McpFile(const std::string& path) {
  const std::string name = path.substr(path.rfind('/') + 1);
  return {name, name == "config.toml" ? FileFormat::kToml : FileFormat::kJson};
}

std::string McpFilePath(const std::string& client, const clientconf::Locations& where) {
  if (client == "codex") return where.codex_home + "/config.toml";
  if (client == "claude") {
    // Claude Code keeps .claude.json in its config folder when CLAUDE_CONFIG_DIR is set, else
    // in the home folder; an old .config.json in the config folder wins over both.
    const std::string legacy = where.claude_config_dir + "/.config.json";
    if (FileExists(legacy)) return legacy;
    return (where.claude_config_dir_set ? where.claude_config_dir : where.home) + "/.claude.json";
  }
  if (client == "gemini") return where.gemini_cli_home + "/.gemini/settings.json";
  // As `opencode mcp add` chooses: opencode.json, else the opencode.jsonc OpenCode makes on
  // its first start, else a new opencode.json.
  const std::string dir = where.xdg_config_home + "/opencode/";
  if (!FileExists(dir + "opencode.json") && FileExists(dir + "opencode.jsonc")) {
    return dir + "opencode.jsonc";
  }
  return dir + "opencode.json";
}

Path McpEntryPath(const std::string& client, const std::string& name) {
  if (client == "codex") return {"mcp_servers", name};
  if (client == "opencode") return {"mcp", name};
  return {"mcpServers", name};
}

McpEntry EncodeMcpServer(const std::string& client, const admin::v1::McpServer& s) {
  McpEntry e;
  const Path at = McpEntryPath(client, s.name());
  const bool stdio = IsStdio(s);
  const bool sse = s.transport() == admin::v1::MCP_TRANSPORT_SSE;
  if (client == "codex") {
    if (sse) {
      e.unsupported = true;
      e.losses.push_back("Codex speaks only streamable HTTP to MCP servers, not SSE");
      return e;
    }
    auto key = [&](const std::string& k, value v) {
      Path p = at;
      p.push_back(k);
      e.settings.push_back({p, std::move(v)});
    };
    if (stdio) {
      key("command", value(s.command()));
      if (!s.args().empty()) key("args", Strings(s.args()));
      if (!s.env().empty()) key("env", Pairs(s.env()));
      if (!s.cwd().empty()) key("cwd", value(s.cwd()));
    } else {
      key("url", value(s.url()));
      if (!s.headers().empty()) key("http_headers", Pairs(s.headers()));
    }
    return e;
  }
  object o;
  if (client == "claude") {
    if (stdio) {
      o["type"] = "stdio";
      o["command"] = s.command();
      o["args"] = Strings(s.args());
      o["env"] = Pairs(s.env());
      if (!s.cwd().empty()) e.losses.push_back("Claude Code has no working folder for a server");
    } else {
      o["type"] = sse ? "sse" : "http";
      o["url"] = s.url();
      if (!s.headers().empty()) o["headers"] = Pairs(s.headers());
    }
  } else if (client == "gemini") {
    if (stdio) {
      o["command"] = s.command();
      if (!s.args().empty()) o["args"] = Strings(s.args());
      if (!s.env().empty()) o["env"] = Pairs(s.env());
      if (!s.cwd().empty()) o["cwd"] = s.cwd();
    } else {
      // Gemini CLI 0.61 writes url with a type (httpUrl is its deprecated form).
      o["url"] = s.url();
      o["type"] = sse ? "sse" : "http";
      if (!s.headers().empty()) o["headers"] = Pairs(s.headers());
    }
  } else {  // opencode
    if (stdio) {
      o["type"] = "local";
      array command;
      command.emplace_back(s.command());
      for (const auto& a : s.args()) command.emplace_back(a);
      o["command"] = std::move(command);
      if (!s.env().empty()) o["environment"] = Pairs(s.env());
      if (!s.cwd().empty()) o["cwd"] = s.cwd();
    } else {
      o["type"] = "remote";
      o["url"] = s.url();
      if (!s.headers().empty()) o["headers"] = Pairs(s.headers());
    }
    o["enabled"] = true;
  }
  e.settings.push_back({at, value(std::move(o))});
  return e;
}

absl::StatusOr<std::vector<std::string>> McpEntryNames(const std::string& client,
                                                       const std::string& text) {
  std::vector<std::string> out;
  if (client == "codex") {
    auto doc = clientconf::TomlDoc::Parse(text);
    if (!doc.ok()) return doc.status();
    for (const auto& t : doc->Tables()) {
      if (t.size() == 2 && t[0] == "mcp_servers") out.push_back(t[1]);
    }
    // An inline or dotted form ("mcp_servers.x.command = ...") is not ours to edit: its names
    // count too, so nothing of ours collides with them.
    for (const auto& k : doc->Keys({"mcp_servers"})) out.push_back(k);
    return out;
  }
  auto doc = clientconf::JsonDoc::Parse(text);
  if (!doc.ok()) return doc.status();
  auto all = doc->Get({McpEntryPath(client, "")[0]});
  if (all && all->is_object()) {
    for (const auto& [k, v] : all->as_object()) out.push_back(std::string(k));
  }
  return out;
}

absl::StatusOr<ClientServers> DecodeMcpServers(const std::string& client, const std::string& text) {
  ClientServers out;
  auto names = McpEntryNames(client, text);
  if (!names.ok()) return names.status();
  std::optional<clientconf::TomlDoc> toml;
  std::optional<clientconf::JsonDoc> json;
  if (client == "codex") {
    toml.emplace(*clientconf::TomlDoc::Parse(text));
  } else {
    json.emplace(*clientconf::JsonDoc::Parse(text));
  }
  for (const auto& name : *names) {
    object o;
    bool readable = true;
    if (toml) {
      const Path table = {"mcp_servers", name};
      if (!toml->HasTable(table)) {
        out.skipped.push_back(name + ": written inline, not as a [mcp_servers." + name + "] table");
        continue;
      }
      for (const auto& k : toml->Keys(table)) {
        auto v = clientconf::TomlDoc::ParseValue(*toml->GetRaw(table, k));
        if (!v) readable = false;
        if (v) o[k] = std::move(*v);
      }
      // Sub-tables: [mcp_servers.NAME.env], [mcp_servers.NAME.http_headers].
      for (const char* sub : {"env", "http_headers"}) {
        const Path st = {"mcp_servers", name, sub};
        if (!toml->HasTable(st)) continue;
        object pairs;
        for (const auto& k : toml->Keys(st)) {
          auto v = clientconf::TomlDoc::ParseValue(*toml->GetRaw(st, k));
          if (!v) readable = false;
          if (v) pairs[k] = std::move(*v);
        }
        o[sub] = std::move(pairs);
      }
    } else {
      auto v = json->Get(McpEntryPath(client, name));
      if (!v || !v->is_object()) readable = false;
      if (v && v->is_object()) o = v->as_object();
    }
    if (!readable) {
      out.skipped.push_back(name + ": a value this does not read");
      continue;
    }
    std::string why;
    admin::v1::McpServer s = FromEntry(client, name, o, &why);
    if (!why.empty()) {
      out.skipped.push_back(name + ": " + why);
      continue;
    }
    out.servers.push_back(std::move(s));
  }
  return out;
}

}  // namespace agentgate::toolbox
