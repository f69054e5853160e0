#include "services/router/self_check.h"

#include <gtest/gtest.h>

namespace agentgate::router {
namespace {

using admin::v1::CHECK_STATUS_FAIL;
using admin::v1::CHECK_STATUS_OK;
using admin::v1::CHECK_STATUS_WARN;

admin::v1::ServiceStatus Service(const std::string& name, const std::string& version,
                                 bool serving = true, uint64_t config = 7) {
  admin::v1::ServiceStatus s;
  s.mutable_info()->set_name(name);
  s.mutable_info()->set_version(version);
  s.mutable_info()->set_config_version(config);
  s.mutable_info()->set_started_at_ms(1'790'000'000'000);
  s.set_health(serving ? admin::v1::HEALTH_SERVING : admin::v1::HEALTH_UNREACHABLE);
  if (!serving) s.set_detail("connection refused");
  return s;
}

admin::v1::StackStatus Stack(std::vector<admin::v1::ServiceStatus> services) {
  admin::v1::StackStatus st;
  st.set_config_version(7);
  for (auto& s : services) *st.add_services() = std::move(s);
  return st;
}

TEST(SelfCheckTest, ServicesUpSameVersionAndEdgesCurrent) {
  auto ok = Stack({Service("router", "1.2"), Service("edge", "1.2"), Service("stats", "1.2"),
                   Service("probe", "1.2")});
  EXPECT_EQ(JudgeServices(ok, "1.2").status(), CHECK_STATUS_OK);
  auto down = Stack({Service("router", "1.2"), Service("stats", "1.2", false)});
  auto c = JudgeServices(down, "1.2");
  EXPECT_EQ(c.status(), CHECK_STATUS_FAIL);
  EXPECT_NE(c.detail().find("stats (connection refused)"), std::string::npos) << c.detail();
  EXPECT_FALSE(c.fix().empty());
  auto old = Stack({Service("router", "1.2"), Service("edge", "1.1")});
  EXPECT_EQ(JudgeServices(old, "1.2").status(), CHECK_STATUS_FAIL);
  auto behind = Stack({Service("router", "1.2"), Service("edge", "1.2", true, 5)});
  EXPECT_EQ(JudgeServices(behind, "1.2").status(), CHECK_STATUS_WARN);
}

TEST(SelfCheckTest, ConfigAndDatabases) {
  admin::v1::Provider p;
  p.set_name("ds");
  p.set_enabled(true);
  EXPECT_EQ(JudgeConfig("ok", {p}).status(), CHECK_STATUS_OK);
  EXPECT_EQ(JudgeConfig("ok", {}).status(), CHECK_STATUS_WARN);
  p.set_enabled(false);
  EXPECT_EQ(JudgeConfig("ok", {p}).status(), CHECK_STATUS_WARN);
  EXPECT_EQ(JudgeConfig("row 3 missing from index", {p}).status(), CHECK_STATUS_FAIL);
  EXPECT_EQ(JudgeDatabases("ok", "ok", "").status(), CHECK_STATUS_OK);
  EXPECT_EQ(JudgeDatabases("ok", "", "stats down").status(), CHECK_STATUS_WARN);
  EXPECT_EQ(JudgeDatabases("ok", "database disk image is malformed", "").status(),
            CHECK_STATUS_FAIL);
  EXPECT_EQ(JudgeDatabases("bad", "ok", "").status(), CHECK_STATUS_FAIL);
}

TEST(SelfCheckTest, SecretFilesMustBePrivate) {
  EXPECT_EQ(JudgeFiles({{"/h/token", 0600, true}, {"/h/master.key", -1, false}}).status(),
            CHECK_STATUS_OK);
  auto open = JudgeFiles({{"/h/token", 0644, true}});
  EXPECT_EQ(open.status(), CHECK_STATUS_FAIL);
  EXPECT_NE(open.detail().find("/h/token is mode 644"), std::string::npos) << open.detail();
  EXPECT_EQ(JudgeFiles({{"/h/token", -1, true}}).status(), CHECK_STATUS_FAIL);
}

TEST(SelfCheckTest, ProvidersLastTests) {
  const int64_t now = 1'795'000'000'000;
  admin::v1::Provider good;
  good.set_name("good");
  good.set_enabled(true);
  good.mutable_last_test()->set_ok(true);
  good.mutable_last_test()->set_tested_at_ms(now - 3 * 60'000);
  EXPECT_EQ(JudgeProviders({good}, now).status(), CHECK_STATUS_OK);
  EXPECT_NE(JudgeProviders({good}, now).detail().find("good 3 min ago"), std::string::npos);
  admin::v1::Provider never = good;
  never.set_name("never");
  never.clear_last_test();
  EXPECT_EQ(JudgeProviders({good, never}, now).status(), CHECK_STATUS_WARN);
  admin::v1::Provider bad = good;
  bad.set_name("bad");
  bad.mutable_last_test()->set_ok(false);
  auto* step = bad.mutable_last_test()->add_steps();
  step->set_name("provider");
  step->set_detail("HTTP 401: Incorrect API key provided");
  auto c = JudgeProviders({good, bad}, now);
  EXPECT_EQ(c.status(), CHECK_STATUS_WARN);
  EXPECT_NE(c.detail().find("bad (3 min ago, provider: HTTP 401"), std::string::npos) << c.detail();
  admin::v1::Provider off = bad;
  off.set_enabled(false);
  EXPECT_EQ(JudgeProviders({good, off}, now).status(), CHECK_STATUS_OK) << "disabled: not judged";
}

TEST(SelfCheckTest, Clock) {
  auto st = Stack({Service("edge", "1")});
  EXPECT_EQ(JudgeClock(1'795'000'000'000, st).status(), CHECK_STATUS_OK);
  EXPECT_EQ(JudgeClock(86'400'000, st).status(), CHECK_STATUS_FAIL) << "1970";
  EXPECT_EQ(JudgeClock(1'789'000'000'000, st).status(), CHECK_STATUS_WARN)
      << "the edge started in the router's future";
}

}  // namespace
}  // namespace agentgate::router

namespace agentgate::router {
namespace {

TEST(JudgeBackupsTest, NoneOverdueOrUnreadableIsAWarning) {
  constexpr int64_t kNow = 1800000000000;
  constexpr int64_t kDay = 86400000;
  admin::v1::ListBackupsResponse b;
  b.set_dir("/home/u/.agentgate/backups");
  EXPECT_EQ(JudgeBackups(b, kNow).status(), admin::v1::CHECK_STATUS_WARN);  // none, no schedule
  b.set_every_ms(kDay);
  EXPECT_EQ(JudgeBackups(b, kNow).status(), admin::v1::CHECK_STATUS_OK);  // the first is coming
  auto* x = b.add_backups();
  x->set_created_at_ms(kNow - 3 * 3600000);
  admin::v1::Check c = JudgeBackups(b, kNow);
  EXPECT_EQ(c.status(), admin::v1::CHECK_STATUS_OK);
  EXPECT_EQ(c.detail(), "1 in /home/u/.agentgate/backups, the newest 3 h ago");
  x->set_created_at_ms(kNow - 3 * kDay);
  c = JudgeBackups(b, kNow);
  EXPECT_EQ(c.status(), admin::v1::CHECK_STATUS_WARN);
  EXPECT_NE(c.detail().find("due every 24 h"), std::string::npos) << c.detail();
  b.set_every_ms(0);  // made by hand only: an old one is no warning
  EXPECT_EQ(JudgeBackups(b, kNow).status(), admin::v1::CHECK_STATUS_OK);
  b.add_backups()->set_error("not an AgentGate backup");
  EXPECT_EQ(JudgeBackups(b, kNow).status(), admin::v1::CHECK_STATUS_WARN);
}

TEST(JudgeRetentionTest, SaysWhatIsKeptAndWarnsWhenNothingBoundsALargeDb) {
  constexpr int64_t kNow = 1800000000000;
  admin::v1::PruneStatsResponse u;
  u.set_records(1234);
  u.set_db_bytes(5'000'000);
  u.set_oldest_ms(kNow - 10 * 86400000LL);
  u.set_retention_days(90);
  admin::v1::Check c = JudgeRetention(&u, kNow);
  EXPECT_EQ(c.status(), admin::v1::CHECK_STATUS_OK);
  EXPECT_EQ(c.detail(),
            "stats.db holds 1234 records (5.0 MB, the oldest 10 days old); kept 90 days");
  u.set_retention_days(0);
  u.set_db_bytes(int64_t{2} << 30);
  c = JudgeRetention(&u, kNow);
  EXPECT_EQ(c.status(), admin::v1::CHECK_STATUS_WARN);
  EXPECT_NE(c.fix().find("--retention-days"), std::string::npos);
  u.set_max_bytes(int64_t{4} << 30);
  EXPECT_EQ(JudgeRetention(&u, kNow).status(), admin::v1::CHECK_STATUS_OK);
  EXPECT_EQ(JudgeRetention(nullptr, kNow).status(), admin::v1::CHECK_STATUS_WARN);
}

}  // namespace
}  // namespace agentgate::router
