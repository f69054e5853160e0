#include "services/clientconf/client_config.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "services/clientconf/env_edit.h"
#include "services/clientconf/json_edit.h"
#include "services/clientconf/toml_edit.h"
#include "services/common/files.h"

namespace agentgate::clientconf {
namespace {

constexpr char kProvider[] = "agentgate";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string StatusText(const absl::Status& st) {
  return std::string(st.message().data(), st.message().size());
}

absl::Status Annotate(const absl::Status& st, const std::string& what) {
  return absl::Status(st.code(), what + ": " + StatusText(st));
}

// The TOML table and key of a path: all but the last segment, and the last.
std::pair<Path, std::string> TableKey(const Path& p) {
  return {Path(p.begin(), p.end() - 1), p.back()};
}

std::string TomlValue(const boost::json::value& v) {
  if (v.is_string()) return TomlDoc::Quote(std::string(v.as_string()));
  if (v.is_array()) {
    std::string out = "[";
    for (const auto& e : v.as_array()) out += (out.size() > 1 ? ", " : "") + TomlValue(e);
    return out + "]";
  }
  if (v.is_object()) {
    // An inline table, on one line as TOML wants it.
    if (v.as_object().empty()) return "{}";
    std::string out = "{ ";
    for (const auto& [k, e] : v.as_object()) {
      out +=
          (out.size() > 2 ? ", " : "") + TomlDoc::FormatKey(std::string(k)) + " = " + TomlValue(e);
    }
    return out + " }";
  }
  return boost::json::serialize(v);  // numbers and booleans read the same in TOML
}

std::string EnvValue(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
}

Path Prefix(const Path& p, size_t n) { return Path(p.begin(), p.begin() + n); }

// Qwen Code reads the key from the variable its provider entry names; its settings' "env" map
// sets it.
constexpr char kQwenKeyVar[] = "AGENTGATE_API_KEY";
// A context window the Chat clients that want one (Kimi Code, Crush) are told when the gateway
// does not know the model's: small enough for every current model behind the gateway, so their
// own compaction starts in time.
constexpr int64_t kContextWindow = 128000;
// Claude Code takes CLAUDE_CODE_AUTO_COMPACT_WINDOW between these (read from 2.1.197's code);
// for a model it does not know it assumes 200,000.
constexpr int64_t kClaudeMinCompactWindow = 100'000;
constexpr int64_t kClaudeMaxCompactWindow = 1'000'000;

const GatewayModel* Limits(const ApplyOptions& o, std::string_view model) {
  for (const auto& m : o.limits) {
    if (m.id == model) return &m;
  }
  return nullptr;
}

// The model a client's provider entry names: --model, else the first the gateway lists.
std::string EffectiveModel(const ApplyOptions& o) {
  if (!o.model.empty()) return o.model;
  return o.models.empty() ? std::string() : o.models.front();
}

}  // namespace

int64_t ContextWindowOf(const ApplyOptions& o, std::string_view model) {
  const GatewayModel* l = Limits(o, model);
  return l == nullptr ? 0 : l->context_window;
}

namespace {

// Factory Droid names a custom model "custom:" + its display name (spaces as dashes) + "-" + its
// place in customModels.
std::string DroidDisplayName(const std::string& model) { return "agentgate " + model; }
std::string DroidModelId(const std::string& model, size_t index) {
  std::string name = DroidDisplayName(model);
  for (char& c : name) {
    if (c == ' ') c = '-';
  }
  return "custom:" + name + "-" + std::to_string(index);
}

bool IsGatewayEntry(const boost::json::value& v, std::string_view url_key,
                    const std::string& base_url) {
  if (!v.is_object()) return false;
  const auto* url = v.as_object().if_contains(url_key);
  return url != nullptr && url->is_string() && TrimSlash(std::string(url->as_string())) == base_url;
}

// The array at `path` of a JSON settings file, without the gateway's own entries (those whose
// `url_key` is `base_url`), with `entry` at the end; and its index there.
std::pair<boost::json::array, size_t> WithEntry(const std::string& text, const Path& path,
                                                std::string_view url_key,
                                                const std::string& base_url,
                                                boost::json::object entry) {
  boost::json::array out;
  if (auto doc = JsonDoc::Parse(text); doc.ok()) {
    if (auto v = doc->Get(path); v && v->is_array()) {
      for (auto& e : v->as_array()) {
        if (!IsGatewayEntry(e, url_key, base_url)) out.push_back(e);
      }
    }
  }
  out.push_back(std::move(entry));
  return {std::move(out), out.size() - 1};
}

}  // namespace

const std::vector<ClientKind>& AllClients() {
  static const std::vector<ClientKind> all = {
      ClientKind::kClaude,   ClientKind::kCodex, ClientKind::kGemini,
      ClientKind::kOpenCode, ClientKind::kQwen,  ClientKind::kKimi,
      ClientKind::kDroid,    ClientKind::kCrush, ClientKind::kAtomCode};
  return all;
}

bool IsCoreClient(ClientKind kind) {
  return kind == ClientKind::kClaude || kind == ClientKind::kCodex || kind == ClientKind::kGemini ||
         kind == ClientKind::kOpenCode;
}

bool NeedsModel(ClientKind kind) {
  return kind != ClientKind::kClaude && kind != ClientKind::kCodex && kind != ClientKind::kGemini;
}

std::string ClientName(ClientKind kind) {
  switch (kind) {
    case ClientKind::kCodex:
      return "codex";
    case ClientKind::kClaude:
      return "claude";
    case ClientKind::kGemini:
      return "gemini";
    case ClientKind::kOpenCode:
      return "opencode";
    case ClientKind::kQwen:
      return "qwen";
    case ClientKind::kKimi:
      return "kimi";
    case ClientKind::kDroid:
      return "droid";
    case ClientKind::kCrush:
      return "crush";
    case ClientKind::kAtomCode:
      return "atomcode";
  }
  return "";
}

std::string ClientTitle(ClientKind kind) {
  switch (kind) {
    case ClientKind::kCodex:
      return "Codex CLI";
    case ClientKind::kClaude:
      return "Claude Code";
    case ClientKind::kGemini:
      return "Gemini CLI";
    case ClientKind::kOpenCode:
      return "OpenCode";
    case ClientKind::kQwen:
      return "Qwen Code";
    case ClientKind::kKimi:
      return "Kimi Code";
    case ClientKind::kDroid:
      return "Factory Droid";
    case ClientKind::kCrush:
      return "Crush";
    case ClientKind::kAtomCode:
      return "AtomCode";
  }
  return "";
}

std::string ClientBinary(ClientKind kind) { return ClientName(kind); }

std::optional<ClientKind> ParseClientKind(std::string_view name) {
  if (name == "codex" || name == "codex-cli") return ClientKind::kCodex;
  if (name == "claude" || name == "claude-code") return ClientKind::kClaude;
  if (name == "gemini" || name == "gemini-cli") return ClientKind::kGemini;
  if (name == "opencode") return ClientKind::kOpenCode;
  if (name == "qwen" || name == "qwen-code") return ClientKind::kQwen;
  if (name == "kimi" || name == "kimi-code") return ClientKind::kKimi;
  if (name == "droid" || name == "factory" || name == "factory-droid") return ClientKind::kDroid;
  if (name == "crush") return ClientKind::kCrush;
  if (name == "atomcode") return ClientKind::kAtomCode;
  return std::nullopt;
}

const std::vector<ClientFile>& ClientFiles(ClientKind kind) {
  static const std::vector<ClientFile> codex = {{"config.toml", FileFormat::kToml}};
  static const std::vector<ClientFile> claude = {{"settings.json", FileFormat::kJson}};
  static const std::vector<ClientFile> gemini = {{"settings.json", FileFormat::kJson},
                                                 {".env", FileFormat::kDotEnv}};
  static const std::vector<ClientFile> opencode = {{"opencode.json", FileFormat::kJson}};
  static const std::vector<ClientFile> json_settings = {{"settings.json", FileFormat::kJson}};
  static const std::vector<ClientFile> toml_config = {{"config.toml", FileFormat::kToml}};
  static const std::vector<ClientFile> crush = {{"crush.json", FileFormat::kJson}};
  switch (kind) {
    case ClientKind::kQwen:
    case ClientKind::kDroid:
      return json_settings;
    case ClientKind::kKimi:
    case ClientKind::kAtomCode:
      return toml_config;
    case ClientKind::kCrush:
      return crush;
    case ClientKind::kCodex:
      return codex;
    case ClientKind::kClaude:
      return claude;
    case ClientKind::kGemini:
      return gemini;
    case ClientKind::kOpenCode:
      return opencode;
  }
  return codex;
}

Locations Locations::FromEnvironment() {
  Locations l;
  // $HOME, else the home folder in the password database (as agentgatectl finds its own).
  auto home = UserHome();
  l.home = home.ok() ? *home : "";
  l.codex_home = Env("CODEX_HOME");
  if (l.codex_home.empty()) l.codex_home = l.home + "/.codex";
  l.claude_config_dir = Env("CLAUDE_CONFIG_DIR");
  l.claude_config_dir_set = !l.claude_config_dir.empty();
  if (l.claude_config_dir.empty()) l.claude_config_dir = l.home + "/.claude";
  l.gemini_cli_home = Env("GEMINI_CLI_HOME");
  if (l.gemini_cli_home.empty()) l.gemini_cli_home = l.home;
  l.xdg_config_home = Env("XDG_CONFIG_HOME");
  if (l.xdg_config_home.empty()) l.xdg_config_home = l.home + "/.config";
  auto or_default = [](const char* var, std::string fallback) {
    std::string v = Env(var);
    return v.empty() ? fallback : v;
  };
  l.qwen_home = or_default("QWEN_HOME", l.home + "/.qwen");
  l.kimi_code_home = or_default("KIMI_CODE_HOME", l.home + "/.kimi-code");
  l.factory_home = or_default("FACTORY_HOME_OVERRIDE", l.home);
  l.crush_config_dir = or_default("CRUSH_GLOBAL_CONFIG", l.xdg_config_home + "/crush");
  l.atomcode_home = or_default("ATOMCODE_HOME", l.home + "/.atomcode");
  return l;
}

std::string FilePath(ClientKind kind, const ClientFile& file, const Locations& where) {
  switch (kind) {
    case ClientKind::kCodex:
      return where.codex_home + "/" + file.name;
    case ClientKind::kClaude:
      return where.claude_config_dir + "/" + file.name;
    case ClientKind::kGemini:
      return where.gemini_cli_home + "/.gemini/" + file.name;
    case ClientKind::kOpenCode:
      return where.xdg_config_home + "/opencode/" + file.name;
    case ClientKind::kQwen:
      return where.qwen_home + "/" + file.name;
    case ClientKind::kKimi:
      return where.kimi_code_home + "/" + file.name;
    case ClientKind::kDroid:
      return where.factory_home + "/.factory/" + file.name;
    case ClientKind::kCrush:
      return where.crush_config_dir + "/" + file.name;
    case ClientKind::kAtomCode:
      return where.atomcode_home + "/" + file.name;
  }
  return "";
}

std::vector<Setting> Settings(ClientKind kind, const ClientFile& file, const ApplyOptions& o,
                              const std::string& current) {
  using boost::json::object;
  using boost::json::value;
  const std::string gw = TrimSlash(o.gateway_url);
  const std::string model = EffectiveModel(o);
  std::vector<Setting> s;
  switch (kind) {
    case ClientKind::kQwen: {
      // Qwen Code 0.15 (the last on Node 20) and 0.24 both read providers from
      // modelProviders.openai; the entry's id is the model sent, its key comes from envKey.
      auto [list, at] = WithEntry(current, {"modelProviders", "openai"}, "baseUrl", gw + "/v1",
                                  object{{"id", model},
                                         {"name", model + " (AgentGate)"},
                                         {"baseUrl", gw + "/v1"},
                                         {"envKey", kQwenKeyVar}});
      s.push_back({{"modelProviders", "openai"}, value(std::move(list))});
      s.push_back({{"env", kQwenKeyVar}, value(o.token)});
      // Without it, `qwen -p` stops at "No auth type is selected".
      s.push_back({{"security", "auth", "selectedType"}, value("openai")});
      s.push_back({{"model", "name"}, value(model)});
      break;
    }
    case ClientKind::kKimi:
      s.push_back({{"default_model"}, value(kProvider)});
      s.push_back({{"providers", kProvider, "type"}, value("openai")});  // Chat Completions
      s.push_back({{"providers", kProvider, "base_url"}, value(gw + "/v1")});
      s.push_back({{"providers", kProvider, "api_key"}, value(o.token)});
      s.push_back({{"models", kProvider, "provider"}, value(kProvider)});
      s.push_back({{"models", kProvider, "model"}, value(model)});
      s.push_back(
          {{"models", kProvider, "max_context_size"},  // required
           value(ContextWindowOf(o, model) > 0 ? ContextWindowOf(o, model) : kContextWindow)});
      break;
    case ClientKind::kDroid: {
      auto [list, at] = WithEntry(current, {"customModels"}, "baseUrl", gw + "/v1",
                                  object{{"model", model},
                                         {"displayName", DroidDisplayName(model)},
                                         {"baseUrl", gw + "/v1"},
                                         {"apiKey", o.token},
                                         {"provider", "generic-chat-completion-api"},
                                         {"maxOutputTokens", 16384}});
      s.push_back({{"customModels"}, value(std::move(list))});
      s.push_back({{"sessionDefaultSettings", "model"}, value(DroidModelId(model, at))});
      break;
    }
    case ClientKind::kCrush: {
      // "openai-compat" is Chat Completions ("openai" would be the Responses API). Listing the
      // models spares Crush a discovery request that drops the provider when it fails.
      boost::json::array models;
      std::vector<std::string> names = o.models;
      if (std::find(names.begin(), names.end(), model) == names.end())
        names.insert(names.begin(), model);
      for (const auto& m : names) {
        models.push_back(object{
            {"id", m},
            {"name", m + " (AgentGate)"},
            {"context_window", ContextWindowOf(o, m) > 0 ? ContextWindowOf(o, m) : kContextWindow},
            {"default_max_tokens", 16384}});
      }
      s.push_back({{"providers", kProvider},
                   value(object{{"type", "openai-compat"},
                                {"base_url", gw + "/v1"},
                                {"api_key", o.token},
                                {"models", std::move(models)}})});
      s.push_back({{"models", "large"}, value(object{{"provider", kProvider}, {"model", model}})});
      s.push_back({{"models", "small"}, value(object{{"provider", kProvider}, {"model", model}})});
      break;
    }
    case ClientKind::kAtomCode:
      s.push_back({{"default_provider"}, value(kProvider)});
      // The newer schema's default_model supersedes default_provider: it goes while applied.
      s.push_back({{"default_model"}, std::nullopt});
      s.push_back({{"providers", kProvider, "type"}, value("openai")});  // Chat Completions
      s.push_back({{"providers", kProvider, "base_url"}, value(gw + "/v1")});
      s.push_back({{"providers", kProvider, "api_key"}, value(o.token)});
      s.push_back({{"providers", kProvider, "model"}, value(model)});
      break;
    case ClientKind::kCodex: {
      // The token goes in experimental_bearer_token, so nothing needs exporting; env_key would
      // take precedence over it (and fail when its variable is unset), so it goes.
      const Path t = {"model_providers", kProvider};
      auto in = [&](const char* key) {
        Path p = t;
        p.push_back(key);
        return p;
      };
      s.push_back({{"model_provider"}, value(kProvider)});
      if (!o.model.empty()) s.push_back({{"model"}, value(o.model)});
      // Codex knows the windows of OpenAI's models only; for another it would compact late or
      // never and stop at the provider's context-length error.
      if (const int64_t window = ContextWindowOf(o, o.model); window > 0) {
        s.push_back({{"model_context_window"}, value(window)});
        s.push_back({{"model_auto_compact_token_limit"}, value(window / 10 * 9)});
      }
      s.push_back({in("name"), value("AgentGate")});
      s.push_back({in("base_url"), value(gw + "/v1")});
      s.push_back({in("wire_api"), value("responses")});
      s.push_back({in("experimental_bearer_token"), value(o.token)});
      s.push_back({in("env_key"), std::nullopt});
      break;
    }
    case ClientKind::kClaude:
      s.push_back({{"env", "ANTHROPIC_BASE_URL"}, value(gw)});
      s.push_back({{"env", "ANTHROPIC_AUTH_TOKEN"}, value(o.token)});
      // An API key would be sent instead of the token.
      s.push_back({{"env", "ANTHROPIC_API_KEY"}, std::nullopt});
      if (!o.model.empty()) s.push_back({{"env", "ANTHROPIC_MODEL"}, value(o.model)});
      if (const int64_t window = ContextWindowOf(o, o.model); window >= kClaudeMinCompactWindow) {
        s.push_back({{"env", "CLAUDE_CODE_AUTO_COMPACT_WINDOW"},
                     value(std::to_string(std::min(window, kClaudeMaxCompactWindow)))});
      }
      break;
    case ClientKind::kGemini:
      if (file.name == "settings.json") {
        s.push_back({{"security", "auth", "selectedType"}, value("gemini-api-key")});
        if (!o.model.empty()) s.push_back({{"model", "name"}, value(o.model)});
      } else {
        s.push_back({{"GOOGLE_GEMINI_BASE_URL"}, value(gw)});
        s.push_back({{"GEMINI_API_KEY"}, value(o.token)});
      }
      break;
    case ClientKind::kOpenCode: {
      const Path p = {"provider", kProvider};
      auto in = [&](std::initializer_list<const char*> keys) {
        Path out = p;
        for (const char* k : keys) out.push_back(k);
        return out;
      };
      // A model's limit is what OpenCode compacts by (both numbers, or none).
      boost::json::object models;
      auto entry = [&](const std::string& m) {
        const GatewayModel* l = Limits(o, m);
        if (l == nullptr || l->context_window <= 0 || l->max_output <= 0) return object();
        return object{{"limit", object{{"context", l->context_window}, {"output", l->max_output}}}};
      };
      for (const auto& m : o.models) models[m] = entry(m);
      if (!o.model.empty() && !models.contains(o.model)) models[o.model] = entry(o.model);
      s.push_back({in({"npm"}), value("@ai-sdk/openai-compatible")});
      s.push_back({in({"name"}), value("AgentGate")});
      s.push_back({in({"options", "baseURL"}), value(gw + "/v1")});
      s.push_back({in({"options", "apiKey"}), value(o.token)});
      s.push_back({in({"models"}), value(std::move(models))});
      if (!o.model.empty()) s.push_back({{"model"}, value(std::string(kProvider) + "/" + o.model)});
      break;
    }
  }
  return s;
}

absl::StatusOr<std::string> ApplySettings(FileFormat format, const std::string& text,
                                          const std::vector<Setting>& settings) {
  switch (format) {
    case FileFormat::kToml: {
      auto doc = TomlDoc::Parse(text);
      if (!doc.ok()) return doc.status();
      for (const auto& s : settings) {
        auto [table, key] = TableKey(s.path);
        absl::Status st =
            s.value ? doc->SetRaw(table, key, TomlValue(*s.value)) : doc->Remove(table, key);
        if (!st.ok()) return st;
      }
      return doc->text();
    }
    case FileFormat::kJson: {
      auto doc = JsonDoc::Parse(text);
      if (!doc.ok()) return doc.status();
      for (const auto& s : settings) {
        absl::Status st = s.value ? doc->Set(s.path, *s.value) : doc->Remove(s.path);
        if (!st.ok()) return st;
      }
      return doc->text();
    }
    case FileFormat::kDotEnv: {
      EnvDoc doc(text);
      for (const auto& s : settings) {
        if (s.path.size() != 1) return absl::InvalidArgumentError("a .env key has one part");
        if (s.value) {
          doc.Set(s.path[0], EnvValue(*s.value));
        } else {
          doc.Remove(s.path[0]);
        }
      }
      return doc.text();
    }
  }
  return absl::InternalError("unknown format");
}

namespace {

absl::StatusOr<std::string> Revert(FileFormat format, const std::string& current,
                                   const std::optional<std::string>& original,
                                   const std::vector<Path>& managed) {
  const std::string orig_text = original.value_or("");
  switch (format) {
    case FileFormat::kToml: {
      auto doc = TomlDoc::Parse(current);
      if (!doc.ok()) return doc.status();
      auto orig = TomlDoc::Parse(orig_text);
      if (!orig.ok()) return orig.status();
      for (const auto& p : managed) {
        auto [table, key] = TableKey(p);
        auto raw = orig->GetRaw(table, key);
        absl::Status st = raw ? doc->SetRaw(table, key, *raw) : doc->Remove(table, key);
        if (!st.ok()) return st;
      }
      for (const auto& p : managed) {
        Path table = TableKey(p).first;
        if (!table.empty() && !orig->HasTable(table)) {
          if (auto st = doc->RemoveEmptyTable(table); !st.ok()) return st;
        }
      }
      return doc->text();
    }
    case FileFormat::kJson: {
      auto doc = JsonDoc::Parse(current);
      if (!doc.ok()) return doc.status();
      auto orig = JsonDoc::Parse(orig_text);
      if (!orig.ok()) return orig.status();
      for (const auto& p : managed) {
        auto raw = orig->GetRaw(p);
        absl::Status st = raw ? doc->SetRaw(p, *raw) : doc->Remove(p);
        if (!st.ok()) return st;
      }
      // Objects Apply created and that are empty now, deepest first; objects that were empty
      // in the original get its bytes back ("{}" stays "{}", not "{\n}").
      for (const auto& p : managed) {
        for (size_t n = p.size() - 1;; --n) {
          Path parent = Prefix(p, n);
          auto size = doc->ObjectSize(parent);
          if (size && *size == 0) {
            auto orig_size = orig->ObjectSize(parent);
            if (!orig_size && n > 0) {
              if (auto st = doc->Remove(parent); !st.ok()) return st;
            } else if (orig_size && *orig_size == 0 &&
                       doc->GetRaw(parent) != orig->GetRaw(parent)) {
              if (auto st = doc->SetRaw(parent, *orig->GetRaw(parent)); !st.ok()) return st;
            }
          }
          if (n == 0) break;
        }
      }
      return doc->text();
    }
    case FileFormat::kDotEnv: {
      EnvDoc doc(current);
      EnvDoc orig(orig_text);
      for (const auto& p : managed) {
        if (p.size() != 1) continue;
        auto raw = orig.GetRaw(p[0]);
        if (raw) {
          doc.SetRaw(p[0], *raw);
        } else {
          doc.Remove(p[0]);
        }
      }
      return doc.text();
    }
  }
  return absl::InternalError("unknown format");
}

}  // namespace

absl::StatusOr<std::string> RevertSettings(FileFormat format, const std::string& current,
                                           const std::optional<std::string>& original,
                                           const std::vector<Path>& managed) {
  auto out = Revert(format, current, original, managed);
  // Apply ends a file that had no final newline with one; without it again, as it was.
  if (out.ok() && original && !original->empty() && original->back() != '\n' && !out->empty() &&
      out->back() == '\n') {
    out->pop_back();
    if (!out->empty() && out->back() == '\r') out->pop_back();
  }
  return out;
}

absl::StatusOr<Plan> Apply(ClientKind kind, const std::vector<std::optional<std::string>>& current,
                           const ApplyOptions& o) {
  const auto& files = ClientFiles(kind);
  if (current.size() != files.size()) {
    return absl::InvalidArgumentError("expected " + std::to_string(files.size()) + " files for " +
                                      ClientName(kind));
  }
  if (o.gateway_url.empty()) return absl::InvalidArgumentError("no gateway URL");
  if (o.token.empty()) return absl::InvalidArgumentError("no token");
  if (NeedsModel(kind) && o.models.empty() && o.model.empty()) {
    return absl::FailedPreconditionError(
        ClientTitle(kind) +
        " needs a model for the agentgate provider, and the gateway lists none: pass --model M");
  }
  Plan plan;
  plan.kind = kind;
  for (size_t i = 0; i < files.size(); ++i) {
    FilePlan fp;
    fp.file = files[i];
    fp.before = current[i];
    auto settings = Settings(kind, files[i], o, current[i].value_or(""));
    auto after = ApplySettings(files[i].format, current[i].value_or(""), settings);
    if (!after.ok()) return Annotate(after.status(), files[i].name);
    fp.after = std::move(*after);
    for (const auto& s : settings) fp.managed.push_back(s.path);
    plan.files.push_back(std::move(fp));
  }
  switch (kind) {
    case ClientKind::kClaude:
      if (const int64_t w = ContextWindowOf(o, o.model); w > 0 && w < kClaudeMinCompactWindow) {
        plan.notes.push_back("Claude Code compacts a conversation only past " +
                             std::to_string(kClaudeMinCompactWindow) + " tokens, and " + o.model +
                             " holds " + std::to_string(w) +
                             ": a long session stops at its context limit (run /compact)");
      }
      break;
    case ClientKind::kGemini:
      plan.notes.push_back(
          "Gemini CLI reads ~/.gemini/.env only in a trusted folder (it asks on first start; "
          "GEMINI_CLI_TRUST_WORKSPACE=true or security.folderTrust.enabled=false skip that), and "
          "only when the folder has no .env of its own");
      if (o.model.empty()) {
        plan.notes.push_back(
            "without --model, pass -m M to gemini so it does not ask for its "
            "classifier models");
      }
      break;
    case ClientKind::kOpenCode:
      if (o.model.empty()) {
        plan.notes.push_back(
            "pick a model with `opencode -m agentgate/M` (or pass --model to "
            "make one the default)");
      }
      break;
    case ClientKind::kQwen:
      plan.notes.push_back(
          "Qwen Code makes a second model call after every turn (its memory extraction); "
          "memory.enableManagedAutoMemory=false in its settings turns that off");
      break;
    case ClientKind::kCrush:
      plan.notes.push_back(
          "a model picked in Crush's own model picker is kept in ~/.local/share/crush/crush.json "
          "and wins over this file: pick the AgentGate one there, or run `crush run -m "
          "agentgate/" +
          EffectiveModel(o) + "`");
      break;
    case ClientKind::kDroid:
      plan.notes.push_back(
          "FACTORY_AIRGAP_ENABLED=1 keeps droid from waiting on Factory's own servers "
          "(none are needed with the gateway)");
      break;
    default:
      break;
  }
  if (NeedsModel(kind) && kind != ClientKind::kOpenCode && o.model.empty()) {
    plan.notes.push_back("its model is " + EffectiveModel(o) +
                         " (the first the gateway lists); pass --model M for another");
  }
  return plan;
}

absl::StatusOr<FileRestore> RestoreFile(const ClientFile& file,
                                        const std::optional<std::string>& current,
                                        const std::optional<std::string>& original,
                                        const std::string& applied_sha256,
                                        const std::vector<Path>& managed) {
  FileRestore r;
  if (!current) {
    // Removed since: the original comes back; there was none, so nothing to do.
    r.changed_since_apply = true;
    r.action = original ? RestoreAction::kWriteOriginal : RestoreAction::kNothing;
    r.content = original.value_or("");
    return r;
  }
  if (Sha256Hex(*current) == applied_sha256) {
    r.action = original ? RestoreAction::kWriteOriginal : RestoreAction::kRemoveFile;
    r.content = original.value_or("");
    return r;
  }
  r.changed_since_apply = true;
  auto merged = RevertSettings(file.format, *current, original, managed);
  if (!merged.ok()) return Annotate(merged.status(), file.name);
  if (!original) {
    // Nothing of the user's left: no file, as before.
    bool empty = merged->find_first_not_of(" \t\r\n") == std::string::npos;
    if (file.format == FileFormat::kJson && !empty) {
      auto doc = JsonDoc::Parse(*merged);
      empty = doc.ok() && !doc->has_comments() && doc->ObjectSize({}).value_or(0) == 0;
    }
    if (empty) {
      r.action = RestoreAction::kRemoveFile;
      return r;
    }
  }
  r.action = RestoreAction::kWriteMerged;
  r.content = std::move(*merged);
  return r;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  std::string out;
  char buf[3];
  for (unsigned char c : md) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

std::string PointingLabel(Pointing p) {
  switch (p) {
    case Pointing::kNotConfigured:
      return "not configured";
    case Pointing::kThisGateway:
      return "this gateway";
    case Pointing::kElsewhere:
      return "elsewhere";
    case Pointing::kUnreadable:
      return "unreadable";
  }
  return "";
}

std::string ExpectedBaseUrl(ClientKind kind, const std::string& gateway_url) {
  std::string gw = TrimSlash(gateway_url);
  return kind == ClientKind::kClaude || kind == ClientKind::kGemini ? gw : gw + "/v1";
}

Inspection Inspect(ClientKind kind, const std::vector<std::optional<std::string>>& current,
                   const std::string& gateway_url, const std::string& token) {
  Inspection in;
  const auto& files = ClientFiles(kind);
  auto text = [&](size_t i) { return i < current.size() ? current[i].value_or("") : ""; };
  auto unreadable = [&](size_t i, const absl::Status& st) {
    in.pointing = Pointing::kUnreadable;
    in.problems.push_back(files[i].name + ": " + StatusText(st));
    return in;
  };
  switch (kind) {
    case ClientKind::kCodex: {
      auto doc = TomlDoc::Parse(text(0));
      if (!doc.ok()) return unreadable(0, doc.status());
      auto provider = doc->GetString({}, "model_provider");
      in.model = doc->GetString({}, "model").value_or("");
      // An active profile can name another provider.
      if (auto profile = doc->GetString({}, "profile")) {
        auto other = doc->GetString({"profiles", *profile}, "model_provider");
        if (other && other != provider) {
          in.problems.push_back("the active profile \"" + *profile + "\" uses model_provider \"" +
                                *other + "\"");
        }
      }
      if (!provider) break;
      Path table = {"model_providers", *provider};
      in.base_url = doc->GetString(table, "base_url").value_or("");
      in.token = doc->GetString(table, "experimental_bearer_token").value_or("");
      if (auto env_key = doc->GetString(table, "env_key")) {
        in.problems.push_back("the token comes from $" + *env_key + " (env_key)");
        in.token = Env(env_key->c_str());
      }
      if (in.base_url.empty()) {
        in.pointing = Pointing::kElsewhere;
        in.base_url = "(" + *provider + ")";
        return in;
      }
      if (doc->GetString(table, "wire_api").value_or("chat") != "responses") {
        in.problems.push_back("wire_api is not \"responses\"");
      }
      break;
    }
    case ClientKind::kClaude: {
      auto doc = JsonDoc::Parse(text(0));
      if (!doc.ok()) return unreadable(0, doc.status());
      in.base_url = doc->GetString({"env", "ANTHROPIC_BASE_URL"}).value_or("");
      in.token = doc->GetString({"env", "ANTHROPIC_AUTH_TOKEN"}).value_or("");
      in.model = doc->GetString({"env", "ANTHROPIC_MODEL"}).value_or("");
      if (doc->GetRaw({"env", "ANTHROPIC_API_KEY"})) {
        in.problems.push_back("env.ANTHROPIC_API_KEY is set: Claude Code sends it instead");
      }
      if (doc->GetRaw({"apiKeyHelper"})) {
        in.problems.push_back("apiKeyHelper is set: Claude Code sends its output instead");
      }
      break;
    }
    case ClientKind::kGemini: {
      auto settings = JsonDoc::Parse(text(0));
      if (!settings.ok()) return unreadable(0, settings.status());
      EnvDoc env(text(1));
      in.base_url = env.Get("GOOGLE_GEMINI_BASE_URL").value_or("");
      in.token = env.Get("GEMINI_API_KEY").value_or("");
      in.model = settings->GetString({"model", "name"}).value_or("");
      auto auth = settings->GetString({"security", "auth", "selectedType"});
      if (!in.base_url.empty() && auth.value_or("") != "gemini-api-key") {
        in.problems.push_back("security.auth.selectedType is " +
                              (auth ? "\"" + *auth + "\"" : std::string("not set")) +
                              ", not \"gemini-api-key\"");
      }
      break;
    }
    case ClientKind::kOpenCode: {
      auto doc = JsonDoc::Parse(text(0));
      if (!doc.ok()) return unreadable(0, doc.status());
      const Path p = {"provider", kProvider};
      in.base_url = doc->GetString({"provider", kProvider, "options", "baseURL"}).value_or("");
      in.token = doc->GetString({"provider", kProvider, "options", "apiKey"}).value_or("");
      if (auto models = doc->Get({"provider", kProvider, "models"});
          models && models->is_object()) {
        for (const auto& kv : models->as_object()) in.models.emplace_back(kv.key());
      }
      std::string model = doc->GetString({"model"}).value_or("");
      std::string prefix = std::string(kProvider) + "/";
      if (model.rfind(prefix, 0) == 0) {
        in.model = model.substr(prefix.size());
      } else if (!model.empty() && !in.base_url.empty()) {
        in.problems.push_back("the default model is " + model +
                              " (another provider): pick agentgate/M with -m");
      }
      break;
    }
    case ClientKind::kQwen: {
      auto doc = JsonDoc::Parse(text(0));
      if (!doc.ok()) return unreadable(0, doc.status());
      in.model = doc->GetString({"model", "name"}).value_or("");
      auto auth = doc->GetString({"security", "auth", "selectedType"}).value_or("");
      // The entry the model name picks among the OpenAI-protocol providers.
      if (auto list = doc->Get({"modelProviders", "openai"}); list && list->is_array()) {
        for (const auto& e : list->as_array()) {
          if (!e.is_object()) continue;
          const auto& o = e.as_object();
          const auto* id = o.if_contains("id");
          if (id == nullptr || !id->is_string() || id->as_string() != in.model) continue;
          if (const auto* url = o.if_contains("baseUrl"); url && url->is_string()) {
            in.base_url = std::string(url->as_string());
          }
          if (const auto* var = o.if_contains("envKey"); var && var->is_string()) {
            const std::string name(var->as_string());
            in.token = doc->GetString({"env", name}).value_or(Env(name.c_str()));
          }
          break;
        }
      }
      if (!in.base_url.empty() && auth != "openai") {
        in.problems.push_back("security.auth.selectedType is " +
                              (auth.empty() ? std::string("not set") : "\"" + auth + "\"") +
                              ", not \"openai\"");
      }
      break;
    }
    case ClientKind::kKimi: {
      auto doc = TomlDoc::Parse(text(0));
      if (!doc.ok()) return unreadable(0, doc.status());
      auto alias = doc->GetString({}, "default_model");
      if (!alias) break;
      in.model = doc->GetString({"models", *alias}, "model").value_or("");
      auto provider = doc->GetString({"models", *alias}, "provider");
      if (!provider) break;
      in.base_url = doc->GetString({"providers", *provider}, "base_url").value_or("");
      in.token = doc->GetString({"providers", *provider}, "api_key").value_or("");
      auto type = doc->GetString({"providers", *provider}, "type").value_or("");
      if (!in.base_url.empty() && type != "openai") {
        in.problems.push_back("the provider's type is \"" + type + "\", not \"openai\"");
      }
      break;
    }
    case ClientKind::kDroid: {
      auto doc = JsonDoc::Parse(text(0));
      if (!doc.ok()) return unreadable(0, doc.status());
      const std::string chosen = doc->GetString({"sessionDefaultSettings", "model"}).value_or("");
      if (auto list = doc->Get({"customModels"}); list && list->is_array()) {
        const auto& a = list->as_array();
        for (size_t i = 0; i < a.size(); ++i) {
          if (!a[i].is_object()) continue;
          const auto& o = a[i].as_object();
          const auto* m = o.if_contains("model");
          if (m == nullptr || !m->is_string()) continue;
          const std::string name(m->as_string());
          if (chosen != DroidModelId(name, i) && chosen != "custom:" + name) continue;
          in.model = name;
          if (const auto* url = o.if_contains("baseUrl"); url && url->is_string()) {
            in.base_url = std::string(url->as_string());
          }
          if (const auto* key = o.if_contains("apiKey"); key && key->is_string()) {
            in.token = std::string(key->as_string());
          }
          break;
        }
      }
      break;
    }
    case ClientKind::kCrush: {
      auto doc = JsonDoc::Parse(text(0));
      if (!doc.ok()) return unreadable(0, doc.status());
      auto provider = doc->GetString({"models", "large", "provider"});
      in.model = doc->GetString({"models", "large", "model"}).value_or("");
      if (!provider) break;
      in.base_url = doc->GetString({"providers", *provider, "base_url"}).value_or("");
      in.token = doc->GetString({"providers", *provider, "api_key"}).value_or("");
      if (auto models = doc->Get({"providers", *provider, "models"});
          models && models->is_array()) {
        for (const auto& m : models->as_array()) {
          if (m.is_object() && m.as_object().contains("id") && m.at("id").is_string()) {
            in.models.emplace_back(m.at("id").as_string());
          }
        }
      }
      auto type = doc->GetString({"providers", *provider, "type"}).value_or("openai-compat");
      if (!in.base_url.empty() && type != "openai-compat") {
        in.problems.push_back("the provider's type is \"" + type + "\", not \"openai-compat\"");
      }
      break;
    }
    case ClientKind::kAtomCode: {
      auto doc = TomlDoc::Parse(text(0));
      if (!doc.ok()) return unreadable(0, doc.status());
      if (auto dm = doc->GetString({}, "default_model")) {
        in.problems.push_back("default_model (\"" + *dm + "\") supersedes default_provider");
      }
      auto provider = doc->GetString({}, "default_provider");
      if (!provider) break;
      in.base_url = doc->GetString({"providers", *provider}, "base_url").value_or("");
      in.token = doc->GetString({"providers", *provider}, "api_key").value_or("");
      in.model = doc->GetString({"providers", *provider}, "model").value_or("");
      break;
    }
  }
  if (in.base_url.empty()) {
    in.pointing = Pointing::kNotConfigured;
    return in;
  }
  bool here = TrimSlash(in.base_url) == ExpectedBaseUrl(kind, gateway_url);
  in.pointing = here ? Pointing::kThisGateway : Pointing::kElsewhere;
  in.token_matches = !token.empty() && in.token == token;
  if (here && !in.token_matches) {
    in.problems.push_back(in.token.empty() ? "no token is set"
                                           : "the token is not the gateway's current one");
  }
  return in;
}

std::vector<std::string> OverridingEnvVars(ClientKind kind) {
  switch (kind) {
    case ClientKind::kGemini:
      return {"GOOGLE_GEMINI_BASE_URL", "GEMINI_API_KEY", "GEMINI_MODEL",
              "GOOGLE_GENAI_USE_VERTEXAI"};
    case ClientKind::kOpenCode:
      return {"OPENCODE_CONFIG", "OPENCODE_CONFIG_CONTENT"};
    case ClientKind::kQwen:
      return {"OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "QWEN_MODEL"};
    case ClientKind::kKimi:
      return {"KIMI_MODEL_NAME", "KIMI_MODEL_API_KEY", "KIMI_MODEL_BASE_URL",
              "KIMI_MODEL_PROVIDER_TYPE"};
    case ClientKind::kCrush:
      return {"CRUSH_GLOBAL_DATA"};
    case ClientKind::kCodex:
    case ClientKind::kClaude:
    case ClientKind::kDroid:
    case ClientKind::kAtomCode:
      return {};
  }
  return {};
}

TestRequest MakeTestRequest(ClientKind kind, const std::string& model, const std::string& token) {
  using boost::json::array;
  using boost::json::object;
  TestRequest r;
  r.method = "POST";
  r.headers.push_back({"content-type", "application/json"});
  object body;
  switch (kind) {
    case ClientKind::kClaude:
      r.target = "/v1/messages";
      r.headers.push_back({"authorization", "Bearer " + token});
      r.headers.push_back({"anthropic-version", "2023-06-01"});
      body["model"] = model;
      body["max_tokens"] = 1;
      body["messages"] = array{object{{"role", "user"}, {"content", "ping"}}};
      break;
    case ClientKind::kCodex:
      r.target = "/v1/responses";
      r.headers.push_back({"authorization", "Bearer " + token});
      body["model"] = model;
      body["input"] = "ping";
      body["max_output_tokens"] = 16;
      body["stream"] = false;
      body["store"] = false;
      break;
    case ClientKind::kGemini:
      r.target = "/v1beta/models/" + model + ":generateContent";
      r.headers.push_back({"x-goog-api-key", token});
      body["contents"] =
          array{object{{"role", "user"}, {"parts", array{object{{"text", "ping"}}}}}};
      body["generationConfig"] = object{{"maxOutputTokens", 1}};
      break;
    case ClientKind::kOpenCode:
    case ClientKind::kQwen:
    case ClientKind::kKimi:
    case ClientKind::kDroid:
    case ClientKind::kCrush:
    case ClientKind::kAtomCode:
      r.target = "/v1/chat/completions";
      r.headers.push_back({"authorization", "Bearer " + token});
      body["model"] = model;
      body["max_tokens"] = 1;
      body["messages"] = array{object{{"role", "user"}, {"content", "ping"}}};
      break;
  }
  r.body = boost::json::serialize(body);
  return r;
}

std::string DefaultTestModel(ClientKind kind) {
  switch (kind) {
    case ClientKind::kClaude:
      return "claude-sonnet-4-5";
    case ClientKind::kCodex:
      return "gpt-5-codex";
    case ClientKind::kGemini:
      return "gemini-2.5-pro";
    case ClientKind::kOpenCode:
    case ClientKind::kQwen:
    case ClientKind::kKimi:
    case ClientKind::kDroid:
    case ClientKind::kCrush:
    case ClientKind::kAtomCode:
      return "gpt-4.1";
  }
  return "";
}

bool LooksLikeAnswer(ClientKind kind, const std::string& body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return false;
  const auto& o = v.as_object();
  switch (kind) {
    case ClientKind::kClaude:
      return o.contains("content") || o.contains("type");
    case ClientKind::kCodex:
      return o.contains("output") || o.contains("status");
    case ClientKind::kGemini:
      return o.contains("candidates");
    case ClientKind::kOpenCode:
    case ClientKind::kQwen:
    case ClientKind::kKimi:
    case ClientKind::kDroid:
    case ClientKind::kCrush:
    case ClientKind::kAtomCode:
      return o.contains("choices");
  }
  return false;
}

}  // namespace agentgate::clientconf
