#include "services/clientconf/client_config.h"

#include <gtest/gtest.h>

#include <map>

#include "services/clientconf/json_edit.h"
#include "services/clientconf/toml_edit.h"

namespace agentgate::clientconf {
namespace {

using Files = std::vector<std::optional<std::string>>;

const char kGateway[] = "http://127.0.0.1:9090";
const char kToken[] = "ag_local_TESTTOKEN123";

ApplyOptions Options(const std::string& model = "") {
  ApplyOptions o;
  o.gateway_url = kGateway;
  o.token = kToken;
  o.model = model;
  o.models = {"deepseek-chat", "deepseek-reasoner"};
  return o;
}

// Realistic files as people have them: comments, other providers, MCP servers, unknown keys.
const char kCodexToml[] =
    "# ~/.codex/config.toml — my settings\n"
    "model = \"gpt-5-codex\"\n"
    "model_reasoning_effort = \"high\"   # think harder\n"
    "approval_policy = \"on-request\"\n"
    "\n"
    "[model_providers.ollama]\n"
    "name = \"Ollama\"\n"
    "base_url = \"http://localhost:11434/v1\"\n"
    "\n"
    "[mcp_servers.context7]\n"
    "command = \"npx\"\n"
    "args = [\n"
    "  \"-y\",\n"
    "  \"@upstash/context7-mcp\", # pinned below\n"
    "]\n"
    "env = { \"API_KEY\" = \"xyz\" }\n"
    "\n"
    "[profiles.deep]\n"
    "model = \"o3\"\n"
    "model_provider = \"openai\"\n"
    "\n"
    "[tui]\n"
    "notifications = [\"agent-turn-complete\"]\n";

const char kClaudeJson[] =
    "{\n"
    "  \"$schema\": \"https://json.schemastore.org/claude-code-settings.json\",\n"
    "  \"permissions\": {\n"
    "    \"allow\": [\"Bash(npm run lint)\", \"Read(~/.zshrc)\"],\n"
    "    \"deny\": [\"Read(./.env)\"]\n"
    "  },\n"
    "  \"env\": {\n"
    "    \"CLAUDE_CODE_ENABLE_TELEMETRY\": \"0\",\n"
    "    \"ANTHROPIC_API_KEY\": \"sk-ant-old\"\n"
    "  },\n"
    "  \"hooks\": {\n"
    "    \"PostToolUse\": [{\"matcher\": \"Edit\", \"hooks\": [{\"type\": \"command\", "
    "\"command\": \"prettier -w\"}]}]\n"
    "  },\n"
    "  \"model\": \"opus\",\n"
    "  \"statusLine\": {\"type\": \"command\", \"command\": \"~/.claude/statusline.sh\"}\n"
    "}\n";

const char kGeminiJson[] =
    "{\n"
    "  // UI — ünïcode ✓\n"
    "  \"ui\": { \"theme\": \"GitHub\" },\n"
    "  \"mcpServers\": {\n"
    "    \"github\": {\n"
    "      \"command\": \"docker\",\n"
    "      \"args\": [\"run\", \"-i\", \"ghcr.io/github/github-mcp-server\"],\n"
    "      \"env\": { \"GITHUB_PERSONAL_ACCESS_TOKEN\": \"ghp_x\" }\n"
    "    }\n"
    "  },\n"
    "  \"security\": { \"auth\": { \"selectedType\": \"oauth-personal\" } },\n"
    "  \"model\": { \"name\": \"gemini-2.5-pro\", \"maxSessionTurns\": 20 }\n"
    "}\n";

const char kGeminiEnv[] = "GOOGLE_CLOUD_PROJECT=my-proj\n# the key\nGEMINI_API_KEY=AIzaOld\n";

const char kOpenCodeJson[] =
    "{\n"
    "  \"$schema\": \"https://opencode.ai/config.json\",\n"
    "  // my providers\n"
    "  \"provider\": {\n"
    "    \"ollama\": {\n"
    "      \"npm\": \"@ai-sdk/openai-compatible\",\n"
    "      \"name\": \"Ollama (local)\",\n"
    "      \"options\": { \"baseURL\": \"http://localhost:11434/v1\" },\n"
    "      \"models\": { \"llama3.2\": { \"name\": \"Llama 3.2\" } }\n"
    "    }\n"
    "  },\n"
    "  \"mcp\": {\n"
    "    \"context7\": { \"type\": \"remote\", \"url\": \"https://mcp.context7.com/mcp\" },\n"
    "  },\n"
    "  \"model\": \"ollama/llama3.2\",\n"
    "  \"theme\": \"tokyonight\"\n"
    "}\n";

// The five further clients, as people have them (field names from their sources; see
// services/clientconf/client_config.h).
const char kQwenJson[] =
    "{\n"
    "  \"$version\": 4,\n"
    "  \"modelProviders\": {\n"
    "    \"openai\": [\n"
    "      { \"id\": \"qwen3-coder-plus\", \"baseUrl\": "
    "\"https://dashscope.aliyuncs.com/compatible-mode/v1\", \"envKey\": \"DASHSCOPE_API_KEY\" }\n"
    "    ]\n"
    "  },\n"
    "  \"security\": { \"auth\": { \"selectedType\": \"qwen-oauth\" } },\n"
    "  \"ui\": { \"theme\": \"GitHub\" }\n"
    "}\n";
const char kKimiToml[] =
    "# Kimi Code\n"
    "default_model = \"kimi-k2\"\n"
    "telemetry = false\n"
    "\n"
    "[providers.moonshot]\n"
    "type = \"kimi\"\n"
    "base_url = \"https://api.moonshot.ai/v1\"\n"
    "api_key = \"sk-moon\"\n"
    "\n"
    "[models.kimi-k2]\n"
    "provider = \"moonshot\"\n"
    "model = \"kimi-k2-0905-preview\"\n"
    "max_context_size = 262144\n";
const char kDroidJson[] =
    "{\n"
    "  \"customModels\": [\n"
    "    { \"model\": \"glm-5\", \"displayName\": \"GLM 5\", \"baseUrl\": "
    "\"https://api.z.ai/api/paas/v4\", \"apiKey\": \"zk\", \"provider\": "
    "\"generic-chat-completion-api\" }\n"
    "  ],\n"
    "  \"sessionDefaultSettings\": { \"model\": \"custom:GLM-5-0\", \"autonomyMode\": \"auto-low\" "
    "},\n"
    "  \"cloudSessionSync\": false\n"
    "}\n";
const char kCrushJson[] =
    "{\n"
    "  \"$schema\": \"https://charm.land/crush.json\",\n"
    "  \"providers\": {\n"
    "    \"ollama\": { \"type\": \"openai-compat\", \"base_url\": \"http://localhost:11434/v1\", "
    "\"models\": [ { \"id\": \"qwen3\" } ] }\n"
    "  },\n"
    "  \"models\": { \"large\": { \"provider\": \"ollama\", \"model\": \"qwen3\" } },\n"
    "  \"options\": { \"disable_metrics\": true }\n"
    "}\n";
// (A key apply removes comes back at the end of its table: default_model is last here, so that
// the byte-for-byte check below holds; elsewhere it would only move.)
const char kAtomCodeToml[] =
    "default_provider = \"deepseek\"\n"
    "auto_update = false\n"
    "default_model = \"deepseek/deepseek-chat\"\n"
    "\n"
    "[providers.deepseek]\n"
    "type = \"openai\"\n"
    "api_key = \"$DEEPSEEK_API_KEY\"\n"
    "model = \"deepseek-chat\"\n"
    "base_url = \"https://api.deepseek.com/v1\"\n"
    "\n"
    "[telemetry]\n"
    "enabled = false\n";

Files Realistic(ClientKind kind) {
  switch (kind) {
    case ClientKind::kCodex:
      return {kCodexToml};
    case ClientKind::kClaude:
      return {kClaudeJson};
    case ClientKind::kGemini:
      return {kGeminiJson, kGeminiEnv};
    case ClientKind::kOpenCode:
      return {kOpenCodeJson};
    case ClientKind::kQwen:
      return {kQwenJson};
    case ClientKind::kKimi:
      return {kKimiToml};
    case ClientKind::kDroid:
      return {kDroidJson};
    case ClientKind::kCrush:
      return {kCrushJson};
    case ClientKind::kAtomCode:
      return {kAtomCodeToml};
  }
  return {};
}

Files After(const Plan& plan) {
  Files out;
  for (const auto& f : plan.files) out.push_back(f.after);
  return out;
}

Plan MustApply(ClientKind kind, const Files& files, const ApplyOptions& o) {
  auto plan = Apply(kind, files, o);
  EXPECT_TRUE(plan.ok()) << ClientName(kind) << ": " << plan.status();
  return plan.ok() ? *plan : Plan();
}

class EveryClient : public ::testing::TestWithParam<ClientKind> {};

TEST_P(EveryClient, ApplyPointsAtTheGatewayAndKeepsEverythingElse) {
  ClientKind kind = GetParam();
  Files before = Realistic(kind);
  Plan plan = MustApply(kind, before, Options("deepseek-chat"));
  ASSERT_EQ(plan.files.size(), before.size());
  Inspection in = Inspect(kind, After(plan), kGateway, kToken);
  EXPECT_EQ(in.pointing, Pointing::kThisGateway) << plan.files[0].after;
  EXPECT_TRUE(in.token_matches);
  EXPECT_EQ(in.model, "deepseek-chat");
  EXPECT_TRUE(in.problems.empty()) << in.problems[0];
  // Undoing exactly our entries gives back the original, byte for byte: nothing else moved.
  for (const auto& f : plan.files) {
    EXPECT_TRUE(f.changed());
    auto reverted = RevertSettings(f.file.format, f.after, f.before, f.managed);
    ASSERT_TRUE(reverted.ok()) << reverted.status();
    EXPECT_EQ(*reverted, *f.before) << f.file.name << " after apply:\n" << f.after;
  }
  // Before apply, it pointed elsewhere or nowhere.
  EXPECT_NE(Inspect(kind, before, kGateway, kToken).pointing, Pointing::kThisGateway);
}

// With the limits the gateway lists, the files still come back byte for byte.
TEST_P(EveryClient, LimitsGoAndComeBackWithTheRest) {
  ClientKind kind = GetParam();
  Files before = Realistic(kind);
  ApplyOptions o = Options("deepseek-chat");
  o.limits = {{"deepseek-chat", 500'000, 32'000}, {"deepseek-reasoner", 64'000, 8'000}};
  Plan plan = MustApply(kind, before, o);
  for (const auto& f : plan.files) {
    auto reverted = RevertSettings(f.file.format, f.after, f.before, f.managed);
    ASSERT_TRUE(reverted.ok()) << reverted.status();
    EXPECT_EQ(*reverted, *f.before) << f.file.name << " after apply:\n" << f.after;
  }
}

TEST_P(EveryClient, ApplyTwiceChangesNothingMore) {
  ClientKind kind = GetParam();
  for (const Files& start : {Realistic(kind), Files(Realistic(kind).size(), std::nullopt)}) {
    Plan first = MustApply(kind, start, Options());
    Plan second = MustApply(kind, After(first), Options());
    for (size_t i = 0; i < first.files.size(); ++i) {
      EXPECT_EQ(second.files[i].after, first.files[i].after);
      EXPECT_FALSE(second.files[i].changed());
    }
  }
}

TEST_P(EveryClient, RestoreUnchangedIsByteIdentical) {
  ClientKind kind = GetParam();
  Files before = Realistic(kind);
  Plan plan = MustApply(kind, before, Options("m"));
  for (const auto& f : plan.files) {
    auto r = RestoreFile(f.file, f.after, f.before, Sha256Hex(f.after), f.managed);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->action, RestoreAction::kWriteOriginal);
    EXPECT_FALSE(r->changed_since_apply);
    EXPECT_EQ(r->content, *f.before);
  }
}

TEST_P(EveryClient, MissingFilesAreCreatedAndRemovedAgain) {
  ClientKind kind = GetParam();
  Files none(ClientFiles(kind).size(), std::nullopt);
  Plan plan = MustApply(kind, none, Options("m"));
  EXPECT_EQ(Inspect(kind, After(plan), kGateway, kToken).pointing, Pointing::kThisGateway);
  EXPECT_EQ(Inspect(kind, none, kGateway, kToken).pointing, Pointing::kNotConfigured);
  for (const auto& f : plan.files) {
    auto r = RestoreFile(f.file, f.after, std::nullopt, Sha256Hex(f.after), f.managed);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->action, RestoreAction::kRemoveFile);
    // Changed by the user since (only reformatted: nothing of theirs left): still removed.
    auto merged = RestoreFile(f.file, f.after + "\n", std::nullopt, Sha256Hex(f.after), f.managed);
    ASSERT_TRUE(merged.ok()) << merged.status();
    EXPECT_EQ(merged->action, RestoreAction::kRemoveFile) << f.file.name << ":\n" << f.after;
  }
}

INSTANTIATE_TEST_SUITE_P(Clients, EveryClient, ::testing::ValuesIn(AllClients()),
                         [](const auto& info) { return ClientName(info.param); });

// Restore after the user changed the file: our entries go, their change stays.
void ExpectMerged(const FilePlan& f, const std::string& user_after, const std::string& expected) {
  auto r = RestoreFile(f.file, user_after, f.before, Sha256Hex(f.after), f.managed);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->action, RestoreAction::kWriteMerged);
  EXPECT_TRUE(r->changed_since_apply);
  EXPECT_EQ(r->content, expected);
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// Qwen Code: the user's own providers stay in the list; ours joins it, once.
TEST(ClientConfig, QwenFile) {
  Plan plan = MustApply(ClientKind::kQwen, {kQwenJson}, Options("deepseek-chat"));
  auto doc = JsonDoc::Parse(plan.files[0].after);
  ASSERT_TRUE(doc.ok());
  auto list = doc->Get({"modelProviders", "openai"});
  ASSERT_TRUE(list && list->is_array());
  ASSERT_EQ(list->as_array().size(), 2u) << plan.files[0].after;
  EXPECT_EQ(list->as_array()[0].at("id"), "qwen3-coder-plus");
  EXPECT_EQ(list->as_array()[1].at("baseUrl"), "http://127.0.0.1:9090/v1");
  EXPECT_EQ(list->as_array()[1].at("envKey"), "AGENTGATE_API_KEY");
  EXPECT_EQ(doc->GetString({"env", "AGENTGATE_API_KEY"}), kToken);
  EXPECT_EQ(doc->GetString({"security", "auth", "selectedType"}), "openai");
  EXPECT_EQ(doc->GetString({"ui", "theme"}), "GitHub");
  // Applied again with another model: still one entry of ours.
  Plan again = MustApply(ClientKind::kQwen, After(plan), Options("deepseek-reasoner"));
  auto doc2 = JsonDoc::Parse(again.files[0].after);
  EXPECT_EQ(doc2->Get({"modelProviders", "openai"})->as_array().size(), 2u);
}

// Factory Droid: the default names our entry by its place in the list.
TEST(ClientConfig, DroidFile) {
  Plan plan = MustApply(ClientKind::kDroid, {kDroidJson}, Options("deepseek-chat"));
  auto doc = JsonDoc::Parse(plan.files[0].after);
  ASSERT_TRUE(doc.ok());
  auto list = doc->Get({"customModels"})->as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].at("provider"), "generic-chat-completion-api");
  EXPECT_EQ(list[1].at("apiKey"), kToken);
  EXPECT_EQ(doc->GetString({"sessionDefaultSettings", "model"}),
            "custom:agentgate-deepseek-chat-1");
  EXPECT_EQ(doc->GetString({"sessionDefaultSettings", "autonomyMode"}), "auto-low");
}

// AtomCode: a default_model of the newer schema would win over default_provider: it goes while
// applied and comes back on restore.
TEST(ClientConfig, AtomCodeFile) {
  Plan plan = MustApply(ClientKind::kAtomCode, {kAtomCodeToml}, Options("deepseek-chat"));
  const std::string& after = plan.files[0].after;
  EXPECT_EQ(after.find("default_model"), std::string::npos) << after;
  EXPECT_NE(after.find("default_provider = \"agentgate\""), std::string::npos) << after;
  EXPECT_NE(after.find("[providers.agentgate]"), std::string::npos) << after;
  EXPECT_LT(after.find("default_provider"), after.find("[providers.deepseek]"))
      << "top-level keys stay before every table: " << after;
  Inspection in = Inspect(ClientKind::kAtomCode, {kAtomCodeToml}, kGateway, kToken);
  ASSERT_FALSE(in.problems.empty());
  EXPECT_NE(in.problems[0].find("supersedes"), std::string::npos);
}

TEST(ClientConfig, KimiAndCrushFiles) {
  Plan kimi = MustApply(ClientKind::kKimi, {kKimiToml}, Options("deepseek-chat"));
  const std::string& k = kimi.files[0].after;
  EXPECT_NE(k.find("default_model = \"agentgate\""), std::string::npos) << k;
  EXPECT_NE(k.find("max_context_size = 128000"), std::string::npos) << k;
  EXPECT_NE(k.find("[models.kimi-k2]"), std::string::npos) << "the user's stay: " << k;

  Plan crush = MustApply(ClientKind::kCrush, {kCrushJson}, Options());
  auto doc = JsonDoc::Parse(crush.files[0].after);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->GetString({"providers", "agentgate", "type"}), "openai-compat");
  EXPECT_EQ(doc->GetString({"models", "large", "model"}), "deepseek-chat")
      << "without --model: the first the gateway lists";
  EXPECT_EQ(doc->Get({"providers", "agentgate", "models"})->as_array().size(), 2u);
  EXPECT_TRUE(doc->Get({"providers", "ollama"}));
  bool noted = false;
  for (const auto& n : crush.notes) noted |= n.find("first the gateway lists") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(ClientConfig, CodexFile) {
  Plan plan = MustApply(ClientKind::kCodex, {kCodexToml}, Options());
  const std::string& after = plan.files[0].after;
  EXPECT_EQ(after,
            "# ~/.codex/config.toml — my settings\n"
            "model = \"gpt-5-codex\"\n"
            "model_reasoning_effort = \"high\"   # think harder\n"
            "approval_policy = \"on-request\"\n"
            "model_provider = \"agentgate\"\n"
            "\n"
            "[model_providers.ollama]\n"
            "name = \"Ollama\"\n"
            "base_url = \"http://localhost:11434/v1\"\n"
            "\n"
            "[mcp_servers.context7]\n"
            "command = \"npx\"\n"
            "args = [\n"
            "  \"-y\",\n"
            "  \"@upstash/context7-mcp\", # pinned below\n"
            "]\n"
            "env = { \"API_KEY\" = \"xyz\" }\n"
            "\n"
            "[profiles.deep]\n"
            "model = \"o3\"\n"
            "model_provider = \"openai\"\n"
            "\n"
            "[tui]\n"
            "notifications = [\"agent-turn-complete\"]\n"
            "\n"
            "[model_providers.agentgate]\n"
            "name = \"AgentGate\"\n"
            "base_url = \"http://127.0.0.1:9090/v1\"\n"
            "wire_api = \"responses\"\n"
            "experimental_bearer_token = \"ag_local_TESTTOKEN123\"\n");
  // Without --model the user's model stays.
  EXPECT_EQ(Inspect(ClientKind::kCodex, {after}, kGateway, kToken).model, "gpt-5-codex");
}

// The window of the model a client is set to goes where the client compacts by it; a model the
// gateway knows no window of leaves those settings alone.
TEST(ClientConfig, ContextWindowsGoWhereClientsCompact) {
  ApplyOptions o = Options("deepseek-v4-pro");
  o.limits = {{"deepseek-v4-pro", 1'000'000, 393'216}, {"deepseek-chat", 64'000, 8'000}};
  EXPECT_EQ(ContextWindowOf(o, "deepseek-v4-pro"), 1'000'000);
  EXPECT_EQ(ContextWindowOf(o, "deepseek-reasoner"), 0);

  const std::string codex = MustApply(ClientKind::kCodex, {kCodexToml}, o).files[0].after;
  EXPECT_NE(codex.find("\nmodel_context_window = 1000000\n"), std::string::npos) << codex;
  EXPECT_NE(codex.find("\nmodel_auto_compact_token_limit = 900000\n"), std::string::npos)
      << codex;
  const std::string unknown =
      MustApply(ClientKind::kCodex, {kCodexToml}, Options("glm-9")).files[0].after;
  EXPECT_EQ(unknown.find("model_context_window"), std::string::npos) << unknown;
  EXPECT_EQ(MustApply(ClientKind::kCodex, {kCodexToml}, Options()).files[0].after.find(
                "model_auto_compact_token_limit"),
            std::string::npos)
      << "no --model: Codex's own model, whose window it knows";

  Plan claude = MustApply(ClientKind::kClaude, {kClaudeJson}, o);
  auto doc = JsonDoc::Parse(claude.files[0].after);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->GetString({"env", "CLAUDE_CODE_AUTO_COMPACT_WINDOW"}), "1000000");
  EXPECT_TRUE(claude.notes.empty());
  // Below what Claude Code accepts: nothing set, and the user is told.
  Plan small = MustApply(ClientKind::kClaude, {kClaudeJson}, [&] {
    ApplyOptions s = o;
    s.model = "deepseek-chat";
    return s;
  }());
  EXPECT_EQ(small.files[0].after.find("AUTO_COMPACT"), std::string::npos);
  ASSERT_EQ(small.notes.size(), 1u);
  EXPECT_NE(small.notes[0].find("64000"), std::string::npos) << small.notes[0];

  auto oc = JsonDoc::Parse(MustApply(ClientKind::kOpenCode, {kOpenCodeJson}, o).files[0].after);
  ASSERT_TRUE(oc.ok());
  auto limit = oc->Get({"provider", "agentgate", "models", "deepseek-v4-pro", "limit"});
  ASSERT_TRUE(limit && limit->is_object());
  EXPECT_EQ(limit->at("context"), 1'000'000);
  EXPECT_EQ(limit->at("output"), 393'216);
  EXPECT_FALSE(oc->Get({"provider", "agentgate", "models", "deepseek-reasoner", "limit"}));

  const std::string kimi = MustApply(ClientKind::kKimi, {kKimiToml}, o).files[0].after;
  EXPECT_NE(kimi.find("max_context_size = 1000000"), std::string::npos) << kimi;
  auto crush = JsonDoc::Parse(MustApply(ClientKind::kCrush, {kCrushJson}, o).files[0].after);
  ASSERT_TRUE(crush.ok());
  auto crush_models = crush->Get({"providers", "agentgate", "models"});
  ASSERT_TRUE(crush_models && crush_models->is_array());
  for (const auto& m : crush_models->as_array()) {
    const int64_t want = m.at("id") == "deepseek-v4-pro" ? 1'000'000
                         : m.at("id") == "deepseek-chat" ? 64'000
                                                         : 128'000;  // unknown: the default
    EXPECT_EQ(m.at("context_window"), want) << m;
  }
}

TEST(ClientConfig, CodexReplacesAnOlderEnvKeyProviderAndRestoresIt) {
  const std::string before =
      "model_provider = \"agentgate\"\n"
      "\n"
      "[model_providers.agentgate]\n"
      "name = \"AgentGate\"\n"
      "base_url = \"http://127.0.0.1:8080/v1\"\n"
      "env_key = \"AGENTGATE_TOKEN\"\n"
      "wire_api = \"responses\"\n"
      "request_max_retries = 2\n";
  Plan plan = MustApply(ClientKind::kCodex, {before}, Options());
  EXPECT_EQ(plan.files[0].after,
            "model_provider = \"agentgate\"\n"
            "\n"
            "[model_providers.agentgate]\n"
            "name = \"AgentGate\"\n"
            "base_url = \"http://127.0.0.1:9090/v1\"\n"
            "wire_api = \"responses\"\n"
            "request_max_retries = 2\n"
            "experimental_bearer_token = \"ag_local_TESTTOKEN123\"\n");
  EXPECT_EQ(Inspect(ClientKind::kCodex, {before}, kGateway, kToken).pointing, Pointing::kElsewhere);
  // The user adds a retry setting after apply: restore keeps it, puts env_key and the old URL back.
  std::string user = plan.files[0].after + "stream_max_retries = 9\n";
  auto r = RestoreFile(plan.files[0].file, user, before, Sha256Hex(plan.files[0].after),
                       plan.files[0].managed);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->content,
            "model_provider = \"agentgate\"\n"
            "\n"
            "[model_providers.agentgate]\n"
            "name = \"AgentGate\"\n"
            "base_url = \"http://127.0.0.1:8080/v1\"\n"
            "wire_api = \"responses\"\n"
            "request_max_retries = 2\n"
            "stream_max_retries = 9\n"
            "env_key = \"AGENTGATE_TOKEN\"\n");
}

TEST(ClientConfig, CodexRestoreAfterUserEdit) {
  Plan plan = MustApply(ClientKind::kCodex, {kCodexToml}, Options("deepseek-chat"));
  const FilePlan& f = plan.files[0];
  std::string user =
      Replace(f.after, "approval_policy = \"on-request\"", "approval_policy = \"never\"");
  user += "\n[profiles.fast]\nmodel = \"gpt-5-mini\"\n";
  std::string expected =
      Replace(kCodexToml, "approval_policy = \"on-request\"", "approval_policy = \"never\"");
  expected += "\n[profiles.fast]\nmodel = \"gpt-5-mini\"\n";
  ExpectMerged(f, user, expected);
}

TEST(ClientConfig, ClaudeFile) {
  Plan plan = MustApply(ClientKind::kClaude, {kClaudeJson}, Options("deepseek-chat"));
  EXPECT_EQ(plan.files[0].after,
            "{\n"
            "  \"$schema\": \"https://json.schemastore.org/claude-code-settings.json\",\n"
            "  \"permissions\": {\n"
            "    \"allow\": [\"Bash(npm run lint)\", \"Read(~/.zshrc)\"],\n"
            "    \"deny\": [\"Read(./.env)\"]\n"
            "  },\n"
            "  \"env\": {\n"
            "    \"CLAUDE_CODE_ENABLE_TELEMETRY\": \"0\",\n"
            "    \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:9090\",\n"
            "    \"ANTHROPIC_AUTH_TOKEN\": \"ag_local_TESTTOKEN123\",\n"
            "    \"ANTHROPIC_MODEL\": \"deepseek-chat\"\n"
            "  },\n"
            "  \"hooks\": {\n"
            "    \"PostToolUse\": [{\"matcher\": \"Edit\", \"hooks\": [{\"type\": \"command\", "
            "\"command\": \"prettier -w\"}]}]\n"
            "  },\n"
            "  \"model\": \"opus\",\n"
            "  \"statusLine\": {\"type\": \"command\", \"command\": \"~/.claude/statusline.sh\"}\n"
            "}\n");
}

TEST(ClientConfig, ClaudeRestoreAfterUserEdit) {
  Plan plan = MustApply(ClientKind::kClaude, {kClaudeJson}, Options());
  const FilePlan& f = plan.files[0];
  // The user switched the model and added an env var of their own after apply.
  std::string user = Replace(f.after, "\"model\": \"opus\"", "\"model\": \"sonnet\"");
  user = Replace(user, "\"CLAUDE_CODE_ENABLE_TELEMETRY\": \"0\",",
                 "\"CLAUDE_CODE_ENABLE_TELEMETRY\": \"0\",\n    \"MY_VAR\": \"x\",");
  std::string expected = Replace(kClaudeJson, "\"model\": \"opus\"", "\"model\": \"sonnet\"");
  expected = Replace(expected, "\"CLAUDE_CODE_ENABLE_TELEMETRY\": \"0\",",
                     "\"CLAUDE_CODE_ENABLE_TELEMETRY\": \"0\",\n    \"MY_VAR\": \"x\",");
  ExpectMerged(f, user, expected);
}

TEST(ClientConfig, GeminiFiles) {
  Plan plan = MustApply(ClientKind::kGemini, {kGeminiJson, kGeminiEnv}, Options());
  EXPECT_EQ(plan.files[0].after, Replace(kGeminiJson, "\"selectedType\": \"oauth-personal\"",
                                         "\"selectedType\": \"gemini-api-key\""));
  EXPECT_EQ(plan.files[1].after,
            "GOOGLE_CLOUD_PROJECT=my-proj\n# the key\nGEMINI_API_KEY=ag_local_TESTTOKEN123\n"
            "GOOGLE_GEMINI_BASE_URL=http://127.0.0.1:9090\n");
  EXPECT_FALSE(plan.notes.empty());  // folder trust, -m
  // The user adds a variable of their own: restore keeps it.
  const FilePlan& env = plan.files[1];
  ExpectMerged(env, env.after + "DEBUG=1\n", std::string(kGeminiEnv) + "DEBUG=1\n");
}

TEST(ClientConfig, OpenCodeFile) {
  Plan plan = MustApply(ClientKind::kOpenCode, {kOpenCodeJson}, Options());
  EXPECT_EQ(
      plan.files[0].after,
      "{\n"
      "  \"$schema\": \"https://opencode.ai/config.json\",\n"
      "  // my providers\n"
      "  \"provider\": {\n"
      "    \"ollama\": {\n"
      "      \"npm\": \"@ai-sdk/openai-compatible\",\n"
      "      \"name\": \"Ollama (local)\",\n"
      "      \"options\": { \"baseURL\": \"http://localhost:11434/v1\" },\n"
      "      \"models\": { \"llama3.2\": { \"name\": \"Llama 3.2\" } }\n"
      "    },\n"
      "    \"agentgate\": {\n"
      "      \"npm\": \"@ai-sdk/openai-compatible\",\n"
      "      \"name\": \"AgentGate\",\n"
      "      \"options\": {\n"
      "        \"baseURL\": \"http://127.0.0.1:9090/v1\",\n"
      "        \"apiKey\": \"ag_local_TESTTOKEN123\"\n"
      "      },\n"
      "      \"models\": {\n"
      "        \"deepseek-chat\": {},\n"
      "        \"deepseek-reasoner\": {}\n"
      "      }\n"
      "    }\n"
      "  },\n"
      "  \"mcp\": {\n"
      "    \"context7\": { \"type\": \"remote\", \"url\": \"https://mcp.context7.com/mcp\" },\n"
      "  },\n"
      "  \"model\": \"ollama/llama3.2\",\n"
      "  \"theme\": \"tokyonight\"\n"
      "}\n");
  Inspection in = Inspect(ClientKind::kOpenCode, After(plan), kGateway, kToken);
  EXPECT_EQ(in.pointing, Pointing::kThisGateway);
  EXPECT_EQ(in.models, (std::vector<std::string>{"deepseek-chat", "deepseek-reasoner"}));
  ASSERT_EQ(in.problems.size(), 1u);  // the default model is another provider's
  EXPECT_NE(in.problems[0].find("ollama/llama3.2"), std::string::npos);

  // The user adds an MCP server after apply: restore keeps it and drops the provider.
  const FilePlan& f = plan.files[0];
  std::string user = Replace(f.after, "\"theme\": \"tokyonight\"",
                             "\"theme\": \"tokyonight\",\n  \"autoupdate\": false");
  ExpectMerged(f, user,
               Replace(kOpenCodeJson, "\"theme\": \"tokyonight\"",
                       "\"theme\": \"tokyonight\",\n  \"autoupdate\": false"));
}

TEST(ClientConfig, OpenCodeNeedsAModel) {
  ApplyOptions o = Options();
  o.models.clear();
  auto plan = Apply(ClientKind::kOpenCode, {std::nullopt}, o);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  for (ClientKind k : {ClientKind::kQwen, ClientKind::kKimi, ClientKind::kDroid, ClientKind::kCrush,
                       ClientKind::kAtomCode}) {
    EXPECT_EQ(Apply(k, {std::nullopt}, o).status().code(), absl::StatusCode::kFailedPrecondition)
        << ClientName(k);
  }
  o.model = "m";
  plan = Apply(ClientKind::kOpenCode, {std::nullopt}, o);
  ASSERT_TRUE(plan.ok());
  EXPECT_NE(plan->files[0].after.find("\"model\": \"agentgate/m\""), std::string::npos);
}

TEST(ClientConfig, RefusesFilesItCannotReadAndChangesNothing) {
  auto toml = Apply(ClientKind::kCodex, {"model = \"unterminated\n"}, Options());
  ASSERT_FALSE(toml.ok());
  EXPECT_NE(toml.status().message().find("config.toml"), std::string::npos) << toml.status();
  auto json = Apply(ClientKind::kClaude, {"{\"env\": [1, 2]}"}, Options());
  ASSERT_FALSE(json.ok());
  EXPECT_NE(json.status().message().find("env"), std::string::npos) << json.status();
  auto broken = Apply(ClientKind::kOpenCode, {"{ \"provider\": { \"x\": } }"}, Options());
  ASSERT_FALSE(broken.ok());
  auto inline_table =
      Apply(ClientKind::kCodex, {"model_providers.agentgate = { name = \"x\" }\n"}, Options());
  EXPECT_EQ(inline_table.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ClientConfig, NoTrailingNewlineAndCrlfFiles) {
  for (const std::string text : {"{\"theme\": \"dark\"}", "{\r\n  \"theme\": \"dark\"\r\n}"}) {
    Plan plan = MustApply(ClientKind::kClaude, {text}, Options());
    auto doc = JsonDoc::Parse(plan.files[0].after);
    ASSERT_TRUE(doc.ok()) << plan.files[0].after;
    EXPECT_EQ(doc->GetString({"theme"}), "dark");
    auto r = RestoreFile(plan.files[0].file, plan.files[0].after, text,
                         Sha256Hex(plan.files[0].after), plan.files[0].managed);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->content, text);
    auto reverted =
        RevertSettings(FileFormat::kJson, plan.files[0].after, text, plan.files[0].managed);
    ASSERT_TRUE(reverted.ok());
    EXPECT_EQ(*reverted, text);
  }
  const std::string crlf = "model = \"o3\"\r\n[tui]\r\nx = 1";
  Plan plan = MustApply(ClientKind::kCodex, {crlf}, Options());
  EXPECT_EQ(plan.files[0].after.find("\n\n"), std::string::npos) << plan.files[0].after;
  auto reverted =
      RevertSettings(FileFormat::kToml, plan.files[0].after, crlf, plan.files[0].managed);
  ASSERT_TRUE(reverted.ok());
  EXPECT_EQ(*reverted, crlf);
}

TEST(ClientConfig, InspectTellsWhereItPoints) {
  EXPECT_EQ(Inspect(ClientKind::kClaude, {std::nullopt}, kGateway, kToken).pointing,
            Pointing::kNotConfigured);
  Inspection other =
      Inspect(ClientKind::kClaude,
              {"{\"env\": {\"ANTHROPIC_BASE_URL\": \"https://proxy.example\"}}"}, kGateway, kToken);
  EXPECT_EQ(other.pointing, Pointing::kElsewhere);
  EXPECT_EQ(other.base_url, "https://proxy.example");
  Inspection stale = Inspect(ClientKind::kClaude,
                             {"{\"env\": {\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:9090/\", "
                              "\"ANTHROPIC_AUTH_TOKEN\": \"old\"}}"},
                             kGateway, kToken);
  EXPECT_EQ(stale.pointing, Pointing::kThisGateway);
  EXPECT_FALSE(stale.token_matches);
  ASSERT_FALSE(stale.problems.empty());
  EXPECT_EQ(
      Inspect(ClientKind::kCodex, {"model_provider = \"ollama\"\n"}, kGateway, kToken).pointing,
      Pointing::kElsewhere);
  Inspection profile = Inspect(ClientKind::kCodex,
                               {"profile = \"deep\"\nmodel_provider = \"agentgate\"\n"
                                "[profiles.deep]\nmodel_provider = \"openai\"\n"},
                               kGateway, kToken);
  ASSERT_FALSE(profile.problems.empty());
  EXPECT_NE(profile.problems[0].find("profile"), std::string::npos);
  EXPECT_EQ(Inspect(ClientKind::kOpenCode, {"{nope"}, kGateway, kToken).pointing,
            Pointing::kUnreadable);
  Inspection gemini = Inspect(ClientKind::kGemini,
                              {"{}",
                               "GOOGLE_GEMINI_BASE_URL=http://127.0.0.1:9090\n"
                               "GEMINI_API_KEY=ag_local_TESTTOKEN123\n"},
                              kGateway, kToken);
  EXPECT_EQ(gemini.pointing, Pointing::kThisGateway);
  ASSERT_EQ(gemini.problems.size(), 1u);  // selectedType is not set
}

TEST(ClientConfig, TestRequests) {
  TestRequest claude = MakeTestRequest(ClientKind::kClaude, "m", "t");
  EXPECT_EQ(claude.target, "/v1/messages");
  auto body = boost::json::parse(claude.body);
  EXPECT_EQ(body.at("max_tokens").as_int64(), 1);
  TestRequest gemini = MakeTestRequest(ClientKind::kGemini, "gemini-2.5-pro", "t");
  EXPECT_EQ(gemini.target, "/v1beta/models/gemini-2.5-pro:generateContent");
  EXPECT_EQ(boost::json::parse(gemini.body).at("generationConfig").at("maxOutputTokens").as_int64(),
            1);
  EXPECT_EQ(MakeTestRequest(ClientKind::kCodex, "m", "t").target, "/v1/responses");
  EXPECT_EQ(MakeTestRequest(ClientKind::kOpenCode, "m", "t").target, "/v1/chat/completions");
  EXPECT_TRUE(LooksLikeAnswer(ClientKind::kOpenCode, "{\"choices\":[]}"));
  EXPECT_FALSE(LooksLikeAnswer(ClientKind::kOpenCode, "{\"error\":{}}"));
}

TEST(ClientConfig, Names) {
  for (ClientKind k : AllClients()) EXPECT_EQ(ParseClientKind(ClientName(k)), k);
  EXPECT_EQ(ParseClientKind("claude-code"), ClientKind::kClaude);
  EXPECT_FALSE(ParseClientKind("cursor"));
  Locations l;
  l.home = "/h";
  l.codex_home = "/c";
  l.claude_config_dir = "/h/.claude";
  l.gemini_cli_home = "/h";
  l.xdg_config_home = "/x";
  EXPECT_EQ(FilePath(ClientKind::kCodex, ClientFiles(ClientKind::kCodex)[0], l), "/c/config.toml");
  EXPECT_EQ(FilePath(ClientKind::kGemini, ClientFiles(ClientKind::kGemini)[1], l),
            "/h/.gemini/.env");
  EXPECT_EQ(FilePath(ClientKind::kOpenCode, ClientFiles(ClientKind::kOpenCode)[0], l),
            "/x/opencode/opencode.json");
  l.qwen_home = "/h/.qwen";
  l.kimi_code_home = "/h/.kimi-code";
  l.factory_home = "/h";
  l.crush_config_dir = "/x/crush";
  l.atomcode_home = "/h/.atomcode";
  EXPECT_EQ(FilePath(ClientKind::kQwen, ClientFiles(ClientKind::kQwen)[0], l),
            "/h/.qwen/settings.json");
  EXPECT_EQ(FilePath(ClientKind::kKimi, ClientFiles(ClientKind::kKimi)[0], l),
            "/h/.kimi-code/config.toml");
  EXPECT_EQ(FilePath(ClientKind::kDroid, ClientFiles(ClientKind::kDroid)[0], l),
            "/h/.factory/settings.json");
  EXPECT_EQ(FilePath(ClientKind::kCrush, ClientFiles(ClientKind::kCrush)[0], l),
            "/x/crush/crush.json");
  EXPECT_EQ(FilePath(ClientKind::kAtomCode, ClientFiles(ClientKind::kAtomCode)[0], l),
            "/h/.atomcode/config.toml");
  EXPECT_EQ(ParseClientKind("qwen-code"), ClientKind::kQwen);
  EXPECT_EQ(ParseClientKind("factory"), ClientKind::kDroid);
  EXPECT_EQ(AllClients().size(), 9u);
}

}  // namespace
}  // namespace agentgate::clientconf

namespace agentgate::clientconf {
namespace {

// Odd but valid files: apply works, applying again changes nothing, and undoing our entries
// gives back every byte.
void ExpectRoundTrip(ClientKind kind, const Files& start) {
  SCOPED_TRACE(ClientName(kind) + ": " + start[0].value_or("(missing)"));
  for (const std::string model : {"", "m"}) {
    Plan plan = MustApply(kind, start, Options(model));
    if (plan.files.empty()) return;
    EXPECT_EQ(Inspect(kind, After(plan), kGateway, kToken).pointing, Pointing::kThisGateway);
    Plan again = MustApply(kind, After(plan), Options(model));
    for (size_t i = 0; i < plan.files.size(); ++i) {
      const FilePlan& f = plan.files[i];
      EXPECT_EQ(again.files[i].after, f.after);
      if (!f.before) continue;
      auto reverted = RevertSettings(f.file.format, f.after, f.before, f.managed);
      ASSERT_TRUE(reverted.ok()) << reverted.status() << "\n" << f.after;
      EXPECT_EQ(*reverted, *f.before) << "after apply:\n" << f.after;
    }
  }
}

TEST(ClientConfigRoundTrip, OddTomlFiles) {
  for (const char* text : {
           "",
           "\n",
           "# only a comment",
           "model = \"o3\"",
           "\xEF\xBB\xBFmodel = \"o3\"\n",
           "model = \"o3\"\r\napproval_policy = \"never\"\r\n",
           "[tui]\nnotifications = true\n",
           "# about tui\n[tui]\nnotifications = true\n",
           "model_provider = \"agentgate\"\n",
           "model_provider = \"openai\" # was\nmodel = \"o3\"\n",
           "instructions = \"\"\"\n[model_providers.agentgate]\nmodel = \"x\"\n\"\"\"\n",
           "[model_providers]\nollama = { name = \"Ollama\", base_url = \"http://x/v1\" }\n",
           "[profiles.deep]\nmodel = \"o3\"\nmodel_provider = \"openai\"\n",
           "[[hooks]]\ncommand = \"x\"\n\n[[hooks]]\ncommand = \"y\"\n",
           "tui.notifications = true\n\t# tabbed comment\n",
           "[model_providers.agentgate]\nname = \"Mine\"\nquery_params = { a = \"b\" }\n",
           "[model_providers.agentgate.http_headers]\nX-Team = \"a\"\n",
       }) {
    ExpectRoundTrip(ClientKind::kCodex, {text});
  }
}

TEST(ClientConfigRoundTrip, OddJsonFiles) {
  for (const char* text : {
           "{}",
           "{ }",
           "{\n}\n",
           "  {\"a\":1}  \n",
           "{\"env\":{}}",
           "{\n  \"env\": {\n    \"X\": \"1\",\n  },\n}\n",
           "/* header */ {\"a\": [1, 2, {\"b\": null}]} // end\n",
           "{\r\n\t\"env\": {\r\n\t\t\"X\": \"1\"\r\n\t}\r\n}\r\n",
           "\xEF\xBB\xBF{\"ü\": \"✓\"}",
           "{\"e\\u006ev\": {\"ANTHROPIC_BASE_URL\": \"https://old\"}}",
           "{\n  \"env\": {\"ANTHROPIC_AUTH_TOKEN\": \"old\"}, \"x\": 1\n}",
           "{\n  \"a\": 1 // trailing comment\n}\n",
           "{\n  \"a\": 1, /* block */\n  \"b\": 2\n}",
           "{\n  \"provider\": {\"agentgate\": {\"options\": {\"timeout\": 5}}}\n}\n",
           "{\"security\": {\"folderTrust\": {\"enabled\": false}}}",
           "{\"model\": {\"maxSessionTurns\": 3}}",
       }) {
    ExpectRoundTrip(ClientKind::kClaude, {text});
    ExpectRoundTrip(ClientKind::kOpenCode, {text});
    ExpectRoundTrip(ClientKind::kGemini, {text, std::nullopt});
  }
}

TEST(ClientConfigRoundTrip, OddEnvFiles) {
  for (const char* text :
       {"", "A=1", "export GEMINI_API_KEY=old\r\n", "# c\n\nA='x'\n",
        "GEMINI_API_KEY=\"multi\nline\"\nB=2\n", "GEMINI_API_KEY=1\nGEMINI_API_KEY=2\n"}) {
    ExpectRoundTrip(ClientKind::kGemini, {std::nullopt, text});
  }
}

}  // namespace
}  // namespace agentgate::clientconf
