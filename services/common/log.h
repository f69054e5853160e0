// Structured key=value logging to stderr.
//
//   LogInfo("listening").Kv("addr", addr);
//
// The line is written when the temporary is destroyed, in one write(2), so lines from
// different threads never interleave. Thread-safe. Never pass a key, a token or a prompt.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace agentgate {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Sets the service name printed as svc= and the minimum level. Call once at start.
void InitLogging(std::string_view service, LogLevel min_level = LogLevel::kInfo);
// Parses "debug", "info", "warn", "error"; anything else is kInfo.
LogLevel ParseLogLevel(std::string_view s);

class LogLine {
 public:
  LogLine(LogLevel level, std::string_view msg);
  ~LogLine();
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;

  LogLine& Kv(std::string_view key, std::string_view value);
  LogLine& Kv(std::string_view key, const char* value) { return Kv(key, std::string_view(value)); }
  LogLine& Kv(std::string_view key, const std::string& value) {
    return Kv(key, std::string_view(value));
  }
  LogLine& Kv(std::string_view key, int64_t value);
  LogLine& Kv(std::string_view key, int value) { return Kv(key, static_cast<int64_t>(value)); }
  LogLine& Kv(std::string_view key, uint64_t value);
  LogLine& Kv(std::string_view key, bool value);
  LogLine& Kv(std::string_view key, double value);

 private:
  bool enabled_;
  std::string line_;
};

inline LogLine LogDebug(std::string_view msg) { return LogLine(LogLevel::kDebug, msg); }
inline LogLine LogInfo(std::string_view msg) { return LogLine(LogLevel::kInfo, msg); }
inline LogLine LogWarn(std::string_view msg) { return LogLine(LogLevel::kWarn, msg); }
inline LogLine LogError(std::string_view msg) { return LogLine(LogLevel::kError, msg); }

}  // namespace agentgate
