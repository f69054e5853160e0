// agentgatectl end to end: up --detach, provider add, a request, logs, status, token, down;
// route profiles; provider health after a rate-limited request.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <set>

#include "services/ctl/bundle.h"
#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

class CtlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = MakeTempDir("ctl");
    // The services inherit it: no automatic provider tests unless a test asks for them.
    ::setenv("AGENTGATE_AUTO_TEST", "off", 1);
  }
  void TearDown() override { Ctl({"down"}); }
  CommandResult Ctl(std::vector<std::string> args) {
    std::vector<std::string> argv = {BinPath("agentgatectl"), "--home", home_};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }
  void UpDetached() {
    CommandResult up = Ctl({"up", "--detach", "--port", "0", "--admin-port", "0", "--probe-port",
                            "0", "--stats-port", "0"});
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
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
  // The admin credential is another key, printed on request only, and no client key.
  CommandResult admin_key = Ctl({"token", "--admin"});
  ASSERT_EQ(admin_key.exit_code, 0) << admin_key.err;
  EXPECT_EQ(admin_key.out.rfind("ag_admin_", 0), 0u) << admin_key.out;
  EXPECT_NE(admin_key.out.substr(0, admin_key.out.find('\n')), t);
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

TEST_F(CtlTest, RouteProfiles) {
  fakes::FakeUpstream upstream;
  ASSERT_NO_FATAL_FAILURE(UpDetached());
  ASSERT_EQ(
      Ctl({"provider", "add", "--type", "custom_openai_compatible", "--name", "local", "--base-url",
           upstream.base_url(), "--key", "k1-aaaa1111", "--key", "k2-bbbb2222", "--model", "m"})
          .exit_code,
      0);
  ASSERT_EQ(Ctl({"provider", "add", "--type", "custom_openai_compatible", "--name", "spare",
                 "--base-url", upstream.base_url(), "--model", "s"})
                .exit_code,
            0);

  CommandResult list = Ctl({"route", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("NAME"), std::string::npos) << list.out;
  for (const char* name : {"chat", "claude", "codex", "gemini"}) {
    EXPECT_NE(list.out.find(std::string("\n") + name + " "), std::string::npos) << name << "\n"
                                                                                << list.out;
  }
  EXPECT_NE(list.out.find("local > spare"), std::string::npos) << list.out;

  CommandResult add = Ctl({"route", "add", "fast", "--client", "claude", "--chain", "spare,local",
                           "--add-rule", "pics:image:local:vision-m"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  CommandResult set = Ctl({"route", "set", "fast", "--mode", "manual", "--add-rule", "big",
                           "--provider", "spare", "--when", "tokens>=1000,tools>=3,model~opus"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  CommandResult show = Ctl({"route", "show", "fast", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto r = boost::json::parse(show.out);
  EXPECT_EQ(r.at("client_protocol").as_string(), "CLIENT_PROTOCOL_ANTHROPIC_MESSAGES");
  EXPECT_EQ(r.at("mode").as_string(), "ROUTE_MODE_MANUAL");
  EXPECT_EQ(r.at("chain").as_array().size(), 2u);
  EXPECT_EQ(r.at("chain").at(0).as_string(), "spare");
  const auto& rules = r.at("rules").as_array();
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].at("scene").as_string(), "image");
  EXPECT_EQ(rules[0].at("model").as_string(), "vision-m");
  EXPECT_EQ(rules[1].at("when").at("min_input_tokens").as_string(), "1000");
  EXPECT_EQ(rules[1].at("when").at("min_tools").as_int64(), 3);
  EXPECT_EQ(rules[1].at("when").at("model_keywords").at(0).as_string(), "opus");
  CommandResult text = Ctl({"route", "show", "fast"});
  EXPECT_NE(text.out.find("tokens>=1000,tools>=3,model~opus -> spare"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("midstream: off"), std::string::npos) << text.out;
  ASSERT_EQ(Ctl({"route", "set", "fast", "--midstream-failover", "on"}).exit_code, 0);
  show = Ctl({"route", "show", "fast", "--json"});
  EXPECT_TRUE(boost::json::parse(show.out).at("midstream_failover").as_bool()) << show.out;
  CommandResult odd = Ctl({"route", "set", "fast", "--midstream-failover", "yes"});
  EXPECT_EQ(odd.exit_code, 1);
  EXPECT_NE(odd.err.find("--midstream-failover is on or off"), std::string::npos) << odd.err;

  // Explain, with the protocol guessed from the body.
  std::string body_file = home_ + "/body.json";
  {
    FILE* fp = std::fopen(body_file.c_str(), "w");
    ASSERT_NE(fp, nullptr);
    std::fputs(
        R"({"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})", fp);
    std::fclose(fp);
  }
  CommandResult ex = Ctl({"route", "explain", body_file});
  ASSERT_EQ(ex.exit_code, 0) << ex.err;
  EXPECT_NE(ex.out.find("claude (Anthropic Messages), guessed"), std::string::npos) << ex.out;
  EXPECT_NE(ex.out.find("profile:  claude (failover)"), std::string::npos) << ex.out;
  EXPECT_NE(ex.out.find("✓"), std::string::npos) << ex.out;
  CommandResult manual = Ctl({"route", "explain", body_file, "--route", "fast"});
  ASSERT_EQ(manual.exit_code, 0) << manual.err;
  EXPECT_NE(manual.out.find("1  ✓  spare"), std::string::npos) << manual.out;

  ASSERT_EQ(Ctl({"route", "set", "fast", "--remove-rule", "pics"}).exit_code, 0);
  CommandResult missing = Ctl({"route", "set", "fast", "--remove-rule", "pics"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no rule named 'pics'"), std::string::npos) << missing.err;
  CommandResult bad = Ctl({"route", "add", "x", "--client", "chat", "--chain", "ghost"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("no provider named 'ghost'"), std::string::npos) << bad.err;
  CommandResult bad_when = Ctl({"route", "add", "x", "--client", "chat", "--add-rule", "r",
                                "--provider", "local", "--when", "sunny"});
  EXPECT_EQ(bad_when.exit_code, 1);
  EXPECT_NE(bad_when.err.find("unknown condition 'sunny'"), std::string::npos) << bad_when.err;
  CommandResult keep = Ctl({"route", "remove", "chat"});
  EXPECT_EQ(keep.exit_code, 1);
  EXPECT_NE(keep.err.find("default"), std::string::npos) << keep.err;

  // --default moves the flag; then the old default can go.
  ASSERT_EQ(Ctl({"route", "set", "fast", "--default"}).exit_code, 0);
  CommandResult removed = Ctl({"route", "remove", "claude"});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  list = Ctl({"route", "list", "--json"});
  std::map<std::string, bool> is_default;
  boost::json::value listed = boost::json::parse(list.out);
  for (const auto& route : listed.at("routes").as_array()) {
    is_default[std::string(route.at("name").as_string())] = route.at("is_default").as_bool();
  }
  EXPECT_EQ(is_default.size(), 4u);
  EXPECT_TRUE(is_default["fast"]);
  EXPECT_EQ(is_default.count("claude"), 0u);
  CommandResult help = Ctl({"route", "--help"});
  EXPECT_NE(help.err.find("tokens>=N"), std::string::npos);
}

TEST_F(CtlTest, ProviderStatusAfterARateLimit) {
  fakes::FakeUpstream upstream;
  ASSERT_NO_FATAL_FAILURE(UpDetached());
  auto stack = StackJson();
  std::string gateway(stack.at("gateway_url").as_string());
  int port = std::stoi(gateway.substr(gateway.rfind(':') + 1));
  ASSERT_EQ(Ctl({"provider", "add", "--type", "custom_openai_compatible", "--name", "local",
                 "--base-url", upstream.base_url(), "--key", "sk-only-key-9999", "--model", "m",
                 "--vision", "no", "--header", "X-Team=blue"})
                .exit_code,
            0);
  CommandResult list = Ctl({"provider", "list"});
  EXPECT_NE(list.out.find("STATUS"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("healthy"), std::string::npos) << list.out;

  fakes::ScriptedResponse limited;
  limited.status = 429;
  limited.headers = {{"Retry-After", "30"}};
  limited.body = R"({"error":{"message":"slow down","type":"rate_limit"}})";
  upstream.Enqueue(limited);
  std::string t = Ctl({"token"}).out;
  t = t.substr(0, t.find('\n'));
  HttpResponse r = HttpRequest(port, "POST", "/v1/chat/completions", ChatBody("m"),
                               {{"authorization", "Bearer " + t}});
  EXPECT_EQ(r.status, 429) << r.body;

  // The edge reports the outcome; the router folds it in.
  ASSERT_TRUE(WaitFor([&] {
    CommandResult l = Ctl({"provider", "list"});
    return l.out.find("cooling down 3") != std::string::npos;  // 30s, 29s...
  })) << Ctl({"provider", "list"}).out;
  CommandResult show = Ctl({"provider", "show", "local"});
  EXPECT_NE(show.out.find("status:         cooling down"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("Retry-After 30 s"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("retry-after:    30.0s"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("last error:"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("key #0        sk-…9999"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("vision:         no"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("header:         X-Team: blue"), std::string::npos) << show.out;

  CommandResult reset = Ctl({"provider", "reset", "local"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_NE(reset.out.find("healthy"), std::string::npos) << reset.out;
  EXPECT_NE(Ctl({"provider", "list"}).out.find("healthy"), std::string::npos);
  CommandResult off = Ctl({"provider", "update", "local", "--disable"});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_NE(Ctl({"provider", "list"}).out.find("disabled"), std::string::npos);
}

// The edge prices every request from its usage at the prices of its snapshot; the stats
// service adds them up; a model without a price stays unknown until it gets one.
TEST_F(CtlTest, CostIsComputedFromUsageAtTheCurrentPrices) {
  fakes::FakeUpstream upstream;
  UpDetached();
  ASSERT_EQ(Ctl({"provider", "add", "--type", "custom_openai_compatible", "--name", "local",
                 "--base-url", upstream.base_url(), "--key", "k", "--model", "acme-7b"})
                .exit_code,
            0);
  auto stack = StackJson();
  std::string gateway(stack.at("gateway_url").as_string());
  int port = std::stoi(gateway.substr(gateway.rfind(':') + 1));
  std::string token = Ctl({"token"}).out;
  token = token.substr(0, token.find('\n'));
  auto chat = [&] {
    HttpResponse r =
        HttpRequest(port, "POST", "/v1/chat/completions", ChatBody("acme-7b", true, true),
                    {{"authorization", "Bearer " + token}});
    ASSERT_EQ(r.status, 200) << r.body;
  };
  auto stats = [&] { return boost::json::parse(Ctl({"stats", "--json"}).out); };
  // Proto JSON writes 64-bit counts as strings.
  auto count = [](const boost::json::value& v) { return std::stoll(std::string(v.as_string())); };

  chat();
  ASSERT_TRUE(WaitFor([&] { return count(stats().at("today").at("requests")) == 1; }));
  auto before = stats();
  EXPECT_EQ(count(before.at("today").at("unpriced_requests")), 1) << before;
  EXPECT_EQ(before.at("today").at("cost_usd").to_number<double>(), 0.0);
  EXPECT_NE(Ctl({"stats"}).out.find("unknown"), std::string::npos);
  EXPECT_NE(Ctl({"price", "show", "acme-7b"}).exit_code, 0);

  // Absurd prices make the arithmetic visible: usage 11 in (3 cached) / 5 out.
  CommandResult set = Ctl({"price", "set", "ACME-7B", "--input", "100000", "--output", "200000",
                           "--cache-read", "10000"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(Ctl({"price", "list"}).out.find("acme-7b"), std::string::npos);
  chat();
  ASSERT_TRUE(WaitFor([&] { return count(stats().at("today").at("requests")) == 2; }));
  auto after = stats();
  EXPECT_DOUBLE_EQ(after.at("today").at("cost_usd").to_number<double>(), 0.8 + 0.03 + 1.0) << after;
  EXPECT_EQ(count(after.at("today").at("unpriced_requests")), 1)
      << "the first request stays unknown";
  CommandResult by_model = Ctl({"stats", "--by", "model", "--bucket", "hour"});
  EXPECT_EQ(by_model.exit_code, 0) << by_model.err;
  EXPECT_NE(by_model.out.find("$1.83"), std::string::npos) << by_model.out;
  EXPECT_NE(by_model.out.find("HOUR"), std::string::npos) << by_model.out;
  CommandResult logs = Ctl({"logs", "--json"});
  EXPECT_NE(logs.out.find("\"cost_usd\":1.83"), std::string::npos) << logs.out;

  // A built-in model is priced without anything set; a reset takes a user's price away.
  EXPECT_EQ(Ctl({"price", "show", "claude-sonnet-5-5-20261001"}).exit_code, 0);
  EXPECT_EQ(Ctl({"price", "reset", "acme-7b"}).exit_code, 0);
  EXPECT_NE(Ctl({"price", "reset", "acme-7b"}).exit_code, 0);
  EXPECT_NE(Ctl({"stats", "--by", "colour"}).exit_code, 0);
}

// doctor: the self-check, and a bundle in which no key, token, header secret or prompt text
// from this test appears, although the provider's answers quote them.
TEST_F(CtlTest, DoctorChecksTheStackAndItsBundleLeaksNoSecret) {
  fakes::FakeUpstream upstream;
  UpDetached();
  const std::string key = "sk-doctor-SECRET-key-0987654321";
  const std::string header = "hdr-SECRET-4242";
  const std::string prompt = "PROMPT-SECRET-TEXT-31337";
  ASSERT_EQ(
      Ctl({"provider", "add", "--type", "custom_openai_compatible", "--name", "local", "--base-url",
           upstream.base_url(), "--key", key, "--model", "m", "--header", "X-Org=" + header})
          .exit_code,
      0);
  CommandResult warned = Ctl({"doctor"});
  EXPECT_EQ(warned.exit_code, 0) << warned.out << warned.err;
  EXPECT_NE(warned.out.find("✓ retention"), std::string::npos) << warned.out;
  EXPECT_NE(warned.out.find("kept 90 days"), std::string::npos) << warned.out;
  EXPECT_NE(warned.out.find("✓ services"), std::string::npos) << warned.out;
  EXPECT_NE(warned.out.find("✓ databases"), std::string::npos) << warned.out;
  EXPECT_NE(warned.out.find("✓ files"), std::string::npos) << warned.out;
  EXPECT_NE(warned.out.find("! providers  never tested: local"), std::string::npos) << warned.out;
  EXPECT_NE(warned.out.find("✓ ports"), std::string::npos) << warned.out;
  EXPECT_NE(warned.out.find("✓ backups    none yet"), std::string::npos) << warned.out;

  std::string token = Ctl({"token"}).out;
  token = token.substr(0, token.find('\n'));
  auto stack = StackJson();
  std::string gateway(stack.at("gateway_url").as_string());
  int port = std::stoi(gateway.substr(gateway.rfind(':') + 1));
  // A provider error that quotes the key and the prompt back.
  fakes::ScriptedResponse echo;
  echo.status = 400;
  echo.body = R"({"error":{"message":"bad request for key )" + key + " about " + prompt + R"("}})";
  upstream.Enqueue(echo);
  std::string body = R"({"model":"m","messages":[{"role":"user","content":")" + prompt + R"("}]})";
  HttpRequest(port, "POST", "/v1/chat/completions", body, {{"authorization", "Bearer " + token}});
  ASSERT_EQ(HttpRequest(port, "POST", "/v1/chat/completions", body,
                        {{"authorization", "Bearer " + token}})
                .status,
            200);
  ASSERT_EQ(Ctl({"provider", "test", "local"}).exit_code, 0);
  ASSERT_TRUE(WaitFor([&] {
    return Ctl({"logs", "--json"}).out.find("\"status\":400") != std::string::npos;
  }));

  // Files left open to others fail the check, and say how to fix it.
  ASSERT_EQ(::chmod((home_ + "/token").c_str(), 0644), 0);
  CommandResult open = Ctl({"doctor"});
  EXPECT_EQ(open.exit_code, 1);
  EXPECT_NE(open.out.find("✗ files"), std::string::npos) << open.out;
  EXPECT_NE(open.out.find("chmod 600"), std::string::npos) << open.out;
  ASSERT_EQ(::chmod((home_ + "/token").c_str(), 0600), 0);

  std::string bundle = home_ + "/bundle.tar.gz";
  CommandResult made = Ctl({"doctor", "--bundle", bundle});
  EXPECT_EQ(made.exit_code, 0) << made.out << made.err;
  auto gz = ReadFileOrEmpty(bundle);
  auto tar = ctl::Gunzip(gz);
  ASSERT_TRUE(tar.ok()) << tar.status();
  std::set<std::string> names;
  for (const auto& [name, content] : ctl::ReadTar(*tar)) {
    names.insert(name);
    for (const std::string& secret : {key, header, prompt, token}) {
      EXPECT_EQ(content.find(secret), std::string::npos) << secret << " in " << name;
    }
  }
  for (const std::string& secret : {key, header, prompt, token}) {
    EXPECT_EQ(tar->find(secret), std::string::npos) << secret;
  }
  for (const char* want :
       {"agentgate-bundle/versions.txt", "agentgate-bundle/selfcheck.json",
        "agentgate-bundle/config/providers.json", "agentgate-bundle/requests.json",
        "agentgate-bundle/logs/edge.log", "agentgate-bundle/logs/router.log"}) {
    EXPECT_EQ(names.count(want), 1u) << want;
  }
  // What a bundle is for is still in it.
  EXPECT_NE(tar->find("\"name\":\"local\""), std::string::npos);
  EXPECT_NE(tar->find("X-Org"), std::string::npos) << "header names stay, their values go";

  // With the stack down, doctor says so and still checks the files.
  Ctl({"down"});
  CommandResult down = Ctl({"doctor"});
  EXPECT_EQ(down.exit_code, 1);
  EXPECT_NE(down.out.find("✗ services"), std::string::npos) << down.out;
  EXPECT_NE(down.out.find("agentgatectl up"), std::string::npos) << down.out;
}

TEST_F(CtlTest, ProviderTestAndModelsGoThroughTheProbe) {
  fakes::FakeUpstream upstream;
  upstream.SetRejectImages(true);
  upstream.SetModels({{"alpha", true}, {"beta", true}});
  UpDetached();
  ASSERT_EQ(Ctl({"provider", "add", "--type", "custom_openai_compatible", "--name", "local",
                 "--base-url", upstream.base_url(), "--key", "sk-secret-key-1234", "--model", "m"})
                .exit_code,
            0);
  CommandResult test = Ctl({"provider", "test", "local", "--check-vision", "--list-models"});
  EXPECT_EQ(test.exit_code, 0) << test.out << test.err;
  EXPECT_NE(test.out.find("✓ config"), std::string::npos) << test.out;
  EXPECT_NE(test.out.find("✓ gateway"), std::string::npos) << test.out;
  EXPECT_NE(test.out.find("✓ provider"), std::string::npos) << test.out;
  EXPECT_NE(test.out.find("does not support image input"), std::string::npos) << test.out;
  EXPECT_NE(test.out.find("provider OK"), std::string::npos);
  EXPECT_EQ(test.out.find("sk-secret-key-1234"), std::string::npos);
  // The definite "no vision" is kept with the provider, and routing uses it.
  CommandResult show = Ctl({"provider", "show", "local", "--json"});
  EXPECT_NE(show.out.find("CAPABILITY_NO"), std::string::npos) << show.out;
  // The test is kept with the provider and shown with it.
  CommandResult shown = Ctl({"provider", "show", "local"});
  EXPECT_NE(shown.out.find("last test:      ok "), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("(manual), 2 models listed"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("  ✓ provider"), std::string::npos) << shown.out;
  CommandResult listed = Ctl({"provider", "list"});
  EXPECT_NE(listed.out.find("LAST TEST"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(" ago"), std::string::npos) << listed.out;

  CommandResult models = Ctl({"provider", "models", "local"});
  EXPECT_EQ(models.exit_code, 0) << models.err;
  EXPECT_EQ(models.out, "alpha\nbeta\n");

  // A provider that refuses the key fails the test, with the provider's message.
  fakes::ScriptedResponse refused;
  refused.status = 401;
  refused.body =
      R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}})";
  upstream.Enqueue(refused);
  CommandResult bad = Ctl({"provider", "test", "local"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.out.find("✗ provider"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("Incorrect API key"), std::string::npos) << bad.out;
  EXPECT_NE(Ctl({"provider", "list"}).out.find("FAILED "), std::string::npos);
  EXPECT_EQ(Ctl({"provider", "test", "nobody"}).exit_code, 1);

  // A pool and a pass-through endpoint: each key and the Messages endpoint get their own line.
  ASSERT_EQ(Ctl({"provider", "add", "--type", "custom_openai_compatible", "--name", "pool",
                 "--base-url", upstream.base_url(), "--key", "sk-pool-key-0001", "--key",
                 "sk-pool-key-0002", "--model", "m", "--anthropic-url", upstream.base_url()})
                .exit_code,
            0);
  CommandResult pool = Ctl({"provider", "test", "pool"});
  EXPECT_EQ(pool.exit_code, 0) << pool.out << pool.err;
  EXPECT_NE(pool.out.find("✓ anthropic_endpoint"), std::string::npos) << pool.out;
  EXPECT_NE(pool.out.find("✓ keys"), std::string::npos) << pool.out;
  EXPECT_NE(pool.out.find("key 1 ✓, key 2 ✓"), std::string::npos) << pool.out;
  EXPECT_EQ(pool.out.find("sk-pool-key"), std::string::npos);
}

// stats prune: by the policy (nothing is 90 days old yet), then with a cut-off of its own.
TEST_F(CtlTest, StatsPruneDeletesOldRecordsAndSaysWhatIsLeft) {
  fakes::FakeUpstream upstream;
  UpDetached();
  ASSERT_EQ(Ctl({"provider", "add", "--type", "custom_openai_compatible", "--name", "local",
                 "--base-url", upstream.base_url(), "--key", "k", "--model", "m"})
                .exit_code,
            0);
  std::string token = Ctl({"token"}).out;
  token = token.substr(0, token.find('\n'));
  auto stack = StackJson();
  std::string gateway(stack.at("gateway_url").as_string());
  int port = std::stoi(gateway.substr(gateway.rfind(':') + 1));
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(HttpRequest(port, "POST", "/v1/chat/completions", ChatBody("m"),
                          {{"authorization", "Bearer " + token}})
                  .status,
              200);
  }
  ASSERT_TRUE(WaitFor([&] {
    CommandResult logs = Ctl({"logs", "--json"});
    return logs.exit_code == 0 && logs.out.find("\"provider\":\"local\"") != std::string::npos &&
           boost::json::parse(logs.out).at("logs").as_array().size() == 3;
  }));
  CommandResult policy = Ctl({"stats", "prune"});
  ASSERT_EQ(policy.exit_code, 0) << policy.err;
  EXPECT_NE(policy.out.find("deleted 0 records; 3 left"), std::string::npos) << policy.out;
  EXPECT_NE(policy.out.find("records are kept 90 days"), std::string::npos) << policy.out;
  CommandResult none = Ctl({"stats", "prune", "--older-than", "7d"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_NE(none.out.find("deleted 0 records; 3 left"), std::string::npos) << none.out;
  CommandResult all = Ctl({"stats", "prune", "--older-than", "2099-01-01"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("deleted 3 records; 0 left"), std::string::npos) << all.out;
  EXPECT_EQ(Ctl({"logs", "--json"}).out.find("\"provider\":\"local\""), std::string::npos);
  EXPECT_NE(Ctl({"stats", "prune", "--max-mb", "x"}).exit_code, 0);
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
