#include "services/common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace agentgate {
namespace {

// Constant after InitLogging (called before any thread starts).
char g_service[32] = "agentgate";
std::atomic<int> g_min_level{static_cast<int>(LogLevel::kInfo)};

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
      return true;
  }
  return false;
}

void AppendValue(std::string& out, std::string_view v) {
  if (!NeedsQuotes(v)) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out.append(buf);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

}  // namespace

void InitLogging(std::string_view service, LogLevel min_level) {
  size_t n = std::min(service.size(), sizeof(g_service) - 1);
  service.copy(g_service, n);
  g_service[n] = '\0';
  g_min_level.store(static_cast<int>(min_level));
}

LogLevel ParseLogLevel(std::string_view s) {
  if (s == "debug") return LogLevel::kDebug;
  if (s == "warn") return LogLevel::kWarn;
  if (s == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

LogLine::LogLine(LogLevel level, std::string_view msg)
    : enabled_(static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed)) {
  if (!enabled_) return;
  line_.reserve(160);
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char ts[64];
  std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  line_.append("ts=").append(ts);
  line_.append(" level=").append(LevelName(level));
  line_.append(" svc=").append(g_service);
  line_.append(" msg=");
  AppendValue(line_, msg);
}

LogLine::~LogLine() {
  if (!enabled_) return;
  line_.push_back('\n');
  ssize_t ignored = ::write(STDERR_FILENO, line_.data(), line_.size());
  (void)ignored;
}

LogLine& LogLine::Kv(std::string_view key, std::string_view value) {
  if (!enabled_) return *this;
  line_.push_back(' ');
  line_.append(key);
  line_.push_back('=');
  AppendValue(line_, value);
  return *this;
}

LogLine& LogLine::Kv(std::string_view key, int64_t value) {
  return Kv(key, std::string_view(std::to_string(value)));
}
LogLine& LogLine::Kv(std::string_view key, uint64_t value) {
  return Kv(key, std::string_view(std::to_string(value)));
}
LogLine& LogLine::Kv(std::string_view key, bool value) {
  return Kv(key, std::string_view(value ? "true" : "false"));
}
LogLine& LogLine::Kv(std::string_view key, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", value);
  return Kv(key, std::string_view(buf));
}

}  // namespace agentgate
