// Signing official accounts in from the gateway, as Codex does: the logins under way (the PKCE
// verifier and state of a browser login, the code of a device login), each step posted to the
// auth server through the probe. The verifier never leaves the router; the browser comes back to
// the machine of whoever started the login (agentgatectl or the desktop app listens there) and
// that caller hands the answer to Finish.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "agentgate/admin/v1/admin.pb.h"
#include "agentgate/probe/v1/probe.pb.h"
#include "services/accounts/codex_auth.h"
#include "services/accounts/login.h"

namespace agentgate::router {

class AccountLogins {
 public:
  // Posts one step to the auth server (AccountRefresher::CallAuthServer).
  using AuthCall = std::function<absl::StatusOr<probe::v1::RefreshAccountResponse>(
      probe::v1::AuthStep, std::string body)>;
  struct Options {
    std::string issuer = "https://auth.openai.com";
    int64_t ttl_ms = accounts::kLoginTtlMs;
    size_t max_pending = 16;  // the oldest login gives way
  };
  AccountLogins(Options opts, AuthCall call);

  // InvalidArgument for a redirect that is not a local callback; device: the auth server's
  // refusal (NotFound when it has no device login, Unavailable when it could not be asked).
  absl::StatusOr<admin::v1::AccountLogin> Start(const admin::v1::StartAccountLoginRequest& req,
                                                int64_t now_ms);

  struct Finished {
    bool pending = false;  // device: not entered yet (asked no more often than its interval)
    accounts::Account account;
    std::string provider;  // the pool the login was started for
  };
  // NotFound: no such login (or it expired); InvalidArgument: the answer is not this login's
  // (state mismatch) or not an answer; PermissionDenied: the auth server refused the sign-in;
  // Unavailable: it could not be asked. A browser login is used up by an answer with its
  // state, whatever the exchange gives (its code works once).
  absl::StatusOr<Finished> Finish(const admin::v1::FinishAccountLoginRequest& req, int64_t now_ms);

  size_t PendingForTest() const;

 private:
  struct Pending {
    bool device = false;
    std::string provider;
    int64_t started_ms = 0;
    int64_t expires_at_ms = 0;
    // Browser.
    std::string verifier, state, redirect_uri;
    // Device.
    std::string device_auth_id, user_code;
    int interval_s = 5;
    int64_t next_poll_ms = 0;
    bool polling = false;
  };
  void SweepLocked(int64_t now_ms) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);  // the expired go
  void MakeRoomLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);  // the oldest gives way to a new one
  absl::StatusOr<accounts::Account> Exchange(std::string_view code, std::string_view redirect_uri,
                                             std::string_view verifier, int64_t now_ms);

  const Options opts_;
  const AuthCall call_;
  mutable std::mutex mu_;
  std::map<std::string, Pending> pending_ ABSL_GUARDED_BY(mu_);
};

}  // namespace agentgate::router
