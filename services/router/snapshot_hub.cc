#include "services/router/snapshot_hub.h"

namespace agentgate::router {

absl::Status SnapshotHub::Rebuild() {
  // Serialised by building under the lock: versions reach watchers in order.
  std::lock_guard<std::mutex> lock(mu_);
  auto providers = store_.ProvidersForSnapshot();
  if (!providers.ok()) return providers.status();
  auto snap = std::make_shared<control::v1::ConfigSnapshot>();
  snap->set_version(store_.version());
  snap->set_local_token(token_.Get());
  for (auto& p : *providers) *snap->add_providers() = std::move(p);
  current_ = std::move(snap);
  cv_.notify_all();
  return absl::OkStatus();
}

std::shared_ptr<const control::v1::ConfigSnapshot> SnapshotHub::WaitNewer(
    uint64_t known, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, timeout,
               [&] { return shutdown_ || (current_ && current_->version() > known); });
  if (shutdown_ || !current_ || current_->version() <= known) return nullptr;
  return current_;
}

uint64_t SnapshotHub::version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_ ? current_->version() : 0;
}

void SnapshotHub::Shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  shutdown_ = true;
  cv_.notify_all();
}

bool SnapshotHub::shutting_down() const {
  std::lock_guard<std::mutex> lock(mu_);
  return shutdown_;
}

void SnapshotHub::RecordHeartbeat(const control::v1::EdgeHeartbeat& hb) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& e = edges_[hb.info().address() + "/" + std::to_string(hb.info().pid())];
  e.heartbeat = hb;
  e.last_seen = std::chrono::steady_clock::now();
  cv_.notify_all();
}

std::vector<SnapshotHub::EdgeState> SnapshotHub::Edges() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<EdgeState> out;
  auto now = std::chrono::steady_clock::now();
  for (const auto& [id, e] : edges_) {
    if (now - e.last_seen < std::chrono::minutes(1)) out.push_back(e);
  }
  return out;
}

bool SnapshotHub::WaitEdgesApplied(uint64_t version, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] {
    if (shutdown_) return true;
    auto now = std::chrono::steady_clock::now();
    for (const auto& [id, e] : edges_) {
      if (now - e.last_seen > std::chrono::seconds(10)) continue;
      if (e.heartbeat.info().config_version() < version) return false;
    }
    return true;
  });
}

}  // namespace agentgate::router
