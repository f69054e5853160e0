// AdminService: the public admin API (providers and their health, route profiles, token, stack
// status, request logs, live events).
// Every RPC checks the local token first. Changes are written to the store, turned into a new
// snapshot (announced as CONFIG_CHANGED on the event hub), and the RPC returns once the
// connected edges applied it (or after 2 s), so a client that changes something and then sends
// a request sees the change. WatchEvents holds one server thread per subscriber while it
// streams.
#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "agentgate/admin/v1/admin.grpc.pb.h"
#include "agentgate/probe/v1/probe.grpc.pb.h"
#include "agentgate/stats/v1/stats.grpc.pb.h"
#include "services/router/account_logins.h"
#include "services/router/account_refresher.h"
#include "services/router/backups.h"
#include "services/router/budget_watcher.h"
#include "services/router/config_store.h"
#include "services/router/event_hub.h"
#include "services/router/health_events.h"
#include "services/router/health_state.h"
#include "services/router/local_token.h"
#include "services/router/provider_tester.h"
#include "services/router/snapshot_hub.h"

namespace agentgate::router {

class AdminServiceImpl final : public admin::v1::AdminService::Service {
 public:
  struct Peers {
    std::string stats_address;
    std::string probe_address;
    std::string home;  // $AGENTGATE_HOME, for the self-check's file checks
  };
  // `token`: the owner's client key (GetToken, RotateToken); `admin_token`: the admin
  // credential, the only key this API takes (a client key is refused with PERMISSION_DENIED).
  AdminServiceImpl(ConfigStore& store, SnapshotHub& hub, LocalToken& token,
                   const LocalToken& admin_token, const LocalToken& service_cred,
                   HealthState& health, ProviderTester& tester, BudgetWatcher& budget,
                   EventHub& events, HealthEvents& health_events, AccountRefresher& refresher,
                   Backups& backups, Peers peers, admin::v1::ServiceInfo self);
  void SetAddress(const std::string& address);

  grpc::Status CreateProvider(grpc::ServerContext* ctx, const admin::v1::CreateProviderRequest* req,
                              admin::v1::Provider* resp) override;
  grpc::Status GetProvider(grpc::ServerContext* ctx, const admin::v1::GetProviderRequest* req,
                           admin::v1::Provider* resp) override;
  grpc::Status ListProviders(grpc::ServerContext* ctx, const admin::v1::ListProvidersRequest* req,
                             admin::v1::ListProvidersResponse* resp) override;
  grpc::Status UpdateProvider(grpc::ServerContext* ctx, const admin::v1::UpdateProviderRequest* req,
                              admin::v1::Provider* resp) override;
  grpc::Status DeleteProvider(grpc::ServerContext* ctx, const admin::v1::DeleteProviderRequest* req,
                              admin::v1::DeleteProviderResponse* resp) override;
  grpc::Status ListRoutes(grpc::ServerContext* ctx, const admin::v1::ListRoutesRequest* req,
                          admin::v1::ListRoutesResponse* resp) override;
  grpc::Status GetRoute(grpc::ServerContext* ctx, const admin::v1::GetRouteRequest* req,
                        admin::v1::RouteProfile* resp) override;
  grpc::Status CreateRoute(grpc::ServerContext* ctx, const admin::v1::RouteProfile* req,
                           admin::v1::RouteProfile* resp) override;
  grpc::Status UpdateRoute(grpc::ServerContext* ctx, const admin::v1::RouteProfile* req,
                           admin::v1::RouteProfile* resp) override;
  grpc::Status DeleteRoute(grpc::ServerContext* ctx, const admin::v1::DeleteRouteRequest* req,
                           admin::v1::DeleteRouteResponse* resp) override;
  grpc::Status ExplainRoute(grpc::ServerContext* ctx, const admin::v1::ExplainRouteRequest* req,
                            admin::v1::RouteExplanation* resp) override;
  grpc::Status ResetProviderHealth(grpc::ServerContext* ctx,
                                   const admin::v1::ResetProviderHealthRequest* req,
                                   admin::v1::Provider* resp) override;
  grpc::Status TestProvider(grpc::ServerContext* ctx, const admin::v1::TestProviderRequest* req,
                            admin::v1::ProviderTestResult* resp) override;
  grpc::Status ListProviderModels(grpc::ServerContext* ctx,
                                  const admin::v1::ListProviderModelsRequest* req,
                                  admin::v1::ListProviderModelsResponse* resp) override;
  grpc::Status GetToken(grpc::ServerContext* ctx, const admin::v1::GetTokenRequest* req,
                        admin::v1::TokenInfo* resp) override;
  grpc::Status RotateToken(grpc::ServerContext* ctx, const admin::v1::RotateTokenRequest* req,
                           admin::v1::TokenInfo* resp) override;
  grpc::Status GetStackStatus(grpc::ServerContext* ctx, const admin::v1::GetStackStatusRequest* req,
                              admin::v1::StackStatus* resp) override;
  // HELLO, then every event of the hub until the client cancels or the router stops.
  grpc::Status WatchEvents(grpc::ServerContext* ctx, const admin::v1::WatchEventsRequest* req,
                           grpc::ServerWriter<admin::v1::Event>* writer) override;
  grpc::Status ListRequestLogs(grpc::ServerContext* ctx,
                               const admin::v1::ListRequestLogsRequest* req,
                               admin::v1::ListRequestLogsResponse* resp) override;
  grpc::Status GetStats(grpc::ServerContext* ctx, const admin::v1::GetStatsRequest* req,
                        admin::v1::StatsSummary* resp) override;
  grpc::Status PruneStats(grpc::ServerContext* ctx, const admin::v1::PruneStatsRequest* req,
                          admin::v1::PruneStatsResponse* resp) override;
  grpc::Status ListPrices(grpc::ServerContext* ctx, const admin::v1::ListPricesRequest* req,
                          admin::v1::ListPricesResponse* resp) override;
  grpc::Status SetPrice(grpc::ServerContext* ctx, const admin::v1::ModelPrice* req,
                        admin::v1::ModelPrice* resp) override;
  grpc::Status ResetPrice(grpc::ServerContext* ctx, const admin::v1::ResetPriceRequest* req,
                          admin::v1::ResetPriceResponse* resp) override;
  grpc::Status GetBudget(grpc::ServerContext* ctx, const admin::v1::GetBudgetRequest* req,
                         admin::v1::Budget* resp) override;
  grpc::Status SetBudget(grpc::ServerContext* ctx, const admin::v1::Budget* req,
                         admin::v1::Budget* resp) override;
  // In admin_accounts.cc.
  grpc::Status ImportAccount(grpc::ServerContext* ctx, const admin::v1::ImportAccountRequest* req,
                             admin::v1::ImportAccountResponse* resp) override;
  grpc::Status ListAccounts(grpc::ServerContext* ctx, const admin::v1::ListAccountsRequest* req,
                            admin::v1::ListAccountsResponse* resp) override;
  grpc::Status RemoveAccount(grpc::ServerContext* ctx, const admin::v1::RemoveAccountRequest* req,
                             admin::v1::RemoveAccountResponse* resp) override;
  grpc::Status RefreshAccount(grpc::ServerContext* ctx, const admin::v1::RefreshAccountRequest* req,
                              admin::v1::Account* resp) override;
  grpc::Status ExportAccount(grpc::ServerContext* ctx, const admin::v1::ExportAccountRequest* req,
                             admin::v1::ExportAccountResponse* resp) override;
  grpc::Status UseAccount(grpc::ServerContext* ctx, const admin::v1::UseAccountRequest* req,
                          admin::v1::Account* resp) override;
  grpc::Status StartAccountLogin(grpc::ServerContext* ctx,
                                 const admin::v1::StartAccountLoginRequest* req,
                                 admin::v1::AccountLogin* resp) override;
  grpc::Status FinishAccountLogin(grpc::ServerContext* ctx,
                                  const admin::v1::FinishAccountLoginRequest* req,
                                  admin::v1::FinishAccountLoginResponse* resp) override;
  grpc::Status CreateBackup(grpc::ServerContext* ctx, const admin::v1::CreateBackupRequest* req,
                            admin::v1::BackupInfo* resp) override;
  grpc::Status ListBackups(grpc::ServerContext* ctx, const admin::v1::ListBackupsRequest* req,
                           admin::v1::ListBackupsResponse* resp) override;
  grpc::Status PruneBackups(grpc::ServerContext* ctx, const admin::v1::PruneBackupsRequest* req,
                            admin::v1::PruneBackupsResponse* resp) override;
  // In admin_toolbox.cc.
  grpc::Status ListMcpServers(grpc::ServerContext* ctx, const admin::v1::ListMcpServersRequest* req,
                              admin::v1::ListMcpServersResponse* resp) override;
  grpc::Status PutMcpServer(grpc::ServerContext* ctx, const admin::v1::PutMcpServerRequest* req,
                            admin::v1::McpServer* resp) override;
  grpc::Status RemoveMcpServer(grpc::ServerContext* ctx,
                               const admin::v1::RemoveMcpServerRequest* req,
                               admin::v1::RemoveMcpServerResponse* resp) override;
  grpc::Status ListSkills(grpc::ServerContext* ctx, const admin::v1::ListSkillsRequest* req,
                          admin::v1::ListSkillsResponse* resp) override;
  grpc::Status PutSkill(grpc::ServerContext* ctx, const admin::v1::PutSkillRequest* req,
                        admin::v1::Skill* resp) override;
  grpc::Status RemoveSkill(grpc::ServerContext* ctx, const admin::v1::RemoveSkillRequest* req,
                           admin::v1::RemoveSkillResponse* resp) override;
  // In self_check.cc.
  grpc::Status SelfCheck(grpc::ServerContext* ctx, const admin::v1::SelfCheckRequest* req,
                         admin::v1::SelfCheckReport* resp) override;

 private:
  grpc::Status Auth(grpc::ServerContext* ctx) const;
  // New snapshot, announced as CONFIG_CHANGED with `what` changed, then wait (bounded) for the
  // edges to apply it. `bump`: under a new version although the store did not change (health,
  // the token).
  grpc::Status Publish(const std::string& what, bool bump = false);
  // Every service's status (the router's own, the edges' heartbeats, stats and probe asked).
  void CollectStatus(admin::v1::StackStatus* resp);
  // A stats call's failure, with the stats address when it could not be reached.
  grpc::Status StatsUnavailable(const grpc::Status& st) const;
  // Provider.status from the health board.
  void FillStatus(admin::v1::Provider* p) const;
  // Adds (or signs in again) an account to `provider`'s pool and publishes it; `how` for the
  // log and the event ("imported", "signed in").
  grpc::Status Import(const accounts::Account& account, const std::string& provider,
                      std::string_view how, admin::v1::ImportAccountResponse* resp);

  ConfigStore& store_;
  SnapshotHub& hub_;
  LocalToken& token_;
  const LocalToken& admin_token_;
  const LocalToken& service_cred_;  // on the calls to stats and the probe
  HealthState& health_;
  ProviderTester& tester_;
  BudgetWatcher& budget_;
  AccountRefresher& refresher_;
  AccountLogins logins_;
  Backups& backups_;
  EventHub& events_;
  HealthEvents& health_events_;
  const Peers peers_;
  std::unique_ptr<stats::v1::StatsService::Stub> stats_;
  std::unique_ptr<probe::v1::ProbeService::Stub> probe_;
  std::mutex mu_;
  admin::v1::ServiceInfo self_ ABSL_GUARDED_BY(mu_);
};

}  // namespace agentgate::router
