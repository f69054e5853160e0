#include "services/edge/response_store.h"

#include <gtest/gtest.h>

namespace agentgate::edge {
namespace {

namespace ir = protocol::ir;

ir::Message Text(ir::Role role, std::string text) {
  ir::Message m;
  m.role = role;
  ir::Part p;
  p.text = std::move(text);
  m.parts.push_back(std::move(p));
  return m;
}

std::shared_ptr<StoredResponse> Turn(std::shared_ptr<const StoredResponse> previous,
                                     std::string asked, std::string answered) {
  auto r = std::make_shared<StoredResponse>();
  r->previous = std::move(previous);
  r->turn = {Text(ir::Role::kUser, std::move(asked)),
             Text(ir::Role::kAssistant, std::move(answered))};
  r->body = R"({"id":"x"})";
  return r;
}

TEST(ResponseStoreTest, AChainGivesTheWholeConversationBack) {
  ResponseStore store;
  auto one = Turn(nullptr, "hi", "hello");
  store.Put("tok", "resp_1", one, 0);
  auto two = Turn(store.Get("tok", "resp_1", 1), "and then?", "then this");
  store.Put("tok", "resp_2", two, 2);
  auto got = store.Get("tok", "resp_2", 3);
  ASSERT_NE(got, nullptr);
  auto history = got->History();
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[0].parts[0].text, "hi");
  EXPECT_EQ(history[1].parts[0].text, "hello");
  EXPECT_EQ(history[2].parts[0].text, "and then?");
  EXPECT_EQ(history[3].parts[0].text, "then this");
}

TEST(ResponseStoreTest, PerClientForgottenAfterTheTtlAndDeletable) {
  ResponseStore store(1 << 20, /*ttl_ms=*/1000);
  store.Put("tok", "resp_1", Turn(nullptr, "a", "b"), 0);
  EXPECT_EQ(store.Get("other-token", "resp_1", 1), nullptr) << "another client's";
  EXPECT_NE(store.Get("tok", "resp_1", 500), nullptr);
  EXPECT_EQ(store.Get("tok", "resp_1", 1501), nullptr);
  EXPECT_EQ(store.size(), 0u);
  store.Put("tok", "resp_2", Turn(nullptr, "a", "b"), 0);
  EXPECT_TRUE(store.Delete("tok", "resp_2"));
  EXPECT_FALSE(store.Delete("tok", "resp_2"));
  EXPECT_EQ(store.bytes(), 0u);
}

TEST(ResponseStoreTest, BoundedTheLeastRecentlyUsedGoFirst) {
  ResponseStore store(/*max_bytes=*/64 * 1024, 1'000'000);
  const std::string big(4000, 'x');
  for (int i = 0; i < 40; ++i) {
    store.Put("tok", "resp_" + std::to_string(i), Turn(nullptr, big, big), i);
    if (i >= 1) ASSERT_NE(store.Get("tok", "resp_0", i), nullptr) << "kept fresh by use, " << i;
  }
  EXPECT_LE(store.bytes(), 64u * 1024);
  EXPECT_NE(store.Get("tok", "resp_0", 50), nullptr);
  EXPECT_EQ(store.Get("tok", "resp_1", 50), nullptr);
  EXPECT_NE(store.Get("tok", "resp_39", 50), nullptr);
  // One response bigger than a quarter of the store is not kept at all.
  store.Put("tok", "huge", Turn(nullptr, std::string(20000, 'y'), "z"), 60);
  EXPECT_EQ(store.Get("tok", "huge", 61), nullptr);
  // A chain counts whole: continuing a kept response again and again cannot keep more alive
  // than the bound (each turn adds about 4.5 KB; a chain over a quarter of the store, 16 KB, is
  // not kept).
  ResponseStore chained(/*max_bytes=*/64 * 1024, 1'000'000);
  std::shared_ptr<const StoredResponse> last;
  int kept = 0;
  for (int i = 0; i < 10; ++i) {
    auto next = Turn(last, big, "ok");
    chained.Put("tok", "c" + std::to_string(i), next, i);
    if (chained.Get("tok", "c" + std::to_string(i), i)) ++kept;
    last = next;
  }
  EXPECT_EQ(kept, 3);
  EXPECT_LE(chained.bytes(), 64u * 1024) << "each entry counted with its whole chain";
  EXPECT_GT(chained.bytes(), 3u * 4000) << "the chains, not the turns alone";
  // Hostile ids are only keys: nothing to trip on.
  store.Put("tok", std::string(1, '\0') + "\n", Turn(nullptr, "a", "b"), 70);
  EXPECT_NE(store.Get("tok", std::string(1, '\0') + "\n", 71), nullptr);
  EXPECT_EQ(store.Get("to", "k" + std::string(1, '\0') + "\n", 71), nullptr);
}

}  // namespace
}  // namespace agentgate::edge
