#include "services/ctl/commands.h"

#include <google/protobuf/util/json_util.h>

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>

#include "services/common/files.h"
#include "services/common/flags.h"
#include "services/common/grpc_util.h"
#include "services/common/strings.h"
#include "services/ctl/admin_client.h"
#include "services/ctl/stack_file.h"
#include "services/routing/presets.h"

namespace agentgate::ctl {
namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "agentgatectl: %s\n", message.c_str());
  return 1;
}

int Usage(const std::string& text) {
  std::fprintf(stderr, "%s", text.c_str());
  return 2;
}

std::string ToJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  o.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(m, &out, o);
  return out;
}

std::string ProtocolName(admin::v1::ProviderProtocol p) {
  switch (p) {
    case admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT:
      return "openai_chat";
    case admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES:
      return "anthropic";
    case admin::v1::PROVIDER_PROTOCOL_GEMINI:
      return "gemini";
    default:
      return "-";
  }
}

// Prints rows as aligned columns.
void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

std::string FormatTime(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string FormatDuration(int64_t ms) {
  if (ms < 0) return "-";
  if (ms < 1000) return std::to_string(ms) + "ms";
  if (ms < 60000) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000);
    return buf;
  }
  int64_t s = ms / 1000;
  if (s < 3600) return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
  if (s < 86400) return std::to_string(s / 3600) + "h" + std::to_string((s % 3600) / 60) + "m";
  return std::to_string(s / 86400) + "d" + std::to_string((s % 86400) / 3600) + "h";
}

bool ParseInt(const std::string& s, int64_t* out) {
  try {
    size_t pos = 0;
    *out = std::stoll(s, &pos);
    return pos == s.size();
  } catch (...) {
    return false;
  }
}

using Stub = admin::v1::AdminService::Stub;

// Calls one admin RPC; on failure prints the one-line error and returns false.
template <typename Req, typename Resp>
bool Call(AdminClient& client,
          grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*), const Req& req,
          Resp* resp) {
  auto ctx = client.Context();
  grpc::Status st = (client.stub().*method)(ctx.get(), req, resp);
  if (!st.ok()) {
    Fail(client.Explain(st));
    return false;
  }
  return true;
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
    "  agentgatectl provider add --type TYPE --key KEY [--name NAME] [--base-url URL]\n"
    "                            [--model MODEL] [--models M1,M2] [--map FROM=TO]...\n"
    "                            [--timeout-ms MS] [--priority N]\n"
    "                            [--anthropic-url URL] [--responses-url URL]\n"
    "  agentgatectl provider update NAME [--key KEY] [--base-url URL] [--model MODEL]\n"
    "                            [--models M1,M2] [--map FROM=TO]... [--timeout-ms MS]\n"
    "                            [--priority N] [--enable|--disable] [--rename NEW]\n"
    "  agentgatectl provider list [--json]\n"
    "  agentgatectl provider show NAME [--json]\n"
    "  agentgatectl provider remove NAME\n"
    "  agentgatectl provider types\n"
    "TYPE is one of the presets (see `provider types`) or auto (detect from the key prefix).\n";

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
      {"json", "", "JSON output"},
  };
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

void PrintProvider(const admin::v1::Provider& p) {
  std::printf("name:           %s\n", p.name().c_str());
  std::printf("type:           %s\n", p.type().c_str());
  std::printf("protocol:       %s\n", ProtocolName(p.protocol()).c_str());
  std::printf("base url:       %s\n", p.base_url().c_str());
  std::printf("key:            %s\n",
              p.api_key_masked().empty() ? "(none)" : p.api_key_masked().c_str());
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
  std::printf("enabled:        %s\n", p.enabled() ? "yes" : "no");
  std::printf("priority:       %d\n", p.priority());
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
    std::string key = f.Get("key");
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
    req.set_api_key(key);
    admin::v1::Provider resp;
    if (!Call(client, &Stub::CreateProvider, req, &resp)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
    } else {
      std::printf("added provider %s (%s, %s, key %s)\n", resp.name().c_str(), resp.type().c_str(),
                  resp.base_url().c_str(),
                  resp.api_key_masked().empty() ? "none" : resp.api_key_masked().c_str());
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
        {"NAME", "TYPE", "PROTOCOL", "BASE URL", "MODEL", "KEY", "ENABLED"}};
    for (const auto& p : resp.providers()) {
      rows.push_back({p.name(), p.type(), ProtocolName(p.protocol()), p.base_url(),
                      p.default_model().empty() ? "-" : p.default_model(),
                      p.api_key_masked().empty() ? "-" : p.api_key_masked(),
                      p.enabled() ? "yes" : "no"});
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
    if (f.Has("key")) req.set_api_key(f.Get("key"));
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
    admin::v1::Provider resp;
    if (!Call(client, &Stub::UpdateProvider, req, &resp)) return 1;
    if (f.Has("json")) {
      std::printf("%s\n", ToJson(resp).c_str());
    } else {
      std::printf("updated provider %s\n", resp.name().c_str());
    }
    return 0;
  }
  return Usage(std::string("agentgatectl: unknown provider command '") + sub + "'\n" +
               kProviderUsage);
}

int CmdToken(const std::string& home, const std::vector<std::string>& args) {
  Flags f({{"rotate", "", "replace the token"}, {"json", "", "JSON output"}});
  if (auto st = f.Parse(args); !st.ok()) return Fail(Message(st));
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
  std::vector<std::vector<std::string>> rows = {{"TIME", "STATUS", "PROVIDER", "MODEL", "STREAM",
                                                 "LATENCY", "TTFB", "TOKENS IN/OUT", "ERROR"}};
  // Oldest first, like a log.
  for (auto it = resp.logs().rbegin(); it != resp.logs().rend(); ++it) {
    const auto& l = *it;
    std::string model = l.model_requested();
    if (!l.model_sent().empty() && l.model_sent() != l.model_requested()) {
      model += " -> " + l.model_sent();
    }
    rows.push_back({FormatTime(l.started_at_ms()), std::to_string(l.status()),
                    l.provider().empty() ? "-" : l.provider(), model.empty() ? "-" : model,
                    l.stream() ? "yes" : "no", FormatDuration(l.latency_ms()),
                    FormatDuration(l.ttfb_ms()),
                    std::to_string(l.input_tokens()) + "/" + std::to_string(l.output_tokens()),
                    l.error().empty() ? "-" : l.error()});
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
