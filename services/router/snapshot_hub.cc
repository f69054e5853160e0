#include "services/router/snapshot_hub.h"

#include <algorithm>

#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/routing/planner.h"

namespace agentgate::router {
namespace {

// Health changes are published at most this often.
constexpr auto kHealthPublishEvery = std::chrono::milliseconds(200);

void AddMissing(const std::vector<std::string>& words,
                google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const auto& w : words) {
    if (std::find(out->begin(), out->end(), w) == out->end()) out->Add(std::string(w));
  }
}

}  // namespace

admin::v1::RouteProfile RouteForSnapshot(admin::v1::RouteProfile r) {
  auto* rules = r.mutable_rules();
  rules->erase(std::remove_if(rules->begin(), rules->end(),
                              [](const admin::v1::RouteRule& rule) { return rule.disabled(); }),
               rules->end());
  for (auto& rule : *rules) {
    auto scene = routing::SceneCondition(rule.scene());
    if (!scene) continue;
    admin::v1::RouteCondition* w = rule.mutable_when();
    w->set_min_input_tokens(std::max(w->min_input_tokens(), scene->min_input_tokens));
    w->set_has_images(w->has_images() || scene->has_images);
    w->set_has_tools(w->has_tools() || scene->has_tools);
    w->set_min_tools(std::max(w->min_tools(), static_cast<int32_t>(scene->min_tools)));
    w->set_thinking(w->thinking() || scene->thinking);
    AddMissing(scene->system_keywords, w->mutable_system_keywords());
    AddMissing(scene->model_keywords, w->mutable_model_keywords());
  }
  return r;
}

SnapshotHub::SnapshotHub(ConfigStore& store, LocalToken& token, HealthState& health)
    : store_(store), token_(token), health_(health) {
  publisher_ = std::thread([this] { PublishLoop(); });
}

SnapshotHub::~SnapshotHub() {
  Shutdown();
  if (publisher_.joinable()) publisher_.join();
}

void SnapshotHub::SetBudget(const admin::v1::Budget& b) {
  std::lock_guard<std::mutex> lock(mu_);
  budget_ = b;
}

absl::Status SnapshotHub::Rebuild() {
  // Serialised by building under the lock: versions reach watchers in order.
  std::lock_guard<std::mutex> lock(mu_);
  // The version is read first: the content is then at least as new as it.
  uint64_t version = store_.version();
  auto providers = store_.ProvidersForSnapshot();
  if (!providers.ok()) return providers.status();
  auto routes = store_.ListRoutes();
  if (!routes.ok()) return routes.status();
  auto prices = store_.ListPriceOverrides();
  if (!prices.ok()) return prices.status();
  std::vector<std::string> names;
  for (const auto& p : *providers) names.push_back(p.name());
  health_.Retain(names);
  int64_t now = NowMs();
  auto snap = std::make_shared<control::v1::ConfigSnapshot>();
  snap->set_version(version);
  snap->set_local_token(token_.Get());
  for (auto& p : *providers) {
    *p.mutable_health() = StatusFromHealth(health_.Get(p.name()), p.enabled(), nullptr, now);
    *snap->add_providers() = std::move(p);
  }
  for (auto& r : *routes) *snap->add_routes() = RouteForSnapshot(std::move(r));
  for (auto& p : *prices) *snap->add_price_overrides() = std::move(p);
  *snap->mutable_budget() = budget_;
  snap->set_built_at_ms(now);
  current_ = std::move(snap);
  cv_.notify_all();
  return absl::OkStatus();
}

void SnapshotHub::HealthChanged() {
  std::lock_guard<std::mutex> lock(pub_mu_);
  pub_pending_ = true;
  pub_cv_.notify_all();
}

absl::Status SnapshotHub::BumpAndRebuild() {
  if (auto v = store_.BumpVersion(); !v.ok()) return v.status();
  return Rebuild();
}

void SnapshotHub::PublishLoop() {
  auto last = std::chrono::steady_clock::time_point();
  std::unique_lock<std::mutex> lock(pub_mu_);
  for (;;) {
    pub_cv_.wait(lock, [&] { return pub_stop_ || pub_pending_; });
    if (pub_stop_) return;
    // Changes that come while waiting out the interval go into the same snapshot.
    if (pub_cv_.wait_until(lock, last + kHealthPublishEvery, [&] { return pub_stop_; })) return;
    pub_pending_ = false;
    lock.unlock();
    if (auto st = BumpAndRebuild(); !st.ok()) {
      LogWarn("cannot publish provider health").Kv("error", Message(st));
    }
    last = std::chrono::steady_clock::now();
    lock.lock();
  }
}

std::shared_ptr<const control::v1::ConfigSnapshot> SnapshotHub::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
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
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutdown_ = true;
    cv_.notify_all();
  }
  std::lock_guard<std::mutex> lock(pub_mu_);
  pub_stop_ = true;
  pub_cv_.notify_all();
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
