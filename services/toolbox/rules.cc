#include "services/toolbox/rules.h"

#include <openssl/evp.h>

#include <algorithm>
#include <set>

#include "services/common/strings.h"

namespace agentgate::toolbox {
namespace {

constexpr size_t kMaxName = 64;
constexpr size_t kMaxText = 8192;  // a command, an argument, a value, a URL
constexpr int kMaxArgs = 64;
constexpr int kMaxPairs = 64;
constexpr size_t kMaxDescription = 1024;

bool HasControl(std::string_view s, bool allow_tab = false) {
  for (unsigned char c : s) {
    if ((c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f) return true;
  }
  return false;
}

bool IsServerName(std::string_view s) {
  if (s.empty() || s.size() > kMaxName) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsAsciiAlnum(c) || c == '_' || c == '-'; });
}

bool IsEnvName(std::string_view s) {
  if (s.empty() || s.size() > 128 || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return IsAsciiAlnum(c) || c == '_'; });
}

bool IsHeaderName(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return IsAsciiAlnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

absl::Status Bad(const std::string& what) { return absl::InvalidArgumentError(what); }

absl::Status NormalizeClients(google::protobuf::RepeatedPtrField<std::string>* clients) {
  std::set<std::string> wanted;
  for (const auto& c : *clients) {
    std::string name = AsciiToLower(StripSpace(c));
    if (name == "all") continue;
    if (!IsMcpClient(name)) {
      return Bad("unknown client \"" + c.substr(0, 40) + "\" (codex, claude, gemini, opencode)");
    }
    wanted.insert(name);
  }
  clients->Clear();
  for (const auto& c : McpClients()) {
    if (wanted.count(c)) clients->Add()->assign(c);
  }
  return absl::OkStatus();
}

absl::Status CheckPairs(const google::protobuf::RepeatedPtrField<admin::v1::McpPair>& pairs,
                        bool headers) {
  const char* what = headers ? "header" : "environment variable";
  if (pairs.size() > kMaxPairs) return Bad(std::string("more than 64 ") + what + "s");
  std::set<std::string> seen;
  for (const auto& p : pairs) {
    if (headers ? !IsHeaderName(p.name()) : !IsEnvName(p.name())) {
      return Bad(std::string("bad ") + what + " name \"" + p.name().substr(0, 40) + "\"");
    }
    std::string key = headers ? AsciiToLower(p.name()) : p.name();
    if (!seen.insert(key).second) return Bad(std::string(what) + " " + p.name() + " given twice");
    if (p.value().size() > kMaxText || HasControl(p.value(), true)) {
      return Bad(std::string(what) + " " + p.name() +
                 ": the value is too long or has control "
                 "characters");
    }
  }
  return absl::OkStatus();
}

// YAML-ish scalar: quotes removed ('' in single quotes, \" and \\ in double quotes).
std::string Unquote(std::string_view v) {
  v = StripSpace(v);
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') {
    std::string out;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      out += v[i];
      if (v[i] == '\'' && i + 2 < v.size() && v[i + 1] == '\'') ++i;
    }
    return out;
  }
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\\' && i + 2 < v.size()) {
        char n = v[++i];
        out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
      } else {
        out += v[i];
      }
    }
    return out;
  }
  // A plain scalar ends at " #" (a comment).
  if (size_t hash = v.find(" #"); hash != std::string_view::npos) v = StripSpace(v.substr(0, hash));
  return std::string(v);
}

void SortFiles(admin::v1::Skill& skill) {
  auto* files = skill.mutable_files();
  std::sort(files->begin(), files->end(), [](const auto& a, const auto& b) {
    if ((a.path() == "SKILL.md") != (b.path() == "SKILL.md")) return a.path() == "SKILL.md";
    return a.path() < b.path();
  });
}

}  // namespace

const std::vector<std::string>& McpClients() {
  static const std::vector<std::string> k = {"codex", "claude", "gemini", "opencode"};
  return k;
}

const std::vector<std::string>& SkillClients() { return McpClients(); }

bool IsMcpClient(std::string_view name) {
  const auto& k = McpClients();
  return std::find(k.begin(), k.end(), name) != k.end();
}

bool ServerGoesTo(const admin::v1::McpServer& server, std::string_view client) {
  if (server.disabled()) return false;
  if (server.clients().empty()) return true;
  return std::find(server.clients().begin(), server.clients().end(), client) !=
         server.clients().end();
}

bool SkillGoesTo(const admin::v1::Skill& skill, std::string_view client) {
  if (skill.disabled()) return false;
  if (skill.clients().empty()) return true;
  return std::find(skill.clients().begin(), skill.clients().end(), client) != skill.clients().end();
}

absl::Status NormalizeMcpServer(admin::v1::McpServer& s) {
  s.set_name(std::string(StripSpace(s.name())));
  if (!IsServerName(s.name())) {
    return Bad("an MCP server's name is 1-64 letters, digits, '_' or '-' (got \"" +
               s.name().substr(0, 40) + "\")");
  }
  s.set_command(std::string(StripSpace(s.command())));
  s.set_url(std::string(StripSpace(s.url())));
  if (s.transport() == admin::v1::MCP_TRANSPORT_UNSPECIFIED) {
    if (!s.command().empty()) {
      s.set_transport(admin::v1::MCP_TRANSPORT_STDIO);
    } else if (!s.url().empty()) {
      s.set_transport(admin::v1::MCP_TRANSPORT_HTTP);
    } else {
      return Bad("MCP server " + s.name() + ": give a command (stdio) or a URL (http)");
    }
  }
  if (!admin::v1::McpTransport_IsValid(s.transport())) return Bad("unknown transport");
  if (s.transport() == admin::v1::MCP_TRANSPORT_STDIO) {
    if (s.command().empty())
      return Bad("MCP server " + s.name() + ": a stdio server needs a command");
    if (!s.url().empty() || !s.headers().empty()) {
      return Bad("MCP server " + s.name() + ": a stdio server has no URL or headers");
    }
    if (s.command().size() > kMaxText || HasControl(s.command())) {
      return Bad("MCP server " + s.name() + ": the command is too long or has control characters");
    }
    if (s.args_size() > kMaxArgs) return Bad("MCP server " + s.name() + ": more than 64 arguments");
    for (const auto& a : s.args()) {
      if (a.size() > kMaxText || a.find('\0') != std::string::npos) {
        return Bad("MCP server " + s.name() + ": an argument is too long or has a NUL");
      }
    }
    if (s.cwd().size() > kMaxText || HasControl(s.cwd())) {
      return Bad("MCP server " + s.name() + ": bad working folder");
    }
  } else {
    if (s.url().empty()) return Bad("MCP server " + s.name() + ": a remote server needs a URL");
    if (!s.command().empty() || !s.args().empty() || !s.cwd().empty() || !s.env().empty()) {
      // (Codex refuses its whole config over env on a URL server.)
      return Bad("MCP server " + s.name() +
                 ": a remote server has no command, arguments, folder or environment (headers "
                 "carry its credentials)");
    }
    const std::string& u = s.url();
    const bool scheme = StartsWithIgnoreCase(u, "http://") || StartsWithIgnoreCase(u, "https://");
    const size_t host = u.find("://") + 3;
    if (!scheme || u.size() > kMaxText || HasControl(u) || u.find(' ') != std::string::npos ||
        host >= u.size() || u[host] == '/') {
      return Bad("MCP server " + s.name() + ": the URL must be http:// or https:// with a host");
    }
  }
  if (auto st = CheckPairs(s.env(), false); !st.ok())
    return Bad("MCP server " + s.name() + ": " + std::string(st.message()));
  if (auto st = CheckPairs(s.headers(), true); !st.ok())
    return Bad("MCP server " + s.name() + ": " + std::string(st.message()));
  if (s.origin().size() > 200 || HasControl(s.origin())) s.set_origin(s.origin().substr(0, 0));
  return NormalizeClients(s.mutable_clients());
}

absl::StatusOr<SkillFrontMatter> ParseSkillFrontMatter(std::string_view md) {
  if (md.substr(0, 3) == "\xEF\xBB\xBF") md.remove_prefix(3);
  std::vector<std::string_view> lines;
  for (size_t at = 0; at <= md.size();) {
    size_t nl = md.find('\n', at);
    std::string_view line = md.substr(at, nl == std::string_view::npos ? md.size() - at : nl - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  if (lines.empty() || StripSpace(lines[0]) != "---") {
    return Bad(
        "SKILL.md must start with front matter (a \"---\" line, name:, description:, \"---\")");
  }
  size_t end = 1;
  while (end < lines.size() && StripSpace(lines[end]) != "---") ++end;
  if (end == lines.size()) return Bad("SKILL.md's front matter has no closing \"---\" line");
  SkillFrontMatter fm;
  for (size_t i = 1; i < end; ++i) {
    std::string_view line = lines[i];
    if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#') continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = StripSpace(line.substr(0, colon));
    std::string_view raw = StripSpace(line.substr(colon + 1));
    std::string value;
    if (!raw.empty() && (raw[0] == '>' || raw[0] == '|')) {
      const bool folded = raw[0] == '>';
      while (i + 1 < end &&
             (lines[i + 1].empty() || lines[i + 1][0] == ' ' || lines[i + 1][0] == '\t')) {
        std::string_view part = StripSpace(lines[++i]);
        if (!value.empty()) value += folded ? ' ' : '\n';
        value += part;
      }
    } else {
      value = Unquote(raw);
    }
    if (key == "name") fm.name = value;
    if (key == "description") fm.description = std::string(StripSpace(value));
  }
  if (fm.name.empty()) return Bad("SKILL.md's front matter has no name");
  if (fm.description.empty()) return Bad("SKILL.md's front matter has no description");
  return fm;
}

bool IsSafeSkillPath(std::string_view p) {
  if (p.empty() || p.size() > 255 || p[0] == '/' || HasControl(p) ||
      p.find('\\') != std::string_view::npos) {
    return false;
  }
  size_t at = 0;
  while (true) {
    size_t slash = p.find('/', at);
    std::string_view seg = p.substr(at, slash == std::string_view::npos ? p.npos : slash - at);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (slash == std::string_view::npos) return true;
    at = slash + 1;
  }
}

absl::Status NormalizeSkill(admin::v1::Skill& skill) {
  if (skill.files().empty()) return Bad("a skill is a folder with a SKILL.md; no files given");
  if (static_cast<size_t>(skill.files_size()) > kMaxSkillFiles) {
    return Bad("a skill has at most " + std::to_string(kMaxSkillFiles) + " files");
  }
  std::set<std::string> seen;
  size_t total = 0;
  const admin::v1::SkillFile* md = nullptr;
  for (const auto& f : skill.files()) {
    if (!IsSafeSkillPath(f.path()))
      return Bad("bad file path in skill: \"" + f.path().substr(0, 60) + "\"");
    if (!seen.insert(f.path()).second) return Bad("file " + f.path() + " given twice");
    total += f.content().size();
    if (f.path() == "SKILL.md") md = &f;
  }
  // A file and a folder of the same name cannot both be written.
  for (const auto& p : seen) {
    for (size_t slash = p.find('/'); slash != std::string::npos; slash = p.find('/', slash + 1)) {
      if (seen.count(p.substr(0, slash))) {
        return Bad("\"" + p.substr(0, slash) + "\" is both a file and a folder");
      }
    }
  }
  if (total > kMaxSkillBytes) return Bad("a skill holds at most 2 MiB of files");
  if (md == nullptr) return Bad("a skill needs a SKILL.md at its top");
  auto fm = ParseSkillFrontMatter(md->content());
  if (!fm.ok()) return fm.status();
  const std::string& n = fm->name;
  const bool name_ok = !n.empty() && n.size() <= kMaxName && n.front() != '-' && n.back() != '-' &&
                       n.find("--") == std::string::npos &&
                       std::all_of(n.begin(), n.end(), [](char c) {
                         return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                       });
  if (!name_ok) {
    return Bad("a skill's name is 1-64 lower-case letters, digits and single hyphens (got \"" +
               n.substr(0, 40) + "\")");
  }
  if (!skill.name().empty() && skill.name() != n) {
    return Bad("the skill is called " + skill.name() + " but its SKILL.md says " + n);
  }
  const bool description_ok =
      fm->description.size() <= kMaxDescription &&
      std::none_of(fm->description.begin(), fm->description.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f;
      });
  if (!description_ok) {
    return Bad("a skill's description is at most 1024 characters without control characters");
  }
  skill.set_name(n);
  skill.set_description(fm->description);
  SortFiles(skill);
  skill.set_total_bytes(static_cast<int64_t>(total));
  skill.set_file_count(skill.files_size());
  skill.set_sha256(SkillDigest(skill));
  if (skill.origin().size() > 200 || HasControl(skill.origin())) skill.clear_origin();
  return NormalizeClients(skill.mutable_clients());
}

std::string SkillDigest(const admin::v1::Skill& skill) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  auto put = [&](std::string_view s) {
    const std::string len = std::to_string(s.size()) + ":";
    EVP_DigestUpdate(ctx, len.data(), len.size());
    EVP_DigestUpdate(ctx, s.data(), s.size());
  };
  for (const auto& f : skill.files()) {
    put(f.path());
    put(f.executable() ? "x" : "-");
    put(f.content());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

}  // namespace agentgate::toolbox
