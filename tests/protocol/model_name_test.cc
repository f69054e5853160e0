#include "services/protocol/model_name.h"

#include <gtest/gtest.h>

#include "services/protocol/openai_chat.h"

namespace agentgate::protocol {
namespace {

TEST(ModelNameTest, RealNamesPass) {
  for (std::string_view m : {"", "gpt-5", "claude-sonnet-4-5-20250929", "models/gemini-2.5-pro",
                             "deepseek/deepseek-chat:free", "Qwen/Qwen3-235B-A22B", "é 世"}) {
    EXPECT_TRUE(CheckModelName(m).ok()) << m;
  }
  EXPECT_TRUE(CheckModelName(std::string(kMaxModelName, 'm')).ok());
}

TEST(ModelNameTest, ControlCharactersAndLongNamesAreRefusedNamingTheRule) {
  const std::string_view bad[] = {"a\r\nHost: evil", "a\n", std::string_view("a\0b", 3), "\t",
                                  "a\x7f"};
  for (std::string_view m : bad) {
    absl::Status st = CheckModelName(m);
    EXPECT_TRUE(absl::IsInvalidArgument(st)) << m;
    EXPECT_NE(st.message().find("control characters"), std::string_view::npos) << st.message();
  }
  absl::Status st = CheckModelName(std::string(kMaxModelName + 1, 'm'));
  EXPECT_EQ(st.message(), "model: a model name is at most 256 bytes (this one has 257)");
}

TEST(ModelNameTest, InspectRequestAppliesTheRule) {
  auto r = InspectRequest(R"({"model":"a\r\nX-Injected: 1","messages":[]})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("control characters"), std::string_view::npos);
  EXPECT_TRUE(InspectRequest(R"({"model":"fine","messages":[]})").ok());
}

TEST(ModelNameTest, PercentDecode) {
  std::string out;
  EXPECT_TRUE(PercentDecode("gemini-2.5-pro", &out));
  EXPECT_EQ(out, "gemini-2.5-pro");
  EXPECT_TRUE(PercentDecode("a%2Fb%0d%0A", &out));
  EXPECT_EQ(out, "a/b\r\n");
  for (std::string_view bad : {"%", "%4", "%zz", "a%g0"}) EXPECT_FALSE(PercentDecode(bad, &out));
}

}  // namespace
}  // namespace agentgate::protocol
