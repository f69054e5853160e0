// Keeps official ChatGPT accounts signed in: refreshes an account's tokens through the probe
// (the router makes no outbound calls itself) when its access token expires within 5 minutes
// or its sign-in is 8 days old, as Codex does; stores the rotated tokens sealed and publishes
// them to the edges. A refresh token the auth server refuses (spent, expired, revoked) marks the
// account for re-login. One refresh at a time, so never two for one account.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "agentgate/probe/v1/probe.grpc.pb.h"
#include "services/router/config_store.h"
#include "services/router/event_hub.h"
#include "services/router/local_token.h"
#include "services/router/snapshot_hub.h"

namespace agentgate::router {

class AccountRefresher {
 public:
  struct Options {
    std::string probe_address;
    std::string issuer = "https://auth.openai.com";  // its /oauth/token
    std::chrono::milliseconds every{60000};          // how often expiries are checked
    // An account whose quota no answer told for this long is asked at the usage endpoint
    // (0: never).
    std::chrono::milliseconds quota_every{5 * 60 * 1000};
  };
  AccountRefresher(ConfigStore& store, SnapshotHub& hub, LocalToken& token, EventHub& events,
                   Options opts);
  ~AccountRefresher();  // Stop()

  void Start();
  void Stop();

  // Refreshes `id` now, whatever its expiry. NotFound; FailedPrecondition when it must sign in
  // again; Unavailable when the auth server or the probe could not be reached.
  absl::Status RefreshNow(const std::string& id);

  const std::string& issuer() const { return opts_.issuer; }

  // One sign-in step POSTed to the issuer through the probe: the answer as it came.
  // Unavailable when the probe could not be asked.
  absl::StatusOr<probe::v1::RefreshAccountResponse> CallAuthServer(probe::v1::AuthStep step,
                                                                   std::string body);

 private:
  void Loop();
  // One refresh; the caller holds refresh_mu_.
  absl::Status Refresh(const ConfigStore::AccountSecret& s);
  // Asks the usage endpoint for the account's quota and records it.
  absl::Status PollQuota(const ConfigStore::AccountSecret& s);
  // A probe call, cancelled by Stop().
  grpc::Status ProbeCall(const std::function<grpc::Status(grpc::ClientContext*)>& call);

  ConfigStore& store_;
  SnapshotHub& hub_;
  LocalToken& token_;
  EventHub& events_;  // an account's news when the usage endpoint changed its standing
  const Options opts_;
  std::unique_ptr<probe::v1::ProbeService::Stub> probe_;

  std::mutex refresh_mu_;  // one refresh at a time
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::set<grpc::ClientContext*> in_flight_;  // the probe calls Stop cancels (loop, admin)
  std::map<std::string, int64_t> polled_at_;  // the loop's own: when each quota was last asked
  std::thread worker_;
};

}  // namespace agentgate::router
