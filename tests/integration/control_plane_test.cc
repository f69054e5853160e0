// The control plane through the real processes: config pushes, router and stats outages,
// token rotation, admin authentication, secrets at rest, stack status.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <boost/json.hpp>

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
  ASSERT_TRUE(WaitFor([&] {
    return stack_.Chat(ChatBody("")).status == 200 && SentModel(upstream_) == "after-restart";
  }));
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
  admin::v1::ListProvidersResponse list;
  auto ctx = stack_.AdminContext(old_token);
  EXPECT_EQ(stack_.Admin()->ListProviders(ctx.get(), {}, &list).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ControlPlaneTest, AdminRequiresTheToken) {
  auto admin = stack_.Admin();
  admin::v1::ListProvidersResponse list;
  grpc::ClientContext none;
  EXPECT_EQ(admin->ListProviders(&none, {}, &list).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto wrong = stack_.AdminContext("ag_local_wrong");
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
  for (const char* f : {"/token", "/master.key", "/config.db", "/stats.db"}) {
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

TEST(ControlPlaneBootstrap, ProviderFromEnvironmentOnFirstStart) {
  FakeUpstream upstream;
  Stack stack(Stack::Options{{},
                             {{"AGENTGATE_PROVIDER", "custom_openai_compatible"},
                              {"AGENTGATE_API_KEY", "env-key"},
                              {"AGENTGATE_BASE_URL", upstream.base_url()},
                              {"AGENTGATE_MODEL", "env-model"}}});
  stack.Start();
  HttpResponse r = stack.Chat(ChatBody(""));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(upstream.Received().at(0).headers.at("authorization"), "Bearer env-key");
}

}  // namespace
}  // namespace agentgate::testing
