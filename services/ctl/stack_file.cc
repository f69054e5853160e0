#include "services/ctl/stack_file.h"

#include <signal.h>

#include <boost/json.hpp>
#include <cerrno>

#include "services/common/files.h"

namespace agentgate::ctl {

std::string StackFile::GatewayUrl() const {
  auto it = services.find("edge");
  return it == services.end() ? "" : "http://" + it->second.address;
}

std::string StackFile::ToJson() const {
  boost::json::object o;
  o["supervisor_pid"] = supervisor_pid;
  o["started_at_ms"] = started_at_ms;
  o["home"] = home;
  o["gateway_url"] = GatewayUrl();
  o["token_path"] = home + "/token";
  boost::json::object svcs;
  for (const auto& [name, s] : services) {
    boost::json::object e;
    e["address"] = s.address;
    e["pid"] = s.pid;
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

}  // namespace agentgate::ctl
