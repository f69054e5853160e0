// Live events through the real processes: the edges' request events reach WatchEvents through
// the router in order with the running count, failures and provider health, config changes,
// several subscribers, the router stopping, `agentgatectl events`; and the failover path of a
// request in the logs.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <mutex>
#include <sstream>
#include <thread>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using admin::v1::Event;
using fakes::FakeUpstream;
using fakes::ScriptedResponse;
using Clock = std::chrono::steady_clock;

// A WatchEvents stream read on a thread of its own into a list.
class EventStream {
 public:
  explicit EventStream(const Stack& stack) : stub_(stack.Admin()) {
    ctx_.AddMetadata("authorization", "Bearer " + stack.admin_token());
    ctx_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(90));
    reader_ = stub_->WatchEvents(&ctx_, admin::v1::WatchEventsRequest());
    thread_ = std::thread([this] {
      Event e;
      while (reader_->Read(&e)) {
        std::lock_guard<std::mutex> lock(mu_);
        events_.push_back(e);
        arrived_.push_back(Clock::now());
      }
      grpc::Status st = reader_->Finish();
      std::lock_guard<std::mutex> lock(mu_);
      status_ = st;
      ended_ = true;
      ended_at_ = Clock::now();
    });
  }
  ~EventStream() {
    ctx_.TryCancel();
    thread_.join();
  }

  std::vector<Event> events() const {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }
  // When event i arrived.
  Clock::time_point arrived(size_t i) const {
    std::lock_guard<std::mutex> lock(mu_);
    return arrived_.at(i);
  }
  bool ended() const {
    std::lock_guard<std::mutex> lock(mu_);
    return ended_;
  }
  Clock::time_point ended_at() const {
    std::lock_guard<std::mutex> lock(mu_);
    return ended_at_;
  }
  grpc::Status status() const {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }
  // The index of the first event from `from` on that `pred` holds for, waiting up to 10 s.
  std::optional<size_t> Find(const std::function<bool(const Event&)>& pred, size_t from = 0,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    std::optional<size_t> found;
    WaitFor(
        [&] {
          std::vector<Event> all = events();
          for (size_t i = from; i < all.size(); ++i) {
            if (pred(all[i])) {
              found = i;
              return true;
            }
          }
          return false;
        },
        timeout);
    return found;
  }
  std::optional<size_t> FindKind(admin::v1::EventKind kind, size_t from = 0) const {
    return Find([kind](const Event& e) { return e.kind() == kind; }, from);
  }

 private:
  std::unique_ptr<admin::v1::AdminService::Stub> stub_;
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReader<Event>> reader_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<Event> events_;               // guarded by mu_
  std::vector<Clock::time_point> arrived_;  // guarded by mu_
  bool ended_ = false;                      // guarded by mu_
  Clock::time_point ended_at_;              // guarded by mu_
  grpc::Status status_;                     // guarded by mu_
};

bool IsRequest(const Event& e, admin::v1::EventKind kind, const std::string& request_id = "") {
  return e.kind() == kind && (request_id.empty() || e.request_id() == request_id);
}

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Start();
    stack_.AddProvider("local", upstream_.base_url(), "k", "acme-7b");
  }
  void SetPrice(const std::string& model) {
    admin::v1::ModelPrice p;
    p.set_model(model);
    p.set_input(100000);
    p.set_output(200000);
    p.set_cache_read(10000);
    admin::v1::ModelPrice out;
    auto ctx = stack_.AdminContext();
    grpc::Status st = stack_.Admin()->SetPrice(ctx.get(), p, &out);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  // A subscriber that has seen its HELLO: everything from now on reaches it.
  std::unique_ptr<EventStream> Watch() {
    auto s = std::make_unique<EventStream>(stack_);
    EXPECT_TRUE(s->FindKind(admin::v1::EVENT_KIND_HELLO)) << "no HELLO";
    return s;
  }
  std::vector<std::string> CtlArgs(std::vector<std::string> args) {
    std::vector<std::string> argv = {BinPath("agentgatectl"), "--home", stack_.home()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  std::map<std::string, std::string> CtlEnv() {
    return {{"AGENTGATE_ADMIN_ADDR", stack_.address("router")}};
  }

  FakeUpstream upstream_;
  Stack stack_;
};

TEST_F(EventsTest, ARequestStartsAndFinishesWithTokensCostAndTheRunningCount) {
  SetPrice("acme-7b");  // usage 11 in (3 cached) / 5 out at these prices: $1.83
  auto events = Watch();
  std::vector<Event> first = events->events();
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first[0].kind(), admin::v1::EVENT_KIND_HELLO);
  EXPECT_EQ(first[0].active_requests(), 0);
  EXPECT_GT(first[0].config_version(), 0u);

  HttpResponse r = stack_.Chat(ChatBody("acme-7b", true, true));
  ASSERT_EQ(r.status, 200) << r.body;
  std::string request_id = r.headers["x-agentgate-request-id"];
  ASSERT_FALSE(request_id.empty());

  auto started = events->Find([&](const Event& e) {
    return IsRequest(e, admin::v1::EVENT_KIND_REQUEST_STARTED, request_id);
  });
  auto finished = events->Find([&](const Event& e) {
    return IsRequest(e, admin::v1::EVENT_KIND_REQUEST_FINISHED, request_id);
  });
  ASSERT_TRUE(started && finished);
  EXPECT_LT(*started, *finished);
  std::vector<Event> all = events->events();
  const Event& s = all[*started];
  EXPECT_EQ(s.client(), "chat");
  EXPECT_EQ(s.model(), "acme-7b");
  EXPECT_FALSE(s.edge_id().empty());
  EXPECT_GT(s.at_ms(), 0);
  EXPECT_EQ(s.active_requests(), 1);
  const Event& f = all[*finished];
  EXPECT_EQ(f.status(), 200);
  EXPECT_EQ(f.provider(), "local");
  EXPECT_EQ(f.model(), "acme-7b");
  EXPECT_EQ(f.client(), "chat");
  EXPECT_EQ(f.edge_id(), s.edge_id());
  EXPECT_EQ(f.input_tokens(), 11);
  EXPECT_EQ(f.output_tokens(), 5);
  ASSERT_TRUE(f.has_cost_usd());
  EXPECT_NEAR(f.cost_usd(), 1.83, 1e-9);
  EXPECT_GE(f.latency_ms(), 0);
  EXPECT_EQ(f.error(), "");
  EXPECT_EQ(f.active_requests(), 0);
  // Nothing but HELLO and maybe a health or config event before this request's events.
  for (size_t i = 1; i < *started; ++i) {
    EXPECT_NE(all[i].kind(), admin::v1::EVENT_KIND_REQUEST_STARTED) << all[i].DebugString();
  }
}

TEST_F(EventsTest, ARequestWithoutAnUpstreamAttemptIsSentPromptlyAndAWrongTokenIsNot) {
  auto events = Watch();
  // Rejected before authentication: no event at all.
  HttpResponse denied = HttpRequest(stack_.edge_port(), "POST", "/v1/chat/completions",
                                    ChatBody("acme-7b"), {{"authorization", "Bearer nope"}});
  ASSERT_EQ(denied.status, 401);
  // Refused by the edge itself (bad JSON): no outcome goes to the router, only the events,
  // which do not wait for the 2 s heartbeat.
  auto sent = Clock::now();
  HttpResponse bad = stack_.Chat("{not json");
  ASSERT_EQ(bad.status, 400);
  auto finished = events->FindKind(admin::v1::EVENT_KIND_REQUEST_FINISHED);
  ASSERT_TRUE(finished);
  EXPECT_LT(events->arrived(*finished) - sent, std::chrono::milliseconds(1200));
  std::vector<Event> all = events->events();
  auto started = events->FindKind(admin::v1::EVENT_KIND_REQUEST_STARTED);
  ASSERT_TRUE(started);
  EXPECT_LT(*started, *finished);
  EXPECT_EQ(all[*started].request_id(), all[*finished].request_id());
  EXPECT_EQ(all[*finished].status(), 400);
  EXPECT_FALSE(all[*finished].error().empty());
  for (const auto& e : all) {
    EXPECT_NE(e.status(), 401) << "the wrong token made an event: " << e.DebugString();
  }
}

TEST_F(EventsTest, AFailingRequestIsAnErrorAndTheProviderHealthChanges) {
  auto events = Watch();
  ScriptedResponse boom;
  boom.status = 500;
  boom.body = R"({"error":{"message":"boom"}})";
  for (int i = 0; i < 3; ++i) upstream_.Enqueue(boom);  // the first try and both retries
  HttpResponse r = stack_.Chat(ChatBody("acme-7b"));
  ASSERT_EQ(r.status, 500) << r.body;
  auto finished = events->FindKind(admin::v1::EVENT_KIND_REQUEST_FINISHED);
  ASSERT_TRUE(finished);
  Event f = events->events()[*finished];
  EXPECT_GE(f.status(), 400);
  EXPECT_NE(f.error().find("500"), std::string::npos) << f.error();
  EXPECT_EQ(f.provider(), "local");
  EXPECT_EQ(f.active_requests(), 0);
  auto health = events->FindKind(admin::v1::EVENT_KIND_PROVIDER_HEALTH);
  ASSERT_TRUE(health);
  Event h = events->events()[*health];
  EXPECT_EQ(h.provider(), "local");
  bool unavailable = h.detail().find("cooling down") != std::string::npos ||
                     h.detail().find("breaker open") != std::string::npos;
  EXPECT_TRUE(unavailable) << h.detail();
  EXPECT_NE(h.detail().find("(500)"), std::string::npos) << h.detail();

  // A reset makes it available again, at once.
  admin::v1::ResetProviderHealthRequest reset;
  reset.set_name("local");
  admin::v1::Provider p;
  auto ctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->ResetProviderHealth(ctx.get(), reset, &p).ok());
  auto again = events->Find(
      [](const Event& e) {
        return e.kind() == admin::v1::EVENT_KIND_PROVIDER_HEALTH && e.detail() == "available again";
      },
      *health + 1);
  EXPECT_TRUE(again);
}

TEST_F(EventsTest, AProviderChangeIsAConfigChange) {
  auto events = Watch();
  uint64_t hello_version = events->events()[0].config_version();
  admin::v1::UpdateProviderRequest up;
  up.set_name("local");
  up.set_priority(3);
  admin::v1::Provider p;
  auto ctx = stack_.AdminContext();
  ASSERT_TRUE(stack_.Admin()->UpdateProvider(ctx.get(), up, &p).ok());
  auto changed = events->FindKind(admin::v1::EVENT_KIND_CONFIG_CHANGED);
  ASSERT_TRUE(changed);
  Event c = events->events()[*changed];
  EXPECT_GT(c.config_version(), hello_version);
  EXPECT_NE(c.detail().find("local"), std::string::npos) << c.detail();
  // The version the stack reports is at least that one.
  admin::v1::StackStatus status;
  auto sctx = stack_.AdminContext();
  ASSERT_TRUE(
      stack_.Admin()->GetStackStatus(sctx.get(), admin::v1::GetStackStatusRequest(), &status).ok());
  EXPECT_GE(status.config_version(), c.config_version());
}

TEST_F(EventsTest, TwoSubscribersBothGetTheEvents) {
  auto a = Watch();
  auto b = Watch();
  HttpResponse r = stack_.Chat(ChatBody("acme-7b"));
  ASSERT_EQ(r.status, 200) << r.body;
  std::string id = r.headers["x-agentgate-request-id"];
  for (EventStream* s : {a.get(), b.get()}) {
    auto started = s->Find(
        [&](const Event& e) { return IsRequest(e, admin::v1::EVENT_KIND_REQUEST_STARTED, id); });
    auto finished = s->Find(
        [&](const Event& e) { return IsRequest(e, admin::v1::EVENT_KIND_REQUEST_FINISHED, id); });
    ASSERT_TRUE(started && finished);
    EXPECT_LT(*started, *finished);
  }
  // One leaving does not disturb the other.
  a.reset();
  HttpResponse again = stack_.Chat(ChatBody("acme-7b"));
  ASSERT_EQ(again.status, 200);
  std::string id2 = again.headers["x-agentgate-request-id"];
  EXPECT_TRUE(b->Find(
      [&](const Event& e) { return IsRequest(e, admin::v1::EVENT_KIND_REQUEST_FINISHED, id2); }));
}

TEST_F(EventsTest, TheRouterStoppingEndsTheStreamWithStackStoppingAtOnce) {
  // Without the edge, whose streams stay open until it goes: only the event stream is open.
  stack_.StopService("edge");
  auto events = Watch();
  auto t0 = Clock::now();
  std::thread stopper([&] { stack_.StopService("router"); });
  bool ended = WaitFor([&] { return events->ended(); }, std::chrono::seconds(10));
  ASSERT_TRUE(ended);
  EXPECT_LT(events->ended_at() - t0, std::chrono::milliseconds(1500));
  std::vector<Event> all = events->events();
  grpc::Status status = events->status();
  // The subscriber goes away once its stream ended, as `agentgatectl events` does. (A client
  // that keeps any connection to the router open, even an idle one, holds the gRPC server's
  // shutdown up for its 5 s grace: that is not the event stream's doing.)
  events.reset();
  stopper.join();
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(3000)) << "the router stopped late";
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().kind(), admin::v1::EVENT_KIND_HELLO);
  EXPECT_EQ(all.back().kind(), admin::v1::EVENT_KIND_STACK_STOPPING);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(EventsTest, CtlEventsPrintsTheEventsAsJsonLinesAndAsATable) {
  SetPrice("acme-7b");
  for (bool json : {true, false}) {
    SCOPED_TRACE(json ? "--json" : "table");
    std::string out_path = stack_.home() + (json ? "/events.json" : "/events.txt");
    Process ctl;
    std::vector<std::string> args = {"events"};
    if (json) args.push_back("--json");
    ctl.Start(CtlArgs(args), CtlEnv(), out_path);
    ASSERT_TRUE(WaitFor([&] {
      return ReadFileOrEmpty(out_path).find(json ? "EVENT_KIND_HELLO" : "hello") !=
             std::string::npos;
    })) << ReadFileOrEmpty(out_path);
    HttpResponse r = stack_.Chat(ChatBody("acme-7b"));
    ASSERT_EQ(r.status, 200);
    std::string id = r.headers["x-agentgate-request-id"];
    const std::string done_mark = json ? "EVENT_KIND_REQUEST_FINISHED" : "finished";
    ASSERT_TRUE(WaitFor([&] {
      return ReadFileOrEmpty(out_path).find(done_mark) != std::string::npos;
    })) << ReadFileOrEmpty(out_path);
    int status = ctl.Stop(SIGINT, std::chrono::seconds(5));  // Ctrl-C
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    std::string out = ReadFileOrEmpty(out_path);
    if (!json) {
      EXPECT_EQ(out.rfind("TIME", 0), 0u) << out;
      size_t line = out.find("finished");
      ASSERT_NE(line, std::string::npos);
      std::string finished = out.substr(line, out.find('\n', line) - line);
      for (const char* part : {"chat", "acme-7b", "local", "200", "$1.83"}) {
        EXPECT_NE(finished.find(part), std::string::npos) << part << " in: " << finished;
      }
      continue;
    }
    std::vector<std::string> kinds;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      boost::system::error_code ec;
      boost::json::value v = boost::json::parse(line, ec);
      ASSERT_FALSE(ec) << "not a JSON object per line: " << line;
      kinds.emplace_back(v.at("kind").as_string());
      if (kinds.back() == "EVENT_KIND_REQUEST_FINISHED") {
        EXPECT_EQ(v.at("request_id").as_string(), id);
        EXPECT_EQ(v.at("status").as_int64(), 200);
        EXPECT_EQ(v.at("provider").as_string(), "local");
        EXPECT_NEAR(v.at("cost_usd").to_number<double>(), 1.83, 1e-9);
      }
    }
    ASSERT_GE(kinds.size(), 3u) << out;
    EXPECT_EQ(kinds.front(), "EVENT_KIND_HELLO");
    EXPECT_EQ(kinds.back(), "EVENT_KIND_REQUEST_FINISHED");
    EXPECT_EQ(kinds[kinds.size() - 2], "EVENT_KIND_REQUEST_STARTED");
  }
  // Without a router to talk to: one clear line and a failure.
  CommandResult down = RunCommand(CtlArgs({"events"}), {{"AGENTGATE_ADMIN_ADDR", "127.0.0.1:1"}});
  EXPECT_NE(down.exit_code, 0);
  EXPECT_NE(down.err.find("cannot reach the router"), std::string::npos) << down.err;
}

// A rate-limited first provider and a second that answers: the request's record lists both
// attempts, in order, and `agentgatectl logs` shows the path.
TEST(FailoverPathTest, TheLogsShowEveryAttemptInOrder) {
  FakeUpstream alpha, beta;
  Stack stack;
  stack.Start();
  stack.AddProvider("alpha", alpha.base_url(), "ka", "m");
  stack.AddProvider("beta", beta.base_url(), "kb", "m");
  ScriptedResponse limited;
  limited.status = 429;
  limited.body = R"({"error":{"message":"slow down","type":"rate_limit_error"}})";
  alpha.Enqueue(limited);
  HttpResponse r = stack.Chat(ChatBody("m"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["x-agentgate-provider"], "beta");
  // A plain request, tried once, for contrast.
  ASSERT_EQ(stack.Chat(ChatBody("m")).status, 200);

  admin::v1::ListRequestLogsResponse logs;
  ASSERT_TRUE(WaitFor([&] {
    admin::v1::ListRequestLogsRequest req;
    auto ctx = stack.AdminContext();
    logs.Clear();
    return stack.Admin()->ListRequestLogs(ctx.get(), req, &logs).ok() && logs.logs_size() == 2;
  }));
  const admin::v1::RequestLog& failover = logs.logs(1);  // newest first
  EXPECT_EQ(failover.request_id(), r.headers["x-agentgate-request-id"]);
  EXPECT_EQ(failover.attempts(), 2);
  ASSERT_EQ(failover.tried_size(), 2);
  EXPECT_EQ(failover.tried(0).provider(), "alpha");
  EXPECT_EQ(failover.tried(0).status(), 429);
  EXPECT_EQ(failover.tried(0).outcome(), "http_error");
  EXPECT_NE(failover.tried(0).error().find("429"), std::string::npos);
  EXPECT_EQ(failover.tried(0).key_index(), 0);
  EXPECT_GE(failover.tried(0).latency_ms(), 0);
  EXPECT_EQ(failover.tried(1).provider(), "beta");
  EXPECT_EQ(failover.tried(1).status(), 200);
  EXPECT_EQ(failover.tried(1).outcome(), "success");
  EXPECT_EQ(failover.tried(1).error(), "");
  EXPECT_EQ(logs.logs(0).tried_size(), 1);

  std::map<std::string, std::string> env = {{"AGENTGATE_ADMIN_ADDR", stack.address("router")}};
  CommandResult table = RunCommand({BinPath("agentgatectl"), "--home", stack.home(), "logs"}, env);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("TRIED"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("alpha:429 → beta:200"), std::string::npos) << table.out;
  CommandResult json =
      RunCommand({BinPath("agentgatectl"), "--home", stack.home(), "logs", "--json"}, env);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto v = boost::json::parse(json.out);
  const auto& tried = v.at("logs").at(1).at("tried").as_array();
  ASSERT_EQ(tried.size(), 2u) << json.out;
  EXPECT_EQ(tried[0].at("provider").as_string(), "alpha");
  EXPECT_EQ(tried[0].at("status").as_int64(), 429);
  EXPECT_EQ(tried[1].at("provider").as_string(), "beta");
}

}  // namespace
}  // namespace agentgate::testing
