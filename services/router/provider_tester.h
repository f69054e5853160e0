// Connection tests of providers, through the probe service, and what the router keeps of them.
//
// A test runs on demand (the admin API's TestProvider, waited for) or by itself: when a
// provider is created or its connection settings change (Enqueue), and every `every` when set.
// Automatic tests run one at a time on a thread of their own, never on an RPC thread; a
// provider queued twice is tested once. Each result is stored as the provider's last_test; a
// definite vision or prompt-cache answer is stored with the provider, and a new snapshot is
// published so routing uses it.
//
// Automatic tests check vision and prompt caching only while they are unknown, and fetch the
// model list when the provider was created or changed. A test that could not reach the probe
// service is logged and not stored (the last real result stays).
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "agentgate/admin/v1/admin.pb.h"
#include "agentgate/probe/v1/probe.grpc.pb.h"
#include "services/router/config_store.h"
#include "services/router/local_token.h"
#include "services/router/snapshot_hub.h"

namespace agentgate::router {

// Whether an update changes how the provider is reached (URL, keys, protocol, endpoints,
// headers, model, timeout) or turns it on: then it is tested again.
bool NeedsRetest(const admin::v1::UpdateProviderRequest& req);

class ProviderTester {
 public:
  struct Options {
    std::string probe_address;
    bool automatic = true;               // test on create and on connection changes
    std::chrono::milliseconds every{0};  // 0: no scheduled tests
  };
  // `token`: the client key the gateway step sends through the edge; `service_cred`: what the
  // calls to the probe carry.
  ProviderTester(ConfigStore& store, SnapshotHub& hub, LocalToken& token,
                 const LocalToken& service_cred, Options opts);
  ~ProviderTester();  // Stop()

  // Starts the worker (automatic and scheduled tests).
  void Start();
  // Cancels a test in flight and ends the worker; later Enqueues are dropped.
  void Stop();

  struct Outcome {
    admin::v1::ProviderTestResult result;
    bool capabilities_changed = false;  // a new snapshot is due
  };
  // Tests `name` now and stores the result. NotFound; UNAVAILABLE-like errors when the probe
  // service cannot be reached (as a status: the caller turns it into its own error).
  absl::StatusOr<Outcome> Run(const std::string& name, const admin::v1::TestProviderRequest& what,
                              const std::string& trigger);

  // Queues an automatic test (nothing when automatic tests are off).
  void Enqueue(const std::string& name, const std::string& trigger);
  // True while an automatic test of `name` is queued or running.
  bool Pending(const std::string& name) const;

 private:
  void Loop();
  // The checks an automatic test makes of a provider as it is now.
  admin::v1::TestProviderRequest AutomaticChecks(const admin::v1::Provider& p,
                                                 const std::string& trigger) const;

  ConfigStore& store_;
  SnapshotHub& hub_;
  LocalToken& token_;
  const LocalToken& service_cred_;
  const Options opts_;
  std::unique_ptr<probe::v1::ProbeService::Stub> probe_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, std::string>> queue_ ABSL_GUARDED_BY(mu_);  // (name, trigger)
  std::set<std::string> pending_ ABSL_GUARDED_BY(mu_);                          // queued or running
  std::set<grpc::ClientContext*> in_flight_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread worker_;
};

}  // namespace agentgate::router
