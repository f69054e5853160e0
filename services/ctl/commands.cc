#include "services/ctl/commands.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <iterator>
#include <optional>

#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/flags.h"
#include "services/common/grpc_util.h"
#include "services/common/strings.h"
#include "services/ctl/admin_client.h"
#include "services/ctl/cli_util.h"
#include "services/ctl/stack_file.h"
#include "services/routing/presets.h"

namespace agentgate::ctl {
namespace {

std::string ProtocolName(admin::v1::ProviderProtocol p) {
  switch (p) {
    case admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT:
      return "openai_chat";
    case admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES:
      return "anthropic";
    case admin::v1::PROVIDER_PROTOCOL_GEMINI:
      return "gemini";
    case admin::v1::PROVIDER_PROTOCOL_OPENAI_RESPONSES:
      return "openai_responses";
    default:
      return "-";
  }
}

// --timeout-ms and --priority, when given.
absl::Status ParseNumbers(const Flags& f, std::optional<uint32_t>* timeout_ms,
                          std::optional<int32_t>* priority) {
  int64_t n = 0;
  if (f.Has("timeout-ms")) {
    if (!ParseInt(f.Get("timeout-ms"), &n) || n < 0 || n > UINT32_MAX) {
      return absl::InvalidArgumentError("--timeout-ms needs a number of milliseconds");
    }
    *timeout_ms = static_cast<uint32_t>(n);
  }
  if (f.Has("priority")) {
    if (!ParseInt(f.Get("priority"), &n))
      return absl::InvalidArgumentError("--priority needs a number");
    *priority = static_cast<int32_t>(n);
  }
  return absl::OkStatus();
}

const char kProviderUsage[] =
    "usage:\n"
    "  agentgatectl provider add --type TYPE --key KEY [--key KEY2]... [--name NAME]\n"
    "                            [--base-url URL] [--model MODEL] [--models M1,M2]\n"
    "                            [--map FROM=TO]... [--timeout-ms MS] [--priority N]\n"
    "                            [--anthropic-url URL] [--responses-url URL]\n"
    "                            [--reasoning-model MODEL] [--vision yes|no|unknown]\n"
    "                            [--prompt-cache yes|no|unknown] [--header NAME=VALUE]...\n"
    "  agentgatectl provider update NAME [--key KEY]... [--base-url URL] [--model MODEL]\n"
    "                            [--models M1,M2] [--map FROM=TO]... [--timeout-ms MS]\n"
    "                            [--priority N] [--enable|--disable] [--rename NEW]\n"
    "                            [--reasoning-model MODEL] [--vision yes|no|unknown]\n"
    "                            [--prompt-cache yes|no|unknown] [--header NAME=VALUE]...\n"
    "                            [--clear-headers]\n"
    "  agentgatectl provider list [--json]\n"
    "  agentgatectl provider show NAME [--json]\n"
    "  agentgatectl provider reset NAME        clear its cooldowns and circuit breaker\n"
    "  agentgatectl provider test NAME [--check-vision] [--cache] [--list-models]\n"
    "                            config -> gateway -> provider; a definite vision or prompt\n"
    "                            cache answer is stored with the provider\n"
    "  agentgatectl provider models NAME [--json]   the provider's own model list\n"
    "  agentgatectl provider remove NAME\n"
    "  agentgatectl provider types\n"
    "TYPE is one of the presets (see `provider types`) or auto (detect from the key prefix).\n"
    "Several --key make a key pool: the keys are used in turn, and a key that is rate limited\n"
    "or refused rests while the others carry on. On update, --key replaces every key\n"
    "(--key \"\" removes them all); --header replaces every extra header.\n";

std::vector<FlagSpec> ProviderFlags() {
  return {
      {"type", "TYPE", "preset, or auto"},
      {"key", "KEY", "the provider API key"},
      {"name", "NAME", "provider name"},
      {"base-url", "URL", "base URL"},
      {"model", "MODEL", "default model"},
      {"models", "M1,M2", "models it serves"},
      {"map", "FROM=TO", "model mapping"},
      {"timeout-ms", "MS", "upstream timeout"},
      {"priority", "N", "chain position"},
      {"enable", "", "enable"},
      {"disable", "", "disable"},
      {"rename", "NEW", "new name"},
      {"anthropic-url", "URL", "the provider's Messages endpoint"},
      {"responses-url", "URL", "the provider's Responses endpoint"},
      {"reasoning-model", "MODEL", "model for requests that ask for thinking"},
      {"vision", "yes|no|unknown", "whether it takes images"},
      {"prompt-cache", "yes|no|unknown", "whether it caches prompts"},
      {"header", "NAME=VALUE", "extra header sent with every request"},
      {"clear-headers", "", "remove every extra header"},
      {"check-vision", "", "test: also detect vision (a 1x1 image)"},
      {"cache", "", "test: also detect prompt caching (two long requests)"},
      {"list-models", "", "test: also fetch the model list"},
      {"json", "", "JSON output"},
  };
}

absl::StatusOr<admin::v1::Capability> ParseCapability(const std::string& flag,
                                                      const std::string& v) {
  if (v == "yes") return admin::v1::CAPABILITY_YES;
  if (v == "no") return admin::v1::CAPABILITY_NO;
  if (v == "unknown") return admin::v1::CAPABILITY_UNKNOWN;
  return absl::InvalidArgumentError("--" + flag + " is yes, no or unknown, got '" + v + "'");
}

std::string CapabilityName(admin::v1::Capability c) {
  switch (c) {
    case admin::v1::CAPABILITY_YES:
      return "yes";
    case admin::v1::CAPABILITY_NO:
      return "no";
    default:
      return "unknown";
  }
}

// --header NAME=VALUE, repeated.
absl::Status FillHeaders(const Flags& f, google::protobuf::Map<std::string, std::string>* out) {
  for (const auto& pair : f.GetAll("header")) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return absl::InvalidArgumentError("--header takes NAME=VALUE, got '" + pair + "'");
    }
    (*out)[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return absl::OkStatus();
}

// --vision, --prompt-cache, --reasoning-model and --header into a provider (add).
absl::Status FillExtras(const Flags& f, admin::v1::Provider* p) {
  if (f.Has("vision")) {
    auto c = ParseCapability("vision", f.Get("vision"));
    if (!c.ok()) return c.status();
    p->set_vision(*c);
  }
  if (f.Has("prompt-cache")) {
    auto c = ParseCapability("prompt-cache", f.Get("prompt-cache"));
    if (!c.ok()) return c.status();
    p->set_prompt_cache(*c);
  }
  p->set_reasoning_model(f.Get("reasoning-model"));
  return FillHeaders(f, p->mutable_extra_headers());
}

// "25s", "3m10s": what is left of a wait until `until_ms`.
std::string Remaining(int64_t until_ms) {
  int64_t left = until_ms - NowMs();
  if (left <= 0) return "0s";
  int64_t s = (left + 999) / 1000;
  if (s < 60) return std::to_string(s) + "s";
  return FormatDuration(s * 1000);
}

// The STATUS column: healthy, cooling down 25s, circuit open, half-open, disabled.
std::string StatusLabel(const admin::v1::Provider& p) {
  const auto& st = p.status();
  if (!p.enabled()) return "disabled";
  if (st.state().empty()) return "-";
  if (st.state() == "cooling down") return "cooling down " + Remaining(st.cooldown_until_ms());
  if (st.state() == "circuit open" && st.open_until_ms() > 0) {
    return "circuit open " + Remaining(st.open_until_ms());
  }
  return st.state();
}

std::string KeyState(const admin::v1::KeyStatus& k) {
  std::string out = k.cooldown_until_ms() > NowMs()
                        ? "cooling down " + Remaining(k.cooldown_until_ms())
                        : "in service";
  if (k.failures() > 0) {
    out += ", " + std::to_string(k.failures()) + (k.failures() == 1 ? " failure" : " failures");
  }
  if (!k.last_error().empty()) out += " (last: " + k.last_error() + ")";
  return out;
}

absl::Status FillModels(const Flags& f, google::protobuf::RepeatedPtrField<std::string>* models,
                        google::protobuf::Map<std::string, std::string>* map) {
  if (f.Has("models")) {
    std::string list = f.Get("models");
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string m(StripSpace(std::string_view(list).substr(start, comma - start)));
      if (!m.empty()) models->Add(std::move(m));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  for (const auto& pair : f.GetAll("map")) {
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
      return absl::InvalidArgumentError("--map takes FROM=TO, got '" + pair + "'");
    }
    (*map)[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return absl::OkStatus();
}

// "✓ config        base URL http://… (3 ms)", one line per step.
void PrintTestSteps(const admin::v1::ProviderTestResult& r, const char* indent) {
  for (const auto& s : r.steps()) {
    const char* mark = s.skipped() ? "-" : s.ok() ? "✓" : "✗";
    std::printf("%s%s %-13s %s%s\n", indent, mark, s.name().c_str(), s.detail().c_str(),
                s.skipped() ? "" : (" (" + std::to_string(s.elapsed_ms()) + " ms)").c_str());
  }
}

// The LAST TEST column: "ok 3m ago", "FAILED 10s ago", "testing…", "-".
std::string LastTestLabel(const admin::v1::Provider& p) {
  if (p.test_pending()) return "testing…";
  if (!p.has_last_test()) return "-";
  const auto& t = p.last_test();
  return std::string(t.ok() ? "ok " : "FAILED ") + FormatDuration(NowMs() - t.tested_at_ms()) +
         " ago";
}

void PrintProvider(const admin::v1::Provider& p) {
  std::printf("name:           %s\n", p.name().c_str());
  std::printf("type:           %s\n", p.type().c_str());
  std::printf("protocol:       %s\n", ProtocolName(p.protocol()).c_str());
  std::printf("base url:       %s\n", p.base_url().c_str());
  if (p.api_keys_masked_size() <= 1) {
    std::printf("key:            %s\n",
                p.api_key_masked().empty() ? "(none)" : p.api_key_masked().c_str());
  } else {
    std::printf("keys:           %d, used in turn\n", p.api_keys_masked_size());
  }
  std::printf("default model:  %s\n", p.default_model().c_str());
  std::printf("anthropic url:  %s\n", p.anthropic_url().empty() ? "-" : p.anthropic_url().c_str());
  std::printf("responses url:  %s\n", p.responses_url().empty() ? "-" : p.responses_url().c_str());
  std::string models;
  for (const auto& m : p.models()) models += (models.empty() ? "" : ", ") + m;
  std::printf("models:         %s\n", models.empty() ? "-" : models.c_str());
  for (const auto& [from, to] : p.model_map()) {
    std::printf("map:            %s -> %s\n", from.c_str(), to.c_str());
  }
  std::printf("timeout:        %s\n",
              p.timeout_ms() == 0 ? "default (300 s)" : FormatDuration(p.timeout_ms()).c_str());
  std::printf("reasoning:      %s\n",
              p.reasoning_model().empty() ? "-" : p.reasoning_model().c_str());
  std::printf("vision:         %s\n", CapabilityName(p.vision()).c_str());
  std::printf("prompt cache:   %s\n", CapabilityName(p.prompt_cache()).c_str());
  for (const auto& [name, value] : p.extra_headers()) {
    std::printf("header:         %s: %s\n", name.c_str(), value.c_str());
  }
  std::printf("enabled:        %s\n", p.enabled() ? "yes" : "no");
  std::printf("priority:       %d\n", p.priority());
  const auto& st = p.status();
  std::printf("status:         %s\n", StatusLabel(p).c_str());
  if (!st.detail().empty()) std::printf("detail:         %s\n", st.detail().c_str());
  if (st.consecutive_failures() > 0 || st.breaker() != "closed") {
    std::printf("breaker:        %s, %d failure%s in a row\n", st.breaker().c_str(),
                st.consecutive_failures(), st.consecutive_failures() == 1 ? "" : "s");
  }
  if (!st.last_error().empty()) {
    std::printf("last error:     %s (%s ago)\n", st.last_error().c_str(),
                FormatDuration(NowMs() - st.last_failure_at_ms()).c_str());
  }
  if (st.retry_after_ms() > 0) {
    std::printf("retry-after:    %s\n", FormatDuration(st.retry_after_ms()).c_str());
  }
  // Every key, masked, with its own state (a rate-limited or refused key rests alone).
  for (const auto& k : st.keys()) {
    std::printf("  key #%d        %s  %s\n", k.index(), k.masked().c_str(), KeyState(k).c_str());
  }
  if (p.has_last_test()) {
    const auto& t = p.last_test();
    std::printf("last test:      %s (%s)%s\n", LastTestLabel(p).c_str(), t.trigger().c_str(),
                t.models_size() > 0
                    ? (", " + std::to_string(t.models_size()) + " models listed").c_str()
                    : "");
    PrintTestSteps(t, "  ");
  } else if (p.test_pending()) {
    std::printf("last test:      testing…\n");
  }
}

}  // namespace

int CmdProvider(const std::string& home, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") return Usage(kProviderUsage);
  std::string sub = args[0];
  Flags f(ProviderFlags());
  if (auto st = f.Parse(std::vector<std::string>(args.begin() + 1, args.end())); !st.ok()) {
    return Fail(Message(st));
  }
  if (sub == "types") {
    std::vector<std::vector<std::string>> rows = {
        {"TYPE", "PROTOCOL", "BASE URL", "DEFAULT MODEL"}};
    for (const auto& p : routing::AllPresets()) {
      rows.push_back({std::string(p.type),
                      p.protocol == routing::Protocol::kOpenAiChat          ? "openai_chat"
                      : p.protocol == routing::Protocol::kAnthropicMessages ? "anthropic"
                                                                            : "gemini",
                      p.base_url.empty() ? "(required)" : std::string(p.base_url),
                      p.default_model.empty() ? "-" : std::string(p.default_model)});
    }
    PrintTable(rows);
    return 0;
  }
  AdminClient client(home);
  if (sub == "add") {
    admin::v1::CreateProviderRequest req;
    std::string type = f.Get("type");
    std::vector<std::string> keys = f.GetAll("key");
    std::string key = keys.empty() ? "" : keys[0];
    if (type.empty()) return Fail("provider add needs --type (or --type auto with --key)");
    if (type == "auto") {
      auto detected = routing::DetectTypeFromKey(key);
      if (!detected.ok()) return Fail(Message(detected.status()));
      type = *detected;
    }
    auto* p = req.mutable_provider();
    p->set_type(type);
    p->set_name(f.Get("name", nullptr, type));
    p->set_base_url(f.Get("base-url"));
    p->set_default_model(f.Get("model"));
    p->set_anthropic_url(f.Get("anthropic-url"));
    p->set_responses_url(f.Get("responses-url"));
    if (auto st = FillModels(f, p->mutable_models(), p->mutable_model_map()); !st.ok()) {
      return Fail(Message(st));
    }
    std::optional<uint32_t> timeout_ms;
    std::optional<int32_t> priority;
    if (auto st = ParseNumbers(f, &timeout_ms, &priority); !st.ok()) return Fail(Message(st));
    if (timeout_ms) p->set_timeout_ms(*timeout_ms);
    if (priority) p->set_priority(*priority);
    if (auto st = FillExtras(f, p); !st.ok()) return Fail(Message(st));
    req.set_api_key(key);
    for (size_t i = 1; i < keys.size(); ++i) req.add_more_api_keys(keys[i]);
    admin::v1::Provider resp;
    if (!Call(client, &Stub::CreateProvider, req, &resp)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
    } else {
      std::string key_text =
          resp.api_keys_masked_size() > 1
              ? std::to_string(resp.api_keys_masked_size()) + " keys"
              : "key " + (resp.api_key_masked().empty() ? "none" : resp.api_key_masked());
      std::printf("added provider %s (%s, %s, %s)\n", resp.name().c_str(), resp.type().c_str(),
                  resp.base_url().c_str(), key_text.c_str());
      if (resp.test_pending()) {
        std::printf("testing it in the background: agentgatectl provider show %s\n",
                    resp.name().c_str());
      }
    }
    return 0;
  }
  if (sub == "list") {
    admin::v1::ListProvidersResponse resp;
    if (!Call(client, &Stub::ListProviders, admin::v1::ListProvidersRequest(), &resp)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
      return 0;
    }
    if (resp.providers().empty()) {
      std::printf(
          "no providers yet: add one with agentgatectl provider add --type TYPE --key KEY\n");
      return 0;
    }
    std::vector<std::vector<std::string>> rows = {
        {"NAME", "TYPE", "PROTOCOL", "BASE URL", "MODEL", "KEY", "ENABLED", "STATUS", "LAST TEST"}};
    for (const auto& p : resp.providers()) {
      std::string key = p.api_key_masked().empty() ? "-" : p.api_key_masked();
      if (p.api_keys_masked_size() > 1) {
        key += " +" + std::to_string(p.api_keys_masked_size() - 1);
      }
      rows.push_back({p.name(), p.type(), ProtocolName(p.protocol()), p.base_url(),
                      p.default_model().empty() ? "-" : p.default_model(), key,
                      p.enabled() ? "yes" : "no", StatusLabel(p), LastTestLabel(p)});
    }
    PrintTable(rows);
    return 0;
  }
  if (f.positional().empty()) return Fail("provider " + sub + " needs a provider NAME");
  std::string name = f.positional()[0];
  if (sub == "show") {
    admin::v1::GetProviderRequest req;
    req.set_name(name);
    admin::v1::Provider resp;
    if (!Call(client, &Stub::GetProvider, req, &resp)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
    } else {
      PrintProvider(resp);
    }
    return 0;
  }
  if (sub == "test") {
    admin::v1::TestProviderRequest req;
    req.set_name(name);
    req.set_check_vision(f.Has("check-vision"));
    req.set_check_prompt_cache(f.Has("cache"));
    req.set_list_models(f.Has("list-models"));
    admin::v1::ProviderTestResult resp;
    if (!Call(client, &Stub::TestProvider, req, &resp)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
      return resp.ok() ? 0 : 1;
    }
    PrintTestSteps(resp, "");
    if (!resp.model().empty()) std::printf("model: %s\n", resp.model().c_str());
    if (resp.models_size() > 0) std::printf("models: %d\n", resp.models_size());
    std::printf("%s\n", resp.ok() ? "provider OK" : "provider test FAILED");
    return resp.ok() ? 0 : 1;
  }
  if (sub == "models") {
    admin::v1::ListProviderModelsRequest req;
    req.set_name(name);
    admin::v1::ListProviderModelsResponse resp;
    if (!Call(client, &Stub::ListProviderModels, req, &resp)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
    } else {
      for (const auto& m : resp.models()) std::printf("%s\n", m.c_str());
      if (!resp.detail().empty()) std::fprintf(stderr, "agentgatectl: %s\n", resp.detail().c_str());
    }
    return resp.detail().empty() ? 0 : 1;
  }
  if (sub == "reset") {
    admin::v1::ResetProviderHealthRequest req;
    req.set_name(name);
    admin::v1::Provider resp;
    if (!Call(client, &Stub::ResetProviderHealth, req, &resp)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
    } else {
      std::printf("reset provider %s: %s\n", resp.name().c_str(), StatusLabel(resp).c_str());
    }
    return 0;
  }
  if (sub == "remove" || sub == "rm" || sub == "delete") {
    admin::v1::DeleteProviderRequest req;
    req.set_name(name);
    admin::v1::DeleteProviderResponse resp;
    if (!Call(client, &Stub::DeleteProvider, req, &resp)) return 1;
    std::printf("removed provider %s\n", name.c_str());
    return 0;
  }
  if (sub == "update") {
    admin::v1::UpdateProviderRequest req;
    req.set_name(name);
    if (f.Has("key")) {
      req.set_replace_api_keys(true);
      for (const auto& k : f.GetAll("key")) {
        if (!k.empty()) req.add_api_keys(k);
      }
    }
    if (f.Has("base-url")) req.set_base_url(f.Get("base-url"));
    if (f.Has("model")) req.set_default_model(f.Get("model"));
    if (f.Has("rename")) req.set_new_name(f.Get("rename"));
    if (f.Has("anthropic-url")) req.set_anthropic_url(f.Get("anthropic-url"));
    if (f.Has("responses-url")) req.set_responses_url(f.Get("responses-url"));
    if (f.Has("enable") && f.Has("disable")) return Fail("--enable and --disable contradict");
    if (f.Has("enable")) req.set_enabled(true);
    if (f.Has("disable")) req.set_enabled(false);
    std::optional<uint32_t> timeout_ms;
    std::optional<int32_t> priority;
    if (auto st = ParseNumbers(f, &timeout_ms, &priority); !st.ok()) return Fail(Message(st));
    if (timeout_ms) req.set_timeout_ms(*timeout_ms);
    if (priority) req.set_priority(*priority);
    if (auto st = FillModels(f, req.mutable_models(), req.mutable_model_map()); !st.ok()) {
      return Fail(Message(st));
    }
    req.set_replace_models(f.Has("models"));
    req.set_replace_model_map(f.Has("map"));
    if (f.Has("reasoning-model")) req.set_reasoning_model(f.Get("reasoning-model"));
    for (const char* flag : {"vision", "prompt-cache"}) {
      if (!f.Has(flag)) continue;
      auto c = ParseCapability(flag, f.Get(flag));
      if (!c.ok()) return Fail(Message(c.status()));
      if (std::string(flag) == "vision") {
        req.set_vision(*c);
      } else {
        req.set_prompt_cache(*c);
      }
    }
    if (f.Has("header") && f.Has("clear-headers")) {
      return Fail("--header and --clear-headers contradict");
    }
    if (auto st = FillHeaders(f, req.mutable_extra_headers()); !st.ok()) return Fail(Message(st));
    req.set_replace_extra_headers(f.Has("header") || f.Has("clear-headers"));
    admin::v1::Provider resp;
    if (!Call(client, &Stub::UpdateProvider, req, &resp)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
    } else {
      std::printf("updated provider %s\n", resp.name().c_str());
      if (resp.test_pending()) {
        std::printf("testing it again in the background: agentgatectl provider show %s\n",
                    resp.name().c_str());
      }
    }
    return 0;
  }
  return Usage(std::string("agentgatectl: unknown provider command '") + sub + "'\n" +
               kProviderUsage);
}

namespace {

const char kRouteUsage[] =
    "usage:\n"
    "  agentgatectl route list [--json]\n"
    "  agentgatectl route show NAME [--json]\n"
    "  agentgatectl route add NAME --client chat|claude|codex|gemini [--mode failover|manual]\n"
    "                         [--chain P1,P2,...] [--default] [RULE FLAGS]\n"
    "  agentgatectl route set NAME [--mode failover|manual] [--chain P1,P2,...] [--default]\n"
    "                         [--midstream-failover on|off] [RULE FLAGS] [--remove-rule NAME]...\n"
    "  agentgatectl route remove NAME\n"
    "  agentgatectl route explain FILE [--client chat|claude|codex|gemini] [--route NAME]\n"
    "                         [--model MODEL] [--json]\n"
    "\n"
    "A route profile says which providers serve a client protocol and in what order. Each\n"
    "protocol has a default profile (chat, claude, codex, gemini at first); a request picks\n"
    "another with the header `x-agentgate-route: NAME`. In failover mode the first rule that\n"
    "matches sends the request to its provider first, then the chain is tried in order; in\n"
    "manual mode only the first provider of the chain that can take the request is used.\n"
    "Without --chain, route add puts every provider in the chain, in priority order.\n"
    "\n"
    "--midstream-failover on: a streamed answer that a provider cuts after its first bytes is\n"
    "continued on the next provider of the chain (or the same one when it is the last): the\n"
    "text already sent goes back as the start of the answer and the continuation is spliced\n"
    "into the same client stream. A cut inside a tool call is not continued. With it on,\n"
    "streams of the client's own protocol go through the converter instead of passing\n"
    "through (Responses to Responses still passes through and is not continued).\n"
    "\n"
    "RULE FLAGS (a rule sends matching requests to a provider, and model, first):\n"
    "  --add-rule NAME:SCENE:PROVIDER[:MODEL]   a preset scene; repeatable\n"
    "  --add-rule NAME --provider P [--scene SCENE] [--when CONDITIONS] [--model M]\n"
    "  --when CONDITIONS   with a single --add-rule: conditions of your own, comma-separated,\n"
    "                      all must hold (quote them for the shell):\n"
    "      tokens>=N       at least N estimated input tokens\n"
    "      images          the request has images\n"
    "      tools           the request declares tools;   tools>=N   at least N of them\n"
    "      thinking        thinking / reasoning is asked for\n"
    "      system~WORD     WORD in the system prompt (several: any of them)\n"
    "      model~WORD      WORD in the requested model's name (several: any of them)\n"
    "  SCENE is image, reasoning, background (haiku, -mini, -nano, flash-lite, small models),\n"
    "  long_text (60k+ tokens) or tool_heavy (20+ tools); with --when both apply.\n"
    "  e.g. route set claude --add-rule pics:image:openai:gpt-4.1\n"
    "       route set chat --add-rule big --provider kimi --when 'tokens>=100000,tools'\n"
    "\n"
    "route explain reads a request body from FILE (- for standard input) and shows the\n"
    "providers that would be tried, in order, and why each is chosen or skipped. The client\n"
    "protocol is guessed from the body unless --client is given; --model is Gemini's model\n"
    "(it travels in the URL).\n";

std::vector<FlagSpec> RouteFlags() {
  return {
      {"client", "chat|claude|codex|gemini", "client protocol"},
      {"mode", "failover|manual", "how the chain is used"},
      {"chain", "P1,P2", "providers, first tried first"},
      {"default", "", "make it the default of its client protocol"},
      {"midstream-failover", "on|off", "continue a cut stream on the next provider"},
      {"add-rule", "RULE", "add a rule"},
      {"remove-rule", "NAME", "remove a rule"},
      {"provider", "NAME", "the rule's provider"},
      {"scene", "SCENE", "the rule's scene"},
      {"when", "CONDITIONS", "the rule's conditions"},
      {"model", "MODEL", "the rule's model; explain: the Gemini model"},
      {"route", "NAME", "explain: the profile (default: the protocol's default)"},
      {"json", "", "JSON output"},
  };
}

struct ClientName {
  const char* name;
  admin::v1::ClientProtocol proto;
  const char* label;
};

constexpr ClientName kClients[] = {
    {"chat", admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT, "Chat Completions"},
    {"claude", admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES, "Anthropic Messages"},
    {"codex", admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES, "OpenAI Responses"},
    {"gemini", admin::v1::CLIENT_PROTOCOL_GEMINI, "Gemini"},
};

absl::StatusOr<admin::v1::ClientProtocol> ParseClient(const std::string& v) {
  for (const auto& c : kClients) {
    if (v == c.name) return c.proto;
  }
  return absl::InvalidArgumentError("--client is chat, claude, codex or gemini, got '" + v + "'");
}

const ClientName& Client(admin::v1::ClientProtocol p) {
  for (const auto& c : kClients) {
    if (c.proto == p) return c;
  }
  return kClients[0];
}

std::string ModeName(admin::v1::RouteMode m) {
  return m == admin::v1::ROUTE_MODE_MANUAL ? "manual" : "failover";
}

// Comma-separated items, trimmed, empty ones dropped.
std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string item(StripSpace(std::string_view(list).substr(start, comma - start)));
    if (!item.empty()) out.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string JoinList(const google::protobuf::RepeatedPtrField<std::string>& items,
                     const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// --when: tokens>=N, images, tools, tools>=N, thinking, system~WORD, model~WORD.
absl::Status ParseWhen(const std::string& text, admin::v1::RouteCondition* w) {
  for (const auto& item : SplitList(text)) {
    int64_t n = 0;
    if (item == "images") {
      w->set_has_images(true);
    } else if (item == "tools") {
      w->set_has_tools(true);
    } else if (item == "thinking") {
      w->set_thinking(true);
    } else if (StartsWith(item, "tokens>=")) {
      if (!ParseInt(item.substr(8), &n) || n <= 0) {
        return absl::InvalidArgumentError("tokens>= needs a positive number, got '" + item + "'");
      }
      w->set_min_input_tokens(n);
    } else if (StartsWith(item, "tools>=")) {
      if (!ParseInt(item.substr(7), &n) || n <= 0 || n > 100000) {
        return absl::InvalidArgumentError("tools>= needs a positive number, got '" + item + "'");
      }
      w->set_min_tools(static_cast<int32_t>(n));
    } else if (StartsWith(item, "system~") && item.size() > 7) {
      w->add_system_keywords(item.substr(7));
    } else if (StartsWith(item, "model~") && item.size() > 6) {
      w->add_model_keywords(item.substr(6));
    } else {
      return absl::InvalidArgumentError(
          "unknown condition '" + item +
          "' in --when; known: tokens>=N, images, tools, tools>=N, thinking, system~WORD, "
          "model~WORD");
    }
  }
  return absl::OkStatus();
}

// The --when form of a condition ("" when nothing is set).
std::string FormatWhen(const admin::v1::RouteCondition& w) {
  std::vector<std::string> parts;
  if (w.min_input_tokens() > 0) parts.push_back("tokens>=" + std::to_string(w.min_input_tokens()));
  if (w.has_images()) parts.push_back("images");
  if (w.has_tools()) parts.push_back("tools");
  if (w.min_tools() > 0) parts.push_back("tools>=" + std::to_string(w.min_tools()));
  if (w.thinking()) parts.push_back("thinking");
  for (const auto& k : w.system_keywords()) parts.push_back("system~" + k);
  for (const auto& k : w.model_keywords()) parts.push_back("model~" + k);
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

// "image + tools -> openai (model gpt-4.1)".
std::string RuleText(const admin::v1::RouteRule& r) {
  std::string when = r.scene();
  std::string own = FormatWhen(r.when());
  if (!own.empty()) when += (when.empty() ? "" : " + ") + own;
  std::string out = when + " -> " + r.provider();
  if (!r.model().empty()) out += " (model " + r.model() + ")";
  if (r.disabled()) out += " [disabled]";
  return out;
}

// One --add-rule value, with --provider/--scene/--model/--when when given.
absl::StatusOr<admin::v1::RouteRule> ParseRule(const std::string& spec, const Flags& f) {
  admin::v1::RouteRule rule;
  bool by_flags = f.Has("provider") || f.Has("scene") || f.Has("model");
  if (spec.find(':') != std::string::npos) {
    if (by_flags) {
      return absl::InvalidArgumentError(
          "give the rule's scene, provider and model either as NAME:SCENE:PROVIDER[:MODEL] or "
          "with --scene, --provider and --model, not both");
    }
    // NAME:SCENE:PROVIDER[:MODEL]; the model may have colons of its own (qwen2.5:7b).
    size_t a = spec.find(':');
    size_t b = spec.find(':', a + 1);
    if (b == std::string::npos) {
      return absl::InvalidArgumentError("--add-rule takes NAME:SCENE:PROVIDER[:MODEL], got '" +
                                        spec + "'");
    }
    size_t c = spec.find(':', b + 1);
    rule.set_name(spec.substr(0, a));
    rule.set_scene(spec.substr(a + 1, b - a - 1));
    rule.set_provider(spec.substr(b + 1, c == std::string::npos ? std::string::npos : c - b - 1));
    if (c != std::string::npos) rule.set_model(spec.substr(c + 1));
  } else {
    if (!f.Has("provider")) {
      return absl::InvalidArgumentError("--add-rule " + spec +
                                        " needs --provider P (or NAME:SCENE:PROVIDER[:MODEL])");
    }
    rule.set_name(spec);
    rule.set_provider(f.Get("provider"));
    rule.set_scene(f.Get("scene"));
    rule.set_model(f.Get("model"));
  }
  if (f.Has("when")) {
    if (auto st = ParseWhen(f.Get("when"), rule.mutable_when()); !st.ok()) return st;
  }
  return rule;
}

// Applies --mode, --chain, --default, --midstream-failover, --remove-rule and --add-rule to a
// profile. Sets *changed when any was given.
absl::Status ApplyRouteFlags(const Flags& f, admin::v1::RouteProfile* r, bool* changed) {
  if (f.Has("mode")) {
    std::string m = f.Get("mode");
    if (m == "failover") {
      r->set_mode(admin::v1::ROUTE_MODE_FAILOVER);
    } else if (m == "manual") {
      r->set_mode(admin::v1::ROUTE_MODE_MANUAL);
    } else {
      return absl::InvalidArgumentError("--mode is failover or manual, got '" + m + "'");
    }
    *changed = true;
  }
  if (f.Has("client")) {
    auto c = ParseClient(f.Get("client"));
    if (!c.ok()) return c.status();
    r->set_client_protocol(*c);
    *changed = true;
  }
  if (f.Has("chain")) {
    r->clear_chain();
    for (auto& p : SplitList(f.Get("chain"))) r->add_chain(std::move(p));
    *changed = true;
  }
  if (f.Has("default")) {
    r->set_is_default(true);
    *changed = true;
  }
  if (f.Has("midstream-failover")) {
    std::string v = f.Get("midstream-failover");
    if (v != "on" && v != "off") {
      return absl::InvalidArgumentError("--midstream-failover is on or off, got '" + v + "'");
    }
    r->set_midstream_failover(v == "on");
    *changed = true;
  }
  for (const auto& name : f.GetAll("remove-rule")) {
    auto* rules = r->mutable_rules();
    auto it = std::find_if(rules->begin(), rules->end(),
                           [&](const admin::v1::RouteRule& rule) { return rule.name() == name; });
    if (it == rules->end()) {
      return absl::NotFoundError("route profile '" + r->name() + "' has no rule named '" + name +
                                 "'");
    }
    rules->erase(it);
    *changed = true;
  }
  std::vector<std::string> adds = f.GetAll("add-rule");
  bool rule_flags = f.Has("provider") || f.Has("scene") || f.Has("model") || f.Has("when");
  if (rule_flags && adds.size() != 1) {
    return absl::InvalidArgumentError(
        "--provider, --scene, --model and --when go with exactly one --add-rule");
  }
  for (const auto& spec : adds) {
    auto rule = ParseRule(spec, f);
    if (!rule.ok()) return rule.status();
    *r->add_rules() = *std::move(rule);
    *changed = true;
  }
  return absl::OkStatus();
}

void PrintRoute(const admin::v1::RouteProfile& r) {
  const ClientName& c = Client(r.client_protocol());
  std::printf("name:     %s\n", r.name().c_str());
  std::printf("client:   %s (%s)\n", c.name, c.label);
  std::printf("default:  %s\n", r.is_default() ? "yes" : "no");
  std::printf("mode:     %s\n", ModeName(r.mode()).c_str());
  std::printf("midstream: %s\n",
              r.midstream_failover() ? "on (a cut stream continues on the next provider)" : "off");
  std::printf("chain:    %s\n", r.chain().empty() ? "(empty)" : JoinList(r.chain(), " > ").c_str());
  if (r.rules().empty()) {
    std::printf("rules:    (none)\n");
  } else {
    std::printf("rules:    (the first that matches wins)\n");
    std::vector<std::vector<std::string>> rows;
    for (const auto& rule : r.rules()) rows.push_back({"  " + rule.name(), RuleText(rule)});
    PrintTable(rows);
  }
  if (r.updated_at_ms() > 0) std::printf("updated:  %s\n", FormatTime(r.updated_at_ms()).c_str());
}

// The client protocol of a request body, by its shape: contents (Gemini), input (Responses),
// messages with system or max_tokens (Messages), else Chat Completions.
admin::v1::ClientProtocol GuessClient(const std::string& body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT;
  const auto& o = v.get_object();
  if (o.contains("contents")) return admin::v1::CLIENT_PROTOCOL_GEMINI;
  if (o.contains("input")) return admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES;
  if (o.contains("messages") && (o.contains("system") || o.contains("max_tokens"))) {
    return admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES;
  }
  return admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT;
}

int Explain(AdminClient& client, const Flags& f) {
  if (f.positional().size() < 2) {
    return Fail("route explain needs a FILE with a request body (- for standard input)");
  }
  std::string file = f.positional()[1];
  std::string body;
  if (file == "-") {
    body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    auto read = ReadFile(file);
    if (!read.ok()) return Fail("cannot read " + file + ": " + Message(read.status()));
    body = *std::move(read);
  }
  admin::v1::ExplainRouteRequest req;
  bool guessed = !f.Has("client");
  if (guessed) {
    req.set_client_protocol(GuessClient(body));
  } else {
    auto c = ParseClient(f.Get("client"));
    if (!c.ok()) return Fail(Message(c.status()));
    req.set_client_protocol(*c);
  }
  req.set_body(body);
  req.set_route(f.Get("route"));
  req.set_model(f.Get("model"));
  admin::v1::RouteExplanation resp;
  if (!Call(client, &Stub::ExplainRoute, req, &resp)) return 1;
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(resp).c_str());
    return 0;
  }
  const ClientName& c = Client(req.client_protocol());
  std::printf("client:   %s (%s)%s\n", c.name, c.label,
              guessed ? ", guessed from the body (--client to choose)" : "");
  std::printf("profile:  %s (%s)\n", resp.profile().empty() ? "(none)" : resp.profile().c_str(),
              ModeName(resp.mode()).c_str());
  std::printf("rule:     %s\n", resp.rule().empty() ? "(none matched)" : resp.rule().c_str());
  const auto& t = resp.traits();
  std::string traits = "model " + (t.model().empty() ? std::string("(none)") : t.model()) + ", ~" +
                       std::to_string(t.estimated_input_tokens()) + " input tokens";
  if (t.has_images()) traits += ", images";
  if (t.tools() > 0) traits += ", " + std::to_string(t.tools()) + " tools";
  if (t.thinking()) traits += ", thinking";
  std::printf("request:  %s\n", traits.c_str());
  std::vector<std::vector<std::string>> rows = {{"#", "", "PROVIDER", "MODEL", "VIA", "REASON"}};
  int n = 0;
  for (const auto& s : resp.steps()) {
    rows.push_back({s.chosen() ? std::to_string(++n) : "", s.chosen() ? "✓" : "✗", s.provider(),
                    s.model().empty() ? "-" : s.model(), s.via().empty() ? "-" : s.via(),
                    s.reason()});
  }
  PrintTable(rows);
  if (n == 0) std::printf("no provider can take this request\n");
  return 0;
}

}  // namespace

int CmdRoute(const std::string& home, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") return Usage(kRouteUsage);
  std::string sub = args[0];
  Flags f(RouteFlags());
  // The subcommand stays in positional()[0], so FILE/NAME is positional()[1].
  if (auto st = f.Parse(args); !st.ok()) return Fail(Message(st));
  AdminClient client(home);
  if (sub == "list") {
    admin::v1::ListRoutesResponse resp;
    if (!Call(client, &Stub::ListRoutes, admin::v1::ListRoutesRequest(), &resp)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
      return 0;
    }
    std::vector<std::vector<std::string>> rows = {
        {"NAME", "CLIENT", "DEFAULT", "MODE", "CHAIN", "RULES"}};
    for (const auto& r : resp.routes()) {
      rows.push_back({r.name(), Client(r.client_protocol()).name, r.is_default() ? "yes" : "-",
                      ModeName(r.mode()), r.chain().empty() ? "-" : JoinList(r.chain(), " > "),
                      std::to_string(r.rules_size())});
    }
    PrintTable(rows);
    return 0;
  }
  if (sub == "explain") return Explain(client, f);
  if (sub != "show" && sub != "add" && sub != "set" && sub != "remove" && sub != "rm" &&
      sub != "delete") {
    return Usage("agentgatectl: unknown route command '" + sub + "'\n" + kRouteUsage);
  }
  if (f.positional().size() < 2) return Fail("route " + sub + " needs a profile NAME");
  std::string name = f.positional()[1];
  if (sub == "show") {
    admin::v1::GetRouteRequest req;
    req.set_name(name);
    admin::v1::RouteProfile resp;
    if (!Call(client, &Stub::GetRoute, req, &resp)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
    } else {
      PrintRoute(resp);
    }
    return 0;
  }
  if (sub == "remove" || sub == "rm" || sub == "delete") {
    admin::v1::DeleteRouteRequest req;
    req.set_name(name);
    admin::v1::DeleteRouteResponse resp;
    if (!Call(client, &Stub::DeleteRoute, req, &resp)) return 1;
    std::printf("removed route profile %s\n", name.c_str());
    return 0;
  }
  admin::v1::RouteProfile r;
  bool changed = false;
  if (sub == "add") {
    if (!f.Has("client")) return Fail("route add needs --client chat|claude|codex|gemini");
    r.set_name(name);
    if (!f.Has("chain")) {
      // Every provider, in priority order, like the default profiles.
      admin::v1::ListProvidersResponse providers;
      if (!Call(client, &Stub::ListProviders, admin::v1::ListProvidersRequest(), &providers)) {
        return 1;
      }
      for (const auto& p : providers.providers()) r.add_chain(p.name());
    }
  } else {
    admin::v1::GetRouteRequest req;
    req.set_name(name);
    if (!Call(client, &Stub::GetRoute, req, &r)) return 1;
  }
  if (f.Has("remove-rule") && sub == "add") return Fail("--remove-rule goes with route set");
  if (auto st = ApplyRouteFlags(f, &r, &changed); !st.ok()) return Fail(Message(st));
  if (sub == "set" && !changed) {
    return Fail(
        "route set needs something to change: --mode, --chain, --default, --client, --add-rule "
        "or --remove-rule");
  }
  admin::v1::RouteProfile resp;
  if (!Call(client, sub == "add" ? &Stub::CreateRoute : &Stub::UpdateRoute, r, &resp)) return 1;
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(resp).c_str());
  } else {
    std::printf("%s route profile %s\n", sub == "add" ? "added" : "updated", resp.name().c_str());
    PrintRoute(resp);
  }
  return 0;
}

int CmdToken(const std::string& home, const std::vector<std::string>& args) {
  Flags f(
      {{"rotate", "", "replace the token"},
       {"admin", "", "print the admin credential instead (for AGENTGATE_ADMIN_TOKEN elsewhere)"},
       {"json", "", "JSON output"}});
  if (auto st = f.Parse(args); !st.ok()) return Fail(Message(st));
  if (f.Has("admin")) {
    // Read from its file on the router's machine: the admin API never hands it out.
    if (f.Has("rotate")) {
      return Fail("the admin credential is replaced by removing " + home +
                  "/admin.token and restarting the router");
    }
    auto token = ReadFile(home + "/admin.token");
    if (!token.ok()) {
      return Fail("no admin credential at " + home +
                  "/admin.token: it is on the router's machine (the router makes it on its first "
                  "start)");
    }
    std::printf("%s\n", std::string(StripSpace(*token)).c_str());
    std::fprintf(stderr,
                 "this key administers the whole gateway (its keys, its providers): give it to "
                 "no client\n");
    return 0;
  }
  AdminClient client(home);
  admin::v1::TokenInfo resp;
  auto ctx = client.Context();
  grpc::Status st =
      f.Has("rotate") ? client.stub().RotateToken(ctx.get(), admin::v1::RotateTokenRequest(), &resp)
                      : client.stub().GetToken(ctx.get(), admin::v1::GetTokenRequest(), &resp);
  if (!st.ok()) {
    // Without a running router the token can still be read from its file.
    if (!f.Has("rotate") && st.error_code() == grpc::StatusCode::UNAVAILABLE) {
      auto token = ReadFile(home + "/token");
      if (token.ok()) {
        std::printf("%s\n", std::string(StripSpace(*token)).c_str());
        return 0;
      }
    }
    return Fail(client.Explain(st));
  }
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(resp).c_str());
  } else {
    std::printf("%s\n", resp.token().c_str());
    if (f.Has("rotate")) {
      std::fprintf(stderr,
                   "the old token no longer works; clients configured with it need the new one\n");
    }
  }
  return 0;
}

int CmdLogs(const std::string& home, const std::vector<std::string>& args) {
  Flags f({{"tail", "N", "newest N requests (default 20)"},
           {"provider", "NAME", "only this provider"},
           {"status", "CODE", "only this HTTP status"},
           {"errors", "", "only failed requests"},
           {"json", "", "JSON output"}});
  if (auto st = f.Parse(args); !st.ok()) return Fail(Message(st));
  admin::v1::ListRequestLogsRequest req;
  int64_t n = 20;
  if (f.Has("tail") && (!ParseInt(f.Get("tail"), &n) || n <= 0)) {
    return Fail("--tail needs a positive number");
  }
  req.set_limit(static_cast<int32_t>(std::min<int64_t>(n, 1000)));
  req.set_provider(f.Get("provider"));
  if (f.Has("status")) {
    if (!ParseInt(f.Get("status"), &n)) return Fail("--status needs a number");
    req.set_status(static_cast<int32_t>(n));
  }
  req.set_errors_only(f.Has("errors"));
  AdminClient client(home);
  admin::v1::ListRequestLogsResponse resp;
  if (!Call(client, &Stub::ListRequestLogs, req, &resp)) return 1;
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(resp).c_str());
    return 0;
  }
  if (resp.logs().empty()) {
    std::printf("no requests recorded yet\n");
    return 0;
  }
  // The failover path gets a column only when some request took more than one attempt.
  bool any_tried = false;
  for (const auto& l : resp.logs()) any_tried = any_tried || l.tried_size() > 1;
  std::vector<std::string> header = {"TIME",    "STATUS", "PROVIDER",      "MODEL", "STREAM",
                                     "LATENCY", "TTFB",   "TOKENS IN/OUT", "ERROR"};
  if (any_tried) header.insert(header.end() - 1, "TRIED");
  std::vector<std::vector<std::string>> rows = {header};
  // Oldest first, like a log.
  for (auto it = resp.logs().rbegin(); it != resp.logs().rend(); ++it) {
    const auto& l = *it;
    std::string model = l.model_requested();
    if (!l.model_sent().empty() && l.model_sent() != l.model_requested()) {
      model += " -> " + l.model_sent();
    }
    std::vector<std::string> row = {
        FormatTime(l.started_at_ms()),
        std::to_string(l.status()),
        LogProvider(l),
        model.empty() ? "-" : model,
        l.stream() ? "yes" : "no",
        FormatDuration(l.latency_ms()),
        FormatDuration(l.ttfb_ms()),
        std::to_string(l.input_tokens()) + "/" + std::to_string(l.output_tokens()),
        l.error().empty() ? "-" : l.error()};
    if (any_tried) {
      std::string tried = FormatTried(l);
      row.insert(row.end() - 1, tried.empty() ? "-" : tried);
    }
    rows.push_back(std::move(row));
  }
  PrintTable(rows);
  return 0;
}

int CmdStatus(const std::string& home, const std::vector<std::string>& args) {
  Flags f({{"json", "", "JSON output"}});
  if (auto st = f.Parse(args); !st.ok()) return Fail(Message(st));
  AdminClient client(home);
  admin::v1::StackStatus resp;
  auto ctx = client.Context(std::chrono::seconds(10));
  grpc::Status st =
      client.stub().GetStackStatus(ctx.get(), admin::v1::GetStackStatusRequest(), &resp);
  if (!st.ok()) return Fail(client.Explain(st));
  if (f.Has("json")) {
    std::printf("%s\n", ToJson(resp).c_str());
  } else {
    std::vector<std::vector<std::string>> rows = {
        {"SERVICE", "HEALTH", "ADDRESS", "PID", "VERSION", "UPTIME", "CONFIG", "DETAIL"}};
    for (const auto& s : resp.services()) {
      std::string health = s.health() == admin::v1::HEALTH_SERVING       ? "serving"
                           : s.health() == admin::v1::HEALTH_NOT_SERVING ? "not serving"
                                                                         : "unreachable";
      bool up = s.health() == admin::v1::HEALTH_SERVING;
      rows.push_back({s.info().name(), health,
                      s.info().address().empty() ? "-" : s.info().address(),
                      up ? std::to_string(s.info().pid()) : "-", up ? s.info().version() : "-",
                      up ? FormatDuration(s.uptime_ms()) : "-",
                      (s.info().name() == "edge" || s.info().name() == "router") && up
                          ? "v" + std::to_string(s.info().config_version())
                          : "-",
                      s.detail().empty() ? "-" : s.detail()});
    }
    PrintTable(rows);
  }
  bool all_up = true;
  for (const auto& s : resp.services()) all_up = all_up && s.health() == admin::v1::HEALTH_SERVING;
  return all_up ? 0 : 3;
}

}  // namespace agentgate::ctl
