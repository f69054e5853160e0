#include "services/common/local_time.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <regex>
#include <string>

#include "services/common/clock.h"

namespace agentgate {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Sets TZ for one test and puts the old value back.
class LocalTimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv("TZ");
    had_tz_ = old != nullptr;
    if (had_tz_) old_tz_ = old;
  }
  void TearDown() override {
    if (had_tz_) {
      setenv("TZ", old_tz_.c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  static void Zone(const char* tz) {
    setenv("TZ", tz, 1);
    tzset();
  }

 private:
  bool had_tz_ = false;
  std::string old_tz_;
};

TEST_F(LocalTimeTest, OffsetFollowsTheZone) {
  Zone("UTC0");
  EXPECT_EQ(LocalUtcOffsetMinutes(), 0);
  Zone("CST-8");  // POSIX spelling of UTC+8, no DST
  EXPECT_EQ(LocalUtcOffsetMinutes(), 480);
  Zone("XYZ+5:30");
  EXPECT_EQ(LocalUtcOffsetMinutes(), -330);
}

TEST_F(LocalTimeTest, MidnightIsTheStartOfTheLocalDay) {
  Zone("UTC0");
  int64_t now = NowMs();
  int64_t midnight = LocalMidnightMs();
  EXPECT_EQ(midnight % 86400000, 0);
  EXPECT_LE(midnight, now);
  EXPECT_GT(midnight, now - 86400000);

  Zone("CST-8");
  midnight = LocalMidnightMs();
  // 00:00 at UTC+8 is 16:00 UTC of the day before.
  EXPECT_EQ((midnight + 8 * 3600000) % 86400000, 0);
  EXPECT_LE(midnight, now);
  EXPECT_GT(midnight, now - 86400000);
}

TEST_F(LocalTimeTest, DateIsIsoAndLocal) {
  Zone("UTC0");
  std::string date = LocalDate();
  EXPECT_TRUE(std::regex_match(date, std::regex(R"(\d{4}-\d{2}-\d{2})"))) << date;
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  EXPECT_EQ(date, buf);
}

}  // namespace
}  // namespace agentgate
