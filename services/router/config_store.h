// The router's configuration store: providers in $AGENTGATE_HOME/config.db (SQLite, WAL,
// migrations by user_version), API keys sealed with AES-256-GCM under the master key, and a
// persistent config version that every change bumps.
//
// Validation happens here, so every writer (admin API, first-start bootstrap) gets the same
// rules and messages. Thread-safe: one mutex around the connection.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agentgate/admin/v1/admin.pb.h"
#include "agentgate/control/v1/control.pb.h"
#include "services/store/secret_box.h"
#include "services/store/sqlite.h"

namespace agentgate::router {

class ConfigStore {
 public:
  static absl::StatusOr<std::unique_ptr<ConfigStore>> Open(const std::string& path,
                                                           store::SecretBox box);

  // Fills what the type's preset gives (base URL, protocol, default model), validates and
  // stores. New providers go to the end of the chain. AlreadyExists, InvalidArgument.
  absl::StatusOr<admin::v1::Provider> CreateProvider(admin::v1::Provider p,
                                                     const std::string& api_key);
  absl::StatusOr<admin::v1::Provider> GetProvider(const std::string& name);
  absl::StatusOr<std::vector<admin::v1::Provider>> ListProviders();
  absl::StatusOr<admin::v1::Provider> UpdateProvider(const admin::v1::UpdateProviderRequest& req);
  absl::Status DeleteProvider(const std::string& name);

  // Providers with decrypted keys, in chain order, for the edges' snapshot.
  absl::StatusOr<std::vector<control::v1::ProviderConfig>> ProvidersForSnapshot();

  // The persistent config version (bumped by every change above and by BumpVersion).
  uint64_t version();
  absl::StatusOr<uint64_t> BumpVersion();

  absl::StatusOr<std::string> IntegrityCheck();

 private:
  ConfigStore(std::unique_ptr<store::Database> db, store::SecretBox box)
      : db_(std::move(db)), box_(std::move(box)) {}
  absl::StatusOr<admin::v1::Provider> GetLocked(const std::string& name);
  absl::Status BumpLocked();

  std::mutex mu_;
  std::unique_ptr<store::Database> db_;  // guarded by mu_
  const store::SecretBox box_;
  uint64_t version_ = 0;  // guarded by mu_
};

}  // namespace agentgate::router
