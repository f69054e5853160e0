// agentgatectl mcp / skill: the MCP servers and Skills AgentGate keeps (admin API), put into the
// clients' own files on this machine (toolbox/toolbox_files), and taken back out.
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/clientconf/client_config.h"
#include "services/common/flags.h"
#include "services/common/strings.h"
#include "services/common/token.h"
#include "services/ctl/cli_util.h"
#include "services/ctl/commands.h"
#include "services/toolbox/rules.h"
#include "services/toolbox/toolbox_files.h"

namespace agentgate::ctl {
namespace {

namespace tb = toolbox;

constexpr char kMcpUsage[] =
    "usage: agentgatectl mcp list [--json]\n"
    "       agentgatectl mcp add NAME [--env K=V]... [--cwd DIR] [--clients LIST] -- COMMAND "
    "ARGS...\n"
    "       agentgatectl mcp add NAME --url URL [--sse] [--header K=V]... [--clients LIST]\n"
    "       agentgatectl mcp remove|enable|disable NAME\n"
    "       agentgatectl mcp import [CLIENT...]\n"
    "       agentgatectl mcp sync [CLIENT...] [--dry-run]\n"
    "       agentgatectl mcp restore CLIENT...|--all\n"
    "\n"
    "One list of MCP servers, kept by the gateway, written into each client's own file:\n"
    "Codex ($CODEX_HOME/config.toml [mcp_servers.NAME]), Claude Code (~/.claude.json\n"
    "mcpServers), Gemini CLI (~/.gemini/settings.json mcpServers), OpenCode\n"
    "(~/.config/opencode/opencode.json mcp). Only the gateway's own entries are touched: a server\n"
    "a client already has under the same name stays the client's. add, remove, enable and\n"
    "disable sync at once (--no-sync: only the list changes).\n"
    "\n"
    "  list     the servers and, per client, whether each is there (✓), the client's own of\n"
    "           that name (own), not for that client (-), or not yet written (! : mcp sync);\n"
    "           then what the clients have that the list does not\n"
    "  add      a stdio server (COMMAND after --) or a remote one (--url; streamable HTTP, or\n"
    "           the older SSE with --sse). --clients codex,claude: only those (default all).\n"
    "           --replace changes a server the list has\n"
    "  import   takes the clients' own servers into the list (they stay as they are in the\n"
    "           client they came from, and go to the others at the next sync)\n"
    "  sync     writes the list into the clients (those installed or configured on this\n"
    "           machine, or those named)\n"
    "  restore  takes every gateway server out of the client: unchanged since, the file is\n"
    "           the original byte for byte; edited since, your edits stay\n";

constexpr char kSkillUsage[] =
    "usage: agentgatectl skill list [--json]\n"
    "       agentgatectl skill add FOLDER [--clients LIST] [--replace]\n"
    "       agentgatectl skill show NAME\n"
    "       agentgatectl skill remove|enable|disable NAME\n"
    "       agentgatectl skill import [CLIENT...]\n"
    "       agentgatectl skill sync [CLIENT...] [--dry-run]\n"
    "       agentgatectl skill restore CLIENT...|--all\n"
    "\n"
    "Skills (a folder with a SKILL.md whose front matter has a name and a description), kept\n"
    "by the gateway and copied into each client's skills folder: Codex $CODEX_HOME/skills,\n"
    "Claude Code ~/.claude/skills, Gemini CLI ~/.gemini/skills, OpenCode\n"
    "~/.config/opencode/skills. A folder the client already has under that name is left alone;\n"
    "a folder the gateway wrote and you changed since is never removed (it is yours then).\n"
    "add, remove, enable and disable sync at once (--no-sync: only the list changes).\n";

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  for (auto part : absl::StrSplit(s, ',', absl::SkipEmpty())) {
    out.push_back(std::string(StripSpace(std::string_view(part.data(), part.size()))));
  }
  return out;
}

bool ParsePair(const std::string& s, admin::v1::McpPair* p) {
  size_t eq = s.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  p->set_name(s.substr(0, eq));
  p->set_value(s.substr(eq + 1));
  return true;
}

// The clients a sync goes to: those named, else every one that is a target here.
bool SyncTargets(const tb::ToolboxFiles& files, const std::vector<std::string>& named,
                 std::vector<std::string>* out) {
  for (const auto& n : named) {
    std::string c = AsciiToLower(n);
    if (auto kind = clientconf::ParseClientKind(c)) c = clientconf::ClientName(*kind);
    if (!tb::IsMcpClient(c)) {
      Fail("unknown client '" + n + "': codex, claude, gemini or opencode");
      return false;
    }
    out->push_back(c);
  }
  if (named.empty()) *out = tb::Targets(files);
  return true;
}

void PrintSync(const tb::SyncResult& r, bool dry, const char* what) {
  std::vector<std::string> parts;
  auto add = [&](const char* label, const std::vector<std::string>& names) {
    if (!names.empty()) parts.push_back(std::string(label) + " " + absl::StrJoin(names, ", "));
  };
  add(dry ? "would add" : "added", r.added);
  add(dry ? "would update" : "updated", r.updated);
  add(dry ? "would remove" : "removed", r.removed);
  add("unchanged", r.kept);
  add("left the client's own", r.theirs);
  std::string line =
      parts.empty() ? std::string("no ") + what + " of the gateway's" : absl::StrJoin(parts, "; ");
  const bool skills = std::string(what) == "skills";
  std::printf("%-9s %s: %s%s\n", r.client.c_str(), r.path.c_str(), line.c_str(),
              !r.original_back || !r.changed || dry ? ""
              : skills                              ? " (nothing of the gateway's is left there)"
                                                    : " (the file is as it was before)");
  for (const auto& n : r.notes) std::printf("          note: %s\n", n.c_str());
}

// ---- MCP ----

bool ListServers(AdminClient& client, std::vector<admin::v1::McpServer>* out) {
  admin::v1::ListMcpServersResponse resp;
  if (!Call(client, &Stub::ListMcpServers, admin::v1::ListMcpServersRequest(), &resp)) return false;
  out->assign(resp.servers().begin(), resp.servers().end());
  return true;
}

int SyncMcp(AdminClient& client, tb::ToolboxFiles& files, const std::vector<std::string>& named,
            bool dry) {
  std::vector<admin::v1::McpServer> servers;
  if (!ListServers(client, &servers)) return 1;
  std::vector<std::string> targets;
  if (!SyncTargets(files, named, &targets)) return 1;
  if (targets.empty()) {
    std::printf(
        "no client here to write to (none of codex, claude, gemini, opencode is "
        "installed or configured); name one: agentgatectl mcp sync CLIENT\n");
    return 0;
  }
  int rc = 0;
  for (const auto& c : targets) {
    auto r = files.SyncMcp(c, servers, dry);
    if (!r.ok()) {
      std::printf("%-9s %s: %s (nothing changed)\n", c.c_str(), files.McpPath(c).c_str(),
                  std::string(r.status().message()).c_str());
      rc = 1;
      continue;
    }
    PrintSync(*r, dry, "MCP servers");
  }
  return rc;
}

std::string Runs(const admin::v1::McpServer& s) {
  std::string out;
  if (s.transport() == admin::v1::MCP_TRANSPORT_STDIO) {
    out = s.command();
    for (const auto& a : s.args()) out += " " + a;
  } else {
    out = s.url() + (s.transport() == admin::v1::MCP_TRANSPORT_SSE ? " (sse)" : "");
  }
  if (out.size() > 60) out = out.substr(0, 57) + "...";
  std::vector<std::string> extra;
  for (const auto& e : s.env()) extra.push_back(e.name());
  for (const auto& h : s.headers()) extra.push_back(h.name() + ":");
  if (!extra.empty()) out += " [" + absl::StrJoin(extra, " ") + "]";
  return out;
}

admin::v1::McpServer Masked(admin::v1::McpServer s) {
  for (auto& e : *s.mutable_env()) e.set_value(MaskSecret(e.value()));
  for (auto& h : *s.mutable_headers()) h.set_value(MaskSecret(h.value()));
  return s;
}

std::string Cell(bool goes, const tb::ClientView& v, const std::string& name) {
  auto has = [](const std::vector<std::string>& l, const std::string& n) {
    return std::find(l.begin(), l.end(), n) != l.end();
  };
  if (has(v.theirs, name)) return "own";
  if (!goes) return has(v.ours, name) ? "! (mcp sync)" : "-";
  return has(v.ours, name) ? "✓" : "!";
}

int McpList(AdminClient& client, tb::ToolboxFiles& files, const Flags& f) {
  std::vector<admin::v1::McpServer> servers;
  if (!ListServers(client, &servers)) return 1;
  std::vector<tb::ClientView> views;
  for (const auto& c : tb::McpClients()) views.push_back(files.ViewMcp(c));
  if (f.Has("json")) {
    // The servers as the API has them (values masked), and where each client stands.
    boost::json::array list;
    for (const auto& s : servers) list.push_back(boost::json::parse(ToJson(Masked(s))));
    boost::json::array clients;
    for (const auto& v : views) {
      auto names = [](const std::vector<std::string>& l) {
        boost::json::array a;
        for (const auto& n : l) a.emplace_back(n);
        return a;
      };
      clients.push_back(boost::json::object{{"client", v.client},
                                            {"path", v.path},
                                            {"installed", v.installed},
                                            {"ours", names(v.ours)},
                                            {"theirs", names(v.theirs)},
                                            {"edited_since", v.edited_since},
                                            {"error", v.error}});
    }
    std::printf("%s\n",
                boost::json::serialize(boost::json::object{{"servers", list}, {"clients", clients}})
                    .c_str());
    return 0;
  }
  if (servers.empty()) {
    std::printf(
        "no MCP servers in the gateway's list: agentgatectl mcp add NAME -- COMMAND, or "
        "agentgatectl mcp import\n");
  } else {
    std::vector<std::vector<std::string>> rows = {
        {"NAME", "TRANSPORT", "RUNS", "CODEX", "CLAUDE", "GEMINI", "OPENCODE"}};
    for (const auto& s : servers) {
      std::vector<std::string> row = {s.name() + (s.disabled() ? " (off)" : ""),
                                      s.transport() == admin::v1::MCP_TRANSPORT_STDIO ? "stdio"
                                      : s.transport() == admin::v1::MCP_TRANSPORT_SSE ? "sse"
                                                                                      : "http",
                                      Runs(s)};
      for (const auto& v : views) row.push_back(Cell(tb::ServerGoesTo(s, v.client), v, s.name()));
      rows.push_back(std::move(row));
    }
    PrintTable(rows);
  }
  bool header = false;
  for (const auto& v : views) {
    std::vector<std::string> only;
    for (const auto& n : v.theirs) {
      bool listed = false;
      for (const auto& s : servers) listed = listed || s.name() == n;
      if (!listed) only.push_back(n);
    }
    if (!v.error.empty()) {
      std::printf("%s: %s\n", v.client.c_str(), v.error.c_str());
    } else if (!only.empty()) {
      if (!header) std::printf("\nthe clients' own, not in the list (agentgatectl mcp import):\n");
      header = true;
      std::printf("  %-9s %s\n", v.client.c_str(), absl::StrJoin(only, ", ").c_str());
    }
    if (v.edited_since) {
      std::printf("note: %s changed since the gateway wrote it (its edits stay)\n", v.path.c_str());
    }
  }
  return 0;
}

int McpAdd(AdminClient& client, tb::ToolboxFiles& files, const Flags& f) {
  const auto& pos = f.positional();
  if (pos.empty()) return Fail("mcp add needs a NAME (mcp help)");
  admin::v1::McpServer s;
  s.set_name(pos[0]);
  if (f.Has("url")) {
    if (pos.size() > 1) return Fail("give a URL or a command, not both");
    s.set_url(f.Get("url"));
    s.set_transport(f.Has("sse") ? admin::v1::MCP_TRANSPORT_SSE : admin::v1::MCP_TRANSPORT_HTTP);
  } else {
    if (pos.size() < 2) return Fail("mcp add NAME -- COMMAND ARGS..., or --url URL");
    s.set_command(pos[1]);
    for (size_t i = 2; i < pos.size(); ++i) s.add_args(pos[i]);
    s.set_cwd(f.Get("cwd"));
  }
  for (const auto& e : f.GetAll("env")) {
    if (!ParsePair(e, s.add_env())) return Fail("--env takes NAME=VALUE (got " + e + ")");
  }
  for (const auto& h : f.GetAll("header")) {
    std::string pair = h;
    if (size_t colon = pair.find(':');
        colon != std::string::npos && pair.find('=') == std::string::npos) {
      pair = pair.substr(0, colon) + "=" + std::string(StripSpace(pair.substr(colon + 1)));
    }
    if (!ParsePair(pair, s.add_headers())) return Fail("--header takes NAME=VALUE (got " + h + ")");
  }
  for (const auto& c : SplitList(f.Get("clients"))) s.add_clients(c);
  if (auto st = tb::NormalizeMcpServer(s); !st.ok()) return Fail(Message(st));
  admin::v1::PutMcpServerRequest req;
  *req.mutable_server() = s;
  req.set_create_only(!f.Has("replace"));
  admin::v1::McpServer put;
  if (!Call(client, &Stub::PutMcpServer, req, &put)) {
    if (!f.Has("replace")) std::fprintf(stderr, "(--replace changes the server the list has)\n");
    return 1;
  }
  std::printf("MCP server %s kept by the gateway (%s)\n", put.name().c_str(), Runs(put).c_str());
  if (f.Has("no-sync")) return 0;
  return SyncMcp(client, files, {}, false);
}

int McpChange(AdminClient& client, tb::ToolboxFiles& files, const Flags& f,
              const std::string& sub) {
  if (f.positional().size() != 1) return Fail("mcp " + sub + " takes one NAME");
  const std::string& name = f.positional()[0];
  if (sub == "remove" || sub == "rm") {
    admin::v1::RemoveMcpServerRequest req;
    req.set_name(name);
    admin::v1::RemoveMcpServerResponse resp;
    if (!Call(client, &Stub::RemoveMcpServer, req, &resp)) return 1;
    std::printf("MCP server %s removed from the gateway's list\n", name.c_str());
  } else {
    std::vector<admin::v1::McpServer> servers;
    if (!ListServers(client, &servers)) return 1;
    admin::v1::PutMcpServerRequest req;
    for (const auto& s : servers) {
      if (s.name() == name) *req.mutable_server() = s;
    }
    if (req.server().name().empty()) return Fail("no MCP server " + name + " (mcp list)");
    req.mutable_server()->set_disabled(sub == "disable");
    admin::v1::McpServer put;
    if (!Call(client, &Stub::PutMcpServer, req, &put)) return 1;
    std::printf("MCP server %s %s\n", name.c_str(), sub == "disable" ? "disabled" : "enabled");
  }
  if (f.Has("no-sync")) return 0;
  return SyncMcp(client, files, {}, false);
}

int McpImport(AdminClient& client, tb::ToolboxFiles& files, const Flags& f) {
  std::vector<std::string> targets;
  if (!SyncTargets(files, f.positional(), &targets)) return 1;
  std::vector<admin::v1::McpServer> have;
  if (!ListServers(client, &have)) return 1;
  std::vector<std::string> listed;
  for (const auto& s : have) listed.push_back(s.name());
  std::vector<std::string> notes;
  int imported = 0;
  for (const auto& s : tb::ServersToImport(files, targets, listed, &notes)) {
    admin::v1::PutMcpServerRequest req;
    *req.mutable_server() = s;
    req.set_create_only(true);
    admin::v1::McpServer put;
    if (!Call(client, &Stub::PutMcpServer, req, &put)) continue;
    ++imported;
    std::printf("imported %s from %s (%s)\n", s.name().c_str(), s.origin().substr(14).c_str(),
                Runs(s).c_str());
  }
  for (const auto& n : notes) std::printf("%s\n", n.c_str());
  std::printf("%d imported; `agentgatectl mcp sync` writes them into the other clients\n",
              imported);
  return 0;
}

int McpRestore(tb::ToolboxFiles& files, const Flags& f, bool skills) {
  std::vector<std::string> targets;
  if (f.Has("all")) {
    targets = tb::McpClients();
  } else {
    if (f.positional().empty()) {
      return Fail(std::string(skills ? "skill" : "mcp") + " restore needs a CLIENT or --all");
    }
    if (!SyncTargets(files, f.positional(), &targets)) return 1;
  }
  int rc = 0;
  for (const auto& c : targets) {
    auto r = skills ? files.SyncSkills(c, {}, false) : files.SyncMcp(c, {}, false);
    if (!r.ok()) {
      std::printf("%-9s %s\n", c.c_str(), std::string(r.status().message()).c_str());
      rc = 1;
      continue;
    }
    PrintSync(*r, false, skills ? "skills" : "MCP servers");
  }
  return rc;
}

// ---- Skills ----

bool ListSkillsOf(AdminClient& client, bool with_files, std::vector<admin::v1::Skill>* out) {
  admin::v1::ListSkillsRequest req;
  req.set_with_files(with_files);
  admin::v1::ListSkillsResponse resp;
  auto ctx = client.Context(std::chrono::seconds(60));
  grpc::Status st = client.stub().ListSkills(ctx.get(), req, &resp);
  if (!st.ok()) {
    Fail(client.Explain(st));
    return false;
  }
  out->assign(resp.skills().begin(), resp.skills().end());
  return true;
}

int SyncSkills(AdminClient& client, tb::ToolboxFiles& files, const std::vector<std::string>& named,
               bool dry) {
  std::vector<admin::v1::Skill> skills;
  if (!ListSkillsOf(client, true, &skills)) return 1;
  std::vector<std::string> targets;
  if (!SyncTargets(files, named, &targets)) return 1;
  int rc = 0;
  for (const auto& c : targets) {
    auto r = files.SyncSkills(c, skills, dry);
    if (!r.ok()) {
      std::printf("%-9s %s: %s\n", c.c_str(), files.SkillsDir(c).c_str(),
                  std::string(r.status().message()).c_str());
      rc = 1;
      continue;
    }
    PrintSync(*r, dry, "skills");
  }
  return rc;
}

bool PutSkill(AdminClient& client, const admin::v1::Skill& s, bool create_only,
              admin::v1::Skill* put) {
  admin::v1::PutSkillRequest req;
  *req.mutable_skill() = s;
  req.set_create_only(create_only);
  auto ctx = client.Context(std::chrono::seconds(60));
  grpc::Status st = client.stub().PutSkill(ctx.get(), req, put);
  if (!st.ok()) {
    Fail(client.Explain(st));
    return false;
  }
  return true;
}

int SkillList(AdminClient& client, tb::ToolboxFiles& files, const Flags& f) {
  std::vector<admin::v1::Skill> skills;
  if (!ListSkillsOf(client, false, &skills)) return 1;
  std::vector<tb::ClientView> views;
  for (const auto& c : tb::SkillClients()) views.push_back(files.ViewSkills(c));
  if (f.Has("json")) {
    boost::json::array list;
    for (const auto& s : skills) list.push_back(boost::json::parse(ToJson(s)));
    std::printf("%s\n", boost::json::serialize(boost::json::object{{"skills", list}}).c_str());
    return 0;
  }
  if (skills.empty()) {
    std::printf(
        "no skills in the gateway's list: agentgatectl skill add FOLDER, or agentgatectl "
        "skill import\n");
  } else {
    std::vector<std::vector<std::string>> rows = {
        {"NAME", "FILES", "DESCRIPTION", "CODEX", "CLAUDE", "GEMINI", "OPENCODE"}};
    for (const auto& s : skills) {
      std::string d = s.description();
      for (char& ch : d) ch = ch == '\n' ? ' ' : ch;
      if (d.size() > 50) d = d.substr(0, 47) + "...";
      std::vector<std::string> row = {s.name() + (s.disabled() ? " (off)" : ""),
                                      std::to_string(s.file_count()), d};
      for (const auto& v : views) row.push_back(Cell(tb::SkillGoesTo(s, v.client), v, s.name()));
      rows.push_back(std::move(row));
    }
    PrintTable(rows);
  }
  bool header = false;
  for (const auto& v : views) {
    std::vector<std::string> only;
    for (const auto& n : v.theirs) {
      bool listed = false;
      for (const auto& s : skills) listed = listed || s.name() == n;
      if (!listed) only.push_back(n);
    }
    if (!only.empty()) {
      if (!header)
        std::printf("\nthe clients' own, not in the list (agentgatectl skill import):\n");
      header = true;
      std::printf("  %-9s %s\n", v.client.c_str(), absl::StrJoin(only, ", ").c_str());
    }
  }
  return 0;
}

int SkillAdd(AdminClient& client, tb::ToolboxFiles& files, const Flags& f) {
  if (f.positional().size() != 1) return Fail("skill add takes one FOLDER (with a SKILL.md)");
  auto s = tb::ReadSkillFolder(f.positional()[0]);
  if (!s.ok()) return Fail(Message(s.status()));
  for (const auto& c : SplitList(f.Get("clients"))) s->add_clients(c);
  if (auto st = tb::NormalizeSkill(*s); !st.ok()) return Fail(Message(st));
  admin::v1::Skill put;
  if (!PutSkill(client, *s, !f.Has("replace"), &put)) {
    if (!f.Has("replace")) std::fprintf(stderr, "(--replace changes the skill the list has)\n");
    return 1;
  }
  std::printf("skill %s kept by the gateway (%d files, %lld bytes)\n", put.name().c_str(),
              put.file_count(), static_cast<long long>(put.total_bytes()));
  if (f.Has("no-sync")) return 0;
  return SyncSkills(client, files, {}, false);
}

int SkillChange(AdminClient& client, tb::ToolboxFiles& files, const Flags& f,
                const std::string& sub) {
  if (f.positional().size() != 1) return Fail("skill " + sub + " takes one NAME");
  const std::string& name = f.positional()[0];
  if (sub == "remove" || sub == "rm") {
    admin::v1::RemoveSkillRequest req;
    req.set_name(name);
    admin::v1::RemoveSkillResponse resp;
    if (!Call(client, &Stub::RemoveSkill, req, &resp)) return 1;
    std::printf("skill %s removed from the gateway's list\n", name.c_str());
  } else {
    std::vector<admin::v1::Skill> skills;
    if (!ListSkillsOf(client, true, &skills)) return 1;
    const admin::v1::Skill* found = nullptr;
    for (const auto& s : skills) {
      if (s.name() == name) found = &s;
    }
    if (found == nullptr) return Fail("no skill " + name + " (skill list)");
    if (sub == "show") {
      std::printf("%s", found->files(0).content().c_str());
      for (const auto& file : found->files()) {
        if (file.path() != "SKILL.md")
          std::printf("\n(file %s, %zu bytes)", file.path().c_str(), file.content().size());
      }
      std::printf("\n");
      return 0;
    }
    admin::v1::Skill changed = *found;
    changed.set_disabled(sub == "disable");
    admin::v1::Skill put;
    if (!PutSkill(client, changed, false, &put)) return 1;
    std::printf("skill %s %s\n", name.c_str(), sub == "disable" ? "disabled" : "enabled");
  }
  if (f.Has("no-sync")) return 0;
  return SyncSkills(client, files, {}, false);
}

int SkillImport(AdminClient& client, tb::ToolboxFiles& files, const Flags& f) {
  std::vector<std::string> targets;
  if (!SyncTargets(files, f.positional(), &targets)) return 1;
  std::vector<admin::v1::Skill> have;
  if (!ListSkillsOf(client, false, &have)) return 1;
  std::vector<std::string> listed;
  for (const auto& s : have) listed.push_back(s.name());
  std::vector<std::string> notes;
  int imported = 0;
  for (const auto& s : tb::SkillsToImport(files, targets, listed, &notes)) {
    admin::v1::Skill put;
    if (!PutSkill(client, s, true, &put)) continue;
    ++imported;
    std::printf("imported %s from %s (%d files)\n", s.name().c_str(), s.origin().substr(14).c_str(),
                put.file_count());
  }
  for (const auto& n : notes) std::printf("%s\n", n.c_str());
  std::printf("%d imported; `agentgatectl skill sync` copies them into the other clients\n",
              imported);
  return 0;
}

Flags ToolboxFlags() {
  return Flags({{"json", "", "JSON output"},
                {"env", "NAME=VALUE", "add: an environment variable of the server"},
                {"header", "NAME=VALUE", "add: an HTTP header sent to the server"},
                {"url", "URL", "add: a remote server"},
                {"sse", "", "add: the remote server speaks the older SSE transport"},
                {"cwd", "DIR", "add: the folder the command runs in"},
                {"clients", "LIST", "add: only these clients (codex,claude,gemini,opencode)"},
                {"replace", "", "add: replace what the list has of that name"},
                {"no-sync", "", "only change the list, not the clients' files"},
                {"dry-run", "", "sync: say what would change"},
                {"all", "", "restore: every client"}});
}

}  // namespace

int CmdMcp(const std::string& home, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") return Usage(kMcpUsage);
  const std::string sub = args[0];
  Flags f = ToolboxFlags();
  if (auto st = f.Parse(std::vector<std::string>(args.begin() + 1, args.end())); !st.ok()) {
    return Fail(Message(st));
  }
  tb::ToolboxFiles files(home, clientconf::Locations::FromEnvironment());
  if (sub == "restore") return McpRestore(files, f, false);
  AdminClient client(home);
  if (sub == "list" || sub == "ls") return McpList(client, files, f);
  if (sub == "add") return McpAdd(client, files, f);
  if (sub == "remove" || sub == "rm" || sub == "enable" || sub == "disable") {
    return McpChange(client, files, f, sub);
  }
  if (sub == "import") return McpImport(client, files, f);
  if (sub == "sync") return SyncMcp(client, files, f.positional(), f.Has("dry-run"));
  return Fail("unknown mcp command '" + sub + "' (mcp help)");
}

int CmdSkill(const std::string& home, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") return Usage(kSkillUsage);
  const std::string sub = args[0];
  Flags f = ToolboxFlags();
  if (auto st = f.Parse(std::vector<std::string>(args.begin() + 1, args.end())); !st.ok()) {
    return Fail(Message(st));
  }
  tb::ToolboxFiles files(home, clientconf::Locations::FromEnvironment());
  if (sub == "restore") return McpRestore(files, f, true);
  AdminClient client(home);
  if (sub == "list" || sub == "ls") return SkillList(client, files, f);
  if (sub == "add") return SkillAdd(client, files, f);
  if (sub == "remove" || sub == "rm" || sub == "enable" || sub == "disable" || sub == "show") {
    return SkillChange(client, files, f, sub);
  }
  if (sub == "import") return SkillImport(client, files, f);
  if (sub == "sync") return SyncSkills(client, files, f.positional(), f.Has("dry-run"));
  return Fail("unknown skill command '" + sub + "' (skill help)");
}

}  // namespace agentgate::ctl
