// How agentgatectl prints failover paths and live events.
#include <gtest/gtest.h>

#include <string>

#include "services/ctl/cli_util.h"

namespace agentgate::ctl {
namespace {

admin::v1::AttemptSummary Attempt(const std::string& provider, int status,
                                  const std::string& outcome) {
  admin::v1::AttemptSummary a;
  a.set_provider(provider);
  a.set_status(status);
  a.set_outcome(outcome);
  return a;
}

TEST(FormatTriedTest, OnlyRequestsTriedMoreThanOnce) {
  admin::v1::RequestLog log;
  EXPECT_EQ(FormatTried(log), "");
  *log.add_tried() = Attempt("a", 200, "success");
  EXPECT_EQ(FormatTried(log), "");
  log.clear_tried();
  *log.add_tried() = Attempt("a", 429, "http_error");
  *log.add_tried() = Attempt("b", 0, "timeout");
  *log.add_tried() = Attempt("c", 200, "success");
  EXPECT_EQ(FormatTried(log), "a:429 → b:timeout → c:200");
  log.clear_tried();
  *log.add_tried() = Attempt("a", 200, "stream_cut");
  *log.add_tried() = Attempt("b", 200, "success");
  log.mutable_tried(1)->set_continued(true);
  EXPECT_EQ(FormatTried(log), "a:cut → b:200 (continued)");
}

// An official account's switch shows which account answered and which ran out.
TEST(FormatTriedTest, AccountsAreNamed) {
  admin::v1::RequestLog log;
  log.set_provider("chatgpt");
  *log.add_tried() = Attempt("chatgpt", 429, "http_error");
  log.mutable_tried(0)->set_account("acct-1");
  EXPECT_EQ(LogProvider(log), "chatgpt[acct-1]");
  *log.add_tried() = Attempt("chatgpt", 200, "success");
  log.mutable_tried(1)->set_account("acct-2");
  EXPECT_EQ(FormatTried(log), "chatgpt[acct-1]:429 → chatgpt[acct-2]:200");
  EXPECT_EQ(LogProvider(log), "chatgpt[acct-2]");
  // Moved on to an API-key provider: no account is named for it.
  *log.add_tried() = Attempt("deepseek", 200, "success");
  log.set_provider("deepseek");
  EXPECT_EQ(LogProvider(log), "deepseek");
  log.clear_provider();
  EXPECT_EQ(LogProvider(log), "-");
}

TEST(FormatEventTest, OneLinePerKind) {
  EXPECT_EQ(EventHeader().rfind("TIME", 0), 0u);
  admin::v1::Event hello;
  hello.set_kind(admin::v1::EVENT_KIND_HELLO);
  hello.set_active_requests(2);
  hello.set_config_version(12);
  std::string line = FormatEvent(hello);
  EXPECT_NE(line.find("hello"), std::string::npos) << line;
  EXPECT_NE(line.find("config v12"), std::string::npos) << line;

  admin::v1::Event done;
  done.set_kind(admin::v1::EVENT_KIND_REQUEST_FINISHED);
  done.set_client("claude");
  done.set_model("claude-sonnet-4-5");
  done.set_provider("deepseek");
  done.set_status(200);
  done.set_latency_ms(1500);
  done.set_input_tokens(11);
  done.set_output_tokens(5);
  done.set_cost_usd(0.0012);
  line = FormatEvent(done);
  for (const char* part : {"finished", "claude", "claude-sonnet-4-5", "deepseek", "200", "$0.0012",
                           "1.5s", "11/5 tokens"}) {
    EXPECT_NE(line.find(part), std::string::npos) << part << " in " << line;
  }
  done.clear_cost_usd();
  EXPECT_NE(FormatEvent(done).find("unknown"), std::string::npos) << "usage without a price";

  admin::v1::Event health;
  health.set_kind(admin::v1::EVENT_KIND_PROVIDER_HEALTH);
  health.set_provider("kimi");
  health.set_detail("cooling down for 30s (429)");
  line = FormatEvent(health);
  EXPECT_NE(line.find("health"), std::string::npos) << line;
  EXPECT_NE(line.find("kimi"), std::string::npos) << line;
  EXPECT_NE(line.find("cooling down for 30s (429)"), std::string::npos) << line;
  EXPECT_EQ(line.back(), ')') << "no trailing blanks";
}

TEST(FormatUsdTest, CentsOrFourDecimals) {
  EXPECT_EQ(FormatUsd(1.5), "$1.50");
  EXPECT_EQ(FormatUsd(0), "$0.00");
  EXPECT_EQ(FormatUsd(0.0042), "$0.0042");
}

}  // namespace
}  // namespace agentgate::ctl
