#include "services/clientconf/gateway_models.h"

#include <gtest/gtest.h>

namespace agentgate::clientconf {
namespace {

TEST(GatewayModelsTest, ReadsIdsAndLimits) {
  auto ms = ParseGatewayModels(
      R"({"object":"list","data":[{"id":"deepseek-v4-pro","context_window":1000000,)"
      R"("max_output_tokens":393216},{"id":"m"},{"id":"deepseek-v4-pro","context_window":5}]})");
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[0].id, "deepseek-v4-pro");
  EXPECT_EQ(ms[0].context_window, 1000000);
  EXPECT_EQ(ms[0].max_output, 393216);
  EXPECT_EQ(ms[1].id, "m");
  EXPECT_EQ(ms[1].context_window, 0);
}

// Whatever the list says, a limit is a positive integer or unknown, and junk entries go.
TEST(GatewayModelsTest, HostileListsGiveNothingOrUnknownLimits) {
  for (const char* body : {"", "[", "[]", "{}", R"({"data":{}})", R"({"data":"x"})", "null"}) {
    EXPECT_TRUE(ParseGatewayModels(body).empty()) << body;
  }
  auto ms = ParseGatewayModels(
      R"({"data":[1,"x",{"id":5},{"id":""},{"id":"a","context_window":-3,)"
      R"("max_output_tokens":"9"},{"id":"b","context_window":1.5e6},)"
      R"({"id":"c","context_window":18446744073709551615}]})");
  ASSERT_EQ(ms.size(), 3u);
  for (const auto& m : ms) {
    EXPECT_EQ(m.context_window, 0) << m.id;
    EXPECT_EQ(m.max_output, 0) << m.id;
  }
}

TEST(GatewayModelsTest, NoGatewaySaysWhy) {
  auto list = FetchGatewayModels("http://127.0.0.1:1", "t", std::chrono::seconds(2));
  EXPECT_TRUE(list.models.empty());
  EXPECT_NE(list.why_none.find("127.0.0.1:1/v1/models"), std::string::npos) << list.why_none;
}

}  // namespace
}  // namespace agentgate::clientconf
