// The router's view of provider health: one routing::HealthBoard that every edge's outcome
// reports are folded into. The snapshot carries it to the edges (ProviderConfig.health) and the
// admin API shows it (Provider.status).
//
// Thread-safe: one mutex around the board.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "agentgate/admin/v1/admin.pb.h"
#include "agentgate/control/v1/control.pb.h"
#include "services/routing/health.h"

namespace agentgate::router {

// What an outcome report comes to, in the health policy's terms.
routing::Failure FailureOf(const control::v1::Outcome& o);

// The admin API's form of a provider's health at `now_ms`. `keys_masked` lists the provider's
// keys (one KeyStatus each, by index); without it only the keys the board knows of are listed.
// A disabled provider's state is "disabled" whatever its health.
admin::v1::ProviderStatus StatusFromHealth(const routing::ProviderHealth& h, bool enabled,
                                           const std::vector<std::string>* keys_masked,
                                           int64_t now_ms);

class HealthState {
 public:
  explicit HealthState(routing::HealthPolicy policy = {}) : board_(policy) {}

  // Folds one outcome in (at its own time, or `now_ms` when it has none). True when the
  // provider's availability changed: worth a new snapshot.
  bool Record(const control::v1::Outcome& o, int64_t now_ms);
  // Back to healthy.
  void Reset(std::string_view provider);
  // Forgets the providers not in `names`.
  void Retain(const std::vector<std::string>& names);
  // A copy of the provider's health (healthy when the board has no entry).
  routing::ProviderHealth Get(std::string_view provider) const;
  // A copy of the provider's health; nullopt when the board has no entry (never failed since
  // the router started, or deleted).
  std::optional<routing::ProviderHealth> Find(std::string_view provider) const;

 private:
  mutable std::mutex mu_;
  routing::HealthBoard board_ ABSL_GUARDED_BY(mu_);
};

}  // namespace agentgate::router
