// $AGENTGATE_HOME/run/stack.json: what `agentgatectl up` started — the supervisor's pid and each
// service's address and pid — so `down`, `status` and every admin command find the stack.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace agentgate::ctl {

struct StackService {
  std::string address;
  int pid = 0;
};

struct StackFile {
  int supervisor_pid = 0;
  int64_t started_at_ms = 0;
  std::string home;
  std::map<std::string, StackService> services;  // edge, router, probe, stats

  std::string GatewayUrl() const;  // "http://127.0.0.1:9090"
  std::string ToJson() const;
  static absl::StatusOr<StackFile> FromJson(const std::string& text);
};

std::string StackFilePath(const std::string& home);
// NotFound when there is no file.
absl::StatusOr<StackFile> ReadStackFile(const std::string& home);
absl::Status WriteStackFile(const std::string& home, const StackFile& f);
bool ProcessAlive(int pid);

}  // namespace agentgate::ctl
