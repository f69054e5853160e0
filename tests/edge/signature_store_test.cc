#include "services/edge/signature_store.h"

#include <gtest/gtest.h>

#include <cstdio>
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

TEST(SignatureStoreTest, AnOversizedBlobFromAProviderIsNotKeptAndPushesNothingOut) {
  SignatureStore s(/*max_bytes=*/64 * 1024);  // 1 KiB an entry at most
  s.Put("k", "small", "p", "m", "fits");
  s.Put("k", "huge", "p", "m", std::string(2000, 'h'));
  EXPECT_EQ(s.Get("k", "huge", "p", "m"), "");
  EXPECT_EQ(s.Get("k", "small", "p", "m"), "fits");
}

TEST(SignatureStoreTest, ABoundInBytesDropsTheLeastRecentlyUsedFirst) {
  SignatureStore s(/*max_bytes=*/64 * 100);  // 100 bytes an entry at most
  const std::string sig(90, 's');            // 97 bytes an entry: 65 fit, 66 do not
  auto id = [](int i) {
    char b[8];
    std::snprintf(b, sizeof b, "c%02d", i);
    return std::string(b);
  };
  for (int i = 1; i <= 65; ++i) s.Put("k", id(i), "p", "m", sig);
  EXPECT_EQ(s.Get("k", id(1), "p", "m"), sig);  // c01 used: c02 is now the oldest
  s.Put("k", id(66), "p", "m", sig);
  EXPECT_LE(s.bytes(), 6400u);
  EXPECT_EQ(s.Get("k", id(2), "p", "m"), "");
  EXPECT_EQ(s.Get("k", id(1), "p", "m"), sig);
  EXPECT_EQ(s.Get("k", id(66), "p", "m"), sig);
  // One entry over its share is not kept (and evicts nothing).
  s.Put("k", "huge", "p", "m", std::string(500, 'h'));
  EXPECT_EQ(s.Get("k", "huge", "p", "m"), "");
  EXPECT_EQ(s.Get("k", id(66), "p", "m"), sig);
  // Replacing an entry keeps the count right.
  s.Put("k", id(66), "p", "m", "short");
  EXPECT_EQ(s.Get("k", id(66), "p", "m"), "short");
  EXPECT_LE(s.bytes(), 6400u);
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
