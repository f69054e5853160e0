#include "services/ctl/cli_util.h"

#include <google/protobuf/util/json_util.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>

#include "services/common/client_name.h"

namespace agentgate::ctl {

int Fail(const std::string& message) {
  std::fprintf(stderr, "agentgatectl: %s\n", message.c_str());
  return 1;
}

int Usage(const std::string& text) {
  std::fprintf(stderr, "%s", text.c_str());
  return 2;
}

std::string ToJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  o.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(m, &out, o);
  return out;
}

namespace {

// Columns a UTF-8 string takes on a terminal, taking every character as one column (masked
// keys have "…", route explain "✓").
size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], DisplayWidth(r[i]));
    }
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - DisplayWidth(r[i]) + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

std::string FormatTime(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string FormatDuration(int64_t ms) {
  if (ms < 0) return "-";
  if (ms < 1000) return std::to_string(ms) + "ms";
  if (ms < 60000) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000);
    return buf;
  }
  int64_t s = ms / 1000;
  if (s < 3600) return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
  if (s < 86400) return std::to_string(s / 3600) + "h" + std::to_string((s % 3600) / 60) + "m";
  return std::to_string(s / 86400) + "d" + std::to_string((s % 86400) / 3600) + "h";
}

std::string FormatUsd(double usd) {
  char buf[32];
  if (usd != 0 && std::fabs(usd) < 0.01) {
    std::snprintf(buf, sizeof buf, "$%.4f", usd);
  } else {
    std::snprintf(buf, sizeof buf, "$%.2f", usd);
  }
  return buf;
}

std::string AskLine(const std::string& prompt, bool hidden, std::FILE* to) {
  std::fprintf(to, "%s", prompt.c_str());
  std::fflush(to);
  termios old{};
  hidden = hidden && ::tcgetattr(STDIN_FILENO, &old) == 0;
  if (hidden) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (hidden) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(to, "\n");
  }
  return line;
}

std::string LogProvider(const admin::v1::RequestLog& log) {
  if (log.provider().empty()) return "-";
  // The official account that answered: the last attempt, when it was at this provider.
  if (log.tried_size() > 0) {
    const auto& last = log.tried(log.tried_size() - 1);
    if (!last.account().empty() && last.provider() == log.provider()) {
      return log.provider() + "[" + last.account() + "]";
    }
  }
  return log.provider();
}

std::string FormatTried(const admin::v1::RequestLog& log) {
  if (log.tried_size() < 2) return "";
  std::string out;
  for (const auto& a : log.tried()) {
    if (!out.empty()) out += " → ";
    out += a.provider().empty() ? "?" : a.provider();
    if (!a.account().empty()) out += "[" + a.account() + "]";
    out += ':';
    // A stream cut after its 200 head: the cut is what happened.
    out += a.outcome() == "stream_cut" ? std::string("cut")
           : a.status() > 0            ? std::to_string(a.status())
                                       : (a.outcome().empty() ? "?" : a.outcome());
    if (a.continued()) out += " (continued)";
  }
  return out;
}

namespace {

constexpr char kEventColumns[] = "%-12s  %-8s  %-6s  %-24s  %-12s  %-6s  %-8s  %-6s  %s";

// "10:04:05.123", local time.
std::string ClockTime(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

std::string EventRow(const std::string& time, const std::string& kind, const std::string& client,
                     const std::string& model, const std::string& provider,
                     const std::string& status, const std::string& cost, const std::string& active,
                     const std::string& detail) {
  char buf[2048];
  std::snprintf(buf, sizeof buf, kEventColumns, time.c_str(), kind.c_str(), client.c_str(),
                model.c_str(), provider.c_str(), status.c_str(), cost.c_str(), active.c_str(),
                detail.c_str());
  std::string line = buf;
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace

std::string EventHeader() {
  return EventRow("TIME", "KIND", "CLIENT", "MODEL", "PROVIDER", "STATUS", "COST", "ACTIVE",
                  "DETAIL");
}

std::string FormatEvent(const admin::v1::Event& e) {
  const bool finished = e.kind() == admin::v1::EVENT_KIND_REQUEST_FINISHED;
  std::string cost = "-";
  if (e.has_cost_usd()) {
    cost = FormatUsd(e.cost_usd());
  } else if (finished && (e.input_tokens() > 0 || e.output_tokens() > 0)) {
    cost = "unknown";
  }
  std::string detail;
  switch (e.kind()) {
    case admin::v1::EVENT_KIND_HELLO:
      detail = "config v";
      detail += std::to_string(e.config_version());
      break;
    case admin::v1::EVENT_KIND_REQUEST_FINISHED:
      detail = FormatDuration(e.latency_ms());
      if (e.input_tokens() > 0 || e.output_tokens() > 0) {
        detail += "  ";
        detail += std::to_string(e.input_tokens());
        detail += "/";
        detail += std::to_string(e.output_tokens());
        detail += " tokens";
      }
      if (!e.error().empty()) {
        detail += "  ";
        detail += e.error();
      }
      break;
    case admin::v1::EVENT_KIND_CONFIG_CHANGED:
      detail = "v";
      detail += std::to_string(e.config_version());
      if (!e.detail().empty()) {
        detail += "  ";
        detail += e.detail();
      }
      break;
    default:
      detail = !e.detail().empty() ? e.detail() : e.error();
      break;
  }
  const bool request = finished || e.kind() == admin::v1::EVENT_KIND_REQUEST_STARTED;
  return EventRow(ClockTime(e.at_ms()), std::string(EventKindName(e.kind())),
                  request ? OrDash(e.client()) : "-", request ? OrDash(e.model()) : "-",
                  OrDash(e.provider()), e.status() > 0 ? std::to_string(e.status()) : "-", cost,
                  std::to_string(e.active_requests()), detail);
}

bool ParseInt(const std::string& s, int64_t* out) {
  try {
    size_t pos = 0;
    *out = std::stoll(s, &pos);
    return pos == s.size();
  } catch (...) {
    return false;
  }
}

}  // namespace agentgate::ctl
