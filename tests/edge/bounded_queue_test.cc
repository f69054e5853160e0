#include "services/edge/bounded_queue.h"

#include <gtest/gtest.h>

#include <thread>

namespace agentgate::edge {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

TEST(BoundedQueueTest, DropsAndCountsWhenFull) {
  BoundedQueue<int> q(2);
  EXPECT_TRUE(q.Push(1));
  EXPECT_TRUE(q.Push(2));
  EXPECT_FALSE(q.Push(3));
  EXPECT_EQ(q.dropped(), 1);
  EXPECT_EQ(q.PopBatch(10, milliseconds(0)), (std::vector<int>{1, 2}));
}

TEST(BoundedQueueTest, RequeueGoesInFrontAsFarAsItFits) {
  BoundedQueue<int> q(3);
  q.Push(3);
  q.Requeue({1, 2, 9});
  EXPECT_EQ(q.dropped(), 1);
  EXPECT_EQ(q.PopBatch(10, milliseconds(0)), (std::vector<int>{1, 2, 3}));
}

// Bounded by bytes too: a few huge items cannot fill memory while the count bound is far away.
TEST(BoundedQueueTest, BytesBoundDropsWhatDoesNotFit) {
  BoundedQueue<std::string> q(1000, 10, [](const std::string& s) { return s.size(); });
  EXPECT_TRUE(q.Push("abcd"));
  EXPECT_TRUE(q.Push("efgh"));
  EXPECT_FALSE(q.Push("ijk"));  // 8 + 3 > 10
  EXPECT_TRUE(q.Push("ij"));
  EXPECT_EQ(q.bytes(), 10u);
  EXPECT_EQ(q.dropped(), 1);
  auto batch = q.PopBatch(2, milliseconds(0));
  EXPECT_EQ(batch, (std::vector<std::string>{"abcd", "efgh"}));
  EXPECT_EQ(q.bytes(), 2u);
  q.Requeue({"12345", "123456"});  // the first fits (7), the second does not
  EXPECT_EQ(q.bytes(), 7u);
  EXPECT_EQ(q.dropped(), 2);
  EXPECT_EQ(q.PopBatch(10, milliseconds(0)), (std::vector<std::string>{"12345", "ij"}));
  EXPECT_EQ(q.bytes(), 0u);
}

TEST(BoundedQueueTest, APushWakesAWaitingConsumer) {
  BoundedQueue<int> q(10);
  std::thread producer([&] {
    std::this_thread::sleep_for(milliseconds(50));
    q.Push(7);
  });
  auto start = Clock::now();
  auto got = q.PopBatch(10, milliseconds(5000));
  producer.join();
  EXPECT_EQ(got, std::vector<int>{7});
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
}

TEST(BoundedQueueTest, LingerGathersABatchAndAFullBatchEndsItEarly) {
  BoundedQueue<int> q(100);
  std::thread producer([&] {
    for (int i = 0; i < 4; ++i) {
      q.Push(i);
      std::this_thread::sleep_for(milliseconds(10));
    }
  });
  // Up to 4 items, lingering up to 5 s: returns as soon as the fourth arrives.
  auto start = Clock::now();
  auto got = q.PopBatch(4, milliseconds(5000), milliseconds(5000));
  producer.join();
  EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
}

TEST(BoundedQueueTest, LingerEndsAfterItsTimeWithAPartialBatch) {
  BoundedQueue<int> q(100);
  q.Push(1);
  auto start = Clock::now();
  auto got = q.PopBatch(4, milliseconds(0), milliseconds(30));
  EXPECT_EQ(got, std::vector<int>{1});
  EXPECT_GE(Clock::now() - start, milliseconds(25));
}

TEST(BoundedQueueTest, WakeEndsTheWait) {
  BoundedQueue<int> q(10);
  std::thread waker([&] {
    std::this_thread::sleep_for(milliseconds(50));
    q.Wake();
  });
  auto start = Clock::now();
  EXPECT_TRUE(q.PopBatch(10, milliseconds(5000)).empty());
  waker.join();
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
}

}  // namespace
}  // namespace agentgate::edge
