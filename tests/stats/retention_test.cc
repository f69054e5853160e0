#include "services/stats/retention.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/common/temp_dir.h"

namespace agentgate::stats {
namespace {

constexpr int64_t kDay = 24 * 3600 * 1000;
constexpr int64_t kNow = 1800000000000;

admin::v1::RequestLog At(int i, int64_t started_at_ms) {
  admin::v1::RequestLog r;
  r.set_request_id("r" + std::to_string(i));
  r.set_started_at_ms(started_at_ms);
  r.set_path("/v1/chat/completions");
  r.set_error(std::string(400, 'x'));  // some weight per row for the size cap
  return r;
}

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = StatsStore::Open(dir_.File("stats.db"));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
  }
  void Fill(int n, int64_t first_ms, int64_t step_ms) {
    google::protobuf::RepeatedPtrField<admin::v1::RequestLog> batch;
    for (int i = 0; i < n; ++i) *batch.Add() = At(next_++, first_ms + i * step_ms);
    ASSERT_TRUE(store_->Insert(batch).ok());
  }
  test::TempDir dir_;
  std::unique_ptr<StatsStore> store_;
  int next_ = 0;
};

TEST(RetentionCutoffTest, DaysBackFromNowOrNone) {
  EXPECT_EQ(RetentionCutoffMs({90, 0}, kNow), kNow - 90 * kDay);
  EXPECT_EQ(RetentionCutoffMs({0, 0}, kNow), 0);
}

// Records past the retention go, younger ones stay, in chunks smaller than the whole.
TEST_F(RetentionTest, OlderThanTheRetentionAreDeleted) {
  Fill(12000, kNow - 100 * kDay, 1);  // 12,000 records 100 days old: three chunks' worth
  Fill(10, kNow - 10 * kDay, kDay);   // 10 … 1 days old
  Pruner pruner(*store_, {90, 0}, [] { return kNow; });
  auto r = pruner.PruneNow();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->deleted(), 12000);
  EXPECT_EQ(r->records(), 10);
  EXPECT_EQ(r->oldest_ms(), kNow - 10 * kDay);
  EXPECT_EQ(r->retention_days(), 90);
  EXPECT_GT(r->db_bytes(), 0);
  // A cut-off of the caller's own.
  r = pruner.PruneNow(kNow - 5 * kDay);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->deleted(), 5);
  EXPECT_EQ(*store_->Count(), 5);
}

TEST_F(RetentionTest, KeptForeverWhenTheRetentionIsZero) {
  Fill(100, kNow - 1000 * kDay, 1);
  Pruner pruner(*store_, {0, 0}, [] { return kNow; });
  auto r = pruner.PruneNow();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->deleted(), 0);
  EXPECT_EQ(r->records(), 100);
}

// Over the size cap, the oldest go until the pages in use fit.
TEST_F(RetentionTest, TheSizeCapDeletesTheOldestFirst) {
  Fill(20000, kNow - 20 * kDay, 60000);
  auto before = store_->Usage();
  ASSERT_TRUE(before.ok());
  const int64_t cap = before->db_bytes() / 2;
  Pruner pruner(*store_, {0, cap}, [] { return kNow; });
  auto r = pruner.PruneNow();
  ASSERT_TRUE(r.ok());
  EXPECT_LE(r->db_bytes(), cap);
  EXPECT_GT(r->deleted(), 0);
  EXPECT_LT(r->records(), 20000);
  EXPECT_GT(r->records(), 5000);
  // The newest are the ones left.
  admin::v1::ListRequestLogsRequest q;
  q.set_limit(1);
  auto newest = store_->Query(q);
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ((*newest)[0].request_id(), "r19999");
  EXPECT_GT(r->oldest_ms(), kNow - 20 * kDay);
}

TEST_F(RetentionTest, TheHourlyThreadPrunesAtStartAndStops) {
  Fill(50, kNow - 200 * kDay, 1);
  {
    Pruner pruner(
        *store_, {90, 0}, [] { return kNow; }, std::chrono::hours(1));
    pruner.Start();
    for (int i = 0; i < 200 && *store_->Count() != 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }  // Stop() returns at once, not after the hour
  EXPECT_EQ(*store_->Count(), 0);
}

}  // namespace
}  // namespace agentgate::stats
