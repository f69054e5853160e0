// Pure conversions between the admin API's protos (and the client-configuration library's
// results) and the QVariantMap rows the QML pages read. Every function documents its roles: the
// keys of the map it returns, which are the roles of the ListModel that holds such rows.
//
// A value that is not known is left out of the map (QML reads it as `undefined`), never made up:
// a request whose model has no price has no `costUsd`, a provider never tested has no
// `lastTestOk`. Times are Unix milliseconds; functions that say how long ago something was take
// `now_ms`, so tests give them a fixed clock.
//
// User-facing texts go through QCoreApplication::translate (context "ProtoMaps").
//
// Thread-safety: pure functions; safe from any thread (AdminWorker converts on its own thread).
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVariantMap>
#include <QtGlobal>

#include "agentgate/admin/v1/admin.pb.h"
#include "services/clientconf/client_files.h"

namespace agentgate::desktop {

// --- the roles of each ListModel (every key the matching *ToMap function may set) ---
QList<QByteArray> ProviderRoles();
QList<QByteArray> RouteRoles();
QList<QByteArray> LogRoles();
QList<QByteArray> CheckRoles();
QList<QByteArray> ClientRoles();
QList<QByteArray> AccountRoles();

// --- names shared by several maps ---
// "openai_chat" | "anthropic" | "gemini" | "" (unspecified).
QString ProtocolName(admin::v1::ProviderProtocol p);
// The inverse; PROVIDER_PROTOCOL_UNSPECIFIED for anything else.
admin::v1::ProviderProtocol ParseProtocol(const QString& name);
// "chat" | "claude" | "codex" | "gemini" | "" (unspecified).
QString ClientProtocolName(admin::v1::ClientProtocol p);
admin::v1::ClientProtocol ParseClientProtocol(const QString& name);
// "yes" | "no" | "unknown".
QString CapabilityName(admin::v1::Capability c);
admin::v1::Capability ParseCapability(const QString& name);
// "3 s ago", "4 min ago", "2 h ago", "5 d ago" ("just now" under a second).
QString AgoText(qint64 then_ms, qint64 now_ms);

// --- providers ---
// The provider's availability: "disabled" (switched off), "open" (circuit breaker open),
// "cooling" (cooling down, or half-open: being tried again), "ok" otherwise.
QString HealthState(const admin::v1::Provider& p, qint64 now_ms);
// The same in words: "healthy", "disabled", "cooling down 25 s (429)", "circuit open, retry in
// 40 s (timeout)", "half-open: trying again".
QString HealthText(const admin::v1::Provider& p, qint64 now_ms);

// Roles: name, type, protocol (ProtocolName), baseUrl, enabled, priority, keys (QStringList of
// masked keys, in rotation order), keyCount, keyStates [{masked, coolingDown, failures,
// lastError}], defaultModel, reasoningModel, timeoutMs, models (QStringList), modelMap [{from,
// to}] sorted by `from`, anthropicUrl, responsesUrl, headers [{name, value}] sorted by name,
// health (HealthState), healthText (HealthText), healthDetail (the router's own sentence, "" when
// healthy), lastError (the last upstream error), vision, promptCache (CapabilityName),
// testPending, lastTestText ("testing…", "never tested", "ok 3 min ago", "failed 10 s ago"),
// createdAtMs, updatedAtMs; and, only when it was tested: lastTestOk, lastTestAtMs,
// lastTestModel, lastTestSteps (TestStepsToList).
QVariantMap ProviderToMap(const admin::v1::Provider& p, qint64 now_ms);

// A test's steps: [{name, ok, skipped, detail, elapsedMs}], in order.
QVariantList TestStepsToList(const admin::v1::ProviderTestResult& r);

// Saving a provider from the page's `fields` (see Backend::saveProvider): keys of `fields`
// that are absent leave the provider's value alone on update, and take the type's preset on
// create. `keys` (QStringList) empty keeps the keys. `modelMap` is [{from, to}], `headers`
// [{name, value}]; rows with an empty `from` / `name` are dropped.
admin::v1::CreateProviderRequest FieldsToCreateRequest(const QVariantMap& fields);
admin::v1::UpdateProviderRequest FieldsToUpdateRequest(const QString& original_name,
                                                       const QVariantMap& fields);

// --- routes ---
// A rule: {name, scene, provider, model, disabled, conditions {minInputTokens, hasImages,
// hasTools, minTools, systemKeywords, thinking, modelKeywords}, conditionsText ("images, ≥ 8000
// tokens"; "" when none)}.
QVariantMap RuleToMap(const admin::v1::RouteRule& r);
// Roles: name, client (ClientProtocolName), mode ("manual" | "failover"), chain (QStringList of
// provider names, first tried first), rules (list of RuleToMap), isDefault, updatedAtMs.
QVariantMap RouteToMap(const admin::v1::RouteProfile& r);
// Writes the keys `m` has onto `r` (a key that is absent leaves the field as it is): name,
// client, mode, chain, rules (replaces every rule), isDefault.
void MapToRoute(const QVariantMap& m, admin::v1::RouteProfile* r);
admin::v1::RouteRule MapToRule(const QVariantMap& m);

// --- official accounts ---
// Roles: accountId, email, plan, provider (its pool), position (1 first), standing ("ready" |
// "low" | "spent" | "re-login"), detail (why, "" when ready), primaryUsed / secondaryUsed (percent,
// -1 not known), primaryReset / secondaryReset ("resets in 2h 5m", "" not known), quotaAgo ("3
// min ago", "" never reported), expiresText (the access token: "expires in 9d 2h", "" not known).
QVariantMap AccountToMap(const admin::v1::Account& a, qint64 now_ms);

// A backup of the router's: name, path, made (local date and time), sizeText ("1.2 MB"), seal
// ("master-key" | "passphrase"), contents ("config.db, stats.db, token"), scheduled, error.
QVariantMap BackupToMap(const admin::v1::BackupInfo& b);

// --- request logs ---
// Roles: id (the stats store's id), requestId, time (started, ms), timeText ("14:03:12" today,
// "Nov 21 14:03" before), client (ClientProtocolName), path, provider, model (as requested),
// modelSent, status, latencyMs, ttfbMs (-1: none), inputTokens, outputTokens, cachedTokens,
// reasoningTokens, error, stream, attempts, conversionLosses (QStringList), tried [{provider,
// status, outcome, error, latencyMs, keyIndex}], edgeId; costUsd only when the cost is known.
QVariantMap LogToMap(const admin::v1::RequestLog& l, qint64 now_ms);

// --- diagnostics ---
// Roles: name, ok (status OK), severity ("ok" | "warn" | "fail" | "unknown"), detail, fix.
QVariantMap CheckToMap(const admin::v1::Check& c);
// One service of GetStackStatus: {name, address, version, up (serving), health ("serving" |
// "not serving" | "unreachable" | "unknown"), configVersion, startedAt (ms), uptimeMs, pid,
// detail}.
QVariantMap ServiceToMap(const admin::v1::ServiceStatus& s);

// --- stats ---
// {requests, errors, inputTokens, outputTokens, cachedTokens, reasoningTokens, costUsd (priced
// requests only), costKnown (every request was priced, so costUsd is the whole cost), unpriced,
// avgCostUsd (per priced request), avgLatencyMs}.
QVariantMap StatsTotalsToMap(const admin::v1::StatsTotals& t);
// Hour buckets, oldest first: [{startMs, label ("14:00", local time), requests, errors,
// costUsd}].
QVariantList BucketsToChart(const google::protobuf::RepeatedPtrField<admin::v1::StatsBucket>& b);
// {limitUsd (0 = none), mode ("notify" | "block" | "cheapest"), spentUsd, exceeded, detail}.
QVariantMap BudgetToMap(const admin::v1::Budget& b);

// --- live events ---
// {kind ("hello" | "started" | "finished" | "health" | "config" | "stopping" | "unknown"), atMs,
// activeRequests, requestId, client, model, provider, status, error, latencyMs, inputTokens,
// outputTokens, detail, configVersion, edgeId; costUsd only when known}.
QVariantMap EventToMap(const admin::v1::Event& e);

// --- clients ---
// Roles: name ("codex", "claude", "gemini", "opencode"), title ("Codex CLI"), installed (on
// PATH), binary (its path, "" when not installed), pointing ("gateway" | "elsewhere" | "none"),
// pointingText (a sentence), baseUrl (what the client talks to), model, tokenMatches,
// configPath, configPresent, backedUp, problems (QStringList).
// `gateway_url` "" (the gateway is not running): a client configured with the local token is
// taken to point at the gateway (it is AgentGate's configuration, waiting for the gateway).
QVariantMap ClientStatusToMap(const clientconf::ClientStatus& s, const QString& gateway_url);

}  // namespace agentgate::desktop
