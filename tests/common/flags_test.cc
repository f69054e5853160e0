#include "services/common/flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "services/common/strings.h"

namespace agentgate {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<FlagSpec> Specs() {
  return {
      {"port", "PORT", "HTTP port"},
      {"model", "MODEL", "a model (repeatable)"},
      {"detach", "", "run in background"},
      {"verbose", "", "more output"},
  };
}

// Sets an environment variable for the life of the object, then removes it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name_); }

 private:
  const char* name_;
};

TEST(FlagsTest, ValueWithEquals) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"--port=9090"}).ok());
  EXPECT_TRUE(f.Has("port"));
  EXPECT_EQ(f.Get("port"), "9090");
  EXPECT_THAT(f.positional(), IsEmpty());
}

TEST(FlagsTest, ValueAsNextArgument) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"--port", "9090"}).ok());
  EXPECT_EQ(f.Get("port"), "9090");
  EXPECT_THAT(f.positional(), IsEmpty());
}

TEST(FlagsTest, InlineValueKeepsLaterEqualsSigns) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"--model=a=b"}).ok());
  EXPECT_EQ(f.Get("model"), "a=b");
}

TEST(FlagsTest, EmptyInlineValueIsAValue) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"--port="}).ok());
  EXPECT_TRUE(f.Has("port"));
  EXPECT_EQ(f.Get("port", nullptr, "default"), "");
}

TEST(FlagsTest, SeparateValueMayLookLikeAnything) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"--model", "-x"}).ok());
  EXPECT_EQ(f.Get("model"), "-x");
}

TEST(FlagsTest, Switches) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"--detach"}).ok());
  EXPECT_TRUE(f.Has("detach"));
  EXPECT_EQ(f.Get("detach"), "true");
  EXPECT_FALSE(f.Has("verbose"));
  EXPECT_EQ(f.Get("verbose"), "");
}

TEST(FlagsTest, SwitchRejectsInlineValue) {
  Flags f(Specs());
  absl::Status st = f.Parse({"--detach=yes"});
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(st), HasSubstr("--detach"));
}

TEST(FlagsTest, SwitchDoesNotConsumeNextArgument) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"--detach", "up"}).ok());
  EXPECT_TRUE(f.Has("detach"));
  EXPECT_THAT(f.positional(), ElementsAre("up"));
}

TEST(FlagsTest, RepeatedValuesAreKeptInOrderAndGetReturnsTheLast) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"--model", "a", "--model=b", "--model", "c"}).ok());
  EXPECT_THAT(f.GetAll("model"), ElementsAre("a", "b", "c"));
  EXPECT_EQ(f.Get("model"), "c");
}

TEST(FlagsTest, GetAllOfAbsentFlagIsEmpty) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse(std::vector<std::string>{}).ok());
  EXPECT_THAT(f.GetAll("model"), IsEmpty());
  EXPECT_FALSE(f.Has("model"));
}

TEST(FlagsTest, UnknownFlagIsAnError) {
  Flags f(Specs());
  absl::Status st = f.Parse({"--port", "1", "--nope"});
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(st), HasSubstr("--nope"));
}

TEST(FlagsTest, UnknownFlagWithInlineValueNamesOnlyTheFlag) {
  Flags f(Specs());
  absl::Status st = f.Parse({"--secret=hunter2"});
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(st), HasSubstr("--secret"));
  EXPECT_EQ(Message(st).find("hunter2"), std::string::npos) << Message(st);
}

TEST(FlagsTest, MissingValueIsAnError) {
  Flags f(Specs());
  absl::Status st = f.Parse({"--port"});
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(st), HasSubstr("--port"));
  EXPECT_THAT(Message(st), HasSubstr("PORT"));
}

TEST(FlagsTest, PositionalArgumentsAnywhere) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"provider", "--port", "1", "add", "--detach", "x"}).ok());
  EXPECT_THAT(f.positional(), ElementsAre("provider", "add", "x"));
  EXPECT_EQ(f.Get("port"), "1");
  EXPECT_TRUE(f.Has("detach"));
}

TEST(FlagsTest, SingleDashArgumentsArePositional) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"-", "-p", "--"}).ok());
  EXPECT_THAT(f.positional(), ElementsAre("-", "-p"));
}

TEST(FlagsTest, DoubleDashEndsFlags) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"run", "--detach", "--", "--port", "1", "--nope"}).ok());
  EXPECT_TRUE(f.Has("detach"));
  EXPECT_FALSE(f.Has("port"));
  EXPECT_THAT(f.positional(), ElementsAre("run", "--port", "1", "--nope"));
}

TEST(FlagsTest, DoubleDashAfterDoubleDashIsPositional) {
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"--", "a", "--", "b"}).ok());
  EXPECT_THAT(f.positional(), ElementsAre("a", "--", "b"));
}

TEST(FlagsTest, ParseArgvSkipsTheFirstArguments) {
  Flags f(Specs());
  std::string a0 = "agentgatectl", a1 = "up", a2 = "--port", a3 = "7", a4 = "--detach";
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), a4.data()};
  ASSERT_TRUE(f.Parse(5, argv, 2).ok());
  EXPECT_EQ(f.Get("port"), "7");
  EXPECT_TRUE(f.Has("detach"));
  EXPECT_THAT(f.positional(), IsEmpty());
}

TEST(FlagsTest, ParseArgvMissingValue) {
  Flags f(Specs());
  std::string a0 = "x", a1 = "--model";
  char* argv[] = {a0.data(), a1.data()};
  EXPECT_EQ(f.Parse(2, argv, 1).code(), absl::StatusCode::kInvalidArgument);
}

TEST(FlagsTest, GetFallsBackToEnvironmentThenDefault) {
  constexpr const char* kEnv = "AGENTGATE_FLAGS_TEST_PORT_ENV";
  ::unsetenv(kEnv);
  {
    Flags f(Specs());
    ASSERT_TRUE(f.Parse(std::vector<std::string>{}).ok());
    EXPECT_EQ(f.Get("port", kEnv, "8080"), "8080");
    EXPECT_EQ(f.Get("port", nullptr, "8080"), "8080");
    ScopedEnv env(kEnv, "7000");
    EXPECT_EQ(f.Get("port", kEnv, "8080"), "7000");
    EXPECT_EQ(f.Get("port", nullptr, "8080"), "8080");
  }
  {
    ScopedEnv env(kEnv, "");
    Flags f(Specs());
    ASSERT_TRUE(f.Parse(std::vector<std::string>{}).ok());
    EXPECT_EQ(f.Get("port", kEnv, "8080"), "8080") << "an empty variable counts as unset";
  }
}

TEST(FlagsTest, FlagWinsOverEnvironment) {
  constexpr const char* kEnv = "AGENTGATE_FLAGS_TEST_PORT_ENV2";
  ScopedEnv env(kEnv, "7000");
  Flags f(Specs());
  ASSERT_TRUE(f.Parse({"--port", "9000"}).ok());
  EXPECT_EQ(f.Get("port", kEnv, "8080"), "9000");
}

TEST(FlagsTest, EnvOr) {
  constexpr const char* kEnv = "AGENTGATE_FLAGS_TEST_ENVOR";
  ::unsetenv(kEnv);
  EXPECT_EQ(EnvOr(kEnv, "def"), "def");
  {
    ScopedEnv env(kEnv, "set");
    EXPECT_EQ(EnvOr(kEnv, "def"), "set");
  }
  {
    ScopedEnv env(kEnv, "");
    EXPECT_EQ(EnvOr(kEnv, "def"), "def");
  }
}

TEST(FlagsTest, UsageListsEveryFlagWithValueNameAndHelp) {
  Flags f(Specs());
  std::string usage = f.Usage();
  EXPECT_THAT(usage, HasSubstr("--port PORT"));
  EXPECT_THAT(usage, HasSubstr("HTTP port"));
  EXPECT_THAT(usage, HasSubstr("--detach"));
  EXPECT_THAT(usage, HasSubstr("run in background"));
  // One line per flag, help texts aligned in one column.
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < usage.size()) {
    size_t nl = usage.find('\n', start);
    ASSERT_NE(nl, std::string::npos);
    lines.push_back(usage.substr(start, nl - start));
    start = nl + 1;
  }
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].find("HTTP port"), lines[2].find("run in background"));
  EXPECT_EQ(lines[1].find("a model"), lines[3].find("more output"));
  for (const auto& l : lines) EXPECT_EQ(l.rfind("  --", 0), 0u) << l;
}

TEST(ParseDurationTest, WholeNumbersWithAUnit) {
  using std::chrono::milliseconds;
  EXPECT_EQ(ParseDuration("0"), milliseconds(0));
  EXPECT_EQ(ParseDuration("90s"), milliseconds(90'000));
  EXPECT_EQ(ParseDuration("30m"), milliseconds(1'800'000));
  EXPECT_EQ(ParseDuration("6h"), milliseconds(21'600'000));
  EXPECT_EQ(ParseDuration("1d"), milliseconds(86'400'000));
  EXPECT_EQ(ParseDuration("0m"), milliseconds(0));
  for (const char* bad : {"", "30", "m", "-5m", "1.5h", "5 m", "5ms", "10x", "9999999999h"}) {
    EXPECT_EQ(ParseDuration(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace agentgate
