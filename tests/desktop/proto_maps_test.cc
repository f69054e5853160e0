// proto_maps: each conversion's roles and values, unknown values left out (not zero), the
// health and last-test texts, and the page-fields-to-request mappings.
#include "desktop-qml/backend/proto_maps.h"

#include <QDateTime>
#include <QTest>

namespace agentgate::desktop {
namespace {

namespace pb = admin::v1;

constexpr qint64 kNow = 1'795'000'000'000;  // a fixed clock

// Every key of `m` is one of `roles` (so a ListModel of such rows shows all of them).
bool KeysAreRoles(const QVariantMap& m, const QList<QByteArray>& roles) {
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (!roles.contains(it.key().toUtf8())) {
      qWarning("key %s is not a role", qPrintable(it.key()));
      return false;
    }
  }
  return true;
}

pb::Provider SampleProvider() {
  pb::Provider p;
  p.set_name("deepseek");
  p.set_type("deepseek");
  p.set_protocol(pb::PROVIDER_PROTOCOL_OPENAI_CHAT);
  p.set_base_url("https://api.deepseek.com");
  p.set_api_key_masked("sk-…abcd");
  p.add_api_keys_masked("sk-…abcd");
  p.add_api_keys_masked("sk-…efgh");
  p.set_default_model("deepseek-chat");
  p.set_reasoning_model("deepseek-reasoner");
  p.add_models("deepseek-chat");
  (*p.mutable_model_map())["*"] = "deepseek-chat";
  (*p.mutable_model_map())["claude-3-haiku"] = "deepseek-chat";
  (*p.mutable_extra_headers())["x-team"] = "core";
  p.set_timeout_ms(120000);
  p.set_enabled(true);
  p.set_priority(10);
  p.set_anthropic_url("https://api.deepseek.com/anthropic");
  p.set_vision(pb::CAPABILITY_NO);
  p.set_prompt_cache(pb::CAPABILITY_YES);
  p.mutable_status()->set_state("healthy");
  return p;
}

}  // namespace

class ProtoMapsTest : public QObject {
  Q_OBJECT

 private slots:
  void account() {
    pb::Account a;
    a.set_id("acct-1");
    a.set_email("jane@example.com");
    a.set_plan("plus");
    a.set_provider("chatgpt");
    a.set_position(0);
    a.set_state("low");
    a.set_detail("weekly window 96% used, resets in 2d 0h");
    a.mutable_quota()->mutable_primary()->set_known(true);
    a.mutable_quota()->mutable_primary()->set_used_percent(12.4);
    a.mutable_quota()->mutable_primary()->set_reset_at_ms(kNow + 3'600'000);
    a.mutable_quota()->set_reported_at_ms(kNow - 120'000);
    a.set_access_expires_at_ms(kNow + 9LL * 86'400'000);
    QVariantMap m = AccountToMap(a, kNow);
    QVERIFY(KeysAreRoles(m, AccountRoles()));
    QCOMPARE(m["accountId"].toString(), QString("acct-1"));
    QCOMPARE(m["position"].toInt(), 1);
    QCOMPARE(m["standing"].toString(), QString("low"));
    QCOMPARE(m["primaryUsed"].toInt(), 12);
    QCOMPARE(m["secondaryUsed"].toInt(), -1);  // not reported
    QCOMPARE(m["primaryReset"].toString(), QString("resets in 1h 0m"));
    QCOMPARE(m["secondaryReset"].toString(), QString());
    QCOMPARE(m["quotaAgo"].toString(), QString("2 min ago"));
    QCOMPARE(m["expiresText"].toString(), QString("expires in 9d 0h"));
  }

  void provider() {
    pb::Provider p = SampleProvider();
    QVariantMap m = ProviderToMap(p, kNow);
    QVERIFY(KeysAreRoles(m, ProviderRoles()));
    QCOMPARE(m["name"].toString(), QString("deepseek"));
    QCOMPARE(m["protocol"].toString(), QString("openai_chat"));
    QCOMPARE(m["baseUrl"].toString(), QString("https://api.deepseek.com"));
    QCOMPARE(m["keys"].toStringList(), QStringList({"sk-…abcd", "sk-…efgh"}));
    QCOMPARE(m["keyCount"].toInt(), 2);
    QCOMPARE(m["defaultModel"].toString(), QString("deepseek-chat"));
    QCOMPARE(m["reasoningModel"].toString(), QString("deepseek-reasoner"));
    QCOMPARE(m["timeoutMs"].toLongLong(), 120000);
    QCOMPARE(m["priority"].toInt(), 10);
    QCOMPARE(m["enabled"].toBool(), true);
    QCOMPARE(m["models"].toStringList(), QStringList({"deepseek-chat"}));
    QVariantList map = m["modelMap"].toList();
    QCOMPARE(map.size(), 2);  // sorted by `from`
    QCOMPARE(map[0].toMap()["from"].toString(), QString("*"));
    QCOMPARE(map[1].toMap()["from"].toString(), QString("claude-3-haiku"));
    QCOMPARE(map[1].toMap()["to"].toString(), QString("deepseek-chat"));
    QVariantList headers = m["headers"].toList();
    QCOMPARE(headers.size(), 1);
    QCOMPARE(headers[0].toMap()["name"].toString(), QString("x-team"));
    QCOMPARE(headers[0].toMap()["value"].toString(), QString("core"));
    QCOMPARE(m["anthropicUrl"].toString(), QString("https://api.deepseek.com/anthropic"));
    QCOMPARE(m["vision"].toString(), QString("no"));
    QCOMPARE(m["promptCache"].toString(), QString("yes"));
    QCOMPARE(m["health"].toString(), QString("ok"));
    QCOMPARE(m["healthText"].toString(), QString("healthy"));
    // Never tested: no lastTestOk at all (unknown, not false).
    QVERIFY(!m.contains("lastTestOk"));
    QCOMPARE(m["lastTestText"].toString(), QString("never tested"));
    QCOMPARE(m["testPending"].toBool(), false);

    // A single legacy key (no per-key list) still shows.
    pb::Provider one = SampleProvider();
    one.clear_api_keys_masked();
    QCOMPARE(ProviderToMap(one, kNow)["keys"].toStringList(), QStringList({"sk-…abcd"}));
  }

  void providerHealth() {
    pb::Provider p = SampleProvider();
    p.mutable_status()->set_state("cooling down");
    p.mutable_status()->set_cooldown_until_ms(kNow + 24'500);
    p.mutable_status()->set_last_error("429 Too Many Requests");
    QVariantMap m = ProviderToMap(p, kNow);
    QCOMPARE(m["health"].toString(), QString("cooling"));
    QCOMPARE(m["healthText"].toString(), QString("cooling down 25 s (429)"));
    // The cooldown is over by now: ok again, whatever the last report said.
    QCOMPARE(HealthState(p, kNow + 30'000), QString("ok"));

    p.mutable_status()->set_state("circuit open");
    p.mutable_status()->set_open_until_ms(kNow + 40'000);
    p.mutable_status()->set_last_error("timeout");
    m = ProviderToMap(p, kNow);
    QCOMPARE(m["health"].toString(), QString("open"));
    QCOMPARE(m["healthText"].toString(), QString("circuit open, retry in 40 s (timeout)"));
    // A long error is cut to stay readable in a list.
    p.mutable_status()->set_last_error(
        "connect error: no route to host api.example.com:443 after 3 tries");
    QCOMPARE(HealthText(p, kNow),
             QString("circuit open, retry in 40 s (connect error: no route to host api.exa…)"));

    p.mutable_status()->set_state("half-open");
    QCOMPARE(HealthState(p, kNow), QString("cooling"));
    QCOMPARE(HealthText(p, kNow), QString("half-open: trying again"));

    p.set_enabled(false);
    p.mutable_status()->set_state("disabled");
    QCOMPARE(HealthState(p, kNow), QString("disabled"));
    QCOMPARE(HealthText(p, kNow), QString("disabled"));
  }

  void providerLastTest() {
    pb::Provider p = SampleProvider();
    auto* t = p.mutable_last_test();
    t->set_ok(true);
    t->set_tested_at_ms(kNow - 3 * 60'000 - 5'000);
    t->set_model("deepseek-chat");
    auto* step = t->add_steps();
    step->set_name("provider");
    step->set_ok(true);
    step->set_detail("answered");
    step->set_elapsed_ms(420);
    QVariantMap m = ProviderToMap(p, kNow);
    QCOMPARE(m["lastTestOk"].toBool(), true);
    QCOMPARE(m["lastTestText"].toString(), QString("ok 3 min ago"));
    QCOMPARE(m["lastTestModel"].toString(), QString("deepseek-chat"));
    QVariantList steps = m["lastTestSteps"].toList();
    QCOMPARE(steps.size(), 1);
    QCOMPARE(steps[0].toMap()["elapsedMs"].toLongLong(), 420);

    t->set_ok(false);
    t->set_tested_at_ms(kNow - 10'000);
    QCOMPARE(ProviderToMap(p, kNow)["lastTestText"].toString(), QString("failed 10 s ago"));
    p.set_test_pending(true);
    QCOMPARE(ProviderToMap(p, kNow)["lastTestText"].toString(), QString("testing…"));
    QCOMPARE(AgoText(kNow - 2 * 3'600'000, kNow), QString("2 h ago"));
    QCOMPARE(AgoText(kNow - 3 * 86'400'000, kNow), QString("3 d ago"));
    QCOMPARE(AgoText(kNow, kNow), QString("just now"));
  }

  void createRequest() {
    QVariantMap fields{{"name", "ds"},
                       {"type", "deepseek"},
                       {"protocol", "anthropic"},
                       {"baseUrl", " https://example.com/v1 "},
                       {"keys", QStringList({"k1", "", "k2"})},
                       {"defaultModel", "m"},
                       {"timeoutMs", 5000},
                       {"modelMap", QVariantList{QVariantMap{{"from", "*"}, {"to", "m"}},
                                                 QVariantMap{{"from", ""}, {"to", "x"}}}},
                       {"headers", QVariantList{QVariantMap{{"name", "x-a"}, {"value", "1"}}}},
                       {"priority", 5}};
    pb::CreateProviderRequest req = FieldsToCreateRequest(fields);
    QCOMPARE(req.provider().name(), std::string("ds"));
    QCOMPARE(req.provider().type(), std::string("deepseek"));
    QCOMPARE(req.provider().protocol(), pb::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES);
    QCOMPARE(req.provider().base_url(), std::string("https://example.com/v1"));
    QCOMPARE(req.api_key(), std::string("k1"));
    QCOMPARE(req.more_api_keys_size(), 1);
    QCOMPARE(req.more_api_keys(0), std::string("k2"));
    QCOMPARE(req.provider().timeout_ms(), 5000u);
    QCOMPARE(req.provider().priority(), 5);
    QCOMPARE(req.provider().model_map_size(), 1);  // the row without `from` is dropped
    QCOMPARE(req.provider().model_map().at("*"), std::string("m"));
    QCOMPARE(req.provider().extra_headers().at("x-a"), std::string("1"));
    // No name: the type's.
    QCOMPARE(FieldsToCreateRequest({{"type", "openai"}}).provider().name(), std::string("openai"));
  }

  void updateRequest() {
    // Only what the fields name changes; keys empty keep the keys.
    pb::UpdateProviderRequest req = FieldsToUpdateRequest("ds", {{"defaultModel", "m2"}});
    QCOMPARE(req.name(), std::string("ds"));
    QVERIFY(req.has_default_model());
    QVERIFY(!req.has_base_url());
    QVERIFY(!req.has_enabled());
    QVERIFY(!req.has_new_name());
    QVERIFY(!req.replace_api_keys());
    QVERIFY(!req.replace_model_map());
    QVERIFY(!req.replace_extra_headers());
    QVERIFY(!req.replace_models());

    req = FieldsToUpdateRequest(
        "ds", {{"name", "ds2"},
               {"keys", QStringList({"n1", "n2"})},
               {"enabled", false},
               {"anthropicUrl", ""},
               {"modelMap", QVariantList()},
               {"headers", QVariantList{QVariantMap{{"name", "h"}, {"value", "v"}}}},
               {"protocol", "gemini"}});
    QCOMPARE(req.new_name(), std::string("ds2"));
    QVERIFY(req.replace_api_keys());
    QCOMPARE(req.api_keys_size(), 2);
    QVERIFY(req.has_enabled());
    QCOMPARE(req.enabled(), false);
    QVERIFY(req.has_anthropic_url());  // "" clears it
    QCOMPARE(req.anthropic_url(), std::string());
    QVERIFY(req.replace_model_map());  // an empty map replaces the map: clears it
    QCOMPARE(req.model_map_size(), 0);
    QVERIFY(req.replace_extra_headers());
    QCOMPARE(req.protocol(), pb::PROVIDER_PROTOCOL_GEMINI);
    // The same name is no rename.
    QVERIFY(!FieldsToUpdateRequest("ds", {{"name", "ds"}}).has_new_name());
  }

  void route() {
    pb::RouteProfile r;
    r.set_name("claude");
    r.set_client_protocol(pb::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES);
    r.set_is_default(true);
    r.set_mode(pb::ROUTE_MODE_MANUAL);
    r.add_chain("a");
    r.add_chain("b");
    auto* rule = r.add_rules();
    rule->set_name("images");
    rule->set_scene("image");
    rule->set_provider("b");
    rule->mutable_when()->set_has_images(true);
    rule->mutable_when()->set_min_input_tokens(8000);
    rule->mutable_when()->add_model_keywords("haiku");
    r.set_midstream_failover(true);
    QVariantMap m = RouteToMap(r);
    QVERIFY(KeysAreRoles(m, RouteRoles()));
    QCOMPARE(m["name"].toString(), QString("claude"));
    QCOMPARE(m["client"].toString(), QString("claude"));
    QCOMPARE(m["mode"].toString(), QString("manual"));
    QCOMPARE(m["chain"].toStringList(), QStringList({"a", "b"}));
    QCOMPARE(m["isDefault"].toBool(), true);
    QCOMPARE(m["midstreamFailover"].toBool(), true);
    QVariantMap rm = m["rules"].toList()[0].toMap();
    QCOMPARE(rm["provider"].toString(), QString("b"));
    QCOMPARE(rm["scene"].toString(), QString("image"));
    QCOMPARE(rm["conditions"].toMap()["hasImages"].toBool(), true);
    QCOMPARE(rm["conditions"].toMap()["minInputTokens"].toLongLong(), 8000);
    QCOMPARE(rm["conditionsText"].toString(), QString("images, ≥ 8000 tokens, model: haiku"));

    // Back: the map gives the same profile; absent keys leave fields alone.
    pb::RouteProfile back;
    MapToRoute(m, &back);
    back.set_updated_at_ms(r.updated_at_ms());
    QCOMPARE(back.SerializeAsString(), r.SerializeAsString());
    MapToRoute({{"mode", "failover"}}, &back);
    QCOMPARE(back.mode(), pb::ROUTE_MODE_FAILOVER);
    QCOMPARE(back.chain_size(), 2);
    QVERIFY(back.is_default());
    MapToRoute({{"chain", QStringList({"b", "a", ""})}}, &back);
    QCOMPARE(back.chain(0), std::string("b"));
    QCOMPARE(back.chain_size(), 2);
  }

  void log() {
    pb::RequestLog l;
    l.set_id(42);
    l.set_request_id("req-1");
    l.set_started_at_ms(kNow - 5'000);
    l.set_client_protocol(pb::CLIENT_PROTOCOL_OPENAI_RESPONSES);
    l.set_provider("ds");
    l.set_model_requested("gpt-5");
    l.set_model_sent("deepseek-chat");
    l.set_status(200);
    l.set_latency_ms(850);
    l.set_ttfb_ms(120);
    l.set_input_tokens(11);
    l.set_output_tokens(5);
    l.set_stream(true);
    l.set_attempts(2);
    l.add_conversion_losses("web_search tool");
    auto* a = l.add_tried();
    a->set_provider("other");
    a->set_status(429);
    a->set_outcome("http_error");
    a->set_latency_ms(30);
    a->set_key_index(0);
    QVariantMap m = LogToMap(l, kNow);
    QVERIFY(KeysAreRoles(m, LogRoles()));
    QCOMPARE(m["id"].toLongLong(), 42);
    QCOMPARE(m["time"].toLongLong(), kNow - 5'000);
    QCOMPARE(m["timeText"].toString(),
             QDateTime::fromMSecsSinceEpoch(kNow - 5'000).toString("HH:mm:ss"));
    QCOMPARE(m["client"].toString(), QString("codex"));
    QCOMPARE(m["model"].toString(), QString("gpt-5"));
    QCOMPARE(m["modelSent"].toString(), QString("deepseek-chat"));
    QCOMPARE(m["status"].toInt(), 200);
    QCOMPARE(m["ttfbMs"].toLongLong(), 120);
    QCOMPARE(m["stream"].toBool(), true);
    QCOMPARE(m["attempts"].toInt(), 2);
    QCOMPARE(m["conversionLosses"].toStringList(), QStringList({"web_search tool"}));
    QVariantMap tried = m["tried"].toList()[0].toMap();
    QCOMPARE(tried["provider"].toString(), QString("other"));
    QCOMPARE(tried["status"].toInt(), 429);
    QCOMPARE(tried["outcome"].toString(), QString("http_error"));
    QCOMPARE(tried["continued"].toBool(), false);
    a->set_continued(true);
    QVERIFY(LogToMap(l, kNow)["tried"].toList()[0].toMap()["continued"].toBool());
    // The model has no price: the cost is unknown, not zero.
    QVERIFY(!m.contains("costUsd"));
    l.set_cost_usd(0.0);
    QVERIFY(LogToMap(l, kNow).contains("costUsd"));
    l.set_cost_usd(0.0012);
    QCOMPARE(LogToMap(l, kNow)["costUsd"].toDouble(), 0.0012);
    // An older day shows its date.
    l.set_started_at_ms(kNow - 3 * 86'400'000);
    QVERIFY(LogToMap(l, kNow)["timeText"].toString().size() > 8);
  }

  void check() {
    pb::Check c;
    c.set_name("files");
    c.set_status(pb::CHECK_STATUS_WARN);
    c.set_detail("token is readable by others");
    c.set_fix("chmod 600 ~/.agentgate/token");
    QVariantMap m = CheckToMap(c);
    QVERIFY(KeysAreRoles(m, CheckRoles()));
    QCOMPARE(m["ok"].toBool(), false);
    QCOMPARE(m["severity"].toString(), QString("warn"));
    QCOMPARE(m["fix"].toString(), QString("chmod 600 ~/.agentgate/token"));
    c.set_status(pb::CHECK_STATUS_OK);
    QCOMPARE(CheckToMap(c)["ok"].toBool(), true);
    QCOMPARE(CheckToMap(c)["severity"].toString(), QString("ok"));
    c.set_status(pb::CHECK_STATUS_FAIL);
    QCOMPARE(CheckToMap(c)["severity"].toString(), QString("fail"));
  }

  void service() {
    pb::ServiceStatus s;
    s.mutable_info()->set_name("edge");
    s.mutable_info()->set_address("127.0.0.1:9090");
    s.mutable_info()->set_config_version(7);
    s.set_health(pb::HEALTH_SERVING);
    QVariantMap m = ServiceToMap(s);
    QCOMPARE(m["name"].toString(), QString("edge"));
    QCOMPARE(m["up"].toBool(), true);
    QCOMPARE(m["configVersion"].toULongLong(), 7u);
    s.set_health(pb::HEALTH_UNREACHABLE);
    QCOMPARE(ServiceToMap(s)["up"].toBool(), false);
    QCOMPARE(ServiceToMap(s)["health"].toString(), QString("unreachable"));
  }

  void stats() {
    pb::StatsTotals t;
    t.set_requests(10);
    t.set_errors(1);
    t.set_input_tokens(1000);
    t.set_output_tokens(200);
    t.set_cost_usd(0.5);
    t.set_unpriced_requests(2);
    t.set_avg_cost_usd(0.0625);
    t.set_avg_latency_ms(900);
    QVariantMap m = StatsTotalsToMap(t);
    QCOMPARE(m["requests"].toLongLong(), 10);
    QCOMPARE(m["errors"].toLongLong(), 1);
    QCOMPARE(m["costUsd"].toDouble(), 0.5);
    QCOMPARE(m["costKnown"].toBool(), false);  // two requests had no price
    QCOMPARE(m["unpriced"].toLongLong(), 2);
    QCOMPARE(m["avgCostUsd"].toDouble(), 0.0625);
    QCOMPARE(m["avgLatencyMs"].toLongLong(), 900);
    t.set_unpriced_requests(0);
    QCOMPARE(StatsTotalsToMap(t)["costKnown"].toBool(), true);

    google::protobuf::RepeatedPtrField<pb::StatsBucket> buckets;
    const qint64 two_pm = QDateTime(QDate(2026, 11, 22), QTime(14, 0)).toMSecsSinceEpoch();
    for (int i = 0; i < 3; ++i) {
      pb::StatsBucket* b = buckets.Add();
      b->set_start_ms(two_pm + i * 3'600'000);
      b->mutable_totals()->set_requests(i);
      b->mutable_totals()->set_cost_usd(i * 0.25);
    }
    QVariantList chart = BucketsToChart(buckets);
    QCOMPARE(chart.size(), 3);
    QCOMPARE(chart[0].toMap()["label"].toString(), QString("14:00"));
    QCOMPARE(chart[2].toMap()["label"].toString(), QString("16:00"));
    QCOMPARE(chart[2].toMap()["requests"].toLongLong(), 2);
    QCOMPARE(chart[2].toMap()["costUsd"].toDouble(), 0.5);
    QCOMPARE(chart[1].toMap()["startMs"].toLongLong(), two_pm + 3'600'000);
  }

  void budget() {
    pb::Budget b;
    b.set_daily_limit_usd(5);
    b.set_mode(pb::BUDGET_MODE_BLOCK);
    b.set_spent_today_usd(6);
    b.set_exceeded(true);
    QVariantMap m = BudgetToMap(b);
    QCOMPARE(m["limitUsd"].toDouble(), 5.0);
    QCOMPARE(m["mode"].toString(), QString("block"));
    QCOMPARE(m["exceeded"].toBool(), true);
    b.set_mode(pb::BUDGET_MODE_UNSPECIFIED);
    QCOMPARE(BudgetToMap(b)["mode"].toString(), QString("notify"));
  }

  void event() {
    pb::Event e;
    e.set_kind(pb::EVENT_KIND_REQUEST_FINISHED);
    e.set_at_ms(kNow);
    e.set_active_requests(2);
    e.set_request_id("r1");
    e.set_client("claude");
    e.set_model("claude-sonnet");
    e.set_provider("ds");
    e.set_status(502);
    e.set_error("upstream closed");
    e.set_latency_ms(1200);
    e.set_input_tokens(11);
    e.set_output_tokens(5);
    QVariantMap m = EventToMap(e);
    QCOMPARE(m["kind"].toString(), QString("finished"));
    QCOMPARE(m["atMs"].toLongLong(), kNow);
    QCOMPARE(m["activeRequests"].toInt(), 2);
    QCOMPARE(m["status"].toInt(), 502);
    QCOMPARE(m["error"].toString(), QString("upstream closed"));
    QVERIFY(!m.contains("costUsd"));  // unknown
    e.set_cost_usd(0.01);
    QCOMPARE(EventToMap(e)["costUsd"].toDouble(), 0.01);

    const std::pair<pb::EventKind, const char*> kinds[] = {
        {pb::EVENT_KIND_HELLO, "hello"},
        {pb::EVENT_KIND_REQUEST_STARTED, "started"},
        {pb::EVENT_KIND_PROVIDER_HEALTH, "health"},
        {pb::EVENT_KIND_CONFIG_CHANGED, "config"},
        {pb::EVENT_KIND_STACK_STOPPING, "stopping"},
        {pb::EVENT_KIND_ACCOUNT, "account"}};
    for (const auto& [kind, name] : kinds) {
      pb::Event k;
      k.set_kind(kind);
      k.set_config_version(3);
      QCOMPARE(EventToMap(k)["kind"].toString(), QString(name));
      QCOMPARE(EventToMap(k)["configVersion"].toULongLong(), 3u);
    }
  }

  void client() {
    namespace cc = clientconf;
    cc::ClientStatus s;
    s.kind = cc::ClientKind::kCodex;
    s.binary = "/usr/bin/codex";
    s.config_path = "/home/u/.codex/config.toml";
    s.config_present = true;
    s.backup_present = true;
    s.inspection.pointing = cc::Pointing::kThisGateway;
    s.inspection.base_url = "http://127.0.0.1:9090/v1";
    s.inspection.token_matches = true;
    QVariantMap m = ClientStatusToMap(s, "http://127.0.0.1:9090");
    QVERIFY(KeysAreRoles(m, ClientRoles()));
    QCOMPARE(m["name"].toString(), QString("codex"));
    QCOMPARE(m["title"].toString(), QString("Codex CLI"));
    QCOMPARE(m["installed"].toBool(), true);
    QCOMPARE(m["pointing"].toString(), QString("gateway"));
    QCOMPARE(m["pointingText"].toString(), QString("Uses the gateway"));
    QCOMPARE(m["backedUp"].toBool(), true);
    QCOMPARE(m["configPath"].toString(), QString("/home/u/.codex/config.toml"));

    s.inspection.token_matches = false;
    QVERIFY(
        ClientStatusToMap(s, "http://127.0.0.1:9090")["pointingText"].toString().contains("token"));

    s.inspection.pointing = cc::Pointing::kElsewhere;
    s.inspection.base_url = "https://api.openai.com/v1";
    m = ClientStatusToMap(s, "http://127.0.0.1:9090");
    QCOMPARE(m["pointing"].toString(), QString("elsewhere"));
    QCOMPARE(m["pointingText"].toString(), QString("Uses https://api.openai.com/v1"));

    // The gateway is not running: a config with the local token is still ours.
    s.inspection.base_url = "http://127.0.0.1:9090/v1";
    s.inspection.token_matches = true;
    QCOMPARE(ClientStatusToMap(s, "")["pointing"].toString(), QString("gateway"));

    s.binary.clear();
    s.inspection = cc::Inspection();
    m = ClientStatusToMap(s, "http://127.0.0.1:9090");
    QCOMPARE(m["installed"].toBool(), false);
    QCOMPARE(m["pointing"].toString(), QString("none"));
    s.inspection.pointing = cc::Pointing::kUnreadable;
    QCOMPARE(ClientStatusToMap(s, "")["pointing"].toString(), QString("none"));
  }

  void names() {
    for (auto p : {pb::PROVIDER_PROTOCOL_OPENAI_CHAT, pb::PROVIDER_PROTOCOL_ANTHROPIC_MESSAGES,
                   pb::PROVIDER_PROTOCOL_GEMINI}) {
      QCOMPARE(ParseProtocol(ProtocolName(p)), p);
    }
    for (auto c : {pb::CLIENT_PROTOCOL_OPENAI_CHAT, pb::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES,
                   pb::CLIENT_PROTOCOL_OPENAI_RESPONSES, pb::CLIENT_PROTOCOL_GEMINI}) {
      QCOMPARE(ParseClientProtocol(ClientProtocolName(c)), c);
    }
    QCOMPARE(ParseProtocol("nonsense"), pb::PROVIDER_PROTOCOL_UNSPECIFIED);
    QCOMPARE(CapabilityName(pb::CAPABILITY_UNKNOWN), QString("unknown"));
    QCOMPARE(ParseCapability("yes"), pb::CAPABILITY_YES);
  }
};

}  // namespace agentgate::desktop

QTEST_GUILESS_MAIN(agentgate::desktop::ProtoMapsTest)
#include "proto_maps_test.moc"
