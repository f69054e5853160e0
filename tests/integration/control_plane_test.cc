// The control plane through the real processes: config pushes, router and stats outages,
// token rotation, admin authentication, secrets at rest, stack status, provider health from
// outcome reports, route profiles.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <boost/json.hpp>

#include "agentgate/control/v1/control.grpc.pb.h"
#include "agentgate/probe/v1/probe.grpc.pb.h"
#include "agentgate/stats/v1/stats.grpc.pb.h"
#include "tests/common/temp_dir.h"
#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using fakes::FakeUpstream;

std::string SentModel(const FakeUpstream& up) {
  auto v = boost::json::parse(up.Received().back().body);
  return std::string(v.at("model").as_string());
}

class ControlPlaneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Start();
    stack_.AddProvider("local", upstream_.base_url(), "sk-THE-PLAIN-PROVIDER-KEY-0042", "m1");
  }
  admin::v1::Provider Update(admin::v1::UpdateProviderRequest req) {
    admin::v1::Provider p;
    auto ctx = stack_.AdminContext();
    grpc::Status st = stack_.Admin()->UpdateProvider(ctx.get(), req, &p);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return p;
  }
  int LogCount() {
    admin::v1::ListRequestLogsRequest req;
    req.set_limit(1000);
    admin::v1::ListRequestLogsResponse resp;
    auto ctx = stack_.AdminContext();
    if (!stack_.Admin()->ListRequestLogs(ctx.get(), req, &resp).ok()) return -1;
    return resp.logs_size();
  }
  FakeUpstream upstream_;
  Stack stack_;
};

TEST_F(ControlPlaneTest, ConfigChangeReachesTheEdgeWithoutRestart) {
  ASSERT_EQ(stack_.Chat(ChatBody("")).status, 200);
  EXPECT_EQ(SentModel(upstream_), "m1");
  admin::v1::UpdateProviderRequest req;
  req.set_name("local");
  req.set_default_model("m2");
  Update(req);
  // UpdateProvider returns once the edge applied the new snapshot.
  ASSERT_EQ(stack_.Chat(ChatBody("")).status, 200);
  EXPECT_EQ(SentModel(upstream_), "m2");

  // Disabling the only provider leaves nothing to route to.
  admin::v1::UpdateProviderRequest off;
  off.set_name("local");
  off.set_enabled(false);
  Update(off);
  EXPECT_EQ(stack_.Chat(ChatBody("")).status, 503);
}

TEST_F(ControlPlaneTest, EdgeKeepsServingWhileTheRouterIsDownAndCatchesUpAfter) {
  stack_.StopService("router", SIGKILL);
  for (int i = 0; i < 3; ++i) {
    HttpResponse r = stack_.Chat(ChatBody(""));
    ASSERT_EQ(r.status, 200) << r.body;
  }
  stack_.StartService("router");
  admin::v1::UpdateProviderRequest req;
  req.set_name("local");
  req.set_default_model("after-restart");
  Update(req);
  // The edge reconnects with a backoff; a slow (sanitizer) build may take several seconds.
  ASSERT_TRUE(WaitFor(
      [&] {
        return stack_.Chat(ChatBody("")).status == 200 && SentModel(upstream_) == "after-restart";
      },
      std::chrono::seconds(30)));
}

TEST_F(ControlPlaneTest, RecordsSurviveAStatsOutage) {
  ASSERT_EQ(stack_.Chat(ChatBody("")).status, 200);
  ASSERT_TRUE(WaitFor([&] { return LogCount() == 1; }));
  stack_.StopService("stats", SIGKILL);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(stack_.Chat(ChatBody("")).status, 200);
  // While stats is away the admin API says so.
  {
    admin::v1::ListRequestLogsResponse resp;
    auto ctx = stack_.AdminContext();
    grpc::Status st = stack_.Admin()->ListRequestLogs(ctx.get(), {}, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_NE(st.error_message().find("stats service"), std::string::npos);
  }
  stack_.StartService("stats");
  EXPECT_TRUE(WaitFor([&] { return LogCount() == 4; }, std::chrono::seconds(20)))
      << "records: " << LogCount();
}

TEST_F(ControlPlaneTest, StatsRestartKeepsStoredRecords) {
  ASSERT_EQ(stack_.Chat(ChatBody("")).status, 200);
  ASSERT_TRUE(WaitFor([&] { return LogCount() == 1; }));
  stack_.StopService("stats", SIGTERM);
  stack_.StartService("stats");
  EXPECT_TRUE(WaitFor([&] { return LogCount() == 1; }));
}

TEST_F(ControlPlaneTest, TokenRotationLocksOutTheOldTokenAtOnce) {
  std::string old_token = stack_.token();
  admin::v1::TokenInfo info;
  {
    auto ctx = stack_.AdminContext();
    ASSERT_TRUE(stack_.Admin()->RotateToken(ctx.get(), {}, &info).ok());
  }
  EXPECT_NE(info.token(), old_token);
  EXPECT_EQ(info.token().rfind("ag_local_", 0), 0u);
  EXPECT_EQ(stack_.token(), info.token());  // the file holds the new one
  HttpResponse old = HttpRequest(stack_.edge_port(), "POST", "/v1/chat/completions", ChatBody(""),
                                 {{"authorization", "Bearer " + old_token}});
  EXPECT_EQ(old.status, 401);
  EXPECT_EQ(stack_.Chat(ChatBody("")).status, 200);
  // The admin credential is another key: rotating the client key leaves it as it was.
  admin::v1::ListProvidersResponse list;
  auto ctx = stack_.AdminContext();
  EXPECT_TRUE(stack_.Admin()->ListProviders(ctx.get(), {}, &list).ok());
}

// A client key — the owner's local token, or one shaped like it — never administers: the
// admin API refuses it by name (PERMISSION_DENIED), not as a wrong admin credential.
TEST_F(ControlPlaneTest, TheAdminApiRefusesTheClientKey) {
  ASSERT_EQ(stack_.admin_token().rfind("ag_admin_", 0), 0u) << stack_.admin_token();
  struct stat st {};
  ASSERT_EQ(::stat((stack_.home() + "/admin.token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  admin::v1::ListProvidersResponse list;
  for (const std::string& key : {stack_.token(), std::string("ag_local_forged")}) {
    auto ctx = stack_.AdminContext(key);
    grpc::Status s = stack_.Admin()->ListProviders(ctx.get(), {}, &list);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << key;
    EXPECT_NE(s.error_message().find("admin.token"), std::string::npos) << s.error_message();
  }
  // Nor does it stream the provider keys' config or events to a client key.
  auto ctx = stack_.AdminContext(stack_.token());
  auto events = stack_.Admin()->WatchEvents(ctx.get(), {});
  admin::v1::Event e;
  EXPECT_FALSE(events->Read(&e));
  EXPECT_EQ(events->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // The client key still works where it belongs: at the edge.
  EXPECT_EQ(stack_.Chat(ChatBody("")).status, 200);
  // And the admin credential is no client key.
  HttpResponse r = HttpRequest(stack_.edge_port(), "POST", "/v1/chat/completions", ChatBody(""),
                               {{"authorization", "Bearer " + stack_.admin_token()}});
  EXPECT_EQ(r.status, 401);
}

TEST_F(ControlPlaneTest, AdminRequiresTheToken) {
  auto admin = stack_.Admin();
  admin::v1::ListProvidersResponse list;
  grpc::ClientContext none;
  EXPECT_EQ(admin->ListProviders(&none, {}, &list).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto wrong = stack_.AdminContext("ag_admin_wrong");
  EXPECT_EQ(admin->ListProviders(wrong.get(), {}, &list).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  auto ok = stack_.AdminContext();
  ASSERT_TRUE(admin->ListProviders(ok.get(), {}, &list).ok());
  ASSERT_EQ(list.providers_size(), 1);
  // Keys are never returned in full.
  EXPECT_EQ(list.providers(0).api_key_masked(), "sk-…0042");
}

TEST_F(ControlPlaneTest, ProviderKeyIsEncryptedAtRestAndFilesArePrivate) {
  std::string db = ReadFileOrEmpty(stack_.home() + "/config.db") +
                   ReadFileOrEmpty(stack_.home() + "/config.db-wal");
  ASSERT_FALSE(db.empty());
  EXPECT_EQ(db.find("sk-THE-PLAIN-PROVIDER-KEY-0042"), std::string::npos);
  EXPECT_EQ(db.find("THE-PLAIN-PROVIDER-KEY"), std::string::npos);
  for (const char* f : {"/token", "/admin.token", "/master.key", "/config.db", "/stats.db"}) {
    struct stat st;
    ASSERT_EQ(::stat((stack_.home() + f).c_str(), &st), 0) << f;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << f;
  }
  // And the key still works upstream, decrypted.
  ASSERT_EQ(stack_.Chat(ChatBody("")).status, 200);
  EXPECT_EQ(upstream_.Received().back().headers.at("authorization"),
            "Bearer sk-THE-PLAIN-PROVIDER-KEY-0042");
}

TEST_F(ControlPlaneTest, LogsNeverContainKeysOrTokens) {
  ASSERT_EQ(stack_.Chat(ChatBody("")).status, 200);
  std::string token = stack_.token();
  for (const char* svc : {"edge", "router", "stats", "probe"}) {
    std::string log = stack_.log(svc);
    EXPECT_EQ(log.find("THE-PLAIN-PROVIDER-KEY"), std::string::npos) << svc;
    EXPECT_EQ(log.find(token), std::string::npos) << svc;
  }
}

TEST_F(ControlPlaneTest, StackStatusShowsEveryServiceAndTheEdgeConfigVersion) {
  admin::v1::StackStatus status;
  ASSERT_TRUE(WaitFor([&] {
    status.Clear();
    auto ctx = stack_.AdminContext();
    if (!stack_.Admin()->GetStackStatus(ctx.get(), {}, &status).ok()) return false;
    for (const auto& s : status.services()) {
      if (s.info().name() == "edge") return s.info().config_version() == status.config_version();
    }
    return false;
  }));
  std::map<std::string, admin::v1::ServiceStatus> by_name;
  for (const auto& s : status.services()) by_name[s.info().name()] = s;
  for (const char* name : {"router", "edge", "stats", "probe"}) {
    ASSERT_TRUE(by_name.count(name)) << name;
    EXPECT_EQ(by_name[name].health(), admin::v1::HEALTH_SERVING) << name;
    EXPECT_EQ(by_name[name].info().version(), AGENTGATE_VERSION) << name;
    EXPECT_GT(by_name[name].info().pid(), 0) << name;
  }
  EXPECT_EQ(by_name["edge"].info().address(), stack_.address("edge"));

  stack_.StopService("probe");
  status.Clear();
  auto ctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->GetStackStatus(ctx.get(), {}, &status).ok());
  for (const auto& s : status.services()) {
    if (s.info().name() == "probe") {
      EXPECT_EQ(s.health(), admin::v1::HEALTH_UNREACHABLE);
    }
  }
}

TEST_F(ControlPlaneTest, ProviderValidationErrorsAreClear) {
  auto admin = stack_.Admin();
  admin::v1::CreateProviderRequest req;
  admin::v1::Provider resp;
  req.mutable_provider()->set_type("nonsense");
  auto c1 = stack_.AdminContext();
  grpc::Status st = admin->CreateProvider(c1.get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("deepseek"), std::string::npos);
  req.mutable_provider()->set_type("custom_openai_compatible");
  req.mutable_provider()->set_name("local");
  req.mutable_provider()->set_base_url("http://127.0.0.1:1");
  auto c2 = stack_.AdminContext();
  EXPECT_EQ(admin->CreateProvider(c2.get(), req, &resp).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  req.mutable_provider()->set_name("x");
  req.mutable_provider()->set_base_url("ftp://nope");
  auto c3 = stack_.AdminContext();
  EXPECT_EQ(admin->CreateProvider(c3.get(), req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  admin::v1::DeleteProviderRequest del;
  del.set_name("missing");
  admin::v1::DeleteProviderResponse dresp;
  auto c4 = stack_.AdminContext();
  EXPECT_EQ(admin->DeleteProvider(c4.get(), del, &dresp).error_code(), grpc::StatusCode::NOT_FOUND);
}

// The router seen as an edge sees it: outcome reports in, snapshots out.
class FakeEdge {
 public:
  explicit FakeEdge(const Stack& stack)
      : stack_(stack),
        stub_(control::v1::ControlService::NewStub(
            grpc::CreateChannel(stack.address("router"), grpc::InsecureChannelCredentials()))) {}

  void Report(const std::vector<control::v1::Outcome>& outcomes) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + stack_.service_token());
    control::v1::ReportOutcomesResponse resp;
    auto writer = stub_->ReportOutcomes(&ctx, &resp);
    control::v1::OutcomeBatch batch;
    for (const auto& o : outcomes) *batch.add_outcomes() = o;
    ASSERT_TRUE(writer->Write(batch));
    writer->WritesDone();
    grpc::Status st = writer->Finish();
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  // The first snapshot a new WatchConfig stream gets: the current one.
  bool TrySnapshot(control::v1::ConfigSnapshot* snap, std::string* error = nullptr,
                   const std::string& key = "") {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + (key.empty() ? stack_.service_token() : key));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    auto reader = stub_->WatchConfig(&ctx, control::v1::WatchConfigRequest());
    bool read = reader->Read(snap);
    if (read) ctx.TryCancel();
    grpc::Status st = reader->Finish();
    if (error != nullptr) *error = st.error_message();
    return read;
  }
  control::v1::ConfigSnapshot Snapshot() {
    control::v1::ConfigSnapshot snap;
    std::string error;
    EXPECT_TRUE(TrySnapshot(&snap, &error)) << error;
    return snap;
  }

 private:
  const Stack& stack_;
  std::unique_ptr<control::v1::ControlService::Stub> stub_;
};

// The health state of the stack's one provider in a snapshot ("" when there is none).
std::string LocalHealth(const control::v1::ConfigSnapshot& s) {
  return s.providers_size() == 1 ? s.providers(0).health().state() : "";
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

control::v1::Outcome RateLimited(const std::string& provider, int64_t retry_after_ms) {
  control::v1::Outcome o;
  o.set_request_id("req-1");
  o.set_provider(provider);
  o.set_kind(control::v1::OUTCOME_KIND_HTTP_ERROR);
  o.set_status(429);
  o.set_retry_after_ms(retry_after_ms);
  o.set_at_ms(NowMillis());
  o.set_key_index(0);
  o.set_key_count(1);
  o.set_error("429 Too Many Requests");
  return o;
}

// The provider keys go to the edges only: the config stream (which carries them decrypted),
// record ingest and the probe take the service credential, never a client key or the admin
// credential.
TEST_F(ControlPlaneTest, InternalCallsTakeTheServiceCredentialOnly) {
  ASSERT_EQ(stack_.service_token().rfind("ag_svc_", 0), 0u) << stack_.service_token();
  struct stat st {};
  ASSERT_EQ(::stat((stack_.home() + "/service.token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  FakeEdge edge(stack_);
  control::v1::ConfigSnapshot snap;
  for (const std::string& key : {stack_.token(), stack_.admin_token()}) {
    std::string error;
    EXPECT_FALSE(edge.TrySnapshot(&snap, &error, key)) << key;
    EXPECT_EQ(snap.providers_size(), 0);
  }
  ASSERT_TRUE(edge.TrySnapshot(&snap));
  EXPECT_GT(snap.providers_size(), 0);
  // Records cannot be forged with a client key.
  auto stats = stats::v1::StatsService::NewStub(
      grpc::CreateChannel(stack_.address("stats"), grpc::InsecureChannelCredentials()));
  stats::v1::RecordBatch batch;
  batch.add_records()->set_request_id("forged");
  stats::v1::CommitResponse committed;
  for (const std::string& key : {stack_.token(), stack_.admin_token()}) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + key);
    EXPECT_EQ(stats->Commit(&ctx, batch, &committed).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  // Nor the probe driven to call out.
  auto probe = probe::v1::ProbeService::NewStub(
      grpc::CreateChannel(stack_.address("probe"), grpc::InsecureChannelCredentials()));
  grpc::ClientContext pctx;
  pctx.AddMetadata("authorization", "Bearer " + stack_.token());
  admin::v1::ServiceInfo info;
  EXPECT_EQ(probe->GetInfo(&pctx, probe::v1::GetInfoRequest(), &info).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // The stack itself works with it: requests are served and recorded.
  ASSERT_EQ(stack_.Chat(ChatBody("")).status, 200);
  admin::v1::ListRequestLogsResponse logs;
  EXPECT_TRUE(WaitFor([&] {
    auto ctx = stack_.AdminContext();
    return stack_.Admin()->ListRequestLogs(ctx.get(), {}, &logs).ok() && logs.logs_size() >= 1;
  }));
  for (const auto& l : logs.logs()) EXPECT_NE(l.request_id(), "forged");
}

TEST_F(ControlPlaneTest, OutcomeReportsBecomeProviderHealth) {
  FakeEdge edge(stack_);
  control::v1::ConfigSnapshot first = edge.Snapshot();
  ASSERT_EQ(first.providers_size(), 1);
  uint64_t before = first.version();
  EXPECT_EQ(LocalHealth(first), "healthy");
  auto reported = std::chrono::steady_clock::now();
  edge.Report({RateLimited("local", 30'000)});

  // The admin API shows it: status, detail with the Retry-After, the key.
  auto get = [&] {
    admin::v1::GetProviderRequest req;
    req.set_name("local");
    admin::v1::Provider p;
    auto ctx = stack_.AdminContext();
    EXPECT_TRUE(stack_.Admin()->GetProvider(ctx.get(), req, &p).ok());
    return p;
  };
  admin::v1::Provider p;
  ASSERT_TRUE(WaitFor([&] {
    p = get();
    return p.status().state() == "cooling down";
  }));
  EXPECT_EQ(p.status().retry_after_ms(), 30'000);
  EXPECT_NE(p.status().detail().find("Retry-After 30 s"), std::string::npos) << p.status().detail();
  EXPECT_EQ(p.status().last_error(), "429 Too Many Requests");
  EXPECT_GT(p.status().cooldown_until_ms(), NowMillis() + 20'000);
  ASSERT_EQ(p.status().keys_size(), 1);
  EXPECT_EQ(p.status().keys(0).masked(), "sk-…0042");
  admin::v1::ListProvidersResponse list;
  auto lctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->ListProviders(lctx.get(), {}, &list).ok());
  ASSERT_EQ(list.providers_size(), 1);
  EXPECT_EQ(list.providers(0).status().state(), "cooling down");

  // The edges get it in a new snapshot, soon.
  control::v1::ConfigSnapshot snap;
  ASSERT_TRUE(WaitFor(
      [&] {
        snap = edge.Snapshot();
        return LocalHealth(snap) == "cooling down";
      },
      std::chrono::seconds(2)));
  EXPECT_LT(std::chrono::steady_clock::now() - reported, std::chrono::milliseconds(1000));
  EXPECT_GT(snap.version(), before);
  ASSERT_EQ(snap.providers_size(), 1);
  EXPECT_EQ(snap.providers(0).health().retry_after_ms(), 30'000);
  EXPECT_GT(snap.built_at_ms(), 0);

  // A reset clears it everywhere.
  admin::v1::ResetProviderHealthRequest reset;
  reset.set_name("local");
  admin::v1::Provider after;
  auto rctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->ResetProviderHealth(rctx.get(), reset, &after).ok());
  EXPECT_EQ(after.status().state(), "healthy");
  EXPECT_EQ(get().status().state(), "healthy");
  control::v1::ConfigSnapshot cleared = edge.Snapshot();
  EXPECT_EQ(LocalHealth(cleared), "healthy");
  EXPECT_GT(cleared.version(), snap.version());
  reset.set_name("ghost");
  auto gctx = stack_.AdminContext();
  EXPECT_EQ(stack_.Admin()->ResetProviderHealth(gctx.get(), reset, &after).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ControlPlaneTest, SnapshotVersionsKeepRisingAcrossRouterRestarts) {
  FakeEdge edge(stack_);
  edge.Report({RateLimited("local", 10'000)});
  ASSERT_TRUE(WaitFor([&] { return LocalHealth(edge.Snapshot()) == "cooling down"; }));
  uint64_t seen = edge.Snapshot().version();
  stack_.StopService("router", SIGKILL);
  stack_.StartService("router");
  // The first call may meet the connection the old router process left behind.
  control::v1::ConfigSnapshot snap;
  ASSERT_TRUE(WaitFor([&] { return edge.TrySnapshot(&snap); }));
  EXPECT_GT(snap.version(), seen);
  EXPECT_EQ(LocalHealth(snap), "healthy") << "health is not persisted";
}

TEST_F(ControlPlaneTest, RouteProfilesReachTheSnapshotAndExplain) {
  auto admin = stack_.Admin();
  admin::v1::ListRoutesResponse routes;
  {
    auto ctx = stack_.AdminContext();
    ASSERT_TRUE(admin->ListRoutes(ctx.get(), {}, &routes).ok());
  }
  ASSERT_EQ(routes.routes_size(), 4);
  for (const auto& r : routes.routes()) {
    ASSERT_EQ(r.chain_size(), 1) << r.name();
    EXPECT_EQ(r.chain(0), "local") << "an added provider joins every profile";
  }

  admin::v1::RouteProfile pics;
  pics.set_name("pics");
  pics.set_client_protocol(admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT);
  pics.add_chain("local");
  admin::v1::RouteRule* rule = pics.add_rules();
  rule->set_name("img");
  rule->set_scene("image");
  rule->set_provider("local");
  rule->set_model("vision-model");
  admin::v1::RouteProfile created;
  {
    auto ctx = stack_.AdminContext();
    grpc::Status st = admin->CreateRoute(ctx.get(), pics, &created);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  {
    auto ctx = stack_.AdminContext();
    admin::v1::RouteProfile dup;
    grpc::Status st = admin->CreateRoute(ctx.get(), pics, &dup);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  }
  FakeEdge edge(stack_);
  control::v1::ConfigSnapshot snap = edge.Snapshot();
  const admin::v1::RouteProfile* in_snap = nullptr;
  for (const auto& r : snap.routes()) {
    if (r.name() == "pics") in_snap = &r;
  }
  ASSERT_NE(in_snap, nullptr);
  ASSERT_EQ(in_snap->rules_size(), 1);
  EXPECT_TRUE(in_snap->rules(0).when().has_images()) << "the scene is filled in";

  // Explain: a request with an image goes to the rule's provider and model.
  admin::v1::ExplainRouteRequest req;
  req.set_client_protocol(admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT);
  req.set_route("pics");
  req.set_body(
      R"({"model":"m1","messages":[{"role":"user","content":[{"type":"image_url",)"
      R"("image_url":{"url":"data:image/png;base64,AAAA"}},{"type":"text","text":"hi"}]}]})");
  admin::v1::RouteExplanation ex;
  {
    auto ctx = stack_.AdminContext();
    grpc::Status st = admin->ExplainRoute(ctx.get(), req, &ex);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  EXPECT_EQ(ex.profile(), "pics");
  EXPECT_EQ(ex.rule(), "img");
  EXPECT_TRUE(ex.traits().has_images());
  EXPECT_EQ(ex.traits().model(), "m1");
  ASSERT_GE(ex.steps_size(), 1);
  EXPECT_TRUE(ex.steps(0).chosen());
  EXPECT_EQ(ex.steps(0).provider(), "local");
  EXPECT_EQ(ex.steps(0).model(), "vision-model");

  req.set_body("not json");
  {
    auto ctx = stack_.AdminContext();
    EXPECT_EQ(admin->ExplainRoute(ctx.get(), req, &ex).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  req.set_body(R"({"model":"m1","messages":[]})");
  req.set_route("nosuch");
  {
    auto ctx = stack_.AdminContext();
    EXPECT_EQ(admin->ExplainRoute(ctx.get(), req, &ex).error_code(), grpc::StatusCode::NOT_FOUND);
  }

  // The default profiles stay; deleting the provider empties the chains and drops the rule.
  admin::v1::DeleteRouteRequest del;
  del.set_name("chat");
  admin::v1::DeleteRouteResponse dresp;
  {
    auto ctx = stack_.AdminContext();
    EXPECT_EQ(admin->DeleteRoute(ctx.get(), del, &dresp).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  admin::v1::DeleteProviderRequest delp;
  delp.set_name("local");
  admin::v1::DeleteProviderResponse dpresp;
  {
    auto ctx = stack_.AdminContext();
    ASSERT_TRUE(admin->DeleteProvider(ctx.get(), delp, &dpresp).ok());
  }
  admin::v1::GetRouteRequest get;
  get.set_name("pics");
  admin::v1::RouteProfile after;
  {
    auto ctx = stack_.AdminContext();
    ASSERT_TRUE(admin->GetRoute(ctx.get(), get, &after).ok());
  }
  EXPECT_EQ(after.chain_size(), 0);
  EXPECT_EQ(after.rules_size(), 0);
}

TEST(ControlPlaneBootstrap, ProviderFromEnvironmentOnFirstStart) {
  FakeUpstream upstream;
  Stack stack(Stack::Options{{},
                             {{"AGENTGATE_PROVIDER", "custom_openai_compatible"},
                              {"AGENTGATE_API_KEY", "env-key"},
                              {"AGENTGATE_BASE_URL", upstream.base_url()},
                              {"AGENTGATE_MODEL", "env-model"}},
                             {},
                             {}});
  stack.Start();
  HttpResponse r = stack.Chat(ChatBody(""));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(upstream.Received().at(0).headers.at("authorization"), "Bearer env-key");
}

// A daily budget: once today's priced requests reach it, block refuses in the client's own
// protocol, cheapest reorders the chain by price, notify lets everything through.
TEST(BudgetTest, BlockCheapestAndNotify) {
  FakeUpstream dear_up, cheap_up;
  Stack stack(Stack::Options{{}, {}, {"--budget-check-ms", "100"}, {}});
  stack.Start();
  stack.AddProvider("dear", dear_up.base_url(), "k1", "acme-dear");
  stack.AddProvider("cheap", cheap_up.base_url(), "k2", "acme-cheap");
  auto admin = stack.Admin();
  auto price = [&](const std::string& model, double input) {
    admin::v1::ModelPrice p;
    p.set_model(model);
    p.set_input(input);
    p.set_output(input);
    admin::v1::ModelPrice out;
    auto ctx = stack.AdminContext();
    ASSERT_TRUE(admin->SetPrice(ctx.get(), p, &out).ok());
  };
  price("acme-dear", 10000);  // 11 + 5 tokens: $0.16 a request
  price("acme-cheap", 1);
  auto set_budget = [&](double usd, admin::v1::BudgetMode mode) {
    admin::v1::Budget b;
    b.set_daily_limit_usd(usd);
    b.set_mode(mode);
    admin::v1::Budget out;
    auto ctx = stack.AdminContext();
    grpc::Status st = admin->SetBudget(ctx.get(), b, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  };
  auto budget = [&] {
    admin::v1::Budget out;
    auto ctx = stack.AdminContext();
    EXPECT_TRUE(admin->GetBudget(ctx.get(), admin::v1::GetBudgetRequest(), &out).ok());
    return out;
  };
  EXPECT_EQ(budget().daily_limit_usd(), 0);
  EXPECT_FALSE(set_budget(0.10, admin::v1::BUDGET_MODE_BLOCK).exceeded());
  // Under the budget: the chain's first provider, as always.
  HttpResponse first = stack.Chat(NewChatBody("acme-dear"));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.headers["x-agentgate-provider"], "dear");
  ASSERT_TRUE(WaitFor([&] { return budget().exceeded(); })) << budget().DebugString();
  EXPECT_NEAR(budget().spent_today_usd(), 0.16, 1e-9);

  // Block: refused, in the client's own protocol, and the provider is not asked.
  ASSERT_TRUE(WaitFor([&] { return stack.Chat(NewChatBody("acme-dear")).status == 402; }));
  const size_t asked = dear_up.ReceivedCount();
  HttpResponse blocked = stack.Chat(NewChatBody("acme-dear"));
  EXPECT_EQ(blocked.status, 402);
  EXPECT_NE(blocked.body.find("daily budget of $0.10 is spent"), std::string::npos) << blocked.body;
  EXPECT_NE(blocked.body.find("budget_exceeded"), std::string::npos) << blocked.body;
  HttpResponse blocked_claude = HttpRequest(
      stack.edge_port(), "POST", "/v1/messages",
      R"({"model":"acme-dear","max_tokens":5,"messages":[{"role":"user","content":"hi"}]})",
      {{"x-api-key", stack.token()}, {"anthropic-version", "2023-06-01"}});
  EXPECT_EQ(blocked_claude.status, 402);
  EXPECT_NE(blocked_claude.body.find("\"type\":\"error\""), std::string::npos)
      << blocked_claude.body;
  EXPECT_EQ(dear_up.ReceivedCount(), asked);

  // Cheapest: the cheap provider first, though the chain puts the dear one first.
  set_budget(0.10, admin::v1::BUDGET_MODE_CHEAPEST);
  ASSERT_TRUE(WaitFor([&] {
    HttpResponse r = stack.Chat(NewChatBody("acme-dear"));
    return r.status == 200 && r.headers["x-agentgate-provider"] == "cheap";
  }));

  // Notify: everything goes through as usual; the budget is still reported spent.
  set_budget(0.10, admin::v1::BUDGET_MODE_NOTIFY);
  ASSERT_TRUE(WaitFor([&] {
    HttpResponse r = stack.Chat(NewChatBody("acme-dear"));
    return r.status == 200 && r.headers["x-agentgate-provider"] == "dear";
  }));
  EXPECT_TRUE(budget().exceeded());

  // A higher limit: no longer spent, and block lets requests through again.
  EXPECT_FALSE(set_budget(1000, admin::v1::BUDGET_MODE_BLOCK).exceeded());
  ASSERT_TRUE(WaitFor([&] { return stack.Chat(ChatBody("acme-dear")).status == 200; }));
  // Bad input.
  admin::v1::Budget bad;
  bad.set_daily_limit_usd(-1);
  admin::v1::Budget out;
  auto ctx = stack.AdminContext();
  EXPECT_EQ(admin->SetBudget(ctx.get(), bad, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// The router's and the stats service's own metrics, on --metrics-port.
TEST(ServiceMetricsTest, RouterAndStatsServePrometheusText) {
  FakeUpstream upstream;
  test::TempDir files;
  ASSERT_TRUE(files.ok());
  Stack stack(
      Stack::Options{{},
                     {},
                     {"--metrics-port", "0", "--metrics-port-file", files.File("router.metrics")},
                     {"--metrics-port", "0", "--metrics-port-file", files.File("stats.metrics")}});
  stack.Start();
  stack.AddProvider("local", upstream.base_url(), "k", "m1");
  ASSERT_EQ(stack.Chat(ChatBody("m1")).status, 200);
  auto port = [&](const std::string& name) {
    return std::stoi(ReadFileOrEmpty(files.File(name + ".metrics")));
  };
  HttpResponse router;
  ASSERT_TRUE(WaitFor([&] {
    router = HttpRequest(port("router"), "GET", "/metrics");
    return router.body.find("agentgate_router_edges 1\n") != std::string::npos;
  })) << router.body;
  EXPECT_EQ(router.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(router.body.find("agentgate_router_provider_available{provider=\"local\"} 1\n"),
            std::string::npos)
      << router.body;
  EXPECT_NE(router.body.find("# TYPE agentgate_router_config_version gauge\n"), std::string::npos);
  HttpResponse stats;
  ASSERT_TRUE(WaitFor([&] {
    // The record is in stats.db a moment before the counter of stored records moves.
    stats = HttpRequest(port("stats"), "GET", "/metrics");
    return stats.body.find("agentgate_stats_records 1\n") != std::string::npos &&
           stats.body.find("agentgate_stats_records_ingested_total 1\n") != std::string::npos;
  })) << stats.body;
  EXPECT_EQ(HttpRequest(port("stats"), "GET", "/").status, 404);
  EXPECT_EQ(HttpRequest(port("router"), "POST", "/metrics").status, 404);
}

// Automatic provider tests: the router asks the probe on its own and keeps the result.

admin::v1::Provider GetProvider(const Stack& stack, const std::string& name) {
  admin::v1::GetProviderRequest req;
  req.set_name(name);
  admin::v1::Provider p;
  auto ctx = stack.AdminContext();
  grpc::Status st = stack.Admin()->GetProvider(ctx.get(), req, &p);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return p;
}

std::vector<std::string> StepNames(const admin::v1::ProviderTestResult& r) {
  std::vector<std::string> out;
  for (const auto& s : r.steps()) out.push_back(s.name());
  return out;
}

TEST(AutomaticProviderTest, CreatedAndChangedProvidersAreTestedAndTheResultIsKept) {
  FakeUpstream upstream;
  upstream.SetModels({{"alpha", true}, {"beta", true}});
  Stack stack(Stack::Options{{}, {{"AGENTGATE_AUTO_TEST", "on"}}, {}, {}});
  stack.Start();
  const std::string key = "sk-auto-test-key-000111";
  stack.AddProvider("local", upstream.base_url(), key, "m1");
  admin::v1::Provider p;
  ASSERT_TRUE(WaitFor(
      [&] {
        p = GetProvider(stack, "local");
        return p.last_test().trigger() == "created" && !p.test_pending();
      },
      std::chrono::seconds(20)))
      << p.DebugString() << stack.log("router");
  const auto& t = p.last_test();
  EXPECT_TRUE(t.ok()) << t.DebugString();
  EXPECT_EQ(StepNames(t), (std::vector<std::string>{"config", "gateway", "provider", "vision",
                                                    "prompt_cache", "models"}));
  EXPECT_TRUE(t.steps(1).ok()) << "the gateway step reached the edge: " << t.steps(1).detail();
  EXPECT_EQ(t.model(), "m1");
  EXPECT_EQ(std::vector<std::string>(t.models().begin(), t.models().end()),
            (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_GT(t.tested_at_ms(), 0);
  // The fake takes images: vision is known now, and routing uses it.
  EXPECT_EQ(p.vision(), admin::v1::CAPABILITY_YES);
  EXPECT_EQ(p.prompt_cache(), admin::v1::CAPABILITY_YES) << "the fake reports cached tokens";
  EXPECT_EQ(t.DebugString().find(key), std::string::npos);
  const int64_t first_at = t.tested_at_ms();
  const size_t hits = upstream.ReceivedCount();

  // Not a connection change: no test.
  admin::v1::UpdateProviderRequest prio;
  prio.set_name("local");
  prio.set_priority(7);
  admin::v1::Provider after;
  {
    auto ctx = stack.AdminContext();
    ASSERT_TRUE(stack.Admin()->UpdateProvider(ctx.get(), prio, &after).ok());
  }
  EXPECT_FALSE(after.test_pending());

  // A new key is: the provider refuses it, and the failure is kept with its message.
  fakes::ScriptedResponse refused;
  refused.status = 401;
  refused.body =
      R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}})";
  upstream.Enqueue(refused);
  admin::v1::UpdateProviderRequest rekey;
  rekey.set_name("local");
  rekey.set_api_key("sk-auto-test-key-000222");
  {
    auto ctx = stack.AdminContext();
    ASSERT_TRUE(stack.Admin()->UpdateProvider(ctx.get(), rekey, &after).ok());
  }
  ASSERT_TRUE(WaitFor(
      [&] {
        p = GetProvider(stack, "local");
        return p.last_test().trigger() == "updated" && !p.test_pending();
      },
      std::chrono::seconds(20)))
      << p.DebugString();
  EXPECT_EQ(upstream.ReceivedCount(), hits + 1) << "only the provider step: it failed";
  EXPECT_FALSE(p.last_test().ok());
  EXPECT_GE(p.last_test().tested_at_ms(), first_at);
  EXPECT_EQ(StepNames(p.last_test()),
            (std::vector<std::string>{"config", "gateway", "provider", "models"}))
      << "vision and prompt caching are known now, and not asked again";
  EXPECT_TRUE(p.last_test().steps(3).skipped());
  EXPECT_FALSE(p.last_test().steps(2).ok());
  EXPECT_NE(p.last_test().steps(2).detail().find("Incorrect API key"), std::string::npos)
      << p.last_test().steps(2).detail();
  EXPECT_EQ(p.last_test().DebugString().find("sk-auto-test-key-000222"), std::string::npos);
  // Health is the traffic's business: a failed test does not cool the provider down.
  EXPECT_EQ(p.status().state(), "healthy");
}

TEST(AutomaticProviderTest, ScheduledTestsRunEveryInterval) {
  FakeUpstream upstream;
  Stack stack(Stack::Options{{}, {}, {"--test-every", "1s"}, {}});
  stack.Start();
  admin::v1::Provider created = stack.AddProvider("local", upstream.base_url(), "k", "m1");
  EXPECT_FALSE(created.test_pending()) << "automatic tests on create are off here";
  admin::v1::Provider p;
  ASSERT_TRUE(WaitFor([&] {
    p = GetProvider(stack, "local");
    return p.last_test().trigger() == "scheduled";
  })) << stack.log("router");
  EXPECT_TRUE(p.last_test().ok()) << p.last_test().DebugString();
  // No model list on a schedule: the provider step, and the capabilities still unknown.
  EXPECT_EQ(StepNames(p.last_test()),
            (std::vector<std::string>{"config", "gateway", "provider", "vision", "prompt_cache"}));
  const int64_t first = p.last_test().tested_at_ms();
  EXPECT_TRUE(
      WaitFor([&] { return GetProvider(stack, "local").last_test().tested_at_ms() > first; }));
}

}  // namespace
}  // namespace agentgate::testing
