#include "services/router/config_store.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <set>

#include "services/common/client_name.h"
#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/strings.h"
#include "services/common/token.h"
#include "services/routing/planner.h"
#include "services/routing/presets.h"
#include "services/routing/url.h"

namespace agentgate::router {
namespace {

using admin::v1::ClientProtocol;
using admin::v1::RouteProfile;
using admin::v1::RouteRule;

constexpr std::string_view kKeyPurpose = "provider-key";
// The keys after the first, as one sealed JSON array of strings.
constexpr std::string_view kMoreKeysPurpose = "provider-more-keys";
constexpr uint32_t kMaxTimeoutMs = 3600 * 1000;
constexpr size_t kMaxKeys = 64;
constexpr size_t kMaxHeaders = 32;
constexpr size_t kMaxRules = 100;

constexpr ClientProtocol kClientProtocols[] = {
    admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT, admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES,
    admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES, admin::v1::CLIENT_PROTOCOL_GEMINI};

const std::vector<std::string>& Migrations() {
  static const auto* kMigrations = new std::vector<std::string>{
      R"sql(
CREATE TABLE providers (
  name TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  protocol INTEGER NOT NULL,
  base_url TEXT NOT NULL,
  api_key BLOB,
  api_key_masked TEXT NOT NULL DEFAULT '',
  default_model TEXT NOT NULL DEFAULT '',
  models TEXT NOT NULL DEFAULT '[]',
  model_map TEXT NOT NULL DEFAULT '{}',
  timeout_ms INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1,
  priority INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES ('config_version', '1');
)sql",
      // 2: native Messages and Responses endpoints of OpenAI-compatible providers.
      R"sql(
ALTER TABLE providers ADD COLUMN anthropic_url TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN responses_url TEXT NOT NULL DEFAULT '';
)sql",
      // 3: capabilities, extra headers, key pools (key #0 stays in api_key, the others are one
      // sealed JSON array), and route profiles (the defaults are made by Open).
      R"sql(
ALTER TABLE providers ADD COLUMN reasoning_model TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN vision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE providers ADD COLUMN prompt_cache INTEGER NOT NULL DEFAULT 0;
ALTER TABLE providers ADD COLUMN extra_headers TEXT NOT NULL DEFAULT '{}';
ALTER TABLE providers ADD COLUMN more_api_keys BLOB;
ALTER TABLE providers ADD COLUMN more_api_keys_masked TEXT NOT NULL DEFAULT '[]';
CREATE TABLE routes (
  name TEXT PRIMARY KEY,
  client_protocol INTEGER NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  mode INTEGER NOT NULL DEFAULT 1,
  chain TEXT NOT NULL DEFAULT '[]',
  rules TEXT NOT NULL DEFAULT '[]',
  updated_at_ms INTEGER NOT NULL
);
)sql",
      // 4: the last connection test of each provider (a ProviderTestResult, serialized).
      R"sql(
ALTER TABLE providers ADD COLUMN last_test BLOB;
)sql",
      // 5: the user's model prices (a ModelPrice each, serialized), over the built-in table.
      R"sql(
CREATE TABLE prices (
  model TEXT PRIMARY KEY,
  price BLOB NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
)sql",
      // 6: mid-stream failover per route profile.
      R"sql(
ALTER TABLE routes ADD COLUMN midstream_failover INTEGER NOT NULL DEFAULT 0;
)sql",
      // 7: official ChatGPT accounts, the keys of a "chatgpt" provider (tokens sealed as one
      // JSON object; quota an AccountQuota, serialized).
      R"sql(
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  position INTEGER NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  plan TEXT NOT NULL DEFAULT '',
  tokens BLOB NOT NULL,
  access_expires_at_ms INTEGER NOT NULL DEFAULT 0,
  last_refresh TEXT NOT NULL DEFAULT '',
  refreshed_at_ms INTEGER NOT NULL DEFAULT 0,
  relogin TEXT NOT NULL DEFAULT '',
  quota BLOB,
  cooling_until_ms INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
)sql",
      // 8: MCP servers (the whole McpServer sealed: env and headers hold tokens) and Skills
      // (the whole Skill, files included, serialized).
      R"sql(
CREATE TABLE mcp_servers (
  name TEXT PRIMARY KEY,
  server BLOB NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE skills (
  name TEXT PRIMARY KEY,
  skill BLOB NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
)sql",
  };
  return *kMigrations;
}

admin::v1::ProviderProtocol ToProto(routing::Protocol p) {
  switch (p) {
    case routing::Protocol::kAnthropicMessages:
      return admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES;
    case routing::Protocol::kGemini:
      return admin::v1::PROVIDER_PROTOCOL_GEMINI;
    case routing::Protocol::kOpenAiResponses:  // official ChatGPT accounts only
      return admin::v1::PROVIDER_PROTOCOL_OPENAI_RESPONSES;
    case routing::Protocol::kOpenAiChat:
      break;
  }
  return admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT;
}

// For messages: "Chat Completions clients".
std::string ClientLabel(ClientProtocol p) {
  switch (p) {
    case admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES:
      return "Anthropic Messages (claude)";
    case admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES:
      return "OpenAI Responses (codex)";
    case admin::v1::CLIENT_PROTOCOL_GEMINI:
      return "Gemini (gemini)";
    default:
      return "Chat Completions (chat)";
  }
}

std::string StringsToJson(const google::protobuf::RepeatedPtrField<std::string>& list) {
  boost::json::array a;
  for (const auto& m : list) a.emplace_back(m);
  return boost::json::serialize(a);
}

std::string StringsToJson(const std::vector<std::string>& list) {
  boost::json::array a;
  for (const auto& m : list) a.emplace_back(m);
  return boost::json::serialize(a);
}

std::string MapToJson(const google::protobuf::Map<std::string, std::string>& map) {
  boost::json::object o;
  for (const auto& [k, v] : map) o[k] = v;
  return boost::json::serialize(o);
}

void StringsFromJson(const std::string& text,
                     google::protobuf::RepeatedPtrField<std::string>* out) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return;
  for (const auto& m : v.get_array()) {
    if (m.is_string()) out->Add(std::string(m.get_string()));
  }
}

void MapFromJson(const std::string& text, google::protobuf::Map<std::string, std::string>* out) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return;
  for (const auto& [k, val] : v.get_object()) {
    if (val.is_string()) (*out)[std::string(k)] = std::string(val.get_string());
  }
}

// Rules are stored as a JSON array of RouteRule in protobuf's JSON form (field names as in the
// proto), so new fields need no migration.
std::string RulesToJson(const google::protobuf::RepeatedPtrField<RouteRule>& rules) {
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  std::string out = "[";
  for (const auto& r : rules) {
    std::string one;
    (void)google::protobuf::util::MessageToJsonString(r, &one, o);
    out += (out.size() > 1 ? "," : "") + one;
  }
  return out + "]";
}

void RulesFromJson(const std::string& text, google::protobuf::RepeatedPtrField<RouteRule>* out) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return;
  google::protobuf::util::JsonParseOptions o;
  o.ignore_unknown_fields = true;
  for (const auto& r : v.get_array()) {
    RouteRule rule;
    if (google::protobuf::util::JsonStringToMessage(boost::json::serialize(r), &rule, o).ok()) {
      *out->Add() = std::move(rule);
    }
  }
}

absl::Status ValidateModels(const admin::v1::Provider& p) {
  for (const auto& m : p.models()) {
    if (m.empty() || m.size() > 256) return absl::InvalidArgumentError("empty or overlong model");
  }
  for (const auto& [from, to] : p.model_map()) {
    if (from.empty() || to.empty()) {
      return absl::InvalidArgumentError("model mappings need both sides: FROM=TO");
    }
  }
  if (p.timeout_ms() > kMaxTimeoutMs) {
    return absl::InvalidArgumentError("timeout_ms is at most 3600000 (one hour)");
  }
  return absl::OkStatus();
}

absl::Status ValidateEndpoints(const admin::v1::Provider& p) {
  for (const std::string* u : {&p.anthropic_url(), &p.responses_url()}) {
    if (u->empty()) continue;
    if (auto url = routing::ParseUrl(*u); !url.ok()) return url.status();
  }
  return absl::OkStatus();
}

// RFC 9110 token characters, for header names.
bool IsHeaderName(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  for (char c : s) {
    if (IsAsciiAlnum(c)) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool HasControlChar(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return true;
  }
  return false;
}

// Extra headers go to the provider with every request; the ones the gateway sets itself (the
// key, framing, the host) cannot be overridden this way.
absl::Status ValidateHeaders(const google::protobuf::Map<std::string, std::string>& headers) {
  if (headers.size() > kMaxHeaders) {
    return absl::InvalidArgumentError("at most " + std::to_string(kMaxHeaders) + " extra headers");
  }
  for (const auto& [name, value] : headers) {
    if (!IsHeaderName(name)) {
      return absl::InvalidArgumentError("'" + name + "' is not a valid HTTP header name");
    }
    for (const char* reserved : {"host", "content-length", "transfer-encoding", "connection",
                                 "authorization", "x-api-key", "x-goog-api-key"}) {
      if (EqualsIgnoreCase(name, reserved)) {
        return absl::InvalidArgumentError(
            "header '" + name +
            "' cannot be set as an extra header: the gateway sets it itself (keys go in --key)");
      }
    }
    if (HasControlChar(value) || value.size() > 8192) {
      return absl::InvalidArgumentError("the value of header '" + name +
                                        "' has a line break or control character, or is too long");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateExtras(const admin::v1::Provider& p) {
  if (p.reasoning_model().size() > 256) {
    return absl::InvalidArgumentError("reasoning_model is too long");
  }
  if (!admin::v1::Capability_IsValid(p.vision()) ||
      !admin::v1::Capability_IsValid(p.prompt_cache())) {
    return absl::InvalidArgumentError(
        "vision and prompt_cache are CAPABILITY_UNKNOWN, _YES or _NO");
  }
  return ValidateHeaders(p.extra_headers());
}

absl::Status ValidateKeys(const std::vector<std::string>& keys) {
  if (keys.size() > kMaxKeys) {
    return absl::InvalidArgumentError("at most " + std::to_string(kMaxKeys) + " API keys");
  }
  std::set<std::string_view> seen;
  for (const auto& k : keys) {
    if (k.empty()) return absl::InvalidArgumentError("an API key cannot be empty");
    if (HasControlChar(k)) {
      return absl::InvalidArgumentError(
          "an API key cannot contain line breaks or control characters");
    }
    if (!seen.insert(k).second) {
      return absl::InvalidArgumentError("the same API key is given twice (key " + MaskSecret(k) +
                                        ")");
    }
  }
  return absl::OkStatus();
}

std::string NameRule(const std::string& what) {
  return what + " must be 1-64 characters of A-Z a-z 0-9 . _ -";
}

bool HasCondition(const admin::v1::RouteCondition& c) {
  return c.min_input_tokens() > 0 || c.has_images() || c.has_tools() || c.min_tools() > 0 ||
         !c.system_keywords().empty() || c.thinking() || !c.model_keywords().empty();
}

constexpr char kSelect[] =
    "SELECT name, type, protocol, base_url, api_key_masked, default_model, models, model_map, "
    "timeout_ms, enabled, priority, created_at_ms, updated_at_ms, api_key, anthropic_url, "
    "responses_url, reasoning_model, vision, prompt_cache, extra_headers, more_api_keys_masked, "
    "more_api_keys, last_test FROM providers ";

admin::v1::Provider RowToProvider(const store::Statement& s) {
  admin::v1::Provider p;
  p.set_name(s.ColumnText(0));
  p.set_type(s.ColumnText(1));
  p.set_protocol(static_cast<admin::v1::ProviderProtocol>(s.ColumnInt(2)));
  p.set_base_url(s.ColumnText(3));
  p.set_api_key_masked(s.ColumnText(4));
  p.set_default_model(s.ColumnText(5));
  StringsFromJson(s.ColumnText(6), p.mutable_models());
  MapFromJson(s.ColumnText(7), p.mutable_model_map());
  p.set_timeout_ms(static_cast<uint32_t>(s.ColumnInt(8)));
  p.set_enabled(s.ColumnInt(9) != 0);
  p.set_priority(static_cast<int32_t>(s.ColumnInt(10)));
  p.set_created_at_ms(s.ColumnInt(11));
  p.set_updated_at_ms(s.ColumnInt(12));
  p.set_anthropic_url(s.ColumnText(14));
  p.set_responses_url(s.ColumnText(15));
  p.set_reasoning_model(s.ColumnText(16));
  p.set_vision(static_cast<admin::v1::Capability>(s.ColumnInt(17)));
  p.set_prompt_cache(static_cast<admin::v1::Capability>(s.ColumnInt(18)));
  MapFromJson(s.ColumnText(19), p.mutable_extra_headers());
  if (!p.api_key_masked().empty()) p.add_api_keys_masked(p.api_key_masked());
  StringsFromJson(s.ColumnText(20), p.mutable_api_keys_masked());
  if (std::string test = s.ColumnBlob(22); !test.empty()) {
    (void)p.mutable_last_test()->ParseFromString(test);
  }
  return p;
}

// Every key of the row RowToProvider read, decrypted, #0 first.
absl::StatusOr<std::vector<std::string>> OpenKeys(const store::SecretBox& box,
                                                  const store::Statement& s,
                                                  const std::string& provider) {
  auto mismatch = [&] {
    return absl::FailedPreconditionError(
        "cannot decrypt the key of provider '" + provider +
        "': master.key does not match the one config.db was written with");
  };
  std::vector<std::string> keys;
  if (!s.ColumnIsNull(13)) {
    auto key = box.Open(s.ColumnBlob(13), kKeyPurpose);
    if (!key.ok()) return mismatch();
    keys.push_back(*std::move(key));
  }
  if (!s.ColumnIsNull(21)) {
    auto more = box.Open(s.ColumnBlob(21), kMoreKeysPurpose);
    if (!more.ok()) return mismatch();
    google::protobuf::RepeatedPtrField<std::string> list;
    StringsFromJson(*more, &list);
    keys.insert(keys.end(), list.begin(), list.end());
  }
  return keys;
}

RouteProfile RowToRoute(const store::Statement& s) {
  RouteProfile r;
  r.set_name(s.ColumnText(0));
  r.set_client_protocol(static_cast<ClientProtocol>(s.ColumnInt(1)));
  r.set_is_default(s.ColumnInt(2) != 0);
  r.set_mode(static_cast<admin::v1::RouteMode>(s.ColumnInt(3)));
  StringsFromJson(s.ColumnText(4), r.mutable_chain());
  RulesFromJson(s.ColumnText(5), r.mutable_rules());
  r.set_updated_at_ms(s.ColumnInt(6));
  r.set_midstream_failover(s.ColumnInt(7) != 0);
  return r;
}

constexpr char kSelectRoute[] =
    "SELECT name, client_protocol, is_default, mode, chain, rules, updated_at_ms, "
    "midstream_failover FROM routes ";

}  // namespace

std::string DefaultRouteName(ClientProtocol p) {
  // The chat profile also takes requests of no known protocol.
  return p == admin::v1::CLIENT_PROTOCOL_UNSPECIFIED ? "chat" : std::string(ClientShortName(p));
}

absl::StatusOr<std::unique_ptr<ConfigStore>> ConfigStore::Open(const std::string& path,
                                                               store::SecretBox box) {
  auto db = store::Database::Open(path);
  if (!db.ok()) return db.status();
  if (auto st = (*db)->Migrate(Migrations()); !st.ok()) return st;
  std::unique_ptr<ConfigStore> cs(new ConfigStore(*std::move(db), std::move(box)));
  auto stmt = cs->db_->Prepare("SELECT value FROM meta WHERE key = 'config_version'");
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  cs->version_ = *row ? std::stoull(stmt->ColumnText(0)) : 1;
  // A store from before route profiles (or one edited by hand) gets its default profiles now.
  absl::Status st;
  {
    std::lock_guard<std::mutex> lock(cs->mu_);
    st = store::InTransaction(*cs->db_, [&]() -> absl::Status {
      bool changed = false;
      if (auto s = cs->EnsureDefaultRoutesLocked(&changed); !s.ok()) return s;
      return changed ? cs->BumpLocked() : absl::OkStatus();
    });
  }
  if (!st.ok()) return st;
  return cs;
}

uint64_t ConfigStore::version() {
  std::lock_guard<std::mutex> lock(mu_);
  return version_;
}

absl::Status ConfigStore::BumpLocked() {
  auto stmt = db_->Prepare("UPDATE meta SET value = ?1 WHERE key = 'config_version'");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, std::to_string(version_ + 1));
  if (auto st = stmt->Run(); !st.ok()) return st;
  ++version_;
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> ConfigStore::BumpVersion() {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto st = BumpLocked(); !st.ok()) return st;
  return version_;
}

absl::Status ConfigStore::WriteKeysLocked(const std::string& provider,
                                          const std::vector<std::string>& keys) {
  auto stmt = db_->Prepare(
      "UPDATE providers SET api_key = ?1, api_key_masked = ?2, more_api_keys = ?3, "
      "more_api_keys_masked = ?4 WHERE name = ?5");
  if (!stmt.ok()) return stmt.status();
  if (keys.empty()) {
    stmt->BindNull(1).Bind(2, std::string());
  } else {
    stmt->BindBlob(1, box_.Seal(keys[0], kKeyPurpose)).Bind(2, MaskSecret(keys[0]));
  }
  std::vector<std::string> more, masked;
  for (size_t i = 1; i < keys.size(); ++i) {
    more.push_back(keys[i]);
    masked.push_back(MaskSecret(keys[i]));
  }
  if (more.empty()) {
    stmt->BindNull(3);
  } else {
    stmt->BindBlob(3, box_.Seal(StringsToJson(more), kMoreKeysPurpose));
  }
  stmt->Bind(4, StringsToJson(masked)).Bind(5, provider);
  return stmt->Run();
}

absl::StatusOr<std::vector<std::string>> ConfigStore::ReadKeysLocked(const std::string& provider) {
  auto stmt = db_->Prepare(std::string(kSelect) + "WHERE name = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, provider);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError("no provider named '" + provider + "'");
  return OpenKeys(box_, *stmt, provider);
}

absl::StatusOr<std::vector<std::string>> ConfigStore::ProviderNamesLocked() {
  auto stmt = db_->Prepare("SELECT name FROM providers ORDER BY priority, name");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::string> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(stmt->ColumnText(0));
  }
  return out;
}

absl::StatusOr<admin::v1::Provider> ConfigStore::CreateProvider(
    admin::v1::Provider p, const std::string& api_key,
    const std::vector<std::string>& more_api_keys) {
  const routing::ProviderPreset* preset = routing::FindPreset(p.type());
  if (preset == nullptr) {
    std::string types;
    for (const auto& pr : routing::AllPresets())
      types += (types.empty() ? "" : ", ") + std::string(pr.type);
    return absl::InvalidArgumentError("unknown provider type '" + p.type() + "'; known: " + types);
  }
  if (p.name().empty()) p.set_name(p.type());
  if (!routing::IsValidProviderName(p.name())) {
    return absl::InvalidArgumentError(NameRule("provider name '" + p.name() + "'"));
  }
  if (p.base_url().empty()) p.set_base_url(std::string(preset->base_url));
  if (p.base_url().empty()) {
    return absl::InvalidArgumentError("a base URL is required for type " + p.type() +
                                      " (--base-url http://host:port)");
  }
  auto url = routing::ParseUrl(p.base_url());
  if (!url.ok()) return url.status();
  if (p.protocol() == admin::v1::PROVIDER_PROTOCOL_UNSPECIFIED) {
    p.set_protocol(ToProto(preset->protocol));
  }
  if (p.default_model().empty()) p.set_default_model(std::string(preset->default_model));
  // A preset's extra endpoints apply only where the base URL is the preset's own.
  if (p.base_url() == preset->base_url) {
    if (p.anthropic_url().empty()) p.set_anthropic_url(std::string(preset->anthropic_url));
    if (p.responses_url().empty()) p.set_responses_url(std::string(preset->responses_url));
  }
  if (auto st = ValidateEndpoints(p); !st.ok()) return st;
  std::vector<std::string> keys;
  if (!api_key.empty()) keys.push_back(api_key);
  keys.insert(keys.end(), more_api_keys.begin(), more_api_keys.end());
  if (preset->subscription && !keys.empty()) {
    return absl::InvalidArgumentError("a " + p.type() +
                                      " provider's keys are its accounts: agentgatectl account "
                                      "import");
  }
  if (keys.empty() && preset->needs_key && !preset->subscription) {
    return absl::InvalidArgumentError("an API key is required for type " + p.type() + " (--key)");
  }
  if (auto st = ValidateKeys(keys); !st.ok()) return st;
  if (auto st = ValidateModels(p); !st.ok()) return st;
  if (auto st = ValidateExtras(p); !st.ok()) return st;

  std::lock_guard<std::mutex> lock(mu_);
  if (GetLocked(p.name()).ok()) {
    return absl::AlreadyExistsError("a provider named '" + p.name() + "' already exists");
  }
  int64_t now = NowMs();
  absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
    int64_t priority = p.priority();
    if (priority == 0) {
      auto max = db_->Prepare("SELECT COALESCE(MAX(priority), 0) FROM providers");
      if (!max.ok()) return max.status();
      if (auto r = max->Step(); !r.ok()) return r.status();
      priority = max->ColumnInt(0) + 10;
    }
    auto stmt = db_->Prepare(
        "INSERT INTO providers (name, type, protocol, base_url, default_model, models, model_map, "
        "timeout_ms, enabled, priority, created_at_ms, updated_at_ms, anthropic_url, "
        "responses_url, reasoning_model, vision, prompt_cache, extra_headers) VALUES (?1, ?2, ?3, "
        "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, p.name()).Bind(2, p.type()).Bind(3, static_cast<int64_t>(p.protocol()));
    stmt->Bind(4, p.base_url()).Bind(5, p.default_model()).Bind(6, StringsToJson(p.models()));
    stmt->Bind(7, MapToJson(p.model_map())).Bind(8, static_cast<int64_t>(p.timeout_ms()));
    stmt->Bind(9, static_cast<int64_t>(1)).Bind(10, priority).Bind(11, now);
    stmt->Bind(12, p.anthropic_url()).Bind(13, p.responses_url());
    stmt->Bind(14, p.reasoning_model()).Bind(15, static_cast<int64_t>(p.vision()));
    stmt->Bind(16, static_cast<int64_t>(p.prompt_cache()));
    stmt->Bind(17, MapToJson(p.extra_headers()));
    if (auto s = stmt->Run(); !s.ok()) return s;
    if (auto s = WriteKeysLocked(p.name(), keys); !s.ok()) return s;
    // Every profile routes to the new provider too, last.
    auto routes = ListRoutesLocked();
    if (!routes.ok()) return routes.status();
    for (auto& r : *routes) {
      r.add_chain(p.name());
      r.set_updated_at_ms(now);
      if (auto s = PutRouteLocked(r, false); !s.ok()) return s;
    }
    return BumpLocked();
  });
  if (!st.ok()) return st;
  return GetLocked(p.name());
}

absl::StatusOr<admin::v1::Provider> ConfigStore::GetLocked(const std::string& name) {
  auto stmt = db_->Prepare(std::string(kSelect) + "WHERE name = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError("no provider named '" + name + "'");
  return RowToProvider(*stmt);
}

absl::Status ConfigStore::SaveTestResult(const std::string& name,
                                         const admin::v1::ProviderTestResult& result) {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare("UPDATE providers SET last_test = ?2 WHERE name = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name).BindBlob(2, result.SerializeAsString());
  if (auto st = stmt->Run(); !st.ok()) return st;
  if (db_->Changes() == 0) return absl::NotFoundError("no provider named '" + name + "'");
  return absl::OkStatus();
}

absl::StatusOr<admin::v1::Provider> ConfigStore::GetProvider(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  return GetLocked(name);
}

absl::StatusOr<std::vector<admin::v1::Provider>> ConfigStore::ListProviders() {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare(std::string(kSelect) + "ORDER BY priority, name");
  if (!stmt.ok()) return stmt.status();
  std::vector<admin::v1::Provider> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(RowToProvider(*stmt));
  }
  return out;
}

absl::StatusOr<admin::v1::Provider> ConfigStore::UpdateProvider(
    const admin::v1::UpdateProviderRequest& req) {
  std::lock_guard<std::mutex> lock(mu_);
  auto current = GetLocked(req.name());
  if (!current.ok()) return current.status();
  admin::v1::Provider p = *current;
  if (req.has_base_url()) {
    auto url = routing::ParseUrl(req.base_url());
    if (!url.ok()) return url.status();
    p.set_base_url(req.base_url());
  }
  if (req.has_default_model()) p.set_default_model(req.default_model());
  if (req.has_timeout_ms()) p.set_timeout_ms(req.timeout_ms());
  if (req.has_enabled()) p.set_enabled(req.enabled());
  if (req.has_priority()) p.set_priority(req.priority());
  if (req.has_protocol() && req.protocol() != admin::v1::PROVIDER_PROTOCOL_UNSPECIFIED) {
    p.set_protocol(req.protocol());
  }
  if (req.has_anthropic_url()) p.set_anthropic_url(req.anthropic_url());
  if (req.has_responses_url()) p.set_responses_url(req.responses_url());
  if (auto st = ValidateEndpoints(p); !st.ok()) return st;
  if (req.replace_models()) *p.mutable_models() = req.models();
  if (req.replace_model_map()) *p.mutable_model_map() = req.model_map();
  if (req.has_reasoning_model()) p.set_reasoning_model(req.reasoning_model());
  if (req.has_vision()) p.set_vision(req.vision());
  if (req.has_prompt_cache()) p.set_prompt_cache(req.prompt_cache());
  if (req.replace_extra_headers()) *p.mutable_extra_headers() = req.extra_headers();
  std::string new_name = req.has_new_name() ? req.new_name() : p.name();
  if (!routing::IsValidProviderName(new_name)) {
    return absl::InvalidArgumentError(NameRule("provider name '" + new_name + "'"));
  }
  if (new_name != p.name() && GetLocked(new_name).ok()) {
    return absl::AlreadyExistsError("a provider named '" + new_name + "' already exists");
  }
  if (auto st = ValidateModels(p); !st.ok()) return st;
  if (auto st = ValidateExtras(p); !st.ok()) return st;
  if (req.has_api_key() && req.replace_api_keys()) {
    return absl::InvalidArgumentError(
        "api_key and replace_api_keys together: put every key in api_keys");
  }
  std::vector<std::string> new_keys(req.api_keys().begin(), req.api_keys().end());
  if (const routing::ProviderPreset* preset = routing::FindPreset(p.type());
      preset != nullptr && preset->subscription && (req.replace_api_keys() || req.has_api_key())) {
    return absl::InvalidArgumentError("a " + p.type() +
                                      " provider's keys are its accounts: agentgatectl account "
                                      "import / account remove");
  }
  if (req.replace_api_keys()) {
    if (auto st = ValidateKeys(new_keys); !st.ok()) return st;
  } else if (req.has_api_key() && !req.api_key().empty()) {
    if (auto st = ValidateKeys({req.api_key()}); !st.ok()) return st;
  }

  int64_t now = NowMs();
  absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
    auto stmt = db_->Prepare(
        "UPDATE providers SET name = ?1, protocol = ?2, base_url = ?3, default_model = ?4, "
        "models = ?5, model_map = ?6, timeout_ms = ?7, enabled = ?8, priority = ?9, "
        "updated_at_ms = ?10, anthropic_url = ?12, responses_url = ?13, reasoning_model = ?14, "
        "vision = ?15, prompt_cache = ?16, extra_headers = ?17 WHERE name = ?11");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, new_name).Bind(2, static_cast<int64_t>(p.protocol())).Bind(3, p.base_url());
    stmt->Bind(4, p.default_model()).Bind(5, StringsToJson(p.models()));
    stmt->Bind(6, MapToJson(p.model_map())).Bind(7, static_cast<int64_t>(p.timeout_ms()));
    stmt->Bind(8, static_cast<int64_t>(p.enabled() ? 1 : 0));
    stmt->Bind(9, static_cast<int64_t>(p.priority())).Bind(10, now).Bind(11, req.name());
    stmt->Bind(12, p.anthropic_url()).Bind(13, p.responses_url());
    stmt->Bind(14, p.reasoning_model()).Bind(15, static_cast<int64_t>(p.vision()));
    stmt->Bind(16, static_cast<int64_t>(p.prompt_cache()));
    stmt->Bind(17, MapToJson(p.extra_headers()));
    if (auto s = stmt->Run(); !s.ok()) return s;
    if (req.replace_api_keys()) {
      if (auto s = WriteKeysLocked(new_name, new_keys); !s.ok()) return s;
    } else if (req.has_api_key() && !req.api_key().empty()) {
      // Replaces key #0 only; the others (and their ciphertexts) stay as they are, so this
      // works even when they cannot be decrypted.
      auto key =
          db_->Prepare("UPDATE providers SET api_key = ?1, api_key_masked = ?2 WHERE name = ?3");
      if (!key.ok()) return key.status();
      key->BindBlob(1, box_.Seal(req.api_key(), kKeyPurpose));
      key->Bind(2, MaskSecret(req.api_key())).Bind(3, new_name);
      if (auto s = key->Run(); !s.ok()) return s;
    } else if (req.has_api_key()) {
      // Clears key #0: the next key, if any, takes its place.
      std::vector<std::string> rest;
      if (p.api_keys_masked_size() > 1) {
        auto keys = ReadKeysLocked(new_name);
        if (!keys.ok()) return keys.status();
        rest.assign(keys->begin() + 1, keys->end());
      }
      if (auto s = WriteKeysLocked(new_name, rest); !s.ok()) return s;
    }
    if (new_name != req.name()) {
      auto accounts = db_->Prepare("UPDATE accounts SET provider = ?1 WHERE provider = ?2");
      if (!accounts.ok()) return accounts.status();
      accounts->Bind(1, new_name).Bind(2, req.name());
      if (auto s = accounts->Run(); !s.ok()) return s;
      auto routes = ListRoutesLocked();
      if (!routes.ok()) return routes.status();
      for (auto& r : *routes) {
        bool changed = false;
        for (auto& c : *r.mutable_chain()) {
          if (c != req.name()) continue;
          c = new_name;
          changed = true;
        }
        for (auto& rule : *r.mutable_rules()) {
          if (rule.provider() != req.name()) continue;
          rule.set_provider(new_name);
          changed = true;
        }
        if (!changed) continue;
        r.set_updated_at_ms(now);
        if (auto s = PutRouteLocked(r, false); !s.ok()) return s;
      }
    }
    return BumpLocked();
  });
  if (!st.ok()) return st;
  return GetLocked(new_name);
}

absl::Status ConfigStore::DeleteProvider(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  return store::InTransaction(*db_, [&]() -> absl::Status {
    auto stmt = db_->Prepare("DELETE FROM providers WHERE name = ?1");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, name);
    if (auto s = stmt->Run(); !s.ok()) return s;
    if (db_->Changes() == 0) return absl::NotFoundError("no provider named '" + name + "'");
    // Its accounts go with it (they are its keys).
    auto accounts = db_->Prepare("DELETE FROM accounts WHERE provider = ?1");
    if (!accounts.ok()) return accounts.status();
    accounts->Bind(1, name);
    if (auto s = accounts->Run(); !s.ok()) return s;
    // Out of every chain; the rules that send requests to it go too.
    auto routes = ListRoutesLocked();
    if (!routes.ok()) return routes.status();
    int64_t now = NowMs();
    for (auto& r : *routes) {
      auto* chain = r.mutable_chain();
      auto* rules = r.mutable_rules();
      int before = chain->size() + rules->size();
      chain->erase(std::remove(chain->begin(), chain->end(), name), chain->end());
      rules->erase(std::remove_if(rules->begin(), rules->end(),
                                  [&](const RouteRule& rule) { return rule.provider() == name; }),
                   rules->end());
      if (chain->size() + rules->size() == before) continue;
      r.set_updated_at_ms(now);
      if (auto s = PutRouteLocked(r, false); !s.ok()) return s;
    }
    return BumpLocked();
  });
}

absl::StatusOr<control::v1::ProviderConfig> ConfigStore::ProviderWithKeys(const std::string& name) {
  auto providers = ProvidersForSnapshot();
  if (!providers.ok()) return providers.status();
  for (auto& p : *providers) {
    if (p.name() == name) return std::move(p);
  }
  return absl::NotFoundError("no provider named '" + name + "'");
}

absl::StatusOr<std::vector<control::v1::ProviderConfig>> ConfigStore::ProvidersForSnapshot() {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare(std::string(kSelect) + "ORDER BY priority, name");
  if (!stmt.ok()) return stmt.status();
  std::vector<control::v1::ProviderConfig> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    admin::v1::Provider p = RowToProvider(*stmt);
    control::v1::ProviderConfig c;
    c.set_name(p.name());
    c.set_type(p.type());
    c.set_protocol(p.protocol());
    c.set_base_url(p.base_url());
    auto keys = OpenKeys(box_, *stmt, p.name());
    if (!keys.ok()) return keys.status();
    for (auto& k : *keys) c.add_api_keys(std::move(k));
    if (const routing::ProviderPreset* preset = routing::FindPreset(p.type());
        preset != nullptr && preset->subscription) {
      if (auto st = AddAccountKeysLocked(c); !st.ok()) return st;
    }
    c.set_default_model(p.default_model());
    *c.mutable_models() = p.models();
    *c.mutable_model_map() = p.model_map();
    c.set_timeout_ms(p.timeout_ms());
    c.set_enabled(p.enabled());
    c.set_priority(p.priority());
    c.set_anthropic_url(p.anthropic_url());
    c.set_responses_url(p.responses_url());
    c.set_reasoning_model(p.reasoning_model());
    c.set_vision(p.vision());
    *c.mutable_extra_headers() = p.extra_headers();
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::vector<RouteProfile>> ConfigStore::ListRoutesLocked() {
  auto stmt =
      db_->Prepare(std::string(kSelectRoute) + "ORDER BY client_protocol, is_default DESC, name");
  if (!stmt.ok()) return stmt.status();
  std::vector<RouteProfile> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(RowToRoute(*stmt));
  }
  return out;
}

absl::StatusOr<RouteProfile> ConfigStore::GetRouteLocked(const std::string& name) {
  auto stmt = db_->Prepare(std::string(kSelectRoute) + "WHERE name = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError("no route profile named '" + name + "'");
  return RowToRoute(*stmt);
}

absl::Status ConfigStore::PutRouteLocked(const RouteProfile& r, bool insert) {
  auto stmt = db_->Prepare(
      insert ? "INSERT INTO routes (client_protocol, is_default, mode, chain, rules, "
               "updated_at_ms, name, midstream_failover) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
             : "UPDATE routes SET client_protocol = ?1, is_default = ?2, mode = ?3, chain = ?4, "
               "rules = ?5, updated_at_ms = ?6, midstream_failover = ?8 WHERE name = ?7");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(r.client_protocol()))
      .Bind(2, static_cast<int64_t>(r.is_default() ? 1 : 0))
      .Bind(3, static_cast<int64_t>(r.mode()));
  stmt->Bind(4, StringsToJson(r.chain())).Bind(5, RulesToJson(r.rules()));
  stmt->Bind(6, r.updated_at_ms()).Bind(7, r.name());
  stmt->Bind(8, static_cast<int64_t>(r.midstream_failover() ? 1 : 0));
  if (auto s = stmt->Run(); !s.ok()) return s;
  // One default per client protocol: this one takes the flag from any other.
  if (!r.is_default()) return absl::OkStatus();
  auto clear = db_->Prepare(
      "UPDATE routes SET is_default = 0, updated_at_ms = ?1 WHERE client_protocol = ?2 AND "
      "is_default = 1 AND name != ?3");
  if (!clear.ok()) return clear.status();
  clear->Bind(1, r.updated_at_ms()).Bind(2, static_cast<int64_t>(r.client_protocol()));
  clear->Bind(3, r.name());
  return clear->Run();
}

absl::Status ConfigStore::ValidateRouteLocked(const RouteProfile& r) {
  if (!routing::IsValidProviderName(r.name())) {
    return absl::InvalidArgumentError(NameRule("route profile name '" + r.name() + "'"));
  }
  std::string where = "route profile '" + r.name() + "'";
  if (r.client_protocol() == admin::v1::CLIENT_PROTOCOL_UNSPECIFIED ||
      !admin::v1::ClientProtocol_IsValid(r.client_protocol())) {
    return absl::InvalidArgumentError(where +
                                      " needs a client protocol: chat, claude, codex or gemini");
  }
  if (!admin::v1::RouteMode_IsValid(r.mode())) {
    return absl::InvalidArgumentError(where + ": the mode is failover or manual");
  }
  auto names = ProviderNamesLocked();
  if (!names.ok()) return names.status();
  auto exists = [&](const std::string& n) {
    return std::find(names->begin(), names->end(), n) != names->end();
  };
  std::set<std::string> seen;
  for (const auto& c : r.chain()) {
    if (!exists(c)) {
      return absl::InvalidArgumentError(where + ": no provider named '" + c + "' (in the chain)");
    }
    if (!seen.insert(c).second) {
      return absl::InvalidArgumentError(where + ": provider '" + c + "' is in the chain twice");
    }
  }
  if (r.rules_size() > static_cast<int>(kMaxRules)) {
    return absl::InvalidArgumentError(where + ": at most " + std::to_string(kMaxRules) + " rules");
  }
  std::set<std::string> rule_names;
  for (const auto& rule : r.rules()) {
    if (!routing::IsValidProviderName(rule.name())) {
      return absl::InvalidArgumentError(where + ": " + NameRule("rule name '" + rule.name() + "'"));
    }
    std::string rw = where + ", rule '" + rule.name() + "'";
    if (!rule_names.insert(rule.name()).second) {
      return absl::InvalidArgumentError(where + ": two rules named '" + rule.name() + "'");
    }
    if (rule.provider().empty()) return absl::InvalidArgumentError(rw + " needs a provider");
    if (!exists(rule.provider())) {
      return absl::InvalidArgumentError(rw + ": no provider named '" + rule.provider() + "'");
    }
    if (!rule.scene().empty() && !routing::SceneCondition(rule.scene())) {
      return absl::InvalidArgumentError(
          rw + ": unknown scene '" + rule.scene() +
          "' (known: image, reasoning, background, long_text, tool_heavy)");
    }
    const auto& w = rule.when();
    if (w.min_input_tokens() < 0 || w.min_tools() < 0) {
      return absl::InvalidArgumentError(rw + ": token and tool counts cannot be negative");
    }
    if (rule.scene().empty() && !HasCondition(w)) {
      return absl::InvalidArgumentError(rw + " needs a scene or at least one condition");
    }
    for (const auto* list : {&w.system_keywords(), &w.model_keywords()}) {
      for (const auto& k : *list) {
        if (k.empty() || k.size() > 256) {
          return absl::InvalidArgumentError(rw + ": empty or overlong keyword");
        }
      }
    }
    if (rule.model().size() > 256) return absl::InvalidArgumentError(rw + ": overlong model");
  }
  return absl::OkStatus();
}

absl::Status ConfigStore::EnsureDefaultRoutesLocked(bool* changed) {
  auto routes = ListRoutesLocked();
  if (!routes.ok()) return routes.status();
  auto names = ProviderNamesLocked();
  if (!names.ok()) return names.status();
  int64_t now = NowMs();
  for (ClientProtocol p : kClientProtocols) {
    bool has_default = false;
    for (const auto& r : *routes) has_default |= r.is_default() && r.client_protocol() == p;
    if (has_default) continue;
    std::string name = DefaultRouteName(p);
    const RouteProfile* same = nullptr;
    for (const auto& r : *routes) {
      if (r.name() == name) same = &r;
    }
    if (same != nullptr && same->client_protocol() == p) {
      RouteProfile r = *same;
      r.set_is_default(true);
      r.set_updated_at_ms(now);
      if (auto s = PutRouteLocked(r, false); !s.ok()) return s;
      *changed = true;
      continue;
    }
    if (same != nullptr) name += "-default";  // the name is taken by another protocol's profile
    RouteProfile r;
    r.set_name(name);
    r.set_client_protocol(p);
    r.set_is_default(true);
    r.set_mode(admin::v1::ROUTE_MODE_FAILOVER);
    for (const auto& n : *names) r.add_chain(n);
    r.set_updated_at_ms(now);
    if (GetRouteLocked(name).ok()) continue;  // both names taken: leave it to the operator
    if (auto s = PutRouteLocked(r, true); !s.ok()) return s;
    *changed = true;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RouteProfile>> ConfigStore::ListRoutes() {
  std::lock_guard<std::mutex> lock(mu_);
  return ListRoutesLocked();
}

absl::StatusOr<RouteProfile> ConfigStore::GetRoute(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  return GetRouteLocked(name);
}

absl::StatusOr<RouteProfile> ConfigStore::CreateRoute(RouteProfile r) {
  if (r.mode() == admin::v1::ROUTE_MODE_UNSPECIFIED) r.set_mode(admin::v1::ROUTE_MODE_FAILOVER);
  std::lock_guard<std::mutex> lock(mu_);
  if (auto st = ValidateRouteLocked(r); !st.ok()) return st;
  if (GetRouteLocked(r.name()).ok()) {
    return absl::AlreadyExistsError("a route profile named '" + r.name() + "' already exists");
  }
  r.set_updated_at_ms(NowMs());
  absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
    if (auto s = PutRouteLocked(r, true); !s.ok()) return s;
    return BumpLocked();
  });
  if (!st.ok()) return st;
  return GetRouteLocked(r.name());
}

absl::StatusOr<RouteProfile> ConfigStore::UpdateRoute(RouteProfile r) {
  if (r.mode() == admin::v1::ROUTE_MODE_UNSPECIFIED) r.set_mode(admin::v1::ROUTE_MODE_FAILOVER);
  std::lock_guard<std::mutex> lock(mu_);
  auto current = GetRouteLocked(r.name());
  if (!current.ok()) return current.status();
  if (auto st = ValidateRouteLocked(r); !st.ok()) return st;
  if (current->is_default()) {
    std::string why = "route profile '" + r.name() + "' is the default for " +
                      ClientLabel(current->client_protocol()) + " clients";
    if (r.client_protocol() != current->client_protocol()) {
      return absl::FailedPreconditionError(why + ": its client protocol cannot change");
    }
    if (!r.is_default()) {
      return absl::FailedPreconditionError(
          why + ": make another profile of that protocol the default instead");
    }
  }
  r.set_updated_at_ms(NowMs());
  absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
    if (auto s = PutRouteLocked(r, false); !s.ok()) return s;
    return BumpLocked();
  });
  if (!st.ok()) return st;
  return GetRouteLocked(r.name());
}

absl::Status ConfigStore::DeleteRoute(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto current = GetRouteLocked(name);
  if (!current.ok()) return current.status();
  if (current->is_default()) {
    return absl::FailedPreconditionError(
        "route profile '" + name + "' is the default for " +
        ClientLabel(current->client_protocol()) +
        " clients and cannot be deleted; make another profile the default first");
  }
  return store::InTransaction(*db_, [&]() -> absl::Status {
    auto stmt = db_->Prepare("DELETE FROM routes WHERE name = ?1");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, name);
    if (auto s = stmt->Run(); !s.ok()) return s;
    return BumpLocked();
  });
}

namespace {

bool ValidPriceValue(double v) { return v >= 0 && v < 1e6 && v == v; }

// Lower-cases the ids and checks the numbers.
absl::Status NormalizePrice(admin::v1::ModelPrice* p) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  auto valid_id = [](const std::string& id) {
    if (id.empty() || id.size() > 200) return false;
    for (char c : id) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                c == '_' || c == ':' || c == '/' || c == '@' || c == '+';
      if (!ok) return false;
    }
    return true;
  };
  p->set_model(lower(p->model()));
  if (!valid_id(p->model())) {
    return absl::InvalidArgumentError(
        "a price needs a model id of letters, digits and . - _ : / @ + (got '" + p->model() + "')");
  }
  for (auto& a : *p->mutable_aliases()) {
    a = lower(a);
    if (!valid_id(a)) return absl::InvalidArgumentError("alias '" + a + "' is not a model id");
  }
  struct Field {
    const char* name;
    bool set;
    double value;
  };
  const Field fields[] = {
      {"input", true, p->input()},
      {"output", true, p->output()},
      {"cache-read", p->has_cache_read(), p->cache_read()},
      {"cache-write", p->has_cache_write(), p->cache_write()},
      {"long input", p->long_above_tokens() > 0, p->long_input()},
      {"long output", p->long_above_tokens() > 0, p->long_output()},
      {"long cache-read", p->has_long_cache_read(), p->long_cache_read()},
      {"long cache-write", p->has_long_cache_write(), p->long_cache_write()},
  };
  for (const auto& f : fields) {
    if (f.set && !ValidPriceValue(f.value)) {
      return absl::InvalidArgumentError(std::string("the ") + f.name +
                                        " price must be a number of dollars per million tokens "
                                        "from 0 to 999999");
    }
  }
  if (p->long_above_tokens() < 0) {
    return absl::InvalidArgumentError("the long-prompt threshold cannot be negative");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<admin::v1::ModelPrice>> ConfigStore::ListPriceOverrides() {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare("SELECT price FROM prices ORDER BY model");
  if (!stmt.ok()) return stmt.status();
  std::vector<admin::v1::ModelPrice> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    admin::v1::ModelPrice p;
    if (p.ParseFromString(stmt->ColumnBlob(0))) out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<admin::v1::ModelPrice> ConfigStore::SetPrice(admin::v1::ModelPrice p) {
  if (auto st = NormalizePrice(&p); !st.ok()) return st;
  p.clear_user_set();
  p.clear_builtin();
  std::lock_guard<std::mutex> lock(mu_);
  absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
    auto stmt = db_->Prepare(
        "INSERT INTO prices (model, price, updated_at_ms) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(model) DO UPDATE SET price = excluded.price, "
        "updated_at_ms = excluded.updated_at_ms");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, p.model()).BindBlob(2, p.SerializeAsString()).Bind(3, NowMs());
    if (auto s = stmt->Run(); !s.ok()) return s;
    return BumpLocked();
  });
  if (!st.ok()) return st;
  return p;
}

absl::StatusOr<int> ConfigStore::ResetPrice(const std::string& model, bool all) {
  std::string id = model;
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::lock_guard<std::mutex> lock(mu_);
  int removed = 0;
  absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
    auto stmt = db_->Prepare(all ? "DELETE FROM prices" : "DELETE FROM prices WHERE model = ?1");
    if (!stmt.ok()) return stmt.status();
    if (!all) stmt->Bind(1, id);
    if (auto s = stmt->Run(); !s.ok()) return s;
    removed = db_->Changes();
    return removed > 0 ? BumpLocked() : absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (removed == 0 && !all) {
    return absl::NotFoundError("no price of yours for '" + model +
                               "': only prices you set can be reset");
  }
  return removed;
}

absl::StatusOr<admin::v1::Budget> ConfigStore::GetBudget() {
  std::lock_guard<std::mutex> lock(mu_);
  auto stmt = db_->Prepare(
      "SELECT key, value FROM meta WHERE key IN ('budget_limit_usd', "
      "'budget_mode')");
  if (!stmt.ok()) return stmt.status();
  admin::v1::Budget b;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string key = stmt->ColumnText(0), value = stmt->ColumnText(1);
    if (key == "budget_limit_usd") {
      b.set_daily_limit_usd(std::strtod(value.c_str(), nullptr));
    } else {
      admin::v1::BudgetMode mode = admin::v1::BUDGET_MODE_NOTIFY;
      if (admin::v1::BudgetMode_Parse(value, &mode)) b.set_mode(mode);
    }
  }
  if (b.mode() == admin::v1::BUDGET_MODE_UNSPECIFIED) b.set_mode(admin::v1::BUDGET_MODE_NOTIFY);
  return b;
}

absl::StatusOr<admin::v1::Budget> ConfigStore::SetBudget(const admin::v1::Budget& want) {
  if (!(want.daily_limit_usd() >= 0) || want.daily_limit_usd() > 1e9) {
    return absl::InvalidArgumentError("a daily budget is a number of US dollars, 0 for none");
  }
  admin::v1::BudgetMode mode = want.mode() == admin::v1::BUDGET_MODE_UNSPECIFIED
                                   ? admin::v1::BUDGET_MODE_NOTIFY
                                   : want.mode();
  if (!admin::v1::BudgetMode_IsValid(mode)) {
    return absl::InvalidArgumentError("the budget mode is notify, block or cheapest");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    char limit[32];
    std::snprintf(limit, sizeof limit, "%.6f", want.daily_limit_usd());
    absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
      auto stmt = db_->Prepare(
          "INSERT INTO meta (key, value) VALUES (?1, ?2) "
          "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
      if (!stmt.ok()) return stmt.status();
      stmt->Bind(1, "budget_limit_usd").Bind(2, limit);
      if (auto s = stmt->Run(); !s.ok()) return s;
      stmt->Reset();
      stmt->Bind(1, "budget_mode").Bind(2, admin::v1::BudgetMode_Name(mode));
      if (auto s = stmt->Run(); !s.ok()) return s;
      return BumpLocked();
    });
    if (!st.ok()) return st;
  }
  return GetBudget();
}

absl::StatusOr<std::string> ConfigStore::IntegrityCheck() {
  std::lock_guard<std::mutex> lock(mu_);
  return db_->IntegrityCheck();
}

absl::Status ConfigStore::BackupTo(const std::string& dest) {
  std::lock_guard<std::mutex> lock(mu_);
  return db_->BackupTo(dest);
}

}  // namespace agentgate::router
