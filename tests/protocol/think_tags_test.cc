#include "services/protocol/think_tags.h"

#include <gtest/gtest.h>

#include <random>

#include "tests/protocol/test_util.h"

namespace agentgate::protocol {
namespace {

std::pair<std::string, std::string> Split(const std::vector<std::string>& pieces) {
  ThinkTagSplitter s;
  std::string reasoning, text;
  for (const auto& p : pieces) s.Feed(p, &reasoning, &text);
  s.Flush(&reasoning, &text);
  return {reasoning, text};
}

TEST(ThinkTagSplitterTest, SplitsReasoningFromTheAnswer) {
  auto [r, t] = Split({"<think>\nThe user wants x.\n</think>\n\nHere is x."});
  EXPECT_EQ(r, "\nThe user wants x.\n");
  EXPECT_EQ(t, "Here is x.");
}

TEST(ThinkTagSplitterTest, TextWithoutTagsPassesUnchanged) {
  auto [r, t] = Split({"a < b and <thin", "g> is not a tag"});
  EXPECT_EQ(r, "");
  EXPECT_EQ(t, "a < b and <thing> is not a tag");
}

TEST(ThinkTagSplitterTest, AnUnfinishedTagAtTheEndIsText) {
  auto [r, t] = Split({"answer <thi"});
  EXPECT_EQ(t, "answer <thi");
  auto [r2, t2] = Split({"<think>still thinking </thi"});
  EXPECT_EQ(r2, "still thinking </thi");
  EXPECT_EQ(t2, "");
}

TEST(ThinkTagSplitterTest, OnlyPartialTagsAreHeldBack) {
  ThinkTagSplitter s;
  std::string r, t;
  s.Feed("<think>abc", &r, &t);
  EXPECT_EQ(r, "abc");  // not held: released the moment it arrives
  s.Feed("de</", &r, &t);
  EXPECT_EQ(r, "abcde");
  s.Feed("think>ok", &r, &t);
  EXPECT_EQ(t, "ok");
}

TEST(ThinkTagSplitterTest, SameResultHoweverTheContentIsSplit) {
  const std::string content = "<think>plan: read <file> first</think>\n\nDone <b>now</b>.";
  auto whole = Split({content});
  EXPECT_EQ(whole.first, "plan: read <file> first");
  EXPECT_EQ(whole.second, "Done <b>now</b>.");
  std::mt19937 rng(3);
  for (int round = 0; round < 200; ++round) {
    EXPECT_EQ(Split(test_util::RandomSplits(content, rng, 6, /*min_len=*/1)), whole)
        << "round " << round;
  }
}

}  // namespace
}  // namespace agentgate::protocol
