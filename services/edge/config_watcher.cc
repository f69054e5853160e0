#include "services/edge/config_watcher.h"

#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/snapshot/snapshot_convert.h"

namespace agentgate::edge {

ConfigWatcher::ConfigWatcher(std::shared_ptr<grpc::Channel> channel, std::string edge_id,
                             std::function<std::string()> token,
                             std::function<void(uint64_t)> on_applied)
    : stub_(control::v1::ControlService::NewStub(channel)),
      edge_id_(std::move(edge_id)),
      token_(std::move(token)),
      on_applied_(std::move(on_applied)) {}

ConfigWatcher::~ConfigWatcher() { Stop(); }

void ConfigWatcher::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ConfigWatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (active_ != nullptr) active_->TryCancel();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ConfigWatcher::Run() {
  auto backoff = std::chrono::milliseconds(100);
  bool logged_down = false;
  for (;;) {
    grpc::ClientContext ctx;
    AddBearer(ctx, token_());
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      active_ = &ctx;
    }
    control::v1::WatchConfigRequest req;
    req.set_edge_id(edge_id_);
    if (auto cur = Current()) req.set_known_version(cur->version);
    auto reader = stub_->WatchConfig(&ctx, req);
    control::v1::ConfigSnapshot proto;
    while (reader->Read(&proto)) {
      auto snap = std::make_shared<const routing::Snapshot>(SnapshotFromProto(proto));
      uint64_t version = snap->version;
      size_t providers = snap->providers.size();
      current_.store(std::move(snap), std::memory_order_release);
      if (!connected_.exchange(true) || logged_down) {
        LogInfo("config stream connected").Kv("version", version);
        logged_down = false;
      }
      LogDebug("config applied")
          .Kv("version", version)
          .Kv("providers", static_cast<int64_t>(providers));
      backoff = std::chrono::milliseconds(100);
      if (on_applied_) on_applied_(version);
    }
    grpc::Status st = reader->Finish();
    connected_ = false;
    std::unique_lock<std::mutex> lock(mu_);
    active_ = nullptr;
    if (stopping_) return;
    if (!logged_down) {
      LogWarn("config stream lost; serving from the last snapshot")
          .Kv("error", st.error_message())
          .Kv("code", static_cast<int>(st.error_code()));
      logged_down = true;
    }
    cv_.wait_for(lock, backoff, [&] { return stopping_; });
    if (stopping_) return;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

}  // namespace agentgate::edge
