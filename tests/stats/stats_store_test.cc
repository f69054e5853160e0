#include "services/stats/stats_store.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "services/store/sqlite.h"
#include "tests/common/temp_dir.h"

namespace agentgate::stats {
namespace {

using admin::v1::ListRequestLogsRequest;
using admin::v1::RequestLog;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Records = google::protobuf::RepeatedPtrField<RequestLog>;

RequestLog Record(const std::string& request_id, const std::string& provider = "deepseek",
                  int status = 200) {
  RequestLog r;
  r.set_request_id(request_id);
  r.set_started_at_ms(1700000000000);
  r.set_client_protocol(admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT);
  r.set_path("/v1/chat/completions");
  r.set_provider(provider);
  r.set_model_requested("gpt-4o");
  r.set_model_sent("deepseek-chat");
  r.set_status(status);
  r.set_latency_ms(1234);
  r.set_ttfb_ms(-1);
  r.set_input_tokens(100);
  r.set_output_tokens(50);
  r.set_cached_tokens(30);
  r.set_reasoning_tokens(20);
  r.set_bytes_in(1000);
  r.set_bytes_out(2000);
  r.set_stream(true);
  r.set_error(status >= 400 ? "upstream said no" : "");
  r.set_attempts(2);
  r.set_edge_id("edge-1");
  return r;
}

Records Batch(std::vector<RequestLog> rs) {
  Records out;
  for (auto& r : rs) *out.Add() = std::move(r);
  return out;
}

std::vector<std::string> Ids(const std::vector<RequestLog>& logs) {
  std::vector<std::string> out;
  for (const auto& l : logs) out.push_back(l.request_id());
  return out;
}

ListRequestLogsRequest Req(int limit = 0, const std::string& provider = "", int status = 0,
                           bool errors_only = false) {
  ListRequestLogsRequest q;
  q.set_limit(limit);
  q.set_provider(provider);
  q.set_status(status);
  q.set_errors_only(errors_only);
  return q;
}

class StatsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    Reopen();
  }

  void Reopen() {
    store_.reset();
    auto s = StatsStore::Open(dir_.File("stats.db"));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
  }

  int64_t Insert(std::vector<RequestLog> rs) {
    auto n = store_->Insert(Batch(std::move(rs)));
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() ? *n : -1;
  }

  std::vector<RequestLog> Query(const ListRequestLogsRequest& q) {
    auto r = store_->Query(q);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : std::vector<RequestLog>{};
  }

  int64_t Count() {
    auto c = store_->Count();
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : -1;
  }

  test::TempDir dir_;
  std::unique_ptr<StatsStore> store_;
};

TEST_F(StatsStoreTest, EmptyStore) {
  EXPECT_EQ(Count(), 0);
  EXPECT_THAT(Query(Req()), IsEmpty());
  EXPECT_EQ(Insert({}), 0);
}

TEST_F(StatsStoreTest, InsertBatchAndCount) {
  EXPECT_EQ(Insert({Record("r1"), Record("r2"), Record("r3")}), 3);
  EXPECT_EQ(Count(), 3);
}

TEST_F(StatsStoreTest, AllFieldsRoundTrip) {
  RequestLog in = Record("full");
  in.set_client_protocol(admin::v1::CLIENT_PROTOCOL_GEMINI);
  in.set_path("/v1beta/models/gemini:streamGenerateContent");
  in.set_error("quote \" and unicode \xE4\xB8\xAD");
  in.set_stream(false);
  in.set_ttfb_ms(77);
  in.set_started_at_ms(1234567890123);
  in.set_input_tokens(int64_t{1} << 40);
  in.set_cache_write_tokens(12);
  in.set_cost_usd(0.012345);
  admin::v1::AttemptSummary* first = in.add_tried();
  first->set_provider("deepseek");
  first->set_status(429);
  first->set_outcome("http_error");
  first->set_error("deepseek answered HTTP 429");
  first->set_latency_ms(12);
  first->set_key_index(1);
  admin::v1::AttemptSummary* second = in.add_tried();
  second->set_provider("kimi");
  second->set_status(200);
  second->set_outcome("success");
  second->set_latency_ms(800);
  second->set_key_index(-1);
  ASSERT_EQ(Insert({in}), 1);
  auto out = Query(Req());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_GT(out[0].id(), 0);
  RequestLog want = in;
  want.set_id(out[0].id());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(out[0], want))
      << "got:\n"
      << out[0].DebugString() << "want:\n"
      << want.DebugString();
}

TEST_F(StatsStoreTest, TheFailoverPathKeepsItsOrderAndNoneStaysNone) {
  RequestLog two = Record("two");
  for (const char* p : {"a", "b", "c"}) {
    admin::v1::AttemptSummary* t = two.add_tried();
    t->set_provider(p);
    t->set_status(503);
    t->set_outcome("http_error");
  }
  ASSERT_EQ(Insert({two, Record("none")}), 2);
  auto out = Query(Req());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].request_id(), "none");
  EXPECT_EQ(out[0].tried_size(), 0);
  ASSERT_EQ(out[1].tried_size(), 3);
  EXPECT_EQ(out[1].tried(0).provider(), "a");
  EXPECT_EQ(out[1].tried(2).provider(), "c");
  EXPECT_EQ(out[1].tried(1).status(), 503);
}

// A stats.db written before the failover path was stored (schema version 3) is migrated on open;
// its rows read back with an empty path, and new rows keep theirs.
TEST(StatsStoreMigrationTest, RowsFromBeforeTheFailoverPathReadBackWithoutOne) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  {
    auto db = store::Database::Open(dir.File("stats.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)
                    ->Migrate({R"sql(
CREATE TABLE requests (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL,
  started_at_ms INTEGER NOT NULL,
  client_protocol INTEGER NOT NULL,
  path TEXT NOT NULL,
  provider TEXT NOT NULL,
  model_requested TEXT NOT NULL,
  model_sent TEXT NOT NULL,
  status INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  ttfb_ms INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  bytes_in INTEGER NOT NULL,
  bytes_out INTEGER NOT NULL,
  stream INTEGER NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  edge_id TEXT NOT NULL
);
CREATE UNIQUE INDEX requests_request_id ON requests(request_id);
CREATE INDEX requests_started ON requests(started_at_ms);
CREATE INDEX requests_provider ON requests(provider, id);
)sql",
                               "ALTER TABLE requests ADD COLUMN conversion_losses TEXT NOT NULL "
                               "DEFAULT '';",
                               R"sql(
ALTER TABLE requests ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN cost_usd REAL;
)sql"})
                    .ok());
    ASSERT_TRUE((*db)
                    ->Exec("INSERT INTO requests (request_id, started_at_ms, client_protocol, "
                           "path, provider, model_requested, model_sent, status, latency_ms, "
                           "ttfb_ms, input_tokens, output_tokens, cached_tokens, "
                           "reasoning_tokens, bytes_in, bytes_out, stream, error, attempts, "
                           "edge_id) VALUES ('old', 1, 1, '/v1/chat/completions', 'a', 'm', "
                           "'m', 200, 5, -1, 0, 0, 0, 0, 10, 20, 0, '', 2, 'edge-1')")
                    .ok());
    auto v = (*db)->UserVersion();
    ASSERT_TRUE(v.ok());
    ASSERT_EQ(*v, 3);
  }
  auto store = StatsStore::Open(dir.File("stats.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  RequestLog fresh = Record("fresh");
  admin::v1::AttemptSummary* t = fresh.add_tried();
  t->set_provider("a");
  t->set_status(200);
  ASSERT_TRUE((*store)->Insert(Batch({fresh})).ok());
  auto out = (*store)->Query(Req());
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[1].request_id(), "old");
  EXPECT_EQ((*out)[1].attempts(), 2);
  EXPECT_EQ((*out)[1].tried_size(), 0);
  ASSERT_EQ((*out)[0].tried_size(), 1);
  EXPECT_EQ((*out)[0].tried(0).provider(), "a");
}

TEST_F(StatsStoreTest, QueryNewestFirst) {
  ASSERT_EQ(Insert({Record("r1"), Record("r2")}), 2);
  ASSERT_EQ(Insert({Record("r3")}), 1);
  auto logs = Query(Req());
  EXPECT_THAT(Ids(logs), ElementsAre("r3", "r2", "r1"));
  ASSERT_EQ(logs.size(), 3u);
  EXPECT_GT(logs[0].id(), logs[1].id());
  EXPECT_GT(logs[1].id(), logs[2].id());
}

TEST_F(StatsStoreTest, QueryLimit) {
  std::vector<RequestLog> rs;
  for (int i = 0; i < 60; ++i) rs.push_back(Record("r" + std::to_string(i)));
  ASSERT_EQ(Insert(rs), 60);
  EXPECT_THAT(Ids(Query(Req(2))), ElementsAre("r59", "r58"));
  EXPECT_EQ(Query(Req(1)).size(), 1u);
  EXPECT_EQ(Query(Req(0)).size(), 50u) << "0 means the default of 50";
  EXPECT_EQ(Query(Req(-5)).size(), 50u);
  EXPECT_EQ(Query(Req(100)).size(), 60u);
}

TEST_F(StatsStoreTest, QueryLimitCappedAtThousand) {
  std::vector<RequestLog> rs;
  for (int i = 0; i < 1005; ++i) rs.push_back(Record("r" + std::to_string(i)));
  ASSERT_EQ(Insert(rs), 1005);
  EXPECT_EQ(Count(), 1005);
  EXPECT_EQ(Query(Req(5000)).size(), 1000u);
  EXPECT_EQ(Query(Req(1000)).size(), 1000u);
}

TEST_F(StatsStoreTest, ProviderFilter) {
  ASSERT_EQ(Insert({Record("a1", "a"), Record("b1", "b"), Record("a2", "a"), Record("c1", "c")}),
            4);
  EXPECT_THAT(Ids(Query(Req(0, "a"))), ElementsAre("a2", "a1"));
  EXPECT_THAT(Ids(Query(Req(0, "b"))), ElementsAre("b1"));
  EXPECT_THAT(Query(Req(0, "zzz")), IsEmpty());
  EXPECT_THAT(Query(Req(0, "A")), IsEmpty()) << "provider names are case-sensitive";
  EXPECT_THAT(Ids(Query(Req(1, "a"))), ElementsAre("a2"));
}

TEST_F(StatsStoreTest, StatusFilter) {
  ASSERT_EQ(Insert({Record("ok1", "a", 200), Record("rl", "a", 429), Record("ok2", "b", 200),
                    Record("bad", "b", 502)}),
            4);
  EXPECT_THAT(Ids(Query(Req(0, "", 200))), ElementsAre("ok2", "ok1"));
  EXPECT_THAT(Ids(Query(Req(0, "", 429))), ElementsAre("rl"));
  EXPECT_THAT(Query(Req(0, "", 404)), IsEmpty());
  EXPECT_THAT(Ids(Query(Req(0, "b", 200))), ElementsAre("ok2"));
}

TEST_F(StatsStoreTest, ErrorsOnly) {
  ASSERT_EQ(
      Insert({Record("ok", "a", 200), Record("redirect", "a", 399), Record("client", "a", 400),
              Record("gone", "b", 499), Record("server", "b", 503)}),
      5);
  EXPECT_THAT(Ids(Query(Req(0, "", 0, true))), ElementsAre("server", "gone", "client"));
  EXPECT_THAT(Ids(Query(Req(0, "b", 0, true))), ElementsAre("server", "gone"));
  EXPECT_THAT(Query(Req(0, "", 200, true)), IsEmpty());
  EXPECT_THAT(Ids(Query(Req(0, "", 499, true))), ElementsAre("gone"));
}

TEST_F(StatsStoreTest, DuplicateRequestIdIgnored) {
  ASSERT_EQ(Insert({Record("r1"), Record("r2")}), 2);
  // The same batch again: nothing new.
  EXPECT_EQ(Insert({Record("r1"), Record("r2")}), 0);
  EXPECT_EQ(Count(), 2);
  // A partial replay stores only the new one.
  EXPECT_EQ(Insert({Record("r2"), Record("r3")}), 1);
  EXPECT_EQ(Count(), 3);
  // A duplicate inside one batch counts once; the first copy wins.
  RequestLog first = Record("r4", "first");
  RequestLog second = Record("r4", "second");
  EXPECT_EQ(Insert({first, second}), 1);
  auto logs = Query(Req(0, "", 0));
  ASSERT_EQ(logs.size(), 4u);
  EXPECT_EQ(logs[0].request_id(), "r4");
  EXPECT_EQ(logs[0].provider(), "first");
  EXPECT_THAT(Ids(logs), ElementsAre("r4", "r3", "r2", "r1"));
}

TEST_F(StatsStoreTest, ReopenKeepsData) {
  ASSERT_EQ(Insert({Record("r1"), Record("r2", "b", 500)}), 2);
  auto before = Query(Req());
  Reopen();
  EXPECT_EQ(Count(), 2);
  auto after = Query(Req());
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(after[i], before[i]));
  }
  // Dedup survives the reopen, and new ids keep increasing.
  EXPECT_EQ(Insert({Record("r1"), Record("r3")}), 1);
  auto logs = Query(Req());
  EXPECT_THAT(Ids(logs), ElementsAre("r3", "r2", "r1"));
  EXPECT_GT(logs[0].id(), before[0].id());
}

TEST_F(StatsStoreTest, ConcurrentInserts) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int b = 0; b < 10; ++b) {
        std::vector<RequestLog> rs;
        for (int i = 0; i < 5; ++i) {
          rs.push_back(Record("t" + std::to_string(t) + "-" + std::to_string(b * 5 + i)));
        }
        auto n = store_->Insert(Batch(rs));
        EXPECT_TRUE(n.ok() && *n == 5);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(Count(), 4 * 10 * 5);
}

// Summaries: totals, today, groups and buckets.

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
// 2026-11-22 15:00 UTC.
constexpr int64_t kNow = 1'795'359'600'000;

RequestLog At(const std::string& id, int64_t at_ms, const std::string& provider,
              const std::string& model, std::optional<double> cost, int status = 200) {
  RequestLog r = Record(id, provider, status);
  r.set_started_at_ms(at_ms);
  r.set_model_sent(model);
  r.set_client_protocol(provider == "anthropic" ? admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES
                                                : admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT);
  r.set_cache_write_tokens(5);
  if (cost) r.set_cost_usd(*cost);
  return r;
}

admin::v1::GetStatsRequest StatsReq(int64_t since, const std::string& by = "",
                                    const std::string& bucket = "", int offset_minutes = 0) {
  admin::v1::GetStatsRequest q;
  q.set_since_ms(since);
  q.set_by(by);
  q.set_bucket(bucket);
  q.set_utc_offset_minutes(offset_minutes);
  return q;
}

TEST_F(StatsStoreTest, SummaryTotalsTodayAndUnknownCost) {
  ASSERT_EQ(Insert({At("old", kNow - 3 * kDay, "deepseek", "deepseek-chat", 0.5),
                    At("y", kNow - 16 * kHour, "deepseek", "deepseek-chat", 0.25),  // yesterday
                    At("a", kNow - 2 * kHour, "anthropic", "claude-sonnet-4-5", 1.0),
                    At("b", kNow - kHour, "local", "my-llama", std::nullopt),
                    At("c", kNow - 10, "deepseek", "deepseek-chat", 0.125, 502)}),
            5);
  auto s = store_->Summarize(StatsReq(0), kNow);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->all_time().requests(), 5);
  EXPECT_EQ(s->all_time().errors(), 1);
  EXPECT_DOUBLE_EQ(s->all_time().cost_usd(), 1.875);
  EXPECT_EQ(s->all_time().unpriced_requests(), 1);
  EXPECT_DOUBLE_EQ(s->all_time().avg_cost_usd(), 1.875 / 4) << "per priced request";
  EXPECT_EQ(s->all_time().input_tokens(), 500);
  EXPECT_EQ(s->all_time().cached_tokens(), 150);
  EXPECT_EQ(s->all_time().cache_write_tokens(), 25);
  EXPECT_EQ(s->all_time().avg_latency_ms(), 1234);
  // Today from UTC midnight: a, b, c.
  EXPECT_EQ(s->today().requests(), 3);
  EXPECT_DOUBLE_EQ(s->today().cost_usd(), 1.125);
  // Eight hours ahead of UTC it is already 23:00: "yesterday" 23:00 UTC was 07:00 today there.
  auto east = store_->Summarize(StatsReq(0, "", "", 8 * 60), kNow);
  ASSERT_TRUE(east.ok());
  EXPECT_EQ(east->today().requests(), 4);
  // A range.
  auto recent = store_->Summarize(StatsReq(kNow - 3 * kHour), kNow);
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(recent->range().requests(), 3);
  // A request without usage is neither priced nor unknown.
  RequestLog refused = At("refused", kNow - 5, "deepseek", "deepseek-chat", std::nullopt, 401);
  refused.set_input_tokens(0);
  refused.set_output_tokens(0);
  ASSERT_EQ(Insert({refused}), 1);
  EXPECT_EQ(store_->Summarize(StatsReq(0), kNow)->all_time().unpriced_requests(), 1);
}

TEST_F(StatsStoreTest, PlanRequestsCostNoDollarsAndTellTheirWorth) {
  RequestLog plan = At("p1", kNow - 100, "chatgpt", "gpt-6.2-sol", 0.0);
  plan.set_on_plan(true);
  plan.set_list_price_usd(0.5);
  RequestLog unpriced_plan = At("p2", kNow - 90, "chatgpt", "gpt-9-secret", 0.0);
  unpriced_plan.set_on_plan(true);  // no list price known
  ASSERT_EQ(Insert({At("d", kNow - 80, "deepseek", "deepseek-chat", 0.25), plan, unpriced_plan}),
            3);
  auto s = store_->Summarize(StatsReq(0), kNow);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->all_time().requests(), 3);
  EXPECT_DOUBLE_EQ(s->all_time().cost_usd(), 0.25);
  EXPECT_EQ(s->all_time().unpriced_requests(), 0);
  EXPECT_DOUBLE_EQ(s->all_time().avg_cost_usd(), 0.25) << "plan requests are not dollar ones";
  EXPECT_EQ(s->all_time().plan_requests(), 2);
  EXPECT_DOUBLE_EQ(s->all_time().plan_list_price_usd(), 0.5);
  auto back = Query(Req());
  ASSERT_EQ(back.size(), 3u);
  for (const auto& r : back) {
    if (r.request_id() == "p1") {
      EXPECT_TRUE(r.on_plan());
      EXPECT_DOUBLE_EQ(r.list_price_usd(), 0.5);
    } else if (r.request_id() == "p2") {
      EXPECT_FALSE(r.has_list_price_usd());
    } else {
      EXPECT_FALSE(r.on_plan());
    }
  }
}

TEST_F(StatsStoreTest, SummaryGroupsByProviderModelAndClient) {
  ASSERT_EQ(Insert({At("1", kNow - 100, "deepseek", "deepseek-chat", 0.5),
                    At("2", kNow - 90, "deepseek", "deepseek-reasoner", 0.75),
                    At("3", kNow - 80, "anthropic", "claude-sonnet-4-5", 2.0),
                    At("4", kNow - 70, "local", "my-llama", std::nullopt)}),
            4);
  auto by_provider = store_->Summarize(StatsReq(0, "provider"), kNow);
  ASSERT_TRUE(by_provider.ok()) << by_provider.status();
  ASSERT_EQ(by_provider->groups_size(), 3);
  EXPECT_EQ(by_provider->groups(0).key(), "anthropic") << "the dearest first";
  EXPECT_EQ(by_provider->groups(1).key(), "deepseek");
  EXPECT_EQ(by_provider->groups(1).totals().requests(), 2);
  EXPECT_DOUBLE_EQ(by_provider->groups(1).totals().cost_usd(), 1.25);
  EXPECT_EQ(by_provider->groups(2).key(), "local");
  EXPECT_EQ(by_provider->groups(2).totals().unpriced_requests(), 1);

  auto by_model = store_->Summarize(StatsReq(0, "model"), kNow);
  ASSERT_TRUE(by_model.ok());
  EXPECT_EQ(by_model->groups_size(), 4);
  auto by_client = store_->Summarize(StatsReq(0, "client"), kNow);
  ASSERT_TRUE(by_client.ok());
  ASSERT_EQ(by_client->groups_size(), 2);
  EXPECT_EQ(by_client->groups(0).key(), "claude");
  EXPECT_EQ(by_client->groups(1).key(), "chat");
  EXPECT_EQ(by_client->groups(1).totals().requests(), 3);

  EXPECT_EQ(store_->Summarize(StatsReq(0, "colour"), kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Summarize(StatsReq(0, "", "week"), kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(StatsStoreTest, SummaryBucketsHaveNoGaps) {
  ASSERT_EQ(Insert({At("1", kNow - 5 * kHour + 1, "deepseek", "deepseek-chat", 0.5),
                    At("2", kNow - 5 * kHour + 2, "deepseek", "deepseek-chat", 0.5),
                    At("3", kNow - 2 * kHour + 3, "deepseek", "deepseek-chat", 1.0)}),
            3);
  auto hours = store_->Summarize(StatsReq(kNow - 6 * kHour, "", "hour"), kNow);
  ASSERT_TRUE(hours.ok()) << hours.status();
  // 09:00 .. 15:00 UTC: seven hour buckets, two of them with requests.
  ASSERT_EQ(hours->buckets_size(), 7);
  EXPECT_EQ(hours->buckets(0).start_ms(), kNow - 6 * kHour);
  EXPECT_EQ(hours->buckets(1).totals().requests(), 2);
  EXPECT_DOUBLE_EQ(hours->buckets(1).totals().cost_usd(), 1.0);
  EXPECT_EQ(hours->buckets(2).totals().requests(), 0);
  EXPECT_EQ(hours->buckets(4).totals().requests(), 1);
  EXPECT_EQ(hours->buckets(6).start_ms(), kNow);

  // Days start at local midnight; without a start, at the first record's day.
  auto days = store_->Summarize(StatsReq(0, "", "day", -5 * 60), kNow);
  ASSERT_TRUE(days.ok());
  ASSERT_EQ(days->buckets_size(), 1);
  EXPECT_EQ(days->buckets(0).start_ms(), kNow - 15 * kHour + 5 * kHour);
  EXPECT_EQ(days->buckets(0).totals().requests(), 3);
}

TEST(StatsStoreOpenTest, MissingFolderFails) {
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  auto s = StatsStore::Open(dir.File("no/such/folder/stats.db"));
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace agentgate::stats
