#include "services/ctl/stack_file.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "services/common/files.h"
#include "services/common/strings.h"

namespace agentgate::ctl {

std::string StackFile::GatewayUrl() const {
  auto it = services.find("edge");
  return it == services.end() ? "" : "http://" + it->second.address;
}

PidState StackFile::SupervisorState() const {
  return CheckPid(supervisor_pid, supervisor_start_time, boot_id);
}

PidState StackFile::ServiceState(const StackService& s) const {
  return CheckPid(s.pid, s.start_time, boot_id);
}

std::string StackFile::ToJson() const {
  boost::json::object o;
  o["supervisor_pid"] = supervisor_pid;
  o["supervisor_start_time"] = supervisor_start_time;
  o["boot_id"] = boot_id;
  o["started_at_ms"] = started_at_ms;
  o["home"] = home;
  o["gateway_url"] = GatewayUrl();
  o["token_path"] = home + "/token";
  boost::json::object svcs;
  for (const auto& [name, s] : services) {
    boost::json::object e;
    e["address"] = s.address;
    e["pid"] = s.pid;
    e["start_time"] = s.start_time;
    svcs[name] = std::move(e);
  }
  o["services"] = std::move(svcs);
  return boost::json::serialize(o) + "\n";
}

absl::StatusOr<StackFile> StackFile::FromJson(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return absl::DataLossError("stack.json is not valid JSON");
  const auto& o = v.get_object();
  StackFile f;
  auto num = [](const boost::json::value* x) -> int64_t {
    return x != nullptr && x->is_int64() ? x->get_int64() : 0;
  };
  f.supervisor_pid = static_cast<int>(num(o.if_contains("supervisor_pid")));
  f.supervisor_start_time = num(o.if_contains("supervisor_start_time"));
  if (auto* b = o.if_contains("boot_id"); b && b->is_string()) {
    f.boot_id = std::string(b->get_string());
  }
  f.started_at_ms = num(o.if_contains("started_at_ms"));
  if (auto* h = o.if_contains("home"); h && h->is_string()) f.home = std::string(h->get_string());
  if (auto* s = o.if_contains("services"); s && s->is_object()) {
    for (const auto& [name, e] : s->get_object()) {
      if (!e.is_object()) continue;
      StackService svc;
      if (auto* a = e.get_object().if_contains("address"); a && a->is_string()) {
        svc.address = std::string(a->get_string());
      }
      svc.pid = static_cast<int>(num(e.get_object().if_contains("pid")));
      svc.start_time = num(e.get_object().if_contains("start_time"));
      f.services[std::string(name)] = svc;
    }
  }
  return f;
}

std::string StackFilePath(const std::string& home) { return home + "/run/stack.json"; }

absl::StatusOr<StackFile> ReadStackFile(const std::string& home) {
  auto text = ReadFile(StackFilePath(home));
  if (!text.ok()) return text.status();
  return StackFile::FromJson(*text);
}

absl::Status WriteStackFile(const std::string& home, const StackFile& f) {
  if (auto st = EnsureDir(home + "/run"); !st.ok()) return st;
  return WriteFileAtomic(StackFilePath(home), f.ToJson(), 0644);
}

bool ProcessAlive(int pid) {
  if (pid <= 0) return false;
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

std::string PidStateText(PidState state) {
  switch (state) {
    case PidState::kRunning:
      return "running";
    case PidState::kNotRunning:
      return "not running";
    case PidState::kStale:
      return "not running (stale pid)";
    case PidState::kUnverifiable:
      return "cannot be verified";
  }
  return "unknown";
}

absl::StatusOr<std::string> BootId() {
  auto text = ReadFile("/proc/sys/kernel/random/boot_id");
  if (!text.ok()) return text.status();
  std::string id(StripSpace(*text));
  if (id.empty()) return absl::DataLossError("/proc/sys/kernel/random/boot_id is empty");
  return id;
}

absl::StatusOr<ProcessIdentity> ReadProcessIdentity(int pid) {
  if (pid <= 0) return absl::InvalidArgumentError("no pid " + std::to_string(pid));
  std::string path = "/proc/" + std::to_string(pid) + "/stat";
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  // "PID (comm) S ppid ...": comm may hold spaces and parentheses, so count fields from the last
  // ')'. Field 3 (the state) comes first there, field 22 (starttime) 19 fields later.
  size_t close = text->rfind(')');
  if (close == std::string::npos) return absl::DataLossError("cannot parse " + path);
  std::vector<std::string_view> fields;
  std::string_view rest = std::string_view(*text).substr(close + 1);
  while (!rest.empty()) {
    size_t start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    size_t end = rest.find(' ');
    fields.push_back(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  }
  if (fields.size() < 20) return absl::DataLossError("cannot parse " + path);
  ProcessIdentity id;
  id.exited = fields[0] == "Z" || fields[0] == "X";
  std::string start(fields[19]);
  char* end = nullptr;
  id.start_time = std::strtoll(start.c_str(), &end, 10);
  if (start.empty() || *end != '\0' || id.start_time <= 0) {
    return absl::DataLossError("cannot parse the start time in " + path);
  }
  auto boot = BootId();
  if (!boot.ok()) return boot.status();
  id.boot_id = std::move(*boot);
  return id;
}

PidState CheckPid(int pid, int64_t start_time, const std::string& boot_id) {
  if (pid <= 0) return PidState::kNotRunning;
  auto id = ReadProcessIdentity(pid);
  if (!id.ok()) {
    // No such process. Any other failure (no /proc) leaves it unknown.
    if (absl::IsNotFound(id.status())) return PidState::kNotRunning;
    return ProcessAlive(pid) ? PidState::kUnverifiable : PidState::kNotRunning;
  }
  if (id->exited) return PidState::kNotRunning;
  if (start_time <= 0 || boot_id.empty()) return PidState::kUnverifiable;
  if (id->boot_id != boot_id || id->start_time != start_time) return PidState::kStale;
  return PidState::kRunning;
}

bool ProcessGone(int pid, int64_t start_time, const std::string& boot_id) {
  if (pid <= 0) return true;
  auto id = ReadProcessIdentity(pid);
  if (!id.ok()) return absl::IsNotFound(id.status()) || !ProcessAlive(pid);
  return id->start_time != start_time || id->boot_id != boot_id;
}

PidState SignalIfSame(int pid, int64_t start_time, const std::string& boot_id, int sig) {
  if (pid <= 0) return PidState::kNotRunning;
  // The pidfd is taken before the check: when the check then finds the recorded process (which
  // started before this call), the pidfd refers to it, and a signal through it cannot reach a
  // process that takes the pid later.
  int pidfd = -1;
#ifdef SYS_pidfd_open
  pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#endif
  PidState state = CheckPid(pid, start_time, boot_id);
  if (state == PidState::kRunning) {
    bool sent = false;
#ifdef SYS_pidfd_send_signal
    if (pidfd >= 0) sent = ::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) == 0;
#endif
    if (!sent && pidfd < 0) ::kill(pid, sig);
  }
  if (pidfd >= 0) ::close(pidfd);
  return state;
}

}  // namespace agentgate::ctl
