#include "services/common/local_time.h"

#include <ctime>

namespace agentgate {
namespace {

std::tm LocalNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return tm;
}

}  // namespace

int32_t LocalUtcOffsetMinutes() { return static_cast<int32_t>(LocalNow().tm_gmtoff / 60); }

std::string LocalDate() {
  std::tm tm = LocalNow();
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

int64_t LocalMidnightMs() {
  std::tm tm = LocalNow();
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return static_cast<int64_t>(std::mktime(&tm)) * 1000;
}

}  // namespace agentgate
