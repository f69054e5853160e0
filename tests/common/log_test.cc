#include "services/common/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace agentgate {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;

// Redirects file descriptor 2 to an anonymous temporary file until Take() is called.
class StderrCapture {
 public:
  StderrCapture() {
    std::fflush(stderr);
    file_ = std::tmpfile();
    saved_ = ::dup(STDERR_FILENO);
    if (file_ != nullptr && saved_ >= 0) ::dup2(::fileno(file_), STDERR_FILENO);
  }
  ~StderrCapture() { Restore(); }

  bool ok() const { return file_ != nullptr && saved_ >= 0; }

  std::string Take() {
    Restore();
    std::string out;
    if (file_ == nullptr) return out;
    int fd = ::fileno(file_);
    ::lseek(fd, 0, SEEK_SET);
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
  }

 private:
  void Restore() {
    if (saved_ >= 0) {
      ::dup2(saved_, STDERR_FILENO);
      ::close(saved_);
      saved_ = -1;
    }
  }
  std::FILE* file_ = nullptr;
  int saved_ = -1;
};

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override { InitLogging("logtest", LogLevel::kDebug); }
  void TearDown() override { InitLogging("agentgate", LogLevel::kInfo); }
};

TEST_F(LogTest, LineFormat) {
  StderrCapture cap;
  ASSERT_TRUE(cap.ok());
  LogInfo("listening").Kv("addr", "127.0.0.1:9090");
  std::string out = cap.Take();
  static const std::regex kLine(
      R"(ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=info svc=logtest msg=listening )"
      R"(addr=127\.0\.0\.1:9090\n)");
  EXPECT_TRUE(std::regex_match(out, kLine)) << out;
}

TEST_F(LogTest, MessageWithSpacesIsQuoted) {
  StderrCapture cap;
  ASSERT_TRUE(cap.ok());
  LogInfo("hello world");
  std::string out = cap.Take();
  EXPECT_THAT(out, HasSubstr(" msg=\"hello world\"\n"));
  EXPECT_THAT(out, EndsWith("\n"));
}

TEST_F(LogTest, PlainValuesAreNotQuoted) {
  StderrCapture cap;
  ASSERT_TRUE(cap.ok());
  LogInfo("x").Kv("key", "value").Kv("path", "/v1/chat/completions");
  std::string out = cap.Take();
  EXPECT_THAT(out, HasSubstr(" msg=x key=value path=/v1/chat/completions\n"));
}

TEST_F(LogTest, QuotesBackslashesAndNewlinesAreEscaped) {
  StderrCapture cap;
  ASSERT_TRUE(cap.ok());
  LogWarn("x").Kv("q", "say \"hi\"\nnext\\line\r\tend");
  std::string out = cap.Take();
  EXPECT_THAT(out, HasSubstr(R"( q="say \"hi\"\nnext\\line\r\tend")"));
  // The whole record stays on one line.
  EXPECT_EQ(out.find('\n'), out.size() - 1) << out;
}

TEST_F(LogTest, ControlCharactersAreHexEscaped) {
  StderrCapture cap;
  ASSERT_TRUE(cap.ok());
  LogInfo("x").Kv("c", std::string("a\x01"
                                   "b\x1f",
                                   4));
  std::string out = cap.Take();
  EXPECT_THAT(out, HasSubstr(R"( c="a\x01b\x1f")"));
}

TEST_F(LogTest, EmptyAndEqualsValuesAreQuoted) {
  StderrCapture cap;
  ASSERT_TRUE(cap.ok());
  LogInfo("x").Kv("empty", "").Kv("eq", "a=b");
  std::string out = cap.Take();
  EXPECT_THAT(out, HasSubstr(R"( empty="" eq="a=b")"));
}

TEST_F(LogTest, TypedValues) {
  StderrCapture cap;
  ASSERT_TRUE(cap.ok());
  LogInfo("x")
      .Kv("i", 42)
      .Kv("neg", -7)
      .Kv("i64", int64_t{1} << 40)
      .Kv("u64", std::numeric_limits<uint64_t>::max())
      .Kv("t", true)
      .Kv("f", false)
      .Kv("d", 1.5);
  std::string out = cap.Take();
  EXPECT_THAT(out, HasSubstr(" i=42 neg=-7 i64=1099511627776 u64=18446744073709551615 t=true "
                             "f=false d=1.500\n"));
}

TEST_F(LogTest, LevelNames) {
  StderrCapture cap;
  ASSERT_TRUE(cap.ok());
  LogDebug("a");
  LogInfo("b");
  LogWarn("c");
  LogError("d");
  std::string out = cap.Take();
  EXPECT_THAT(out, HasSubstr("level=debug svc=logtest msg=a\n"));
  EXPECT_THAT(out, HasSubstr("level=info svc=logtest msg=b\n"));
  EXPECT_THAT(out, HasSubstr("level=warn svc=logtest msg=c\n"));
  EXPECT_THAT(out, HasSubstr("level=error svc=logtest msg=d\n"));
}

TEST_F(LogTest, MinimumLevelFilters) {
  InitLogging("logtest", LogLevel::kWarn);
  StderrCapture cap;
  ASSERT_TRUE(cap.ok());
  LogDebug("no-debug").Kv("k", "v");
  LogInfo("no-info");
  LogWarn("yes-warn");
  LogError("yes-error");
  std::string out = cap.Take();
  EXPECT_EQ(out.find("no-"), std::string::npos) << out;
  EXPECT_THAT(out, HasSubstr("msg=yes-warn"));
  EXPECT_THAT(out, HasSubstr("msg=yes-error"));
}

TEST_F(LogTest, LongServiceNameIsTruncated) {
  InitLogging(std::string(100, 's'), LogLevel::kInfo);
  StderrCapture cap;
  ASSERT_TRUE(cap.ok());
  LogInfo("x");
  std::string out = cap.Take();
  EXPECT_THAT(out, HasSubstr(" svc=" + std::string(31, 's') + " msg=x\n"));
}

TEST_F(LogTest, ConcurrentLinesDoNotInterleave) {
  StderrCapture cap;
  ASSERT_TRUE(cap.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) {
        LogInfo("tick")
            .Kv("thread", t)
            .Kv("i", i)
            .Kv("pad", std::string(100, static_cast<char>('a' + t)));
      }
    });
  }
  for (auto& th : threads) th.join();
  std::string out = cap.Take();
  static const std::regex kLine(
      R"(ts=\S+ level=info svc=logtest msg=tick thread=(\d) i=\d+ pad=([a-h])\2{99})");
  size_t start = 0, lines = 0;
  while (start < out.size()) {
    size_t nl = out.find('\n', start);
    ASSERT_NE(nl, std::string::npos);
    std::string line = out.substr(start, nl - start);
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, kLine)) << line;
    EXPECT_EQ(m[2].str()[0] - 'a', m[1].str()[0] - '0') << line;
    start = nl + 1;
    ++lines;
  }
  EXPECT_EQ(lines, 8u * 200u);
}

TEST(ParseLogLevelTest, Names) {
  EXPECT_EQ(ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("info"), LogLevel::kInfo);
  EXPECT_EQ(ParseLogLevel("warn"), LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel("error"), LogLevel::kError);
  EXPECT_EQ(ParseLogLevel(""), LogLevel::kInfo);
  EXPECT_EQ(ParseLogLevel("verbose"), LogLevel::kInfo);
  EXPECT_EQ(ParseLogLevel("DEBUG"), LogLevel::kInfo);
}

}  // namespace
}  // namespace agentgate
