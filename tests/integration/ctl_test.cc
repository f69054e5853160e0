// agentgatectl end to end: up --detach, provider add, a request, logs, status, token, down.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

class CtlTest : public ::testing::Test {
 protected:
  void SetUp() override { home_ = MakeTempDir("ctl"); }
  void TearDown() override { Ctl({"down"}); }
  CommandResult Ctl(std::vector<std::string> args) {
    std::vector<std::string> argv = {BinPath("agentgatectl"), "--home", home_};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }
  boost::json::value StackJson() {
    return boost::json::parse(ReadFileOrEmpty(home_ + "/run/stack.json"));
  }
  std::string home_;
};

TEST_F(CtlTest, UpAddRequestLogsDown) {
  fakes::FakeUpstream upstream;
  CommandResult up = Ctl({"up", "--detach", "--port", "0", "--admin-port", "0", "--probe-port", "0",
                          "--stats-port", "0"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_NE(up.out.find("AgentGate is up"), std::string::npos);
  EXPECT_NE(up.out.find(home_ + "/token"), std::string::npos);
  auto stack = StackJson();
  std::string gateway(stack.at("gateway_url").as_string());
  int port = std::stoi(gateway.substr(gateway.rfind(':') + 1));

  CommandResult add =
      Ctl({"provider", "add", "--type", "custom_openai_compatible", "--name", "local", "--base-url",
           upstream.base_url(), "--key", "k", "--model", "m"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  CommandResult list = Ctl({"provider", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto providers = boost::json::parse(list.out);
  EXPECT_EQ(providers.at("providers").at(0).at("name").as_string(), "local");

  CommandResult token = Ctl({"token"});
  ASSERT_EQ(token.exit_code, 0);
  std::string t = token.out.substr(0, token.out.find('\n'));
  HttpResponse r = HttpRequest(port, "POST", "/v1/chat/completions", ChatBody("m", true, true),
                               {{"authorization", "Bearer " + t}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("[DONE]"), std::string::npos);

  ASSERT_TRUE(WaitFor([&] {
    CommandResult logs = Ctl({"logs", "--json"});
    return logs.exit_code == 0 && logs.out.find("\"provider\":\"local\"") != std::string::npos;
  }));
  CommandResult table = Ctl({"logs"});
  EXPECT_NE(table.out.find("local"), std::string::npos);
  EXPECT_NE(table.out.find("11/5"), std::string::npos) << table.out;

  CommandResult status = Ctl({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  for (const char* svc : {"router", "edge", "stats", "probe"}) {
    EXPECT_NE(status.out.find(svc), std::string::npos) << status.out;
  }

  // A crashed service comes back on its own.
  int edge_pid = static_cast<int>(stack.at("services").at("edge").at("pid").as_int64());
  ::kill(edge_pid, SIGKILL);
  EXPECT_TRUE(WaitFor(
      [&] {
        return HttpRequest(port, "POST", "/v1/chat/completions", ChatBody("m"),
                           {{"authorization", "Bearer " + t}})
                   .status == 200;
      },
      std::chrono::seconds(20)));

  int supervisor = static_cast<int>(stack.at("supervisor_pid").as_int64());
  CommandResult down = Ctl({"down"});
  EXPECT_EQ(down.exit_code, 0) << down.err;
  EXPECT_EQ(::kill(supervisor, 0), -1);
  EXPECT_NE(HttpRequest(port, "GET", "/health").status, 200);
}

TEST_F(CtlTest, ErrorsAreOneClearLineAndNonZero) {
  CommandResult r = Ctl({"provider", "list"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("is the stack running"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);

  CommandResult bad = Ctl({"frobnicate"});
  EXPECT_EQ(bad.exit_code, 2);
  CommandResult remote = Ctl({"up", "--host", "0.0.0.0"});
  EXPECT_EQ(remote.exit_code, 2);
  EXPECT_NE(remote.err.find("--allow-remote"), std::string::npos);
  CommandResult down = Ctl({"down"});
  EXPECT_NE(down.exit_code, 0);
  EXPECT_NE(down.err.find("not running"), std::string::npos);
}

TEST_F(CtlTest, AutoTypeDetectionNeedsAnUnambiguousKey) {
  CommandResult r =
      Ctl({"provider", "add", "--type", "auto", "--key", "sk-plainkeythatisambiguous"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--type"), std::string::npos) << r.err;
}

TEST(ServiceFlags, EveryBinaryHasHelpAndRefusesRemoteBinds) {
  for (const char* bin :
       {"agentgate-edge", "agentgate-router", "agentgate-stats", "agentgate-probe"}) {
    CommandResult help = RunCommand({BinPath(bin), "--help"});
    EXPECT_EQ(help.exit_code, 0) << bin;
    EXPECT_NE(help.out.find("--port"), std::string::npos) << bin;
    CommandResult remote = RunCommand({BinPath(bin), "--host", "0.0.0.0", "--port", "0"});
    EXPECT_EQ(remote.exit_code, 2) << bin;
    CommandResult unknown = RunCommand({BinPath(bin), "--bogus"});
    EXPECT_EQ(unknown.exit_code, 2) << bin;
  }
}

}  // namespace
}  // namespace agentgate::testing
