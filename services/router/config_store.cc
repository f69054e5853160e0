#include "services/router/config_store.h"

#include <boost/json.hpp>

#include "services/common/grpc_util.h"
#include "services/common/token.h"
#include "services/routing/presets.h"
#include "services/routing/url.h"

namespace agentgate::router {
namespace {

constexpr std::string_view kKeyPurpose = "provider-key";
constexpr uint32_t kMaxTimeoutMs = 3600 * 1000;

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
  };
  return *kMigrations;
}

admin::v1::ProviderProtocol ToProto(routing::Protocol p) {
  switch (p) {
    case routing::Protocol::kAnthropicMessages:
      return admin::v1::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES;
    case routing::Protocol::kGemini:
      return admin::v1::PROVIDER_PROTOCOL_GEMINI;
    case routing::Protocol::kOpenAiChat:
    case routing::Protocol::kOpenAiResponses:  // only ever an extra endpoint, never a preset's
      break;
  }
  return admin::v1::PROVIDER_PROTOCOL_OPENAI_CHAT;
}

std::string ModelsToJson(const google::protobuf::RepeatedPtrField<std::string>& models) {
  boost::json::array a;
  for (const auto& m : models) a.emplace_back(m);
  return boost::json::serialize(a);
}

std::string MapToJson(const google::protobuf::Map<std::string, std::string>& map) {
  boost::json::object o;
  for (const auto& [k, v] : map) o[k] = v;
  return boost::json::serialize(o);
}

void ModelsFromJson(const std::string& text, google::protobuf::RepeatedPtrField<std::string>* out) {
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

constexpr char kSelect[] =
    "SELECT name, type, protocol, base_url, api_key_masked, default_model, models, model_map, "
    "timeout_ms, enabled, priority, created_at_ms, updated_at_ms, api_key, anthropic_url, "
    "responses_url FROM providers ";

admin::v1::Provider RowToProvider(const store::Statement& s) {
  admin::v1::Provider p;
  p.set_name(s.ColumnText(0));
  p.set_type(s.ColumnText(1));
  p.set_protocol(static_cast<admin::v1::ProviderProtocol>(s.ColumnInt(2)));
  p.set_base_url(s.ColumnText(3));
  p.set_api_key_masked(s.ColumnText(4));
  p.set_default_model(s.ColumnText(5));
  ModelsFromJson(s.ColumnText(6), p.mutable_models());
  MapFromJson(s.ColumnText(7), p.mutable_model_map());
  p.set_timeout_ms(static_cast<uint32_t>(s.ColumnInt(8)));
  p.set_enabled(s.ColumnInt(9) != 0);
  p.set_priority(static_cast<int32_t>(s.ColumnInt(10)));
  p.set_created_at_ms(s.ColumnInt(11));
  p.set_updated_at_ms(s.ColumnInt(12));
  p.set_anthropic_url(s.ColumnText(14));
  p.set_responses_url(s.ColumnText(15));
  return p;
}

}  // namespace

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

absl::StatusOr<admin::v1::Provider> ConfigStore::CreateProvider(admin::v1::Provider p,
                                                                const std::string& api_key) {
  const routing::ProviderPreset* preset = routing::FindPreset(p.type());
  if (preset == nullptr) {
    std::string types;
    for (const auto& pr : routing::AllPresets())
      types += (types.empty() ? "" : ", ") + std::string(pr.type);
    return absl::InvalidArgumentError("unknown provider type '" + p.type() + "'; known: " + types);
  }
  if (p.name().empty()) p.set_name(p.type());
  if (!routing::IsValidProviderName(p.name())) {
    return absl::InvalidArgumentError("provider name '" + p.name() +
                                      "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
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
  if (api_key.empty() && preset->needs_key) {
    return absl::InvalidArgumentError("an API key is required for type " + p.type() + " (--key)");
  }
  if (auto st = ValidateModels(p); !st.ok()) return st;

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
        "INSERT INTO providers (name, type, protocol, base_url, api_key, api_key_masked, "
        "default_model, models, model_map, timeout_ms, enabled, priority, created_at_ms, "
        "updated_at_ms, anthropic_url, responses_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?13, ?14, ?15)");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, p.name()).Bind(2, p.type()).Bind(3, static_cast<int64_t>(p.protocol()));
    stmt->Bind(4, p.base_url());
    if (api_key.empty()) {
      stmt->BindNull(5);
    } else {
      stmt->BindBlob(5, box_.Seal(api_key, kKeyPurpose));
    }
    stmt->Bind(6, api_key.empty() ? std::string() : MaskSecret(api_key));
    stmt->Bind(7, p.default_model()).Bind(8, ModelsToJson(p.models()));
    stmt->Bind(9, MapToJson(p.model_map())).Bind(10, static_cast<int64_t>(p.timeout_ms()));
    stmt->Bind(11, static_cast<int64_t>(1)).Bind(12, priority).Bind(13, now);
    stmt->Bind(14, p.anthropic_url()).Bind(15, p.responses_url());
    if (auto s = stmt->Run(); !s.ok()) return s;
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
  std::string new_name = req.has_new_name() ? req.new_name() : p.name();
  if (!routing::IsValidProviderName(new_name)) {
    return absl::InvalidArgumentError("provider name '" + new_name +
                                      "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
  }
  if (new_name != p.name() && GetLocked(new_name).ok()) {
    return absl::AlreadyExistsError("a provider named '" + new_name + "' already exists");
  }
  if (auto st = ValidateModels(p); !st.ok()) return st;

  absl::Status st = store::InTransaction(*db_, [&]() -> absl::Status {
    auto stmt = db_->Prepare(
        "UPDATE providers SET name = ?1, protocol = ?2, base_url = ?3, default_model = ?4, "
        "models = ?5, model_map = ?6, timeout_ms = ?7, enabled = ?8, priority = ?9, "
        "updated_at_ms = ?10, anthropic_url = ?12, responses_url = ?13 WHERE name = ?11");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, new_name).Bind(2, static_cast<int64_t>(p.protocol())).Bind(3, p.base_url());
    stmt->Bind(4, p.default_model()).Bind(5, ModelsToJson(p.models()));
    stmt->Bind(6, MapToJson(p.model_map())).Bind(7, static_cast<int64_t>(p.timeout_ms()));
    stmt->Bind(8, static_cast<int64_t>(p.enabled() ? 1 : 0));
    stmt->Bind(9, static_cast<int64_t>(p.priority())).Bind(10, NowMs()).Bind(11, req.name());
    stmt->Bind(12, p.anthropic_url()).Bind(13, p.responses_url());
    if (auto s = stmt->Run(); !s.ok()) return s;
    if (req.has_api_key()) {
      auto key =
          db_->Prepare("UPDATE providers SET api_key = ?1, api_key_masked = ?2 WHERE name = ?3");
      if (!key.ok()) return key.status();
      if (req.api_key().empty()) {
        key->BindNull(1);
      } else {
        key->BindBlob(1, box_.Seal(req.api_key(), kKeyPurpose));
      }
      key->Bind(2, req.api_key().empty() ? std::string() : MaskSecret(req.api_key()));
      key->Bind(3, new_name);
      if (auto s = key->Run(); !s.ok()) return s;
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
    return BumpLocked();
  });
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
    if (!stmt->ColumnIsNull(13)) {
      auto key = box_.Open(stmt->ColumnBlob(13), kKeyPurpose);
      if (!key.ok()) {
        return absl::FailedPreconditionError(
            "cannot decrypt the key of provider '" + p.name() +
            "': master.key does not match the one config.db was written with");
      }
      c.add_api_keys(*key);
    }
    c.set_default_model(p.default_model());
    *c.mutable_models() = p.models();
    *c.mutable_model_map() = p.model_map();
    c.set_timeout_ms(p.timeout_ms());
    c.set_enabled(p.enabled());
    c.set_priority(p.priority());
    c.set_anthropic_url(p.anthropic_url());
    c.set_responses_url(p.responses_url());
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::string> ConfigStore::IntegrityCheck() {
  std::lock_guard<std::mutex> lock(mu_);
  return db_->IntegrityCheck();
}

}  // namespace agentgate::router
