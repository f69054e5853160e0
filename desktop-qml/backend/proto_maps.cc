#include "desktop-qml/backend/proto_maps.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "services/accounts/quota.h"
#include "services/common/client_name.h"

namespace agentgate::desktop {
namespace {

namespace pb = admin::v1;

QString Q(const std::string& s) { return QString::fromStdString(s); }

QStringList List(const google::protobuf::RepeatedPtrField<std::string>& items) {
  QStringList out;
  out.reserve(items.size());
  for (const auto& s : items) out.append(Q(s));
  return out;
}

// [{a, b}] from a proto map, sorted by key (proto maps have no order).
QVariantList Pairs(const google::protobuf::Map<std::string, std::string>& m, const char* key_name,
                   const char* value_name) {
  std::vector<std::pair<std::string, std::string>> sorted(m.begin(), m.end());
  std::sort(sorted.begin(), sorted.end());
  QVariantList out;
  for (const auto& [k, v] : sorted) {
    out.append(QVariantMap{{key_name, Q(k)}, {value_name, Q(v)}});
  }
  return out;
}

// The rows of a [{key, value}] list as a proto map; rows with an empty key are dropped.
void FillMap(const QVariant& rows, const char* key_name, const char* value_name,
             google::protobuf::Map<std::string, std::string>* out) {
  for (const QVariant& row : rows.toList()) {
    QVariantMap m = row.toMap();
    QString k = m.value(key_name).toString().trimmed();
    if (k.isEmpty()) continue;
    (*out)[k.toStdString()] = m.value(value_name).toString().trimmed().toStdString();
  }
}

QString SecondsLeft(qint64 until_ms, qint64 now_ms) {
  qint64 s = std::max<qint64>(0, (until_ms - now_ms + 999) / 1000);
  if (s < 120) return QCoreApplication::translate("ProtoMaps", "%1 s").arg(s);
  return QCoreApplication::translate("ProtoMaps", "%1 min").arg((s + 59) / 60);
}

// "429" from "429 Too Many Requests"; otherwise the error, cut to a readable length.
QString ShortError(const std::string& error) {
  QString e = Q(error).trimmed();
  if (e.size() >= 3 && e[0].isDigit() && e[1].isDigit() && e[2].isDigit() &&
      (e.size() == 3 || !e[3].isDigit())) {
    return e.left(3);
  }
  if (e.size() > 40) e = e.left(39) + QChar(0x2026);
  return e;
}

QString WithError(const QString& text, const std::string& error) {
  QString e = ShortError(error);
  return e.isEmpty() ? text : text + " (" + e + ")";
}

QVariant Int(int64_t v) { return QVariant::fromValue<qint64>(v); }

}  // namespace

QList<QByteArray> ProviderRoles() {
  return {"name",           "type",        "protocol",    "baseUrl",      "enabled",
          "priority",       "keys",        "keyCount",    "keyStates",    "defaultModel",
          "reasoningModel", "timeoutMs",   "models",      "modelMap",     "anthropicUrl",
          "responsesUrl",   "headers",     "health",      "healthText",   "healthDetail",
          "lastError",      "vision",      "promptCache", "testPending",  "lastTestText",
          "createdAtMs",    "updatedAtMs", "lastTestOk",  "lastTestAtMs", "lastTestModel",
          "lastTestSteps"};
}

QList<QByteArray> RouteRoles() {
  return {"name",       "client", "mode", "chain", "rules", "isDefault", "midstreamFailover",
          "updatedAtMs"};
}

QList<QByteArray> LogRoles() {
  return {"id",          "requestId",    "time",         "timeText",
          "client",      "path",         "provider",     "model",
          "modelSent",   "status",       "latencyMs",    "ttfbMs",
          "inputTokens", "outputTokens", "cachedTokens", "reasoningTokens",
          "error",       "stream",       "attempts",     "conversionLosses",
          "tried",       "edgeId",       "costUsd",      "onPlan",
          "listPriceUsd"};
}

QList<QByteArray> AccountRoles() {
  return {"accountId",      "email",    "plan",        "provider",      "position",
          "standing",       "detail",   "primaryUsed", "secondaryUsed", "primaryReset",
          "secondaryReset", "quotaAgo", "expiresText"};
}

QList<QByteArray> CheckRoles() { return {"name", "ok", "severity", "detail", "fix"}; }

QList<QByteArray> ClientRoles() {
  return {"name",          "title",    "installed", "binary",       "pointing",
          "pointingText",  "baseUrl",  "model",     "tokenMatches", "configPath",
          "configPresent", "backedUp", "problems"};
}

QString ProtocolName(admin::v1::ProviderProtocol p) {
  switch (p) {
    case pb::PROVIDER_PROTOCOL_OPENAI_CHAT:
      return QStringLiteral("openai_chat");
    case pb::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES:
      return QStringLiteral("anthropic");
    case pb::PROVIDER_PROTOCOL_GEMINI:
      return QStringLiteral("gemini");
    case pb::PROVIDER_PROTOCOL_OPENAI_RESPONSES:
      return QStringLiteral("openai_responses");
    default:
      return QString();
  }
}

admin::v1::ProviderProtocol ParseProtocol(const QString& name) {
  if (name == "openai_chat" || name == "openai") return pb::PROVIDER_PROTOCOL_OPENAI_CHAT;
  if (name == "anthropic" || name == "anthropic_messages") {
    return pb::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES;
  }
  if (name == "gemini") return pb::PROVIDER_PROTOCOL_GEMINI;
  return pb::PROVIDER_PROTOCOL_UNSPECIFIED;
}

QString ClientProtocolName(admin::v1::ClientProtocol p) {
  switch (p) {
    case pb::CLIENT_PROTOCOL_OPENAI_CHAT:
      return QStringLiteral("chat");
    case pb::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES:
      return QStringLiteral("claude");
    case pb::CLIENT_PROTOCOL_OPENAI_RESPONSES:
      return QStringLiteral("codex");
    case pb::CLIENT_PROTOCOL_GEMINI:
      return QStringLiteral("gemini");
    default:
      return QString();
  }
}

admin::v1::ClientProtocol ParseClientProtocol(const QString& name) {
  if (name == "chat") return pb::CLIENT_PROTOCOL_OPENAI_CHAT;
  if (name == "claude") return pb::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES;
  if (name == "codex") return pb::CLIENT_PROTOCOL_OPENAI_RESPONSES;
  if (name == "gemini") return pb::CLIENT_PROTOCOL_GEMINI;
  return pb::CLIENT_PROTOCOL_UNSPECIFIED;
}

QString CapabilityName(admin::v1::Capability c) {
  switch (c) {
    case pb::CAPABILITY_YES:
      return QStringLiteral("yes");
    case pb::CAPABILITY_NO:
      return QStringLiteral("no");
    default:
      return QStringLiteral("unknown");
  }
}

admin::v1::Capability ParseCapability(const QString& name) {
  if (name == "yes") return pb::CAPABILITY_YES;
  if (name == "no") return pb::CAPABILITY_NO;
  return pb::CAPABILITY_UNKNOWN;
}

QString AgoText(qint64 then_ms, qint64 now_ms) {
  qint64 s = (now_ms - then_ms) / 1000;
  if (s < 1) return QCoreApplication::translate("ProtoMaps", "just now");
  if (s < 60) return QCoreApplication::translate("ProtoMaps", "%1 s ago").arg(s);
  if (s < 3600) return QCoreApplication::translate("ProtoMaps", "%1 min ago").arg(s / 60);
  if (s < 86400) return QCoreApplication::translate("ProtoMaps", "%1 h ago").arg(s / 3600);
  return QCoreApplication::translate("ProtoMaps", "%1 d ago").arg(s / 86400);
}

QString HealthState(const admin::v1::Provider& p, qint64 now_ms) {
  const auto& st = p.status();
  if (!p.enabled() || st.state() == "disabled") return QStringLiteral("disabled");
  if (st.state() == "circuit open" && (st.open_until_ms() == 0 || st.open_until_ms() > now_ms)) {
    return QStringLiteral("open");
  }
  if (st.state() == "half-open") return QStringLiteral("cooling");
  if (st.state() == "cooling down" && st.cooldown_until_ms() > now_ms) {
    return QStringLiteral("cooling");
  }
  return QStringLiteral("ok");
}

QString HealthText(const admin::v1::Provider& p, qint64 now_ms) {
  const auto& st = p.status();
  QString state = HealthState(p, now_ms);
  if (state == "disabled") return QCoreApplication::translate("ProtoMaps", "disabled");
  if (state == "open") {
    QString text = st.open_until_ms() > now_ms
                       ? QCoreApplication::translate("ProtoMaps", "circuit open, retry in %1")
                             .arg(SecondsLeft(st.open_until_ms(), now_ms))
                       : QCoreApplication::translate("ProtoMaps", "circuit open");
    return WithError(text, st.last_error());
  }
  if (state == "cooling") {
    if (st.state() == "half-open")
      return QCoreApplication::translate("ProtoMaps", "half-open: trying again");
    return WithError(QCoreApplication::translate("ProtoMaps", "cooling down %1")
                         .arg(SecondsLeft(st.cooldown_until_ms(), now_ms)),
                     st.last_error());
  }
  return QCoreApplication::translate("ProtoMaps", "healthy");
}

QVariantList TestStepsToList(const admin::v1::ProviderTestResult& r) {
  QVariantList steps;
  for (const auto& s : r.steps()) {
    steps.append(QVariantMap{{"name", Q(s.name())},
                             {"ok", s.ok()},
                             {"skipped", s.skipped()},
                             {"detail", Q(s.detail())},
                             {"elapsedMs", Int(s.elapsed_ms())}});
  }
  return steps;
}

QVariantMap ProviderToMap(const admin::v1::Provider& p, qint64 now_ms) {
  QStringList keys = List(p.api_keys_masked());
  if (keys.isEmpty() && !p.api_key_masked().empty()) keys.append(Q(p.api_key_masked()));
  QVariantList key_states;
  for (const auto& k : p.status().keys()) {
    key_states.append(QVariantMap{{"masked", Q(k.masked())},
                                  {"coolingDown", k.cooldown_until_ms() > now_ms},
                                  {"failures", k.failures()},
                                  {"lastError", Q(k.last_error())}});
  }
  QVariantMap m{
      {"name", Q(p.name())},
      {"type", Q(p.type())},
      {"protocol", ProtocolName(p.protocol())},
      {"baseUrl", Q(p.base_url())},
      {"enabled", p.enabled()},
      {"priority", p.priority()},
      {"keys", keys},
      {"keyCount", static_cast<int>(keys.size())},
      {"keyStates", key_states},
      {"defaultModel", Q(p.default_model())},
      {"reasoningModel", Q(p.reasoning_model())},
      {"timeoutMs", Int(p.timeout_ms())},
      {"models", List(p.models())},
      {"modelMap", Pairs(p.model_map(), "from", "to")},
      {"anthropicUrl", Q(p.anthropic_url())},
      {"responsesUrl", Q(p.responses_url())},
      {"headers", Pairs(p.extra_headers(), "name", "value")},
      {"health", HealthState(p, now_ms)},
      {"healthText", HealthText(p, now_ms)},
      {"healthDetail", Q(p.status().detail())},
      {"lastError", Q(p.status().last_error())},
      {"vision", CapabilityName(p.vision())},
      {"promptCache", CapabilityName(p.prompt_cache())},
      {"testPending", p.test_pending()},
      {"createdAtMs", Int(p.created_at_ms())},
      {"updatedAtMs", Int(p.updated_at_ms())},
  };
  if (p.has_last_test()) {
    const auto& t = p.last_test();
    m["lastTestOk"] = t.ok();
    m["lastTestAtMs"] = Int(t.tested_at_ms());
    m["lastTestModel"] = Q(t.model());
    m["lastTestSteps"] = TestStepsToList(t);
  }
  if (p.test_pending()) {
    m["lastTestText"] = QCoreApplication::translate("ProtoMaps", "testing…");
  } else if (!p.has_last_test()) {
    m["lastTestText"] = QCoreApplication::translate("ProtoMaps", "never tested");
  } else {
    QString ago = AgoText(p.last_test().tested_at_ms(), now_ms);
    m["lastTestText"] = p.last_test().ok()
                            ? QCoreApplication::translate("ProtoMaps", "ok %1").arg(ago)
                            : QCoreApplication::translate("ProtoMaps", "failed %1").arg(ago);
  }
  return m;
}

admin::v1::CreateProviderRequest FieldsToCreateRequest(const QVariantMap& fields) {
  pb::CreateProviderRequest req;
  pb::Provider* p = req.mutable_provider();
  auto text = [&](const char* key) { return fields.value(key).toString().trimmed().toStdString(); };
  p->set_name(text("name"));
  p->set_type(text("type"));
  if (p->name().empty()) p->set_name(p->type());
  p->set_protocol(ParseProtocol(fields.value("protocol").toString()));
  p->set_base_url(text("baseUrl"));
  p->set_default_model(text("defaultModel"));
  p->set_reasoning_model(text("reasoningModel"));
  p->set_anthropic_url(text("anthropicUrl"));
  p->set_responses_url(text("responsesUrl"));
  p->set_timeout_ms(fields.value("timeoutMs").toUInt());
  p->set_priority(fields.value("priority").toInt());
  // The router creates providers enabled; `enabled` false is applied by an update after.
  p->set_enabled(fields.value("enabled", true).toBool());
  for (const QString& m : fields.value("models").toStringList()) {
    if (!m.trimmed().isEmpty()) p->add_models(m.trimmed().toStdString());
  }
  FillMap(fields.value("modelMap"), "from", "to", p->mutable_model_map());
  FillMap(fields.value("headers"), "name", "value", p->mutable_extra_headers());
  if (fields.contains("vision")) p->set_vision(ParseCapability(fields.value("vision").toString()));
  if (fields.contains("promptCache")) {
    p->set_prompt_cache(ParseCapability(fields.value("promptCache").toString()));
  }
  bool first = true;
  for (const QString& k : fields.value("keys").toStringList()) {
    std::string key = k.trimmed().toStdString();
    if (key.empty()) continue;
    if (first) {
      req.set_api_key(key);
      first = false;
    } else {
      req.add_more_api_keys(key);
    }
  }
  return req;
}

admin::v1::UpdateProviderRequest FieldsToUpdateRequest(const QString& original_name,
                                                       const QVariantMap& fields) {
  pb::UpdateProviderRequest req;
  req.set_name(original_name.toStdString());
  auto has = [&](const char* key) { return fields.contains(key); };
  auto text = [&](const char* key) { return fields.value(key).toString().trimmed().toStdString(); };
  if (has("name") && !text("name").empty() && text("name") != req.name()) {
    req.set_new_name(text("name"));
  }
  if (has("baseUrl")) req.set_base_url(text("baseUrl"));
  if (has("defaultModel")) req.set_default_model(text("defaultModel"));
  if (has("reasoningModel")) req.set_reasoning_model(text("reasoningModel"));
  if (has("anthropicUrl")) req.set_anthropic_url(text("anthropicUrl"));
  if (has("responsesUrl")) req.set_responses_url(text("responsesUrl"));
  if (has("timeoutMs")) req.set_timeout_ms(fields.value("timeoutMs").toUInt());
  if (has("enabled")) req.set_enabled(fields.value("enabled").toBool());
  if (has("priority")) req.set_priority(fields.value("priority").toInt());
  if (has("protocol")) {
    pb::ProviderProtocol protocol = ParseProtocol(fields.value("protocol").toString());
    if (protocol != pb::PROVIDER_PROTOCOL_UNSPECIFIED) req.set_protocol(protocol);
  }
  if (has("vision")) req.set_vision(ParseCapability(fields.value("vision").toString()));
  if (has("promptCache")) {
    req.set_prompt_cache(ParseCapability(fields.value("promptCache").toString()));
  }
  if (has("models")) {
    req.set_replace_models(true);
    for (const QString& m : fields.value("models").toStringList()) {
      if (!m.trimmed().isEmpty()) req.add_models(m.trimmed().toStdString());
    }
  }
  if (has("modelMap")) {
    req.set_replace_model_map(true);
    FillMap(fields.value("modelMap"), "from", "to", req.mutable_model_map());
  }
  if (has("headers")) {
    req.set_replace_extra_headers(true);
    FillMap(fields.value("headers"), "name", "value", req.mutable_extra_headers());
  }
  for (const QString& k : fields.value("keys").toStringList()) {
    if (!k.trimmed().isEmpty()) req.add_api_keys(k.trimmed().toStdString());
  }
  req.set_replace_api_keys(req.api_keys_size() > 0);
  return req;
}

QVariantMap RuleToMap(const admin::v1::RouteRule& r) {
  const pb::RouteCondition& w = r.when();
  QVariantMap conditions{{"minInputTokens", Int(w.min_input_tokens())},
                         {"hasImages", w.has_images()},
                         {"hasTools", w.has_tools()},
                         {"minTools", w.min_tools()},
                         {"systemKeywords", List(w.system_keywords())},
                         {"thinking", w.thinking()},
                         {"modelKeywords", List(w.model_keywords())}};
  QStringList parts;
  if (w.has_images()) parts << QCoreApplication::translate("ProtoMaps", "images");
  if (w.thinking()) parts << QCoreApplication::translate("ProtoMaps", "thinking");
  if (w.has_tools()) parts << QCoreApplication::translate("ProtoMaps", "tools");
  if (w.min_tools() > 0)
    parts << QCoreApplication::translate("ProtoMaps", "≥ %1 tools").arg(w.min_tools());
  if (w.min_input_tokens() > 0)
    parts << QCoreApplication::translate("ProtoMaps", "≥ %1 tokens").arg(w.min_input_tokens());
  if (w.system_keywords_size() > 0) {
    parts << QCoreApplication::translate("ProtoMaps", "system: %1")
                 .arg(List(w.system_keywords()).join(QStringLiteral(" | ")));
  }
  if (w.model_keywords_size() > 0) {
    parts << QCoreApplication::translate("ProtoMaps", "model: %1")
                 .arg(List(w.model_keywords()).join(QStringLiteral(" | ")));
  }
  return QVariantMap{{"name", Q(r.name())},
                     {"scene", Q(r.scene())},
                     {"provider", Q(r.provider())},
                     {"model", Q(r.model())},
                     {"disabled", r.disabled()},
                     {"conditions", conditions},
                     {"conditionsText", parts.join(QStringLiteral(", "))}};
}

QVariantMap RouteToMap(const admin::v1::RouteProfile& r) {
  QVariantList rules;
  for (const auto& rule : r.rules()) rules.append(RuleToMap(rule));
  return QVariantMap{
      {"name", Q(r.name())},
      {"client", ClientProtocolName(r.client_protocol())},
      {"mode",
       r.mode() == pb::ROUTE_MODE_MANUAL ? QStringLiteral("manual") : QStringLiteral("failover")},
      {"chain", List(r.chain())},
      {"rules", rules},
      {"isDefault", r.is_default()},
      {"midstreamFailover", r.midstream_failover()},
      {"updatedAtMs", Int(r.updated_at_ms())},
  };
}

admin::v1::RouteRule MapToRule(const QVariantMap& m) {
  pb::RouteRule r;
  r.set_name(m.value("name").toString().trimmed().toStdString());
  r.set_scene(m.value("scene").toString().trimmed().toStdString());
  r.set_provider(m.value("provider").toString().trimmed().toStdString());
  r.set_model(m.value("model").toString().trimmed().toStdString());
  r.set_disabled(m.value("disabled").toBool());
  const QVariantMap c = m.value("conditions").toMap();
  pb::RouteCondition* w = r.mutable_when();
  w->set_min_input_tokens(c.value("minInputTokens").toLongLong());
  w->set_has_images(c.value("hasImages").toBool());
  w->set_has_tools(c.value("hasTools").toBool());
  w->set_min_tools(c.value("minTools").toInt());
  w->set_thinking(c.value("thinking").toBool());
  for (const QString& k : c.value("systemKeywords").toStringList()) {
    if (!k.trimmed().isEmpty()) w->add_system_keywords(k.trimmed().toStdString());
  }
  for (const QString& k : c.value("modelKeywords").toStringList()) {
    if (!k.trimmed().isEmpty()) w->add_model_keywords(k.trimmed().toStdString());
  }
  return r;
}

void MapToRoute(const QVariantMap& m, admin::v1::RouteProfile* r) {
  if (m.contains("name")) r->set_name(m.value("name").toString().trimmed().toStdString());
  if (m.contains("client")) {
    r->set_client_protocol(ParseClientProtocol(m.value("client").toString()));
  }
  if (m.contains("mode")) {
    r->set_mode(m.value("mode").toString() == "manual" ? pb::ROUTE_MODE_MANUAL
                                                       : pb::ROUTE_MODE_FAILOVER);
  }
  if (m.contains("isDefault")) r->set_is_default(m.value("isDefault").toBool());
  if (m.contains("midstreamFailover")) {
    r->set_midstream_failover(m.value("midstreamFailover").toBool());
  }
  if (m.contains("chain")) {
    r->clear_chain();
    for (const QString& name : m.value("chain").toStringList()) {
      if (!name.trimmed().isEmpty()) r->add_chain(name.trimmed().toStdString());
    }
  }
  if (m.contains("rules")) {
    r->clear_rules();
    for (const QVariant& rule : m.value("rules").toList()) {
      *r->add_rules() = MapToRule(rule.toMap());
    }
  }
}

QVariantMap BackupToMap(const admin::v1::BackupInfo& b) {
  const double mb = static_cast<double>(b.size_bytes()) / (1024.0 * 1024.0);
  QStringList contents;
  for (const auto& c : b.contents()) contents << Q(c);
  return QVariantMap{
      {"name", Q(b.name())},
      {"path", Q(b.path())},
      {"made", b.created_at_ms() > 0
                   ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(b.created_at_ms()),
                                        QStringLiteral("yyyy-MM-dd HH:mm"))
                   : QString()},
      {"sizeText",
       mb >= 1 ? QString::number(mb, 'f', 1) + " MB"
               : QString::number(static_cast<double>(b.size_bytes()) / 1024.0, 'f', 1) + " KB"},
      {"seal", Q(b.seal())},
      {"contents", contents.join(", ")},
      {"scheduled", b.scheduled()},
      {"error", Q(b.error())}};
}

QVariantMap AccountToMap(const admin::v1::Account& a, qint64 now_ms) {
  auto in = [now_ms](qint64 at_ms) {
    return QString::fromStdString(accounts::DescribeIn(at_ms, now_ms));
  };
  auto used = [](const admin::v1::QuotaWindow& w) {
    return w.known() ? static_cast<int>(std::lround(w.used_percent())) : -1;
  };
  auto reset = [&](const admin::v1::QuotaWindow& w) {
    return w.known() && w.reset_at_ms() > now_ms
               ? QCoreApplication::translate("ProtoMaps", "resets in %1").arg(in(w.reset_at_ms()))
               : QString();
  };
  QVariantMap m;
  m["accountId"] = Q(a.id());
  m["email"] = Q(a.email());
  m["plan"] = Q(a.plan());
  m["provider"] = Q(a.provider());
  m["position"] = a.position() + 1;
  m["standing"] = Q(a.state());
  m["detail"] = Q(a.detail());
  m["primaryUsed"] = used(a.quota().primary());
  m["secondaryUsed"] = used(a.quota().secondary());
  m["primaryReset"] = reset(a.quota().primary());
  m["secondaryReset"] = reset(a.quota().secondary());
  m["quotaAgo"] =
      a.quota().reported_at_ms() > 0 ? AgoText(a.quota().reported_at_ms(), now_ms) : QString();
  m["expiresText"] = a.access_expires_at_ms() > now_ms
                         ? QCoreApplication::translate("ProtoMaps", "expires in %1")
                               .arg(in(a.access_expires_at_ms()))
                         : QString();
  return m;
}

QVariantMap LogToMap(const admin::v1::RequestLog& l, qint64 now_ms) {
  QDateTime at = QDateTime::fromMSecsSinceEpoch(l.started_at_ms());
  QDateTime now = QDateTime::fromMSecsSinceEpoch(now_ms);
  QString time_text = at.date() == now.date()
                          ? at.toString(QStringLiteral("HH:mm:ss"))
                          : QLocale().toString(at, QStringLiteral("MMM d HH:mm"));
  QVariantList tried;
  for (const auto& a : l.tried()) {
    tried.append(QVariantMap{{"provider", Q(a.provider())},
                             {"status", a.status()},
                             {"outcome", Q(a.outcome())},
                             {"error", Q(a.error())},
                             {"latencyMs", Int(a.latency_ms())},
                             {"keyIndex", a.key_index()},
                             {"continued", a.continued()},
                             {"account", Q(a.account())}});
  }
  QVariantMap m{
      {"id", Int(l.id())},
      {"requestId", Q(l.request_id())},
      {"time", Int(l.started_at_ms())},
      {"timeText", time_text},
      {"client", ClientProtocolName(l.client_protocol())},
      {"path", Q(l.path())},
      {"provider", Q(l.provider())},
      {"model", Q(l.model_requested())},
      {"modelSent", Q(l.model_sent())},
      {"status", l.status()},
      {"latencyMs", Int(l.latency_ms())},
      {"ttfbMs", Int(l.ttfb_ms())},
      {"inputTokens", Int(l.input_tokens())},
      {"outputTokens", Int(l.output_tokens())},
      {"cachedTokens", Int(l.cached_tokens())},
      {"reasoningTokens", Int(l.reasoning_tokens())},
      {"error", Q(l.error())},
      {"stream", l.stream()},
      {"attempts", l.attempts()},
      {"conversionLosses", List(l.conversion_losses())},
      {"tried", tried},
      {"edgeId", Q(l.edge_id())},
      {"onPlan", l.on_plan()},
  };
  if (l.has_cost_usd()) m["costUsd"] = l.cost_usd();
  if (l.has_list_price_usd()) m["listPriceUsd"] = l.list_price_usd();
  return m;
}

QVariantMap CheckToMap(const admin::v1::Check& c) {
  QString severity;
  switch (c.status()) {
    case pb::CHECK_STATUS_OK:
      severity = QStringLiteral("ok");
      break;
    case pb::CHECK_STATUS_WARN:
      severity = QStringLiteral("warn");
      break;
    case pb::CHECK_STATUS_FAIL:
      severity = QStringLiteral("fail");
      break;
    default:
      severity = QStringLiteral("unknown");
  }
  return QVariantMap{{"name", Q(c.name())},
                     {"ok", c.status() == pb::CHECK_STATUS_OK},
                     {"severity", severity},
                     {"detail", Q(c.detail())},
                     {"fix", Q(c.fix())}};
}

QVariantMap ServiceToMap(const admin::v1::ServiceStatus& s) {
  QString health;
  switch (s.health()) {
    case pb::HEALTH_SERVING:
      health = QStringLiteral("serving");
      break;
    case pb::HEALTH_NOT_SERVING:
      health = QStringLiteral("not serving");
      break;
    case pb::HEALTH_UNREACHABLE:
      health = QStringLiteral("unreachable");
      break;
    default:
      health = QStringLiteral("unknown");
  }
  return QVariantMap{{"name", Q(s.info().name())},
                     {"address", Q(s.info().address())},
                     {"version", Q(s.info().version())},
                     {"up", s.health() == pb::HEALTH_SERVING},
                     {"health", health},
                     {"configVersion", QVariant::fromValue<quint64>(s.info().config_version())},
                     {"startedAt", Int(s.info().started_at_ms())},
                     {"uptimeMs", Int(s.uptime_ms())},
                     {"pid", s.info().pid()},
                     {"detail", Q(s.detail())}};
}

QVariantMap StatsTotalsToMap(const admin::v1::StatsTotals& t) {
  return QVariantMap{{"requests", Int(t.requests())},
                     {"errors", Int(t.errors())},
                     {"inputTokens", Int(t.input_tokens())},
                     {"outputTokens", Int(t.output_tokens())},
                     {"cachedTokens", Int(t.cached_tokens())},
                     {"reasoningTokens", Int(t.reasoning_tokens())},
                     {"costUsd", t.cost_usd()},
                     {"costKnown", t.unpriced_requests() == 0},
                     {"unpriced", Int(t.unpriced_requests())},
                     {"avgCostUsd", t.avg_cost_usd()},
                     {"avgLatencyMs", Int(t.avg_latency_ms())},
                     {"planRequests", Int(t.plan_requests())},
                     {"planListPriceUsd", t.plan_list_price_usd()}};
}

QVariantList BucketsToChart(const google::protobuf::RepeatedPtrField<admin::v1::StatsBucket>& b) {
  QVariantList out;
  for (const auto& bucket : b) {
    QDateTime start = QDateTime::fromMSecsSinceEpoch(bucket.start_ms());
    out.append(QVariantMap{{"startMs", Int(bucket.start_ms())},
                           {"label", start.toString(QStringLiteral("HH:mm"))},
                           {"requests", Int(bucket.totals().requests())},
                           {"errors", Int(bucket.totals().errors())},
                           {"costUsd", bucket.totals().cost_usd()}});
  }
  return out;
}

QVariantMap BudgetToMap(const admin::v1::Budget& b) {
  QString mode = QStringLiteral("notify");
  if (b.mode() == pb::BUDGET_MODE_BLOCK) mode = QStringLiteral("block");
  if (b.mode() == pb::BUDGET_MODE_CHEAPEST) mode = QStringLiteral("cheapest");
  return QVariantMap{{"limitUsd", b.daily_limit_usd()},
                     {"mode", mode},
                     {"spentUsd", b.spent_today_usd()},
                     {"exceeded", b.exceeded()},
                     {"detail", Q(b.detail())}};
}

QVariantMap EventToMap(const admin::v1::Event& e) {
  const std::string_view kind_name = EventKindName(e.kind());
  const QString kind =
      QString::fromLatin1(kind_name.data(), static_cast<qsizetype>(kind_name.size()));
  QVariantMap m{{"kind", kind},
                {"atMs", Int(e.at_ms())},
                {"activeRequests", e.active_requests()},
                {"requestId", Q(e.request_id())},
                {"client", Q(e.client())},
                {"model", Q(e.model())},
                {"provider", Q(e.provider())},
                {"status", e.status()},
                {"error", Q(e.error())},
                {"latencyMs", Int(e.latency_ms())},
                {"inputTokens", Int(e.input_tokens())},
                {"outputTokens", Int(e.output_tokens())},
                {"detail", Q(e.detail())},
                {"configVersion", QVariant::fromValue<quint64>(e.config_version())},
                {"edgeId", Q(e.edge_id())},
                {"account", Q(e.account())}};
  if (e.has_cost_usd()) m["costUsd"] = e.cost_usd();
  return m;
}

QVariantMap ClientStatusToMap(const clientconf::ClientStatus& s, const QString& gateway_url) {
  namespace cc = clientconf;
  const cc::Inspection& in = s.inspection;
  QString pointing;
  QString text;
  switch (in.pointing) {
    case cc::Pointing::kThisGateway:
      pointing = QStringLiteral("gateway");
      text = in.token_matches
                 ? QCoreApplication::translate("ProtoMaps", "Uses the gateway")
                 : QCoreApplication::translate("ProtoMaps",
                                               "Uses the gateway, but not with its current token");
      break;
    case cc::Pointing::kElsewhere:
      if (gateway_url.isEmpty() && in.token_matches) {
        pointing = QStringLiteral("gateway");
        text = QCoreApplication::translate("ProtoMaps",
                                           "Set up for the gateway (%1), which is not running")
                   .arg(Q(in.base_url));
      } else {
        pointing = QStringLiteral("elsewhere");
        text = QCoreApplication::translate("ProtoMaps", "Uses %1").arg(Q(in.base_url));
      }
      break;
    case cc::Pointing::kNotConfigured:
      pointing = QStringLiteral("none");
      text = s.config_present
                 ? QCoreApplication::translate("ProtoMaps", "Uses its official service")
                 : QCoreApplication::translate("ProtoMaps", "Not configured yet");
      break;
    case cc::Pointing::kUnreadable:
      pointing = QStringLiteral("none");
      text = QCoreApplication::translate("ProtoMaps", "Cannot read %1").arg(Q(s.config_path));
      break;
  }
  QStringList problems;
  for (const auto& p : in.problems) problems.append(Q(p));
  return QVariantMap{{"name", Q(cc::ClientName(s.kind))},
                     {"title", Q(cc::ClientTitle(s.kind))},
                     {"installed", !s.binary.empty()},
                     {"binary", Q(s.binary)},
                     {"pointing", pointing},
                     {"pointingText", text},
                     {"baseUrl", Q(in.base_url)},
                     {"model", Q(in.model)},
                     {"tokenMatches", in.token_matches},
                     {"configPath", Q(s.config_path)},
                     {"configPresent", s.config_present},
                     {"backedUp", s.backup_present},
                     {"problems", problems}};
}

}  // namespace agentgate::desktop
