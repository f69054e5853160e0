// Signing official accounts in from the gateway through the real stack: the router keeps the
// login, the probe talks to a fake OpenAI auth server (strict about the client id, the redirect,
// PKCE and single-use codes), the signed-in account serves Codex at once. The browser login is
// driven through the real agentgatectl, with the test playing the browser; the device login
// through agentgatectl and the admin API.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <regex>
#include <thread>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using fakes::FakeUpstream;
namespace json = boost::json;

constexpr char kCodexBody[] =
    R"({"model":"gpt-6-astra","instructions":"be brief","input":[{"type":"message","role":"user",)"
    R"("content":[{"type":"input_text","text":"say pong"}]}],"stream":true,"store":false})";

// "/path?query" of an http://host:port URL.
std::string TargetOf(const std::string& url) {
  const size_t slash = url.find('/', url.find("://") + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}
int PortOf(const std::string& url) {
  const size_t host = url.find("://") + 3;
  const size_t colon = url.find(':', host);
  return std::stoi(url.substr(colon + 1));
}

class AccountLoginTest : public ::testing::Test {
 protected:
  AccountLoginTest()
      : stack_(Stack::Options{.router_args = {"--auto-test", "off", "--openai-auth-url",
                                              upstream_.base_url(), "--quota-every", "0"}}) {}
  void SetUp() override {
    upstream_.SetChatGptSignIn("acct-7", "seven@example.com", "pro");
    stack_.Start();
    admin::v1::CreateProviderRequest req;
    req.mutable_provider()->set_name("chatgpt");
    req.mutable_provider()->set_type("chatgpt");
    req.mutable_provider()->set_base_url(upstream_.base_url() + "/backend-api/codex");
    admin::v1::Provider p;
    auto ctx = stack_.AdminContext();
    ASSERT_TRUE(stack_.Admin()->CreateProvider(ctx.get(), req, &p).ok());
  }

  std::vector<std::string> CtlArgs(std::vector<std::string> args) {
    std::vector<std::string> argv = {BinPath("agentgatectl"), "--home", stack_.home()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  std::map<std::string, std::string> CtlEnv() {
    return {{"AGENTGATE_ADMIN_ADDR", stack_.address("router")},
            {"DISPLAY", ""},
            {"WAYLAND_DISPLAY", ""}};
  }

  grpc::Status Start(const admin::v1::StartAccountLoginRequest& req, admin::v1::AccountLogin* out) {
    auto ctx = stack_.AdminContext();
    return stack_.Admin()->StartAccountLogin(ctx.get(), req, out);
  }
  grpc::Status Finish(const std::string& id, const std::string& callback,
                      admin::v1::FinishAccountLoginResponse* out) {
    admin::v1::FinishAccountLoginRequest req;
    req.set_login_id(id);
    req.set_callback(callback);
    auto ctx = stack_.AdminContext();
    return stack_.Admin()->FinishAccountLogin(ctx.get(), req, out);
  }
  // The browser: opens the authorize page, which signs in at once and redirects back.
  std::string Browse(const std::string& authorize_url) {
    HttpResponse page = HttpRequest(PortOf(authorize_url), "GET", TargetOf(authorize_url));
    EXPECT_EQ(page.status, 302) << page.body;
    return page.headers["location"];
  }

  std::vector<admin::v1::Account> Accounts() {
    admin::v1::ListAccountsResponse resp;
    auto ctx = stack_.AdminContext();
    EXPECT_TRUE(stack_.Admin()->ListAccounts(ctx.get(), {}, &resp).ok());
    return {resp.accounts().begin(), resp.accounts().end()};
  }
  HttpResponse Codex() {
    return HttpRequest(
        stack_.edge_port(), "POST", "/v1/responses", kCodexBody,
        {{"authorization", "Bearer " + stack_.token()}, {"originator", "codex_cli_rs"}});
  }

  FakeUpstream upstream_;
  Stack stack_;
};

// `agentgatectl account login` listens for the browser, the router exchanges the code with the
// verifier only it knows, and the account serves the next Codex request with the new tokens.
TEST_F(AccountLoginTest, BrowserLoginThroughTheCli) {
  const std::string log = stack_.home() + "/login.log";
  Process ctl;
  ctl.Start(CtlArgs({"account", "login", "--port", "0"}), CtlEnv(), log);
  std::string url;
  int port = 0;
  ASSERT_TRUE(WaitFor([&] {
    std::smatch m;
    const std::string out = ReadFileOrEmpty(log);
    static const std::regex kUrl(R"((http://\S+/oauth/authorize\?\S+))");
    static const std::regex kPort(R"(waiting for the browser on localhost:(\d+))");
    std::smatch p;
    if (!std::regex_search(out, m, kUrl) || !std::regex_search(out, p, kPort)) return false;
    url = m[1];
    port = std::stoi(p[1]);
    return true;
  })) << ReadFileOrEmpty(log);
  EXPECT_NE(url.find("client_id=app_EMoamEEZ73f0CkXaXp7hrann"), std::string::npos) << url;
  EXPECT_NE(url.find("redirect_uri=http%3A%2F%2Flocalhost%3A" + std::to_string(port) +
                     "%2Fauth%2Fcallback"),
            std::string::npos)
      << url;
  upstream_.SetChatGptRedirectPorts({port});

  // A request that is not the callback, then the browser coming back.
  EXPECT_EQ(HttpRequest(port, "GET", "/favicon.ico").status, 404);
  const std::string back = Browse(url);
  ASSERT_EQ(back.rfind("http://localhost:" + std::to_string(port) + "/auth/callback?code=", 0), 0u)
      << back;
  HttpResponse page = HttpRequest(port, "GET", TargetOf(back));
  EXPECT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Signed in to AgentGate"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("seven@example.com"), std::string::npos) << page.body;
  ASSERT_TRUE(WaitFor([&] { return !ctl.Running(); }));
  EXPECT_EQ(ctl.exit_status(), 0);
  const std::string out = ReadFileOrEmpty(log);
  EXPECT_NE(out.find("signed in: account acct-7 seven@example.com (plan pro) in chatgpt"),
            std::string::npos)
      << out;
  EXPECT_EQ(upstream_.ChatGptSignIns(), 1);

  auto list = Accounts();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id(), "acct-7");
  EXPECT_EQ(list[0].plan(), "pro");
  EXPECT_GT(list[0].access_expires_at_ms(), 0);
  ASSERT_TRUE(stack_.SyncEdge());
  HttpResponse r = Codex();
  EXPECT_EQ(r.status, 200) << r.body;
}

// The admin API's own checks: a redirect elsewhere than this machine is refused; another
// login's answer (a stale tab) leaves this one waiting; the right one signs in once; an answer
// the auth server refused says why.
TEST_F(AccountLoginTest, BrowserLoginAnswersAreChecked) {
  admin::v1::StartAccountLoginRequest req;
  admin::v1::AccountLogin login;
  req.set_redirect_uri("https://evil.example/auth/callback");
  EXPECT_EQ(Start(req, &login).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  req.set_redirect_uri("http://localhost:1455/auth/callback");
  ASSERT_TRUE(Start(req, &login).ok());
  admin::v1::AccountLogin other;
  ASSERT_TRUE(Start(req, &other).ok());
  EXPECT_NE(login.login_id(), other.login_id());
  const std::string back = Browse(login.authorize_url());
  ASSERT_NE(back.find("code="), std::string::npos) << back;

  admin::v1::FinishAccountLoginResponse done;
  // The answer handed to the other login: its state does not match; the code is not spent.
  grpc::Status st = Finish(other.login_id(), back, &done);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("state"), std::string::npos) << st.error_message();
  EXPECT_EQ(upstream_.ChatGptSignIns(), 0);
  // Garbage is refused with a reason, and leaves the login waiting too.
  st = Finish(login.login_id(), "no answer here", &done);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  ASSERT_TRUE(Finish(login.login_id(), back, &done).ok());
  EXPECT_EQ(done.imported().account().id(), "acct-7");
  EXPECT_EQ(done.imported().account().email(), "seven@example.com");
  EXPECT_EQ(upstream_.ChatGptSignIns(), 1);
  // Used up.
  st = Finish(login.login_id(), back, &done);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);

  // The user cancelled at the auth server: the browser comes back with an error.
  const std::string state = other.authorize_url().substr(other.authorize_url().find("state=") + 6);
  st = Finish(other.login_id(),
              "/auth/callback?error=access_denied&error_description=User+cancelled&state=" +
                  state.substr(0, state.find('&')),
              &done);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("access_denied (User cancelled)"), std::string::npos)
      << st.error_message();
}

// A code used twice, or exchanged with another verifier, is refused by the auth server; the
// gateway reports its words (here: a code replayed from an earlier login's answer).
TEST_F(AccountLoginTest, ARefusedExchangeSaysWhy) {
  admin::v1::StartAccountLoginRequest req;
  req.set_redirect_uri("http://localhost:1455/auth/callback");
  admin::v1::AccountLogin first, second;
  ASSERT_TRUE(Start(req, &first).ok());
  ASSERT_TRUE(Start(req, &second).ok());
  const std::string back = Browse(first.authorize_url());
  admin::v1::FinishAccountLoginResponse done;
  ASSERT_TRUE(Finish(first.login_id(), back, &done).ok());
  // The second login gets the first one's (spent) code under its own state.
  const std::string code = back.substr(back.find("code=") + 5);
  const std::string state =
      second.authorize_url().substr(second.authorize_url().find("state=") + 6);
  grpc::Status st = Finish(
      second.login_id(),
      "?code=" + code.substr(0, code.find('&')) + "&state=" + state.substr(0, state.find('&')),
      &done);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("already been used"), std::string::npos) << st.error_message();
}

// Device code through the admin API: pending until the user enters the code (the fake approves
// at the second poll), not asked more often than the server's interval, then signed in.
TEST_F(AccountLoginTest, DeviceLoginPollsUntilTheCodeIsEntered) {
  admin::v1::StartAccountLoginRequest req;
  req.set_device(true);
  admin::v1::AccountLogin login;
  ASSERT_TRUE(Start(req, &login).ok());
  EXPECT_EQ(login.verification_url(), upstream_.base_url() + "/codex/device");
  EXPECT_EQ(login.user_code().rfind("ABCD-", 0), 0u) << login.user_code();
  EXPECT_EQ(login.interval_s(), 1);
  EXPECT_TRUE(login.authorize_url().empty());

  admin::v1::FinishAccountLoginResponse done;
  ASSERT_TRUE(Finish(login.login_id(), "", &done).ok());
  EXPECT_TRUE(done.pending());
  // Asked again at once: still pending, without asking the auth server.
  const size_t asked = upstream_.Received().size();
  ASSERT_TRUE(Finish(login.login_id(), "", &done).ok());
  EXPECT_TRUE(done.pending());
  EXPECT_EQ(upstream_.Received().size(), asked);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(Finish(login.login_id(), "", &done).ok());
  EXPECT_FALSE(done.pending());
  EXPECT_EQ(done.imported().account().id(), "acct-7");
  EXPECT_EQ(done.imported().account().plan(), "pro");
  EXPECT_TRUE(done.imported().provider_created() == false);
  EXPECT_EQ(Finish(login.login_id(), "", &done).error_code(), grpc::StatusCode::NOT_FOUND);
}

// `agentgatectl account login --device` shows the address and code and waits for them.
TEST_F(AccountLoginTest, DeviceLoginThroughTheCli) {
  CommandResult r = RunCommand(CtlArgs({"account", "login", "--device"}), CtlEnv());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(upstream_.base_url() + "/codex/device"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ABCD-"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("never share this code"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("signed in: account acct-7"), std::string::npos) << r.out;
  ASSERT_EQ(Accounts().size(), 1u);
  // Signing the same account in again replaces its tokens, in its place.
  CommandResult again = RunCommand(CtlArgs({"account", "login", "--device", "--json"}), CtlEnv());
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_TRUE(json::parse(again.out).at("replaced").as_bool());
  EXPECT_EQ(upstream_.ChatGptSignIns(), 2);
  // And `account show` tells about it.
  CommandResult show = RunCommand(CtlArgs({"account", "show", "acct-7"}), CtlEnv());
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("seven@example.com"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("chatgpt, place 1"), std::string::npos) << show.out;
}

}  // namespace
}  // namespace agentgate::testing
