// The router's configuration store: providers and route profiles in $AGENTGATE_HOME/config.db
// (SQLite, WAL, migrations by user_version), API keys sealed with AES-256-GCM under the master
// key, and a persistent config version that every change bumps.
//
// Validation happens here, so every writer (admin API, first-start bootstrap) gets the same
// rules and messages. Thread-safe: one mutex around the connection.
//
// Route profiles: one default profile per client protocol always exists ("chat", "claude",
// "codex", "gemini" when the store makes them). A new provider is appended to every profile's
// chain; a deleted one leaves every chain, and the rules that name it go; a renamed one is
// renamed in chains and rules.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "agentgate/admin/v1/admin.pb.h"
#include "agentgate/control/v1/control.pb.h"
#include "services/accounts/codex_auth.h"
#include "services/store/secret_box.h"
#include "services/store/sqlite.h"

namespace agentgate::router {

// The name the store gives the default profile of a client protocol: chat, claude, codex, gemini.
std::string DefaultRouteName(admin::v1::ClientProtocol p);

class ConfigStore {
 public:
  static absl::StatusOr<std::unique_ptr<ConfigStore>> Open(const std::string& path,
                                                           store::SecretBox box);

  // Fills what the type's preset gives (base URL, protocol, default model), validates and
  // stores. New providers go to the end of the priority order and of every profile's chain.
  // `more_api_keys` are further keys, used round-robin with `api_key`. AlreadyExists,
  // InvalidArgument.
  absl::StatusOr<admin::v1::Provider> CreateProvider(
      admin::v1::Provider p, const std::string& api_key,
      const std::vector<std::string>& more_api_keys = {});
  absl::StatusOr<admin::v1::Provider> GetProvider(const std::string& name);
  absl::StatusOr<std::vector<admin::v1::Provider>> ListProviders();
  absl::StatusOr<admin::v1::Provider> UpdateProvider(const admin::v1::UpdateProviderRequest& req);
  absl::Status DeleteProvider(const std::string& name);
  // Keeps `result` as the provider's last_test. Not a config change: the version stays.
  // NotFound when the provider is gone.
  absl::Status SaveTestResult(const std::string& name, const admin::v1::ProviderTestResult& result);

  // Providers with every key decrypted (in rotation order), ordered by priority then name, for
  // the edges' snapshot. `health` is left for the caller.
  absl::StatusOr<std::vector<control::v1::ProviderConfig>> ProvidersForSnapshot();
  // One provider as the edges get it, with its keys (for the probe). NotFound.
  absl::StatusOr<control::v1::ProviderConfig> ProviderWithKeys(const std::string& name);

  // Route profiles, ordered by client protocol, the default first, then by name. Rules are as
  // stored: scenes are not expanded into conditions here.
  absl::StatusOr<std::vector<admin::v1::RouteProfile>> ListRoutes();
  absl::StatusOr<admin::v1::RouteProfile> GetRoute(const std::string& name);
  // AlreadyExists, InvalidArgument. is_default makes it its protocol's default.
  absl::StatusOr<admin::v1::RouteProfile> CreateRoute(admin::v1::RouteProfile r);
  // Replaces the profile of that name. NotFound, InvalidArgument; FailedPrecondition when it
  // would leave a client protocol without a default profile.
  absl::StatusOr<admin::v1::RouteProfile> UpdateRoute(admin::v1::RouteProfile r);
  // NotFound; FailedPrecondition for a protocol's default profile.
  absl::Status DeleteRoute(const std::string& name);

  // The user's model prices: overrides of built-in ones and custom models, by model id.
  absl::StatusOr<std::vector<admin::v1::ModelPrice>> ListPriceOverrides();
  // Stores (or replaces) the price of `p.model` (ids lower-cased). InvalidArgument.
  absl::StatusOr<admin::v1::ModelPrice> SetPrice(admin::v1::ModelPrice p);
  // Removes the user's price of `model` (or every one when `all`); returns how many went.
  // NotFound when there was none for `model`.
  absl::StatusOr<int> ResetPrice(const std::string& model, bool all);

  // The daily budget's limit and mode (limit 0: none; mode notify when never set).
  absl::StatusOr<admin::v1::Budget> GetBudget();
  // InvalidArgument for a negative limit or an unknown mode.
  absl::StatusOr<admin::v1::Budget> SetBudget(const admin::v1::Budget& b);

  // Official ChatGPT accounts: the keys of a provider of type "chatgpt" (the pool), tokens
  // sealed like API keys (config_store_accounts.cc). Importing an account that is there already
  // replaces its tokens and keeps its place; a missing pool is made (type "chatgpt").
  struct ImportedAccount {
    admin::v1::Account account;
    bool replaced = false;
    bool provider_created = false;
  };
  absl::StatusOr<ImportedAccount> ImportAccount(const accounts::Account& a,
                                                const std::string& provider);
  // In pool order. state/detail are left for the caller (they depend on the clock).
  absl::StatusOr<std::vector<admin::v1::Account>> ListAccounts();
  // NotFound. The accounts after it move up.
  absl::Status RemoveAccount(const std::string& id);
  // What an answer told of an account's quota; cooling_until_ms > 0 also rests it until then (a
  // spent window). Not a config change by itself: true when the account's standing (ready, low,
  // spent) changed, which the edges should hear of. NotFound when the account is gone.
  absl::StatusOr<bool> RecordAccountQuota(const std::string& id,
                                          const admin::v1::AccountQuota& quota,
                                          int64_t cooling_until_ms);
  // For the refresher: each account's refresh token (decrypted) and when its sign-in was last
  // refreshed and expires.
  struct AccountSecret {
    std::string id;
    std::string provider;  // its pool
    std::string access_token;
    int64_t quota_reported_at_ms = 0;
    std::string refresh_token;
    int64_t access_expires_at_ms = 0;
    int64_t refreshed_at_ms = 0;
    std::string relogin;
  };
  absl::StatusOr<std::vector<AccountSecret>> AccountSecrets();
  // New tokens from a refresh (an empty id or refresh token keeps the old one); clears a
  // re-login mark; the edges get the new access token. NotFound.
  absl::Status StoreRefreshedTokens(const std::string& id, const accounts::Account& tokens,
                                    int64_t now_ms);
  // Moves the account to the front of its pool (the others keep their order). NotFound.
  absl::Status UseAccount(const std::string& id);
  // The account with its current tokens (for a Codex auth.json). NotFound.
  absl::StatusOr<accounts::Account> AccountWithTokens(const std::string& id);
  // The account must sign in again (`why`); "" clears it. NotFound.
  absl::Status MarkRelogin(const std::string& id, const std::string& why);

  // MCP servers and Skills (config_store_toolbox.cc), by name; checked and normalized by
  // toolbox's rules. Not config changes: the edges do not use them, the version stays. Put
  // replaces a server or skill of that name (AlreadyExists with create_only); InvalidArgument.
  absl::StatusOr<std::vector<admin::v1::McpServer>> ListMcpServers();
  absl::StatusOr<admin::v1::McpServer> PutMcpServer(admin::v1::McpServer s, bool create_only);
  absl::Status RemoveMcpServer(const std::string& name);  // NotFound
  // Without their files' contents unless with_files.
  absl::StatusOr<std::vector<admin::v1::Skill>> ListSkills(bool with_files);
  absl::StatusOr<admin::v1::Skill> PutSkill(admin::v1::Skill s, bool create_only);
  absl::Status RemoveSkill(const std::string& name);  // NotFound

  // The persistent config version (bumped by every change above and by BumpVersion).
  uint64_t version();
  absl::StatusOr<uint64_t> BumpVersion();

  absl::StatusOr<std::string> IntegrityCheck();
  // A consistent copy of config.db at `dest` (SQLite's online backup).
  absl::Status BackupTo(const std::string& dest);
  // An account with less than this left in a window is "low": avoided while another is fresh
  // (router flag --account-low-percent, default 10).
  void SetLowLeftPercent(double percent) { low_left_percent_.store(percent); }
  double low_left_percent() const { return low_left_percent_.load(); }

  // The key backups sealed with the master key use (never the master key itself).
  std::string BackupKey() const { return box_.BackupKey(); }

 private:
  ConfigStore(std::unique_ptr<store::Database> db, store::SecretBox box)
      : db_(std::move(db)), box_(std::move(box)) {}
  absl::StatusOr<admin::v1::Provider> GetLocked(const std::string& name)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status BumpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stores `keys` as the provider's keys: #0 in api_key, the rest as one sealed JSON array.
  absl::Status WriteKeysLocked(const std::string& provider, const std::vector<std::string>& keys)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Every key of a provider, decrypted. FailedPrecondition when the master key does not fit.
  absl::StatusOr<std::vector<std::string>> ReadKeysLocked(const std::string& provider)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::vector<std::string>> ProviderNamesLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A subscription pool's keys: its accounts' access tokens, with their ids, in pool order.
  absl::Status AddAccountKeysLocked(control::v1::ProviderConfig& c)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::vector<admin::v1::Account>> ListAccountsLocked(const std::string& provider)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<std::vector<admin::v1::RouteProfile>> ListRoutesLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<admin::v1::RouteProfile> GetRouteLocked(const std::string& name)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status PutRouteLocked(const admin::v1::RouteProfile& r, bool insert)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status ValidateRouteLocked(const admin::v1::RouteProfile& r)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Creates the default profile of every client protocol that has none. Sets *changed.
  absl::Status EnsureDefaultRoutesLocked(bool* changed) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::mutex mu_;
  std::unique_ptr<store::Database> db_ ABSL_GUARDED_BY(mu_);
  std::atomic<double> low_left_percent_{10};
  const store::SecretBox box_;
  uint64_t version_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace agentgate::router
