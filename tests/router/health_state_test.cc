// The router's health board, its admin/snapshot form, scene expansion and the hub's throttled
// health publishing (with a real config store in a temporary folder).
#include "services/router/health_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/router/config_store.h"
#include "services/router/local_token.h"
#include "services/router/snapshot_hub.h"
#include "tests/common/temp_dir.h"

namespace agentgate::router {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kNow = 1'700'000'000'000;

control::v1::Outcome Out(const std::string& provider, control::v1::OutcomeKind kind, int status = 0,
                         int64_t retry_after_ms = 0, int64_t at_ms = kNow) {
  control::v1::Outcome o;
  o.set_provider(provider);
  o.set_kind(kind);
  o.set_status(status);
  o.set_retry_after_ms(retry_after_ms);
  o.set_at_ms(at_ms);
  o.set_key_index(-1);
  return o;
}

TEST(FailureOfTest, MapsKindsAndStatuses) {
  using routing::Failure;
  EXPECT_EQ(FailureOf(Out("p", control::v1::OUTCOME_KIND_SUCCESS, 200)), Failure::kNone);
  EXPECT_EQ(FailureOf(Out("p", control::v1::OUTCOME_KIND_HTTP_ERROR, 429)), Failure::kRateLimited);
  EXPECT_EQ(FailureOf(Out("p", control::v1::OUTCOME_KIND_HTTP_ERROR, 503)), Failure::kServer);
  EXPECT_EQ(FailureOf(Out("p", control::v1::OUTCOME_KIND_HTTP_ERROR, 401)), Failure::kAuth);
  EXPECT_EQ(FailureOf(Out("p", control::v1::OUTCOME_KIND_HTTP_ERROR, 400)), Failure::kRequest);
  EXPECT_EQ(FailureOf(Out("p", control::v1::OUTCOME_KIND_CONNECT_ERROR)), Failure::kConnect);
  EXPECT_EQ(FailureOf(Out("p", control::v1::OUTCOME_KIND_TIMEOUT)), Failure::kTimeout);
  EXPECT_EQ(FailureOf(Out("p", control::v1::OUTCOME_KIND_STREAM_CUT)), Failure::kStreamCut);
}

TEST(HealthStateTest, RateLimitWithRetryAfterCoolsDown) {
  HealthState h;
  EXPECT_TRUE(h.Record(Out("p", control::v1::OUTCOME_KIND_HTTP_ERROR, 429, 25'000), kNow));
  std::vector<std::string> masked = {"sk-…0001"};
  auto s = StatusFromHealth(h.Get("p"), true, &masked, kNow + 1000);
  EXPECT_EQ(s.state(), "cooling down");
  EXPECT_EQ(s.retry_after_ms(), 25'000);
  EXPECT_EQ(s.cooldown_until_ms(), kNow + 25'000);
  EXPECT_THAT(s.detail(), HasSubstr("Retry-After 25 s"));
  EXPECT_EQ(s.last_error(), "rate limited");
  EXPECT_EQ(s.breaker(), "closed");
  ASSERT_EQ(s.keys_size(), 1);
  EXPECT_EQ(s.keys(0).masked(), "sk-…0001");
  // Past the cooldown it is healthy again without any new report.
  EXPECT_EQ(StatusFromHealth(h.Get("p"), true, &masked, kNow + 26'000).state(), "healthy");
  // A disabled provider is "disabled" whatever its health.
  EXPECT_EQ(StatusFromHealth(h.Get("p"), false, &masked, kNow + 1000).state(), "disabled");
  // The outcome's own time counts, not the time it arrived.
  HealthState late;
  late.Record(Out("p", control::v1::OUTCOME_KIND_HTTP_ERROR, 429, 1000, kNow - 60'000), kNow);
  EXPECT_EQ(StatusFromHealth(late.Get("p"), true, nullptr, kNow).state(), "healthy");
}

TEST(HealthStateTest, BreakerOpensAndHalfOpens) {
  HealthState h;
  for (int i = 0; i < 3; ++i) h.Record(Out("p", control::v1::OUTCOME_KIND_TIMEOUT), kNow);
  auto s = StatusFromHealth(h.Get("p"), true, nullptr, kNow);
  EXPECT_EQ(s.state(), "circuit open");
  EXPECT_EQ(s.breaker(), "open");
  EXPECT_EQ(s.consecutive_failures(), 3);
  EXPECT_THAT(s.detail(), HasSubstr("circuit open"));
  EXPECT_EQ(StatusFromHealth(h.Get("p"), true, nullptr, s.open_until_ms()).state(), "half-open");
  // A success closes it; reset forgets everything.
  EXPECT_TRUE(h.Record(Out("p", control::v1::OUTCOME_KIND_SUCCESS, 200), s.open_until_ms()));
  EXPECT_EQ(StatusFromHealth(h.Get("p"), true, nullptr, s.open_until_ms()).state(), "healthy");
  h.Record(Out("p", control::v1::OUTCOME_KIND_CONNECT_ERROR), kNow);
  h.Reset("p");
  EXPECT_EQ(h.Get("p").consecutive_failures, 0);
}

TEST(HealthStateTest, KeyFailuresRestTheKeyOnly) {
  HealthState h;
  control::v1::Outcome o = Out("p", control::v1::OUTCOME_KIND_HTTP_ERROR, 429, 40'000);
  o.set_key_index(1);
  o.set_key_count(2);
  o.set_error("429 from upstream");
  EXPECT_TRUE(h.Record(o, kNow));
  std::vector<std::string> masked = {"sk-…aaaa", "sk-…bbbb"};
  auto s = StatusFromHealth(h.Get("p"), true, &masked, kNow + 1000);
  EXPECT_EQ(s.state(), "healthy") << "the other key still works";
  ASSERT_EQ(s.keys_size(), 2);
  EXPECT_EQ(s.keys(0).cooldown_until_ms(), 0);
  EXPECT_EQ(s.keys(1).index(), 1);
  EXPECT_EQ(s.keys(1).masked(), "sk-…bbbb");
  EXPECT_EQ(s.keys(1).cooldown_until_ms(), kNow + 40'000);
  EXPECT_EQ(s.keys(1).failures(), 1);
  EXPECT_EQ(s.keys(1).last_error(), "429 from upstream");
  // The snapshot form lists only the keys the board knows of.
  auto snap = StatusFromHealth(h.Get("p"), true, nullptr, kNow + 1000);
  ASSERT_EQ(snap.keys_size(), 1);
  EXPECT_EQ(snap.keys(0).index(), 1);
  // Both keys rate limited: now the provider cools down.
  o.set_key_index(0);
  h.Record(o, kNow);
  EXPECT_EQ(StatusFromHealth(h.Get("p"), true, &masked, kNow + 1000).state(), "cooling down");
}

TEST(RouteForSnapshotTest, MergesScenesAndDropsDisabledRules) {
  admin::v1::RouteProfile r;
  r.set_name("x");
  auto* img = r.add_rules();
  img->set_name("img");
  img->set_scene("image");
  img->mutable_when()->set_min_tools(2);
  auto* off = r.add_rules();
  off->set_name("off");
  off->set_scene("reasoning");
  off->set_disabled(true);
  auto* bg = r.add_rules();
  bg->set_name("bg");
  bg->set_scene("background");
  bg->mutable_when()->add_model_keywords("haiku");
  bg->mutable_when()->add_model_keywords("tiny");
  auto* lt = r.add_rules();
  lt->set_name("lt");
  lt->set_scene("long_text");
  lt->mutable_when()->set_min_input_tokens(100'000);
  auto* plain = r.add_rules();
  plain->set_name("plain");
  plain->mutable_when()->set_thinking(true);

  auto out = RouteForSnapshot(r);
  ASSERT_EQ(out.rules_size(), 4);
  EXPECT_EQ(out.rules(0).name(), "img");
  EXPECT_TRUE(out.rules(0).when().has_images());
  EXPECT_EQ(out.rules(0).when().min_tools(), 2);
  EXPECT_EQ(out.rules(1).name(), "bg");
  EXPECT_THAT(out.rules(1).when().model_keywords(),
              ElementsAre("haiku", "tiny", "-mini", "-nano", "flash-lite", "small"));
  EXPECT_EQ(out.rules(2).when().min_input_tokens(), 100'000) << "the larger minimum";
  EXPECT_TRUE(out.rules(3).when().thinking());
  EXPECT_FALSE(out.rules(3).when().has_images());
}

class SnapshotHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    Open();
  }
  void Open() {
    hub_.reset();
    store_.reset();
    auto s = ConfigStore::Open(dir_.File("config.db"), store::SecretBox(std::string(32, 'k')));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
    auto t = LocalToken::LoadOrCreate(dir_.File("token"));
    ASSERT_TRUE(t.ok()) << t.status();
    token_ = std::move(*t);
    hub_ = std::make_unique<SnapshotHub>(*store_, *token_, health_);
    ASSERT_TRUE(hub_->Rebuild().ok());
  }
  void AddProvider(const std::string& name) {
    admin::v1::Provider p;
    p.set_type("custom_openai_compatible");
    p.set_name(name);
    p.set_base_url("http://127.0.0.1:9/v1");
    ASSERT_TRUE(store_->CreateProvider(p, "").ok());
  }
  const admin::v1::ProviderStatus& Health(const control::v1::ConfigSnapshot& s,
                                          const std::string& name) {
    for (const auto& p : s.providers()) {
      if (p.name() == name) return p.health();
    }
    ADD_FAILURE() << "no provider " << name;
    return s.providers(0).health();
  }

  test::TempDir dir_;
  HealthState health_;
  std::unique_ptr<ConfigStore> store_;
  std::unique_ptr<LocalToken> token_;
  std::unique_ptr<SnapshotHub> hub_;
};

TEST_F(SnapshotHubTest, SnapshotCarriesRoutesHealthAndBuildTime) {
  AddProvider("a");
  AddProvider("b");
  admin::v1::RouteProfile r;
  r.set_name("pics");
  r.set_client_protocol(admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT);
  r.add_chain("b");
  auto* rule = r.add_rules();
  rule->set_name("img");
  rule->set_scene("image");
  rule->set_provider("a");
  ASSERT_TRUE(store_->CreateRoute(r).ok());
  health_.Record(Out("a", control::v1::OUTCOME_KIND_HTTP_ERROR, 503, 0, NowMs()), NowMs());
  ASSERT_TRUE(hub_->Rebuild().ok());
  auto snap = hub_->Current();
  ASSERT_NE(snap, nullptr);
  EXPECT_EQ(snap->version(), store_->version());
  EXPECT_GT(snap->built_at_ms(), 0);
  ASSERT_EQ(snap->routes_size(), 5);
  const admin::v1::RouteProfile* pics = nullptr;
  for (const auto& p : snap->routes()) {
    if (p.name() == "pics") pics = &p;
  }
  ASSERT_NE(pics, nullptr);
  EXPECT_TRUE(pics->rules(0).when().has_images()) << "the scene is expanded";
  EXPECT_EQ(Health(*snap, "a").state(), "cooling down");
  EXPECT_EQ(Health(*snap, "a").last_error(), "server error");
  EXPECT_EQ(Health(*snap, "b").state(), "healthy");

  // A deleted provider leaves the board.
  ASSERT_TRUE(store_->DeleteProvider("a").ok());
  ASSERT_TRUE(hub_->Rebuild().ok());
  EXPECT_EQ(health_.Get("a").consecutive_failures, 0);
}

TEST_F(SnapshotHubTest, HealthChangesArePublishedSoonAndCoalesced) {
  AddProvider("a");
  ASSERT_TRUE(hub_->Rebuild().ok());
  uint64_t before = hub_->version();
  auto start = std::chrono::steady_clock::now();
  health_.Record(Out("a", control::v1::OUTCOME_KIND_HTTP_ERROR, 429, 30'000, NowMs()), NowMs());
  hub_->HealthChanged();
  auto snap = hub_->WaitNewer(before, std::chrono::milliseconds(1000));
  ASSERT_NE(snap, nullptr);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
  EXPECT_EQ(Health(*snap, "a").state(), "cooling down");
  EXPECT_EQ(Health(*snap, "a").retry_after_ms(), 30'000);
  EXPECT_EQ(snap->version(), store_->version()) << "the version is the store's, persisted";

  // A burst of 40 changes over 400 ms or so makes a snapshot per 200 ms, not one each.
  uint64_t v0 = hub_->version();
  auto burst = std::chrono::steady_clock::now();
  for (int i = 0; i < 40; ++i) {
    hub_->HealthChanged();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - burst);
  uint64_t published = hub_->version() - v0;
  EXPECT_GE(published, 2u);
  EXPECT_LE(published, static_cast<uint64_t>(took.count() / 200 + 1)) << took.count() << " ms";
}

TEST_F(SnapshotHubTest, VersionsKeepRisingAcrossRestarts) {
  AddProvider("a");
  ASSERT_TRUE(hub_->Rebuild().ok());
  const uint64_t before = hub_->version();  // read first: the publisher may be quick
  health_.Record(Out("a", control::v1::OUTCOME_KIND_TIMEOUT, 0, 0, NowMs()), NowMs());
  hub_->HealthChanged();
  ASSERT_NE(hub_->WaitNewer(before, std::chrono::milliseconds(1000)), nullptr);
  uint64_t seen = hub_->version();
  Open();  // a router restart: the same files, a fresh hub
  EXPECT_GE(hub_->version(), seen);
  ASSERT_TRUE(hub_->BumpAndRebuild().ok());
  EXPECT_GT(hub_->version(), seen);
}

}  // namespace
}  // namespace agentgate::router
