#include "services/net/target.h"

#include <gtest/gtest.h>

namespace agentgate::net {
namespace {

TEST(TargetTest, PathQueryAndParameters) {
  auto [path, query] = SplitTarget("/v1beta/models/m:generateContent?alt=sse&key=abc");
  EXPECT_EQ(path, "/v1beta/models/m:generateContent");
  EXPECT_EQ(QueryParam(query, "key"), "abc");
  EXPECT_EQ(QueryParam(query, "alt"), "sse");
  EXPECT_EQ(QueryParam(query, "ke"), "");
  EXPECT_EQ(QueryParam("key", "key"), "");
  EXPECT_EQ(QueryParam("&&key=", "key"), "");
  EXPECT_EQ(SplitTarget("/x").second, "");
  EXPECT_EQ(SplitTarget("?").first, "");
}

}  // namespace
}  // namespace agentgate::net
