// Official ChatGPT accounts through the real stack: imported from auth.json files over the admin
// API, used as the keys of a "chatgpt" provider against a fake of the official backend (strict
// about the token, the account header and store:false), in their order; a spent account rests
// until its window resets and the next one serves; what a client sends cannot pick the account.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "services/common/token.h"
#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using fakes::FakeUpstream;
namespace json = boost::json;

// An access token that expires at `exp` (seconds), as a JWT.
std::string ExpiringToken(int64_t exp) {
  return Base64UrlEncode("{}") + "." +
         Base64UrlEncode(json::serialize(json::object{{"exp", exp}})) + ".sig";
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string AuthJson(const std::string& account, const std::string& token) {
  return json::serialize(json::object{{"auth_mode", "chatgpt"},
                                      {"OPENAI_API_KEY", nullptr},
                                      {"tokens", json::object{{"id_token", ""},
                                                              {"access_token", token},
                                                              {"refresh_token", "rt-" + account},
                                                              {"account_id", account}}},
                                      {"last_refresh", "2026-12-01T10:00:00Z"}});
}

// What Codex sends: a stream, store false, its identity and conversation headers.
constexpr char kCodexBody[] =
    R"({"model":"gpt-6-astra","instructions":"be brief","input":[{"type":"message","role":"user",)"
    R"("content":[{"type":"input_text","text":"say pong"}]}],"stream":true,"store":false})";

class AccountsTest : public ::testing::Test {
 protected:
  explicit AccountsTest(const char* quota_every = "1s", const char* low_percent = "10")
      : stack_(Stack::Options{.router_args = {"--auto-test", "off", "--openai-auth-url",
                                              upstream_.base_url(), "--account-check-ms", "100",
                                              "--quota-every", quota_every, "--account-low-percent",
                                              low_percent}}) {}
  void SetUp() override {
    upstream_.AddChatGptAccount("acct-1", "tok-1", "rt-acct-1");
    upstream_.AddChatGptAccount("acct-2", "tok-2", "rt-acct-2");
    stack_.Start();
    // The pool, pointed at the fake backend (the preset's is chatgpt.com).
    admin::v1::CreateProviderRequest req;
    req.mutable_provider()->set_name("chatgpt");
    req.mutable_provider()->set_type("chatgpt");
    req.mutable_provider()->set_base_url(upstream_.base_url() + "/backend-api/codex");
    admin::v1::Provider p;
    auto ctx = stack_.AdminContext();
    ASSERT_TRUE(stack_.Admin()->CreateProvider(ctx.get(), req, &p).ok());
    Import("acct-1", "tok-1");
    Import("acct-2", "tok-2");
    ASSERT_TRUE(stack_.SyncEdge());
  }

  admin::v1::ImportAccountResponse Import(const std::string& account, const std::string& token) {
    admin::v1::ImportAccountRequest req;
    req.set_auth_json(AuthJson(account, token));
    admin::v1::ImportAccountResponse resp;
    auto ctx = stack_.AdminContext();
    grpc::Status st = stack_.Admin()->ImportAccount(ctx.get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  std::vector<admin::v1::Account> Accounts() {
    admin::v1::ListAccountsResponse resp;
    auto ctx = stack_.AdminContext();
    EXPECT_TRUE(stack_.Admin()->ListAccounts(ctx.get(), {}, &resp).ok());
    return {resp.accounts().begin(), resp.accounts().end()};
  }

  HttpResponse Codex(const std::map<std::string, std::string>& extra = {}) {
    std::map<std::string, std::string> h = {{"authorization", "Bearer " + stack_.token()},
                                            {"originator", "codex_cli_rs"},
                                            {"version", "0.169.0"},
                                            {"user-agent", "codex_cli_rs/0.169.0 (Debian 12)"},
                                            {"session_id", "s-1"}};
    for (const auto& [k, v] : extra) h[k] = v;
    return HttpRequest(stack_.edge_port(), "POST", "/v1/responses", kCodexBody, h);
  }

  // What the fake backend was asked to answer (not the router's usage and refresh calls).
  std::vector<fakes::ReceivedRequest> BackendRequests() {
    std::vector<fakes::ReceivedRequest> out;
    for (auto& r : upstream_.Received()) {
      if (r.target.find("/codex/responses") != std::string::npos) out.push_back(std::move(r));
    }
    return out;
  }

  // The account the fake backend saw on request `i`.
  std::string AccountOf(size_t i) {
    auto got = BackendRequests();
    return i < got.size() ? got[i].headers["chatgpt-account-id"] : "";
  }

  // Waits until the router has heard of what the edge saw (outcomes are batched).
  template <typename Pred>
  bool Eventually(Pred pred) {
    for (int i = 0; i < 100; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  FakeUpstream upstream_;
  Stack stack_;
};

TEST_F(AccountsTest, ImportMakesAPoolAndListsTheAccountsInOrder) {
  auto list = Accounts();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id(), "acct-1");
  EXPECT_EQ(list[0].position(), 0);
  EXPECT_EQ(list[1].id(), "acct-2");
  EXPECT_EQ(list[1].provider(), "chatgpt");
  EXPECT_EQ(list[0].state(), "ready");
  // Importing again replaces the tokens and keeps the place.
  auto again = Import("acct-1", "tok-1");
  EXPECT_TRUE(again.replaced());
  EXPECT_EQ(again.account().position(), 0);
  // The pool's keys are its accounts: none can be given by hand.
  admin::v1::UpdateProviderRequest up;
  up.set_name("chatgpt");
  up.set_api_key("sk-something");
  admin::v1::Provider p;
  auto ctx = stack_.AdminContext();
  grpc::Status st = stack_.Admin()->UpdateProvider(ctx.get(), up, &p);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("account import"), std::string::npos);
  // A file that is not an account is refused with what to do.
  admin::v1::ImportAccountRequest bad;
  bad.set_auth_json(R"({"auth_mode":"apikey","OPENAI_API_KEY":"sk-x"})");
  admin::v1::ImportAccountResponse resp;
  auto ctx2 = stack_.AdminContext();
  st = stack_.Admin()->ImportAccount(ctx2.get(), bad, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("provider add --type openai"), std::string::npos);
}

// Codex's request reaches the backend as the official client's: the first account's token and
// id, Codex's own identity and session headers, the body untouched; the quota the answer told
// is shown per account.
TEST_F(AccountsTest, CodexIsPassedThroughAsTheOfficialClient) {
  upstream_.SetChatGptUsage("acct-1", 42, 7);
  HttpResponse r = Codex();
  ASSERT_EQ(r.status, 200) << r.body << r.error;
  EXPECT_NE(r.body.find("response.completed"), std::string::npos) << r.body;
  auto got = BackendRequests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target, "/backend-api/codex/responses");
  EXPECT_EQ(got[0].headers["authorization"], "Bearer tok-1");
  EXPECT_EQ(got[0].headers["chatgpt-account-id"], "acct-1");
  EXPECT_EQ(got[0].headers["openai-beta"], "responses=experimental");
  EXPECT_EQ(got[0].headers["originator"], "codex_cli_rs");
  EXPECT_EQ(got[0].headers["session_id"], "s-1");
  EXPECT_EQ(got[0].headers["user-agent"], "codex_cli_rs/0.169.0 (Debian 12)");
  EXPECT_EQ(got[0].body, kCodexBody);
  EXPECT_EQ(got[0].headers.count("x-agentgate-request-id"), 0u);
  // An idle poll of the usage endpoint may have told the quota before the usage was set (0%):
  // wait for the answer's figures, not for any.
  EXPECT_TRUE(Eventually([&] { return Accounts()[0].quota().primary().used_percent() == 42; }));
  auto a = Accounts()[0];
  EXPECT_DOUBLE_EQ(a.quota().primary().used_percent(), 42);
  EXPECT_EQ(a.quota().primary().window_minutes(), 300);
  EXPECT_DOUBLE_EQ(a.quota().secondary().used_percent(), 7);
  EXPECT_EQ(a.state(), "ready");
}

// Without idle polling: every quota figure comes from the answers themselves.
class AccountsNoPollTest : public AccountsTest {
 protected:
  AccountsNoPollTest() : AccountsTest("0") {}
};

// The quota told by the stream's codex.rate_limits event alone (no x-codex-* headers) is read
// as well, for the pass-through and for a converted client.
TEST_F(AccountsNoPollTest, TheStreamsRateLimitsEventTellsTheQuota) {
  upstream_.SetChatGptQuotaHeaders(false);
  upstream_.SetChatGptUsage("acct-1", 61, 12);
  HttpResponse r = Codex();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("codex.rate_limits"), std::string::npos);  // passed through to Codex
  EXPECT_TRUE(Eventually([&] { return Accounts()[0].quota().primary().used_percent() == 61; }));
  EXPECT_EQ(Accounts()[0].quota().secondary().used_percent(), 12);
  EXPECT_EQ(Accounts()[0].quota().primary().window_minutes(), 300);
  // Claude Code's Messages, converted to Responses: the event is not part of its answer.
  upstream_.SetChatGptUsage("acct-1", 70, 13);
  HttpResponse m = HttpRequest(
      stack_.edge_port(), "POST", "/v1/messages",
      R"({"model":"gpt-6-astra","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]})",
      {{"x-api-key", stack_.token()}, {"anthropic-version", "2023-06-01"}});
  ASSERT_EQ(m.status, 200) << m.body;
  EXPECT_EQ(m.body.find("rate_limits"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("message_stop"), std::string::npos) << m.body;
  EXPECT_TRUE(Eventually([&] { return Accounts()[0].quota().primary().used_percent() == 70; }));
  EXPECT_EQ(upstream_.ChatGptUsageRequests(), 0);  // none of it from the usage endpoint
}

// The accounts are used in their order, not in rotation: the first keeps serving (its prompt
// cache and quota stay with it).
TEST_F(AccountsTest, TheFirstReadyAccountServesEveryRequest) {
  for (int i = 0; i < 4; ++i) ASSERT_EQ(Codex().status, 200);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(AccountOf(i), "acct-1") << i;
  // They cost no dollars: they count against the plan (the stats say how many).
  admin::v1::StatsSummary summary;
  ASSERT_TRUE(Eventually([&] {
    admin::v1::GetStatsRequest q;
    auto ctx = stack_.AdminContext();
    return stack_.Admin()->GetStats(ctx.get(), q, &summary).ok() &&
           summary.all_time().requests() == 4;
  }));
  EXPECT_EQ(summary.all_time().plan_requests(), 4);
  EXPECT_EQ(summary.all_time().cost_usd(), 0);
  EXPECT_EQ(summary.all_time().unpriced_requests(), 0);
  admin::v1::ListRequestLogsRequest q;
  admin::v1::ListRequestLogsResponse logs;
  auto ctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->ListRequestLogs(ctx.get(), q, &logs).ok());
  ASSERT_EQ(logs.logs_size(), 4);
  EXPECT_TRUE(logs.logs(0).on_plan());
  EXPECT_EQ(logs.logs(0).cost_usd(), 0);
}

// The first account's weekly window is spent: its 429 names the reset; the same request is
// served by the second account, the first rests until the reset (not asked again), and the
// list says why.
TEST_F(AccountsTest, ASpentAccountRestsAndTheNextServes) {
  const int64_t reset_s = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count() +
                          2 * 3600;
  upstream_.SetChatGptUsage("acct-1", 100, 100, reset_s);
  HttpResponse r = Codex();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(AccountOf(0), "acct-1");
  EXPECT_EQ(AccountOf(1), "acct-2");
  ASSERT_EQ(Codex().status, 200);
  EXPECT_EQ(AccountOf(2), "acct-2") << "the spent account is not asked again";
  ASSERT_TRUE(Eventually([&] { return Accounts()[0].state() == "spent"; }));
  // The switch is news (an ACCOUNT event for `events`, the desktop and the pet).
  EXPECT_TRUE(Eventually([&] {
    return stack_.log("router").find("acct-1 spent") != std::string::npos &&
           stack_.log("router").find("acct-2 serves now") != std::string::npos;
  })) << stack_.log("router");
  // The record of the first request names both accounts, in the order they were tried.
  admin::v1::RequestLog first;
  ASSERT_TRUE(Eventually([&] {
    admin::v1::ListRequestLogsRequest q;
    q.set_limit(10);
    admin::v1::ListRequestLogsResponse logs;
    auto ctx = stack_.AdminContext();
    if (!stack_.Admin()->ListRequestLogs(ctx.get(), q, &logs).ok() || logs.logs_size() < 2)
      return false;
    first = logs.logs(logs.logs_size() - 1);  // newest first
    return true;
  }));
  ASSERT_EQ(first.tried_size(), 2) << first.DebugString();
  EXPECT_EQ(first.tried(0).account(), "acct-1");
  EXPECT_EQ(first.tried(0).status(), 429);
  EXPECT_EQ(first.tried(1).account(), "acct-2");
  // route explain says why the first account would be skipped.
  admin::v1::ExplainRouteRequest explain;
  explain.set_client_protocol(admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES);
  explain.set_body(kCodexBody);
  admin::v1::RouteExplanation why;
  auto ctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->ExplainRoute(ctx.get(), explain, &why).ok());
  ASSERT_FALSE(why.steps().empty());
  EXPECT_NE(why.steps(0).reason().find("acct-1 spent (usage limit reached, resets in 1h"),
            std::string::npos)
      << why.steps(0).reason();
  EXPECT_NE(why.steps(0).reason().find("acct-2 ready"), std::string::npos) << why.steps(0).reason();
  auto spent = Accounts()[0];
  EXPECT_NE(spent.detail().find("usage limit reached, resets in 1h"), std::string::npos)
      << spent.detail();
  EXPECT_GE(spent.cooling_until_ms(), (reset_s - 5) * 1000);
  // Both spent: the provider is out; with no other provider the client gets the 429.
  upstream_.SetChatGptUsage("acct-2", 100, 100, reset_s);
  HttpResponse out = Codex();
  EXPECT_EQ(out.status, 429) << out.body;
}

// The first account's weekly window is 95% used (as its answer says): it is avoided before it
// runs out; the second serves the next request. (CLIProxyAPI#5800: a nearly spent account must
// not keep the pool while a fresh one waits.)
TEST_F(AccountsTest, ANearlySpentAccountGivesWayToAFresherOne) {
  upstream_.SetChatGptUsage("acct-1", 20, 95);
  ASSERT_EQ(Codex().status, 200);
  EXPECT_EQ(AccountOf(0), "acct-1");
  ASSERT_TRUE(Eventually([&] { return Accounts()[0].state() == "low"; }));
  EXPECT_NE(Accounts()[0].detail().find("weekly window 95% used"), std::string::npos)
      << Accounts()[0].detail();
  ASSERT_TRUE(stack_.SyncEdge());
  ASSERT_EQ(Codex().status, 200);
  EXPECT_EQ(AccountOf(1), "acct-2");
}

// --account-low-percent 3: 95% used is not low yet; 98% is.
class AccountsLowThresholdTest : public AccountsTest {
 protected:
  AccountsLowThresholdTest() : AccountsTest("1s", "3") {}
};

TEST_F(AccountsLowThresholdTest, TheThresholdIsTheRoutersSetting) {
  upstream_.SetChatGptUsage("acct-1", 20, 95);
  ASSERT_EQ(Codex().status, 200);
  ASSERT_TRUE(Eventually([&] { return Accounts()[0].quota().secondary().used_percent() == 95; }));
  EXPECT_EQ(Accounts()[0].state(), "ready");
  ASSERT_EQ(Codex().status, 200);
  EXPECT_EQ(AccountOf(1), "acct-1");
  upstream_.SetChatGptUsage("acct-1", 20, 98);
  ASSERT_EQ(Codex().status, 200);
  ASSERT_TRUE(Eventually([&] { return Accounts()[0].state() == "low"; }));
  ASSERT_TRUE(stack_.SyncEdge());
  ASSERT_EQ(Codex().status, 200);
  EXPECT_EQ(AccountOf(3), "acct-2");
}

// Every client on a ChatGPT subscription: a Claude Code (Messages) turn and a Chat turn reach
// the account by conversion to Responses, as the backend demands it (store false, the
// account's headers), and come back in the client's own protocol.
TEST_F(AccountsTest, ClaudeCodeAndChatClientsRunOnTheAccount) {
  HttpResponse m = stack_.Messages(
      R"({"model":"claude-sonnet-4-5","max_tokens":32000,"stream":true,"system":"You are Claude Code.",)"
      R"("messages":[{"role":"user","content":"say pong"}]})");
  ASSERT_EQ(m.status, 200) << m.body;
  EXPECT_NE(m.body.find("event: message_stop"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find(R"("text_delta","text":"pong ")"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find(R"("text_delta","text":"-astra")"), std::string::npos) << m.body;
  auto got = BackendRequests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target, "/backend-api/codex/responses");
  EXPECT_EQ(got[0].headers["chatgpt-account-id"], "acct-1");
  EXPECT_EQ(got[0].headers["originator"], "codex_cli_rs");
  auto sent = json::parse(got[0].body);
  EXPECT_EQ(sent.at("store"), false);
  EXPECT_EQ(sent.at("instructions"), "You are Claude Code.");
  EXPECT_FALSE(sent.as_object().contains("max_output_tokens"));

  HttpResponse c =
      stack_.Chat(R"({"model":"gpt-6-astra","messages":[{"role":"user","content":"say pong"}]})");
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(json::parse(c.body).at("choices").at(0).at("message").at("content"),
            "pong from gpt-6-astra");
}

// An account no request went to: its quota comes from the usage endpoint (asked every second
// here), and a nearly spent one shows as such before any request meets it.
TEST_F(AccountsTest, IdleAccountsQuotaIsAskedOfTheUsageEndpoint) {
  upstream_.SetChatGptUsage("acct-2", 30, 97);
  ASSERT_TRUE(Eventually([&] { return Accounts()[1].state() == "low"; }))
      << Accounts()[1].DebugString();
  auto a = Accounts()[1];
  EXPECT_DOUBLE_EQ(a.quota().primary().used_percent(), 30);
  EXPECT_EQ(a.quota().secondary().window_minutes(), 10080);
  EXPECT_GT(upstream_.ChatGptUsageRequests(), 0);
}

// Hostile: a client's own ChatGPT-Account-Id or Authorization cannot choose the account or reach
// the backend; the gateway sets them from the pool.
TEST_F(AccountsTest, TheClientCannotPickTheAccount) {
  HttpResponse r = Codex({{"chatgpt-account-id", "acct-2"}, {"openai-beta", "evil"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto got = BackendRequests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].headers["chatgpt-account-id"], "acct-1");
  EXPECT_EQ(got[0].headers["authorization"], "Bearer tok-1");
  EXPECT_EQ(got[0].headers["openai-beta"], "responses=experimental");
}

TEST_F(AccountsTest, RemovingAnAccountMovesTheNextUp) {
  admin::v1::RemoveAccountRequest req;
  req.set_id("acct-1");
  admin::v1::RemoveAccountResponse resp;
  auto ctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->RemoveAccount(ctx.get(), req, &resp).ok());
  auto list = Accounts();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id(), "acct-2");
  EXPECT_EQ(list[0].position(), 0);
  ASSERT_TRUE(stack_.SyncEdge());
  ASSERT_EQ(Codex().status, 200);
  EXPECT_EQ(AccountOf(0), "acct-2");
  auto ctx2 = stack_.AdminContext();
  EXPECT_EQ(stack_.Admin()->RemoveAccount(ctx2.get(), req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// The gateway keeps the sign-in alive: a refresh rotates both tokens, the edges get the new
// access token at once, and the old one (which the backend no longer takes) is not sent again.
TEST_F(AccountsTest, RefreshRotatesTheTokensTheEdgesUse) {
  admin::v1::RefreshAccountRequest req;
  req.set_id("acct-1");
  admin::v1::Account after;
  auto ctx = stack_.AdminContext();
  grpc::Status st = stack_.Admin()->RefreshAccount(ctx.get(), req, &after);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(upstream_.ChatGptRefreshes(), 1);
  EXPECT_EQ(after.state(), "ready");
  EXPECT_NE(after.last_refresh(), "2026-12-01T10:00:00Z");
  ASSERT_TRUE(stack_.SyncEdge());
  HttpResponse r = Codex();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(BackendRequests().back().headers["authorization"], "Bearer tok-acct-1-1");
  // "Switch back": the exported auth.json holds the rotated tokens, not the spent ones.
  admin::v1::ExportAccountRequest ex;
  ex.set_id("acct-1");
  admin::v1::ExportAccountResponse exported;
  auto ctx2 = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->ExportAccount(ctx2.get(), ex, &exported).ok());
  auto auth = json::parse(exported.auth_json());
  EXPECT_EQ(auth.at("auth_mode"), "chatgpt");
  EXPECT_EQ(auth.at("tokens").at("access_token"), "tok-acct-1-1");
  EXPECT_EQ(auth.at("tokens").at("refresh_token"), "rt-acct-1-1");
  EXPECT_EQ(auth.at("tokens").at("account_id"), "acct-1");
}

// Codex refreshed with its own copy of the sign-in first: the gateway's refresh token is spent.
// The account is marked for re-login with the reason, and not refreshed again by itself.
TEST_F(AccountsTest, ASpentRefreshTokenAsksForReLogin) {
  // Codex's own refresh, straight to the auth server.
  HttpResponse codex_refresh =
      HttpRequest(upstream_.port(), "POST", "/oauth/token",
                  R"({"client_id":"app_EMoamEEZ73f0CkXaXp7hrann","grant_type":"refresh_token",)"
                  R"("refresh_token":"rt-acct-1","scope":"openid profile email"})",
                  {{"content-type", "application/json"}});
  ASSERT_EQ(codex_refresh.status, 200) << codex_refresh.body;
  admin::v1::RefreshAccountRequest req;
  req.set_id("acct-1");
  admin::v1::Account after;
  auto ctx = stack_.AdminContext();
  grpc::Status st = stack_.Admin()->RefreshAccount(ctx.get(), req, &after);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_NE(st.error_message().find("already used"), std::string::npos) << st.error_message();
  auto a = Accounts()[0];
  EXPECT_EQ(a.state(), "re-login");
  EXPECT_NE(a.detail().find("already used"), std::string::npos) << a.detail();
  // Signing in again (a new import) clears it.
  Import("acct-1", "tok-acct-1-1");
  EXPECT_EQ(Accounts()[0].state(), "ready");
}

// An access token about to expire is refreshed by the router alone (checked every 100 ms here).
TEST_F(AccountsTest, AnExpiringSignInIsRefreshedByItself) {
  upstream_.AddChatGptAccount("acct-3", ExpiringToken(NowSeconds() + 60), "rt-acct-3");
  Import("acct-3", ExpiringToken(NowSeconds() + 60));
  ASSERT_TRUE(Eventually([&] { return upstream_.ChatGptRefreshes() == 1; }));
  ASSERT_TRUE(Eventually([&] { return Accounts()[2].last_refresh() != "2026-12-01T10:00:00Z"; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(upstream_.ChatGptRefreshes(), 1) << "refreshed once, not on every check";
}

}  // namespace
}  // namespace agentgate::testing
