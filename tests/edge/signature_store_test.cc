#include "services/edge/signature_store.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace agentgate::edge {
namespace {

TEST(SignatureStoreTest, GivesASignatureBackOnlyToItsProviderModelAndClient) {
  SignatureStore s;
  s.Put("alice-key", "call_1", "gemini-a", "gemini-3.1-pro", "SIG1");
  EXPECT_EQ(s.Get("alice-key", "call_1", "gemini-a", "gemini-3.1-pro"), "SIG1");
  EXPECT_EQ(s.Get("alice-key", "call_1", "gemini-b", "gemini-3.1-pro"), "");    // another account
  EXPECT_EQ(s.Get("alice-key", "call_1", "gemini-a", "gemini-3.6-flash"), "");  // another model
  EXPECT_EQ(s.Get("bob-key", "call_1", "gemini-a", "gemini-3.1-pro"), "");      // another client
  EXPECT_EQ(s.Get("alice-key", "call_2", "gemini-a", "gemini-3.1-pro"), "");
  // The separator cannot be forged by shifting bytes between credential and id.
  s.Put("ab", "c", "p", "m", "X");
  EXPECT_EQ(s.Get("a", "bc", "p", "m"), "");
  EXPECT_EQ(s.Get(std::string("ab\0c", 4), "", "p", "m"), "");
}

TEST(SignatureStoreTest, ABoundInBytesDropsTheLeastRecentlyUsedFirst) {
  SignatureStore s(/*max_bytes=*/200);
  const std::string sig(50, 's');  // 56 bytes an entry: three fit, four do not
  s.Put("k", "c1", "p", "m", sig);
  s.Put("k", "c2", "p", "m", sig);
  s.Put("k", "c3", "p", "m", sig);
  EXPECT_EQ(s.Get("k", "c1", "p", "m"), sig);  // c1 used: c2 is now the oldest
  s.Put("k", "c4", "p", "m", sig);
  EXPECT_LE(s.bytes(), 200u);
  EXPECT_EQ(s.Get("k", "c2", "p", "m"), "");
  EXPECT_EQ(s.Get("k", "c1", "p", "m"), sig);
  EXPECT_EQ(s.Get("k", "c4", "p", "m"), sig);
  // One entry over the whole bound is not kept (and evicts nothing).
  s.Put("k", "huge", "p", "m", std::string(500, 'h'));
  EXPECT_EQ(s.Get("k", "huge", "p", "m"), "");
  EXPECT_EQ(s.Get("k", "c4", "p", "m"), sig);
  // Replacing an entry keeps the count right.
  s.Put("k", "c4", "p", "m", "short");
  EXPECT_EQ(s.Get("k", "c4", "p", "m"), "short");
}

TEST(SignatureStoreTest, ManyWorkersAtOnce) {
  SignatureStore s(4096);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&s, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string id = "c" + std::to_string(t) + "_" + std::to_string(i % 50);
        s.Put("k", id, "p", "m", "sig" + std::to_string(i));
        (void)s.Get("k", id, "p", "m");
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(s.bytes(), 4096u);
  EXPECT_GT(s.size(), 0u);
}

}  // namespace
}  // namespace agentgate::edge
