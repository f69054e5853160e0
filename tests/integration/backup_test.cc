// Backups through the real stack: made over the admin API while it serves (config.db by the
// router, stats.db streamed by the stats service), restored by the real agentgatectl into a
// fresh data folder (another machine: passphrase) or the same one (master key), and the
// restored stack serves with the restored keys, routes, accounts and records.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using fakes::FakeUpstream;
namespace json = boost::json;

constexpr char kAuthJson[] =
    R"({"auth_mode":"chatgpt","OPENAI_API_KEY":null,"tokens":{"id_token":"","access_token":"tok-1",)"
    R"("refresh_token":"rt-1","account_id":"acct-1"},"last_refresh":"2026-12-01T10:00:00Z"})";

class BackupTest : public ::testing::Test {
 protected:
  std::vector<std::string> Ctl(const std::string& home, std::vector<std::string> args) {
    std::vector<std::string> argv = {BinPath("agentgatectl"), "--home", home};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  static admin::v1::BackupInfo Create(Stack& stack, const std::string& passphrase) {
    admin::v1::CreateBackupRequest req;
    req.set_passphrase(passphrase);
    admin::v1::BackupInfo info;
    auto ctx = stack.AdminContext();
    grpc::Status st = stack.Admin()->CreateBackup(ctx.get(), req, &info);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return info;
  }
  static std::vector<admin::v1::BackupInfo> List(Stack& stack) {
    admin::v1::ListBackupsResponse resp;
    auto ctx = stack.AdminContext();
    EXPECT_TRUE(stack.Admin()->ListBackups(ctx.get(), {}, &resp).ok());
    return {resp.backups().begin(), resp.backups().end()};
  }
  static void StopAll(Stack& stack) {
    for (const char* s : {"edge", "router", "probe", "stats"}) stack.StopService(s);
  }
  static int64_t Records(Stack& stack) {
    admin::v1::ListRequestLogsRequest q;
    q.set_limit(100);
    admin::v1::ListRequestLogsResponse logs;
    auto ctx = stack.AdminContext();
    EXPECT_TRUE(stack.Admin()->ListRequestLogs(ctx.get(), q, &logs).ok());
    return logs.logs_size();
  }

  FakeUpstream upstream_;
};

// "A backup restores everything on a fresh machine": a passphrase backup of a serving stack,
// restored into an empty data folder, brings up a stack with the same token, provider key,
// account and records.
TEST_F(BackupTest, APassphraseBackupRestoresOnAFreshMachine) {
  Stack old(Stack::Options{.router_args = {"--auto-test", "off"}});
  old.Start();
  old.AddProvider("local", upstream_.base_url(), "sk-local-secret", "m");
  ASSERT_TRUE(old.SyncEdge());
  ASSERT_EQ(old.Chat(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})").status, 200);
  admin::v1::ImportAccountRequest imp;
  imp.set_auth_json(kAuthJson);
  admin::v1::ImportAccountResponse imported;
  auto ctx = old.AdminContext();
  ASSERT_TRUE(old.Admin()->ImportAccount(ctx.get(), imp, &imported).ok());
  ASSERT_TRUE(WaitFor([&] { return Records(old) == 1; }));
  const std::string token = old.token();

  admin::v1::BackupInfo b = Create(old, "correct horse battery");
  EXPECT_EQ(b.seal(), "passphrase");
  EXPECT_EQ(std::vector<std::string>(b.contents().begin(), b.contents().end()),
            (std::vector<std::string>{"config.db", "stats.db", "token", "master.key"}));
  EXPECT_TRUE(b.error().empty()) << b.error();
  struct stat st {};
  ASSERT_EQ(::stat(b.path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Nothing secret is readable in the file.
  std::ifstream in(b.path(), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(bytes.find("sk-local-secret"), std::string::npos);
  EXPECT_EQ(bytes.find(token), std::string::npos);
  ASSERT_EQ(List(old).size(), 1u);
  StopAll(old);

  // The other machine: only the file and the passphrase.
  const std::string fresh = MakeTempDir("fresh");
  const std::string copy = fresh + "-carried.agbak";
  std::filesystem::copy_file(b.path(), copy);
  std::ofstream(fresh + "-pass") << "wrong horse\n";
  CommandResult wrong = RunCommand(
      Ctl(fresh, {"backup", "restore", copy, "--passphrase-file", fresh + "-pass", "--yes"}));
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.err.find("passphrase does not open"), std::string::npos) << wrong.err;
  EXPECT_FALSE(std::filesystem::exists(fresh + "/config.db"));

  std::ofstream(fresh + "-pass", std::ios::trunc) << "correct horse battery\n";
  CommandResult r = RunCommand(
      Ctl(fresh, {"backup", "restore", copy, "--passphrase-file", fresh + "-pass", "--yes"}));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("AFTER THE RESTORE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("restored config.db, stats.db, token, master.key"), std::string::npos)
      << r.out;

  Stack restored(Stack::Options{.router_args = {"--auto-test", "off"}, .home = fresh});
  restored.Start();
  EXPECT_EQ(restored.token(), token);
  ASSERT_TRUE(restored.SyncEdge());
  // The provider's key opened with the restored master key: the request reaches the fake with it.
  HttpResponse again =
      restored.Chat(R"({"model":"m","messages":[{"role":"user","content":"hi again"}]})");
  ASSERT_EQ(again.status, 200) << again.body;
  auto got = upstream_.Received();
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back().headers["authorization"], "Bearer sk-local-secret");
  admin::v1::ListAccountsResponse accounts;
  auto ctx2 = restored.AdminContext();
  ASSERT_TRUE(restored.Admin()->ListAccounts(ctx2.get(), {}, &accounts).ok());
  ASSERT_EQ(accounts.accounts_size(), 1);
  EXPECT_EQ(accounts.accounts(0).id(), "acct-1");
  EXPECT_TRUE(WaitFor([&] { return Records(restored) == 2; }));  // the old one and the new
}

// A master-key backup rolls the same stack back: a provider deleted after the backup is back,
// the deleted state kept aside; a running stack is refused unless --restart.
TEST_F(BackupTest, AMasterKeyBackupRollsBackInPlace) {
  const std::string home = MakeTempDir("inplace");
  {
    Stack s(Stack::Options{.router_args = {"--auto-test", "off"}, .home = home});
    s.Start();
    s.AddProvider("keepme", upstream_.base_url(), "sk-keep", "m");
    admin::v1::BackupInfo b = Create(s, "");
    EXPECT_EQ(b.seal(), "master-key");
    EXPECT_EQ(std::count(b.contents().begin(), b.contents().end(), "master.key"), 0);
    admin::v1::DeleteProviderRequest del;
    del.set_name("keepme");
    admin::v1::DeleteProviderResponse gone;
    auto ctx = s.AdminContext();
    ASSERT_TRUE(s.Admin()->DeleteProvider(ctx.get(), del, &gone).ok());
    // The stack runs: the files are not touched.
    CommandResult busy = RunCommand(Ctl(home, {"backup", "restore", b.name(), "--yes"}),
                                    {{"AGENTGATE_ADMIN_ADDR", s.address("router")}});
    EXPECT_NE(busy.exit_code, 0);
    // The harness's stack holds no `up` lock: its open databases give it away.
    EXPECT_NE(busy.err.find("config.db open"), std::string::npos) << busy.err;
    EXPECT_NE(busy.err.find("stop it first"), std::string::npos) << busy.err;
    StopAll(s);
    CommandResult r = RunCommand(Ctl(home, {"backup", "restore", b.name(), "--yes"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("providers"), std::string::npos) << r.out;
  }
  Stack s(Stack::Options{.router_args = {"--auto-test", "off"}, .home = home});
  s.Start();
  admin::v1::ListProvidersResponse providers;
  auto ctx = s.AdminContext();
  ASSERT_TRUE(s.Admin()->ListProviders(ctx.get(), {}, &providers).ok());
  ASSERT_EQ(providers.providers_size(), 1);
  EXPECT_EQ(providers.providers(0).name(), "keepme");
  bool kept_aside = false;
  for (const auto& e : std::filesystem::directory_iterator(home)) {
    kept_aside |= e.path().filename().string().rfind("before-restore-", 0) == 0 &&
                  std::filesystem::exists(e.path() / "config.db");
  }
  EXPECT_TRUE(kept_aside);
}

// A stack run by `agentgatectl up` is stopped, restored and started again on its own ports with
// --restart.
TEST_F(BackupTest, RestartRestoresUnderAnUpStack) {
  const std::string home = MakeTempDir("upstack");
  ::setenv("AGENTGATE_AUTO_TEST", "off", 1);
  auto ctl = [&](std::vector<std::string> args) { return RunCommand(Ctl(home, std::move(args))); };
  CommandResult up = ctl({"up", "--detach", "--port", "0", "--admin-port", "0", "--probe-port", "0",
                          "--stats-port", "0"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  struct Down {
    std::function<void()> f;
    ~Down() { f(); }
  } down{[&] { ctl({"down"}); }};
  ASSERT_EQ(ctl({"provider", "add", "--type", "custom_openai_compatible", "--name", "p1",
                 "--base-url", upstream_.base_url(), "--key", "k", "--model", "m"})
                .exit_code,
            0);
  CommandResult made = ctl({"backup", "create", "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string name(json::parse(made.out).at("name").as_string());
  ASSERT_EQ(ctl({"provider", "delete", "p1"}).exit_code, 0);
  const std::string gateway_before = ReadFileOrEmpty(home + "/run/stack.json");

  CommandResult refused = ctl({"backup", "restore", name, "--yes"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("--restart"), std::string::npos) << refused.err;

  CommandResult r = ctl({"backup", "restore", name, "--yes", "--restart"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("stopping the stack"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("starting the stack again"), std::string::npos) << r.out;
  CommandResult list = ctl({"provider", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(json::parse(list.out).at("providers").at(0).at("name").as_string(), "p1");
  // Same ports as before the restore.
  auto ports = [](const std::string& stack_json) {
    return json::serialize(json::parse(stack_json).at("gateway_url"));
  };
  EXPECT_EQ(ports(ReadFileOrEmpty(home + "/run/stack.json")), ports(gateway_before));
}

// The schedule makes backups by itself and keeps the newest `keep` of its own; a manual one is
// not pruned by it; prune --keep deletes the oldest of all kinds.
TEST_F(BackupTest, TheScheduleKeepsItsNewest) {
  Stack s(Stack::Options{
      .router_args = {"--auto-test", "off", "--backup-every", "1s", "--backup-keep", "2"}});
  s.Start();
  Create(s, "");  // a manual one, first
  ASSERT_TRUE(WaitFor(
      [&] {
        int autos = 0;
        for (const auto& b : List(s)) autos += b.scheduled();
        return autos >= 2;
      },
      std::chrono::seconds(20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // at least two more rounds
  int autos = 0, manual = 0;
  for (const auto& b : List(s)) (b.scheduled() ? autos : manual)++;
  EXPECT_EQ(autos, 2);
  EXPECT_EQ(manual, 1);
  CommandResult prune = RunCommand(Ctl(s.home(), {"backup", "prune", "--keep", "1"}),
                                   {{"AGENTGATE_ADMIN_ADDR", s.address("router")}});
  ASSERT_EQ(prune.exit_code, 0) << prune.err;
  EXPECT_LE(List(s).size(), 2u);  // one, or one more the schedule made meanwhile
  CommandResult list = RunCommand(Ctl(s.home(), {"backup", "list"}),
                                  {{"AGENTGATE_ADMIN_ADDR", s.address("router")}});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("the router makes one every 1"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("and keeps 2"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace agentgate::testing
