// Pointing the coding agents at the gateway by editing their own config files — pure functions
// from file contents to file contents, shared by agentgatectl and the desktop app. The I/O
// (reading, backups, atomic writes) is in client_files.h.
//
//   Codex CLI    config.toml    model_provider = "agentgate" and [model_providers.agentgate]
//                               (base_url, wire_api = "responses", experimental_bearer_token)
//   Claude Code  settings.json  env.ANTHROPIC_BASE_URL, env.ANTHROPIC_AUTH_TOKEN
//   Gemini CLI   settings.json  security.auth.selectedType = "gemini-api-key"
//                .env           GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY
//   OpenCode     opencode.json  provider.agentgate (@ai-sdk/openai-compatible, baseURL, apiKey,
//                               models)
//   Qwen Code    settings.json  modelProviders.openai[] entry (id, baseUrl, envKey), env,
//                               security.auth.selectedType = "openai", model.name
//   Kimi Code    config.toml    [providers.agentgate] (type "openai", base_url, api_key),
//                               [models.agentgate] (provider, model, max_context_size),
//                               default_model
//   Factory Droid settings.json customModels[] entry (generic-chat-completion-api),
//                               sessionDefaultSettings.model = "custom:M"
//   Crush        crush.json     providers.agentgate (openai-compat, base_url, api_key, models),
//                               models.large / models.small
//   AtomCode     config.toml    default_provider = "agentgate", [providers.agentgate] (type
//                               "openai", base_url, api_key, model)
// The five below OpenCode speak Chat Completions to the gateway; their files, fields and quirks
// were read from their sources and, where they install from npm, checked by running them
// (tests/e2e/clients.sh).
//
// Each edit touches only the keys it names (the "managed" paths); everything else in the file
// stays byte for byte. Undoing puts back the original's value of each managed path, or removes
// it when the original had none.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/clientconf/gateway_models.h"

namespace agentgate::clientconf {

enum class ClientKind {
  kCodex,
  kClaude,
  kGemini,
  kOpenCode,
  kQwen,
  kKimi,
  kDroid,
  kCrush,
  kAtomCode
};

const std::vector<ClientKind>& AllClients();
std::string ClientName(ClientKind kind);    // "codex", "claude", "gemini", "opencode"
std::string ClientTitle(ClientKind kind);   // "Codex CLI", "Claude Code", ...
std::string ClientBinary(ClientKind kind);  // the command on PATH
// "codex", "claude", "gemini", "opencode", "qwen", "kimi", "droid", "crush", "atomcode" (also
// "claude-code", "gemini-cli", "codex-cli", "qwen-code", "kimi-code", "factory").
std::optional<ClientKind> ParseClientKind(std::string_view name);
// The four the product started with (setup asks about them even when not installed).
bool IsCoreClient(ClientKind kind);
// Whether the client's provider entry must name a model (OpenCode, and the five after it): apply
// takes --model, else the first model the gateway lists.
bool NeedsModel(ClientKind kind);

enum class FileFormat { kToml, kJson, kDotEnv };

struct ClientFile {
  std::string name;  // "config.toml", "settings.json", ".env", "opencode.json"
  FileFormat format = FileFormat::kJson;
};
// The files a client's configuration spans; the first is its main one.
const std::vector<ClientFile>& ClientFiles(ClientKind kind);

// Where the clients keep their user configuration.
struct Locations {
  std::string home;               // $HOME, else the password database's home folder
  std::string codex_home;         // $CODEX_HOME, else ~/.codex
  std::string claude_config_dir;  // $CLAUDE_CONFIG_DIR, else ~/.claude
  std::string gemini_cli_home;    // $GEMINI_CLI_HOME, else ~ (the files are in its .gemini)
  std::string xdg_config_home;    // $XDG_CONFIG_HOME, else ~/.config
  std::string qwen_home;          // $QWEN_HOME, else ~/.qwen
  std::string kimi_code_home;     // $KIMI_CODE_HOME, else ~/.kimi-code
  std::string factory_home;       // $FACTORY_HOME_OVERRIDE, else ~ (the files are in .factory)
  std::string crush_config_dir;   // $CRUSH_GLOBAL_CONFIG, else $XDG_CONFIG_HOME/crush
  std::string atomcode_home;      // $ATOMCODE_HOME, else ~/.atomcode
  // $CLAUDE_CONFIG_DIR was set: Claude Code's .claude.json moves with it.
  bool claude_config_dir_set = false;
  static Locations FromEnvironment();
};
std::string FilePath(ClientKind kind, const ClientFile& file, const Locations& where);

using Path = std::vector<std::string>;

// One key to set (value) or to remove (no value).
struct Setting {
  Path path;
  std::optional<boost::json::value> value;
};

struct ApplyOptions {
  std::string gateway_url;  // "http://127.0.0.1:9090"
  std::string token;
  std::string model;                // --model; empty: the client's own choice
  std::vector<std::string> models;  // the gateway's model list (OpenCode's provider models)
  // What the gateway lists of its models' limits (any order; models it does not list or whose
  // limits it does not know are unknown). Where a client compacts by a context window, the
  // window of the model it is set to goes in: Codex model_context_window and
  // model_auto_compact_token_limit (90%), Claude Code CLAUDE_CODE_AUTO_COMPACT_WINDOW, OpenCode
  // models.M.limit, Kimi Code max_context_size, Crush context_window.
  std::vector<GatewayModel> limits;
};

// The context window `limits` gives `model`, 0 when unknown.
int64_t ContextWindowOf(const ApplyOptions& o, std::string_view model);

// What Apply sets in `file` of `kind`, whose text is `current` (a list the gateway's entry joins
// keeps the user's other entries).
std::vector<Setting> Settings(ClientKind kind, const ClientFile& file, const ApplyOptions& o,
                              const std::string& current = {});

struct FilePlan {
  ClientFile file;
  std::optional<std::string> before;  // nullopt: the file does not exist
  std::string after;
  std::vector<Path> managed;  // the paths Apply set or removed
  bool changed() const { return !before || *before != after; }
};

struct Plan {
  ClientKind kind = ClientKind::kCodex;
  std::vector<FilePlan> files;
  std::vector<std::string> notes;  // things the user should know (not errors)
};

// `current` holds the contents of ClientFiles(kind), in order (nullopt: missing). Fails without
// changing anything when a file cannot be read as its format or a key on the way has another
// shape than expected.
absl::StatusOr<Plan> Apply(ClientKind kind, const std::vector<std::optional<std::string>>& current,
                           const ApplyOptions& o);

// The settings applied to one file's text ("" for a new file).
absl::StatusOr<std::string> ApplySettings(FileFormat format, const std::string& text,
                                          const std::vector<Setting>& settings);
// Undoes Apply on a file the user may have changed since: each managed path gets the original's
// value back, or goes when the original had none (and so do objects and tables left empty that
// the original did not have). Everything else the user changed stays.
absl::StatusOr<std::string> RevertSettings(FileFormat format, const std::string& current,
                                           const std::optional<std::string>& original,
                                           const std::vector<Path>& managed);

enum class RestoreAction {
  kNothing,        // no file before, none now
  kWriteOriginal,  // unchanged since apply: the original, byte for byte
  kWriteMerged,    // changed since apply: our entries undone, the user's changes kept
  kRemoveFile,     // there was no file before (and nothing of the user's is left in it)
};

struct FileRestore {
  RestoreAction action = RestoreAction::kNothing;
  std::string content;  // for kWriteOriginal and kWriteMerged
  bool changed_since_apply = false;
};

// `applied_sha256`: the file's hash as the last apply wrote it.
absl::StatusOr<FileRestore> RestoreFile(const ClientFile& file,
                                        const std::optional<std::string>& current,
                                        const std::optional<std::string>& original,
                                        const std::string& applied_sha256,
                                        const std::vector<Path>& managed);

std::string Sha256Hex(std::string_view data);

enum class Pointing { kNotConfigured, kThisGateway, kElsewhere, kUnreadable };
std::string PointingLabel(Pointing p);  // "this gateway", "elsewhere", "not configured", ...

struct Inspection {
  Pointing pointing = Pointing::kNotConfigured;
  std::string base_url;  // what the client would talk to ("" when not configured)
  std::string token;     // the key it would send
  std::string model;     // the model it is set to use ("" when not set)
  std::vector<std::string> models;
  bool token_matches = false;
  std::vector<std::string> problems;  // why it would not work as it is
};

// The base URL the client's config should hold for `gateway_url`.
std::string ExpectedBaseUrl(ClientKind kind, const std::string& gateway_url);
// Reads what the client's files point at.
Inspection Inspect(ClientKind kind, const std::vector<std::optional<std::string>>& current,
                   const std::string& gateway_url, const std::string& token);
// Environment variables that take precedence over the files (worth a warning when set).
std::vector<std::string> OverridingEnvVars(ClientKind kind);

// The smallest real request in the client's own protocol (max tokens 1; 16 for Responses, the
// least OpenAI accepts).
struct TestRequest {
  std::string method;
  std::string target;  // "/v1/messages"
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};
TestRequest MakeTestRequest(ClientKind kind, const std::string& model, const std::string& token);
// A model name the client would ask for by default (the gateway maps it to a provider's).
std::string DefaultTestModel(ClientKind kind);
// Whether a 2xx answer body is what the protocol returns (not an error object).
bool LooksLikeAnswer(ClientKind kind, const std::string& body);

}  // namespace agentgate::clientconf
