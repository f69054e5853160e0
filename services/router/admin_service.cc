#include "services/router/admin_service.h"

#include <ctime>
#include <optional>
#include <set>

#include "services/accounts/codex_auth.h"
#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/local_time.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/common/token.h"
#include "services/pricing/prices.h"
#include "services/protocol/traits.h"
#include "services/router/account_views.h"
#include "services/routing/planner.h"
#include "services/routing/presets.h"
#include "services/snapshot/snapshot_convert.h"

namespace agentgate::router {
namespace {

constexpr auto kPublishWait = std::chrono::milliseconds(2000);
constexpr auto kPeerDeadline = std::chrono::milliseconds(1500);
// How often a WatchEvents stream with nothing to send checks whether its client went away.
constexpr auto kWatchPoll = std::chrono::milliseconds(250);

admin::v1::ServiceStatus PeerStatus(const std::string& name, const std::string& address,
                                    const grpc::Status& st, const admin::v1::ServiceInfo& info) {
  admin::v1::ServiceStatus s;
  if (st.ok()) {
    *s.mutable_info() = info;
    s.set_health(admin::v1::HEALTH_SERVING);
    s.set_uptime_ms(NowMs() - info.started_at_ms());
  } else {
    s.mutable_info()->set_name(name);
    s.mutable_info()->set_address(address);
    s.set_health(admin::v1::HEALTH_UNREACHABLE);
    s.set_detail(st.error_message());
  }
  return s;
}

}  // namespace

AdminServiceImpl::AdminServiceImpl(ConfigStore& store, SnapshotHub& hub, LocalToken& token,
                                   const LocalToken& admin_token, const LocalToken& service_cred,
                                   HealthState& health, ProviderTester& tester,
                                   BudgetWatcher& budget, EventHub& events,
                                   HealthEvents& health_events, AccountRefresher& refresher,
                                   Backups& backups, Peers peers, admin::v1::ServiceInfo self)
    : store_(store),
      hub_(hub),
      token_(token),
      admin_token_(admin_token),
      service_cred_(service_cred),
      health_(health),
      tester_(tester),
      budget_(budget),
      refresher_(refresher),
      logins_(AccountLogins::Options{.issuer = refresher.issuer()},
              [&refresher](probe::v1::AuthStep step, std::string body) {
                return refresher.CallAuthServer(step, std::move(body));
              }),
      backups_(backups),
      events_(events),
      health_events_(health_events),
      peers_(std::move(peers)),
      stats_(stats::v1::StatsService::NewStub(LocalChannel(peers_.stats_address))),
      probe_(probe::v1::ProbeService::NewStub(LocalChannel(peers_.probe_address))),
      self_(std::move(self)) {}

void AdminServiceImpl::SetAddress(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  self_.set_address(address);
}

grpc::Status AdminServiceImpl::Auth(grpc::ServerContext* ctx) const {
  grpc::Status st = CheckBearer(*ctx, admin_token_.Get());
  if (st.ok()) return st;
  // A client key (the local token, or anything shaped like one) never administers.
  auto it = ctx->client_metadata().find("authorization");
  if (it != ctx->client_metadata().end()) {
    std::string_view value(it->second.data(), it->second.size());
    if (value.find(kLocalTokenPrefix) != std::string_view::npos ||
        (value.size() > 7 && ConstantTimeEquals(value.substr(7), token_.Get()))) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          "a client key cannot use the admin API: it takes the admin credential "
                          "in " +
                              admin_token_.path());
    }
  }
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                      "wrong or missing admin credential: it is in " + admin_token_.path() +
                          " on the router's machine (agentgatectl and the desktop app read it)");
}

grpc::Status AdminServiceImpl::Publish(const std::string& what, bool bump) {
  if (auto st = bump ? hub_.BumpAndRebuild() : hub_.Rebuild(); !st.ok()) return ToGrpc(st);
  events_.ConfigChanged(hub_.version(), what);
  if (!hub_.WaitEdgesApplied(hub_.version(), kPublishWait)) {
    LogWarn("not every edge applied the new config in time").Kv("version", hub_.version());
  }
  return grpc::Status::OK;
}

void AdminServiceImpl::FillStatus(admin::v1::Provider* p) const {
  std::vector<std::string> masked(p->api_keys_masked().begin(), p->api_keys_masked().end());
  *p->mutable_status() = StatusFromHealth(health_.Get(p->name()), p->enabled(), &masked, NowMs());
  p->set_test_pending(tester_.Pending(p->name()));
}

grpc::Status AdminServiceImpl::CreateProvider(grpc::ServerContext* ctx,
                                              const admin::v1::CreateProviderRequest* req,
                                              admin::v1::Provider* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  std::vector<std::string> more(req->more_api_keys().begin(), req->more_api_keys().end());
  auto p = store_.CreateProvider(req->provider(), req->api_key(), more);
  if (!p.ok()) return ToGrpc(p.status());
  *resp = *p;
  FillStatus(resp);
  LogInfo("provider created").Kv("provider", p->name()).Kv("type", p->type());
  tester_.Enqueue(p->name(), "created");
  resp->set_test_pending(tester_.Pending(p->name()));
  return Publish("provider " + p->name() + " added");
}

grpc::Status AdminServiceImpl::GetProvider(grpc::ServerContext* ctx,
                                           const admin::v1::GetProviderRequest* req,
                                           admin::v1::Provider* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto p = store_.GetProvider(req->name());
  if (!p.ok()) return ToGrpc(p.status());
  *resp = *p;
  FillStatus(resp);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListProviders(grpc::ServerContext* ctx,
                                             const admin::v1::ListProvidersRequest* req,
                                             admin::v1::ListProvidersResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto list = store_.ListProviders();
  if (!list.ok()) return ToGrpc(list.status());
  for (auto& p : *list) {
    FillStatus(&p);
    *resp->add_providers() = std::move(p);
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::UpdateProvider(grpc::ServerContext* ctx,
                                              const admin::v1::UpdateProviderRequest* req,
                                              admin::v1::Provider* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto p = store_.UpdateProvider(*req);
  if (!p.ok()) return ToGrpc(p.status());
  // New keys start afresh: the board's per-key state is by index and was about the old ones.
  if (req->replace_api_keys() || req->has_api_key()) {
    health_.Reset(p->name());
    health_events_.Check(p->name());
  }
  *resp = *p;
  FillStatus(resp);
  LogInfo("provider updated").Kv("provider", p->name());
  if (NeedsRetest(*req)) {
    tester_.Enqueue(p->name(), "updated");
    resp->set_test_pending(tester_.Pending(p->name()));
  }
  return Publish("provider " + p->name() + " updated");
}

grpc::Status AdminServiceImpl::DeleteProvider(grpc::ServerContext* ctx,
                                              const admin::v1::DeleteProviderRequest* req,
                                              admin::v1::DeleteProviderResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (auto st = store_.DeleteProvider(req->name()); !st.ok()) return ToGrpc(st);
  LogInfo("provider deleted").Kv("provider", req->name());
  return Publish("provider " + req->name() + " removed");
}

grpc::Status AdminServiceImpl::ResetProviderHealth(grpc::ServerContext* ctx,
                                                   const admin::v1::ResetProviderHealthRequest* req,
                                                   admin::v1::Provider* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto p = store_.GetProvider(req->name());
  if (!p.ok()) return ToGrpc(p.status());
  health_.Reset(req->name());
  health_events_.Check(req->name());
  LogInfo("provider health reset").Kv("provider", req->name());
  *resp = *p;
  FillStatus(resp);
  return Publish("provider " + req->name() + " health reset", /*bump=*/true);
}

grpc::Status AdminServiceImpl::ListRoutes(grpc::ServerContext* ctx,
                                          const admin::v1::ListRoutesRequest* req,
                                          admin::v1::ListRoutesResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto list = store_.ListRoutes();
  if (!list.ok()) return ToGrpc(list.status());
  for (auto& r : *list) *resp->add_routes() = std::move(r);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::GetRoute(grpc::ServerContext* ctx,
                                        const admin::v1::GetRouteRequest* req,
                                        admin::v1::RouteProfile* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto r = store_.GetRoute(req->name());
  if (!r.ok()) return ToGrpc(r.status());
  *resp = *r;
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::CreateRoute(grpc::ServerContext* ctx,
                                           const admin::v1::RouteProfile* req,
                                           admin::v1::RouteProfile* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto r = store_.CreateRoute(*req);
  if (!r.ok()) return ToGrpc(r.status());
  *resp = *r;
  LogInfo("route profile created").Kv("route", r->name());
  return Publish("route " + r->name() + " added");
}

grpc::Status AdminServiceImpl::UpdateRoute(grpc::ServerContext* ctx,
                                           const admin::v1::RouteProfile* req,
                                           admin::v1::RouteProfile* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto r = store_.UpdateRoute(*req);
  if (!r.ok()) return ToGrpc(r.status());
  *resp = *r;
  LogInfo("route profile updated").Kv("route", r->name());
  return Publish("route " + r->name() + " updated");
}

grpc::Status AdminServiceImpl::DeleteRoute(grpc::ServerContext* ctx,
                                           const admin::v1::DeleteRouteRequest* req,
                                           admin::v1::DeleteRouteResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (auto st = store_.DeleteRoute(req->name()); !st.ok()) return ToGrpc(st);
  LogInfo("route profile deleted").Kv("route", req->name());
  return Publish("route " + req->name() + " removed");
}

grpc::Status AdminServiceImpl::ExplainRoute(grpc::ServerContext* ctx,
                                            const admin::v1::ExplainRouteRequest* req,
                                            admin::v1::RouteExplanation* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (req->client_protocol() == admin::v1::CLIENT_PROTOCOL_UNSPECIFIED ||
      !admin::v1::ClientProtocol_IsValid(req->client_protocol())) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "client_protocol is required: chat, claude, codex or gemini");
  }
  auto current = hub_.Current();
  if (current == nullptr) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "no configuration snapshot yet");
  }
  // The same conversion and planning the edge does, on the snapshot the edges have, with the
  // router's own (freshest) health board.
  routing::Snapshot snap = edge::SnapshotFromProto(*current);
  routing::Protocol client = edge::ClientProtocolFromProto(req->client_protocol());
  auto traits = protocol::ReadTraits(client, req->body(), req->model());
  if (!traits.ok()) return ToGrpc(traits.status());
  int64_t now = NowMs();
  auto unavailable = [&](const routing::ProviderEntry& p) {
    return routing::Unavailable(health_.Get(p.name), now);
  };
  routing::Plan plan = routing::PlanRequest(snap, client, req->route(), *traits, unavailable);
  if (!plan.error.empty()) return grpc::Status(grpc::StatusCode::NOT_FOUND, plan.error);
  resp->set_profile(plan.profile);
  resp->set_mode(plan.mode == routing::RouteMode::kManual ? admin::v1::ROUTE_MODE_MANUAL
                                                          : admin::v1::ROUTE_MODE_FAILOVER);
  resp->set_rule(plan.rule);
  admin::v1::RequestTraits* t = resp->mutable_traits();
  t->set_model(traits->model);
  t->set_estimated_input_tokens(traits->input_tokens);
  t->set_has_images(traits->has_images);
  t->set_tools(traits->tools);
  t->set_thinking(traits->thinking);
  // An account pool's step says where each of its accounts stands (why one would be skipped).
  std::optional<std::vector<admin::v1::Account>> accounts;
  for (const auto& step : plan.steps) {
    admin::v1::RouteStep* s = resp->add_steps();
    s->set_provider(step.provider);
    s->set_chosen(step.chosen);
    s->set_model(step.model);
    s->set_via(step.via);
    std::string reason = step.reason;
    auto provider = store_.GetProvider(step.provider);
    const routing::ProviderPreset* preset =
        provider.ok() ? routing::FindPreset(provider->type()) : nullptr;
    if (preset != nullptr && preset->subscription) {
      if (!accounts) {
        auto list = store_.ListAccounts();
        accounts = list.ok() ? *std::move(list) : std::vector<admin::v1::Account>();
      }
      std::string standing;
      for (auto a : *accounts) {
        if (a.provider() != step.provider) continue;
        FillStanding(a, NowMs(), store_.low_left_percent());
        standing += (standing.empty() ? "" : "; ") + a.id() + " " + a.state() +
                    (a.detail().empty() ? "" : " (" + a.detail() + ")");
      }
      reason += (reason.empty() ? "" : "; ") +
                (standing.empty() ? std::string("no accounts") : "accounts: " + standing);
    }
    s->set_reason(reason);
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::GetToken(grpc::ServerContext* ctx,
                                        const admin::v1::GetTokenRequest* req,
                                        admin::v1::TokenInfo* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  resp->set_token(token_.Get());
  resp->set_path(token_.path());
  resp->set_rotated_at_ms(token_.rotated_at_ms());
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RotateToken(grpc::ServerContext* ctx,
                                           const admin::v1::RotateTokenRequest* req,
                                           admin::v1::TokenInfo* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto token = token_.Rotate();
  if (!token.ok()) return ToGrpc(token.status());
  LogInfo("local token rotated");
  resp->set_token(*token);
  resp->set_path(token_.path());
  resp->set_rotated_at_ms(token_.rotated_at_ms());
  return Publish("local token rotated", /*bump=*/true);
}

grpc::Status AdminServiceImpl::GetStackStatus(grpc::ServerContext* ctx,
                                              const admin::v1::GetStackStatusRequest* req,
                                              admin::v1::StackStatus* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  CollectStatus(resp);
  return grpc::Status::OK;
}

void AdminServiceImpl::CollectStatus(admin::v1::StackStatus* resp) {
  resp->set_config_version(hub_.version());
  {
    admin::v1::ServiceStatus* s = resp->add_services();
    std::lock_guard<std::mutex> lock(mu_);
    *s->mutable_info() = self_;
    s->mutable_info()->set_config_version(hub_.version());
    s->set_health(admin::v1::HEALTH_SERVING);
    s->set_uptime_ms(NowMs() - self_.started_at_ms());
  }
  auto edges = hub_.Edges();
  if (edges.empty()) {
    admin::v1::ServiceStatus* s = resp->add_services();
    s->mutable_info()->set_name("edge");
    s->set_health(admin::v1::HEALTH_UNREACHABLE);
    s->set_detail("no edge has reported in the last minute");
  }
  for (const auto& e : edges) {
    admin::v1::ServiceStatus* s = resp->add_services();
    *s->mutable_info() = e.heartbeat.info();
    bool fresh = std::chrono::steady_clock::now() - e.last_seen < std::chrono::seconds(10);
    s->set_health(fresh ? admin::v1::HEALTH_SERVING : admin::v1::HEALTH_UNREACHABLE);
    s->set_uptime_ms(NowMs() - e.heartbeat.info().started_at_ms());
    if (!fresh)
      s->set_detail("no heartbeat for over 10 s");
    else if (e.heartbeat.dropped_records() > 0) {
      s->set_detail("dropped " + std::to_string(e.heartbeat.dropped_records()) +
                    " request records while stats was away");
    }
  }
  std::string token = service_cred_.Get();
  {
    grpc::ClientContext c;
    AddBearer(c, token);
    c.set_deadline(std::chrono::system_clock::now() + kPeerDeadline);
    admin::v1::ServiceInfo info;
    grpc::Status st = stats_->GetInfo(&c, stats::v1::GetInfoRequest(), &info);
    *resp->add_services() = PeerStatus("stats", peers_.stats_address, st, info);
  }
  {
    grpc::ClientContext c;
    AddBearer(c, token);
    c.set_deadline(std::chrono::system_clock::now() + kPeerDeadline);
    admin::v1::ServiceInfo info;
    grpc::Status st = probe_->GetInfo(&c, probe::v1::GetInfoRequest(), &info);
    *resp->add_services() = PeerStatus("probe", peers_.probe_address, st, info);
  }
}

grpc::Status AdminServiceImpl::StatsUnavailable(const grpc::Status& st) const {
  if (st.error_code() == grpc::StatusCode::UNAVAILABLE ||
      st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the stats service at " + peers_.stats_address +
                            " is not reachable: " + st.error_message());
  }
  return st;
}

grpc::Status AdminServiceImpl::WatchEvents(grpc::ServerContext* ctx,
                                           const admin::v1::WatchEventsRequest* req,
                                           grpc::ServerWriter<admin::v1::Event>* writer) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  std::shared_ptr<EventHub::Subscription> sub = events_.Subscribe(hub_.version());
  // Ends when the client cancels (checked at least every kWatchPoll), a write fails, or the hub
  // shuts down: STACK_STOPPING is the last event, and the server's shutdown is not held up.
  while (!ctx->IsCancelled()) {
    std::optional<admin::v1::Event> e = sub->Next(kWatchPoll);
    if (!e) {
      if (sub->done()) break;
      continue;
    }
    if (!writer->Write(*e)) break;
    if (e->kind() == admin::v1::EVENT_KIND_STACK_STOPPING) break;
  }
  if (sub->dropped() > 0) {
    LogInfo("event subscriber fell behind").Kv("dropped", sub->dropped());
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListRequestLogs(grpc::ServerContext* ctx,
                                               const admin::v1::ListRequestLogsRequest* req,
                                               admin::v1::ListRequestLogsResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  grpc::ClientContext c;
  AddBearer(c, service_cred_.Get());
  c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return StatsUnavailable(stats_->QueryLogs(&c, *req, resp));
}

grpc::Status AdminServiceImpl::GetStats(grpc::ServerContext* ctx,
                                        const admin::v1::GetStatsRequest* req,
                                        admin::v1::StatsSummary* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  grpc::ClientContext c;
  AddBearer(c, service_cred_.Get());
  c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return StatsUnavailable(stats_->GetStats(&c, *req, resp));
}

grpc::Status AdminServiceImpl::PruneStats(grpc::ServerContext* ctx,
                                          const admin::v1::PruneStatsRequest* req,
                                          admin::v1::PruneStatsResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  grpc::ClientContext c;
  AddBearer(c, service_cred_.Get());
  c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  return StatsUnavailable(stats_->Prune(&c, *req, resp));
}

grpc::Status AdminServiceImpl::ListPrices(grpc::ServerContext* ctx,
                                          const admin::v1::ListPricesRequest* req,
                                          admin::v1::ListPricesResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto overrides = store_.ListPriceOverrides();
  if (!overrides.ok()) return ToGrpc(overrides.status());
  std::set<std::string> user;
  std::vector<pricing::ModelPrice> converted;
  for (const auto& o : *overrides) {
    user.insert(o.model());
    converted.push_back(edge::PriceFromProto(o));
  }
  std::set<std::string> builtin;
  for (const auto& b : pricing::BuiltinPrices()) builtin.insert(b.model);
  const pricing::PriceTable table(converted);
  const pricing::ModelPrice* only = req->model().empty() ? nullptr : table.Find(req->model());
  for (const auto& p : table.entries()) {
    if (!req->model().empty() && &p != only) continue;
    admin::v1::ModelPrice* out = resp->add_prices();
    *out = edge::PriceToProto(p);
    out->set_user_set(user.count(p.model) > 0);
    out->set_builtin(builtin.count(p.model) > 0);
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::SetPrice(grpc::ServerContext* ctx, const admin::v1::ModelPrice* req,
                                        admin::v1::ModelPrice* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  admin::v1::ModelPrice p = *req;
  // What the user does not say is taken from the built-in entry (an override of one price
  // keeps the others) or marked as theirs.
  std::string id = p.model();
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const pricing::PriceTable builtin;
  if (const pricing::ModelPrice* known = builtin.Find(id); known != nullptr && known->model == id) {
    if (p.vendor().empty()) p.set_vendor(known->vendor);
    if (p.aliases().empty()) {
      for (const auto& a : known->aliases) p.add_aliases(a);
    }
  }
  if (p.vendor().empty()) p.set_vendor("custom");
  if (p.source().empty()) p.set_source("user");
  if (p.taken().empty()) p.set_taken(LocalDate());
  auto stored = store_.SetPrice(std::move(p));
  if (!stored.ok()) return ToGrpc(stored.status());
  *resp = *std::move(stored);
  resp->set_user_set(true);
  LogInfo("price set").Kv("model", resp->model());
  return Publish("price of " + resp->model() + " set");
}

grpc::Status AdminServiceImpl::ResetPrice(grpc::ServerContext* ctx,
                                          const admin::v1::ResetPriceRequest* req,
                                          admin::v1::ResetPriceResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (req->model().empty() && !req->all()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "name a model, or reset all");
  }
  auto removed = store_.ResetPrice(req->model(), req->all());
  if (!removed.ok()) return ToGrpc(removed.status());
  resp->set_removed(*removed);
  if (*removed == 0) return grpc::Status::OK;
  return Publish(req->all() ? std::string("every price reset")
                            : "price of " + req->model() + " reset");
}

}  // namespace agentgate::router

namespace agentgate::router {

namespace {

grpc::Status ProbeUnavailable(const std::string& address, const grpc::Status& st) {
  if (st.error_code() == grpc::StatusCode::UNAVAILABLE ||
      st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        "the probe service at " + address + " is not reachable: " + st.error_message());
  }
  return st;
}

}  // namespace

grpc::Status AdminServiceImpl::TestProvider(grpc::ServerContext* ctx,
                                            const admin::v1::TestProviderRequest* req,
                                            admin::v1::ProviderTestResult* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto outcome = tester_.Run(req->name(), *req, "manual");
  if (!outcome.ok()) return ToGrpc(outcome.status());
  *resp = std::move(outcome->result);
  if (!outcome->capabilities_changed) return grpc::Status::OK;
  return Publish("provider " + req->name() + " capabilities detected");
}

grpc::Status AdminServiceImpl::ListProviderModels(grpc::ServerContext* ctx,
                                                  const admin::v1::ListProviderModelsRequest* req,
                                                  admin::v1::ListProviderModelsResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto config = store_.ProviderWithKeys(req->name());
  if (!config.ok()) return ToGrpc(config.status());
  probe::v1::ListModelsRequest preq;
  *preq.mutable_provider() = *std::move(config);
  grpc::ClientContext c;
  AddBearer(c, service_cred_.Get());
  c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  probe::v1::ListModelsResponse presp;
  grpc::Status st = probe_->ListModels(&c, preq, &presp);
  if (!st.ok()) return ProbeUnavailable(peers_.probe_address, st);
  resp->mutable_models()->CopyFrom(presp.models());
  resp->set_detail(presp.ok() ? "" : presp.detail());
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::GetBudget(grpc::ServerContext* ctx,
                                         const admin::v1::GetBudgetRequest* req,
                                         admin::v1::Budget* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  *resp = budget_.Current();
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::SetBudget(grpc::ServerContext* ctx, const admin::v1::Budget* req,
                                         admin::v1::Budget* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto stored = store_.SetBudget(*req);
  if (!stored.ok()) return ToGrpc(stored.status());
  LogInfo("budget set")
      .Kv("limit_usd", stored->daily_limit_usd())
      .Kv("mode", admin::v1::BudgetMode_Name(stored->mode()));
  budget_.CheckNow();  // today's spending against the new limit, published when it changed
  *resp = budget_.Current();
  return Publish("budget set");
}

grpc::Status AdminServiceImpl::CreateBackup(grpc::ServerContext* ctx,
                                            const admin::v1::CreateBackupRequest* req,
                                            admin::v1::BackupInfo* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (req->passphrase().size() > 1024) {
    return ToGrpc(absl::InvalidArgumentError("the passphrase is longer than 1024 bytes"));
  }
  auto made = backups_.Create(req->passphrase());
  if (!made.ok()) return ToGrpc(made.status());
  *resp = *std::move(made);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListBackups(grpc::ServerContext* ctx,
                                           const admin::v1::ListBackupsRequest*,
                                           admin::v1::ListBackupsResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  *resp = backups_.List();
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::PruneBackups(grpc::ServerContext* ctx,
                                            const admin::v1::PruneBackupsRequest* req,
                                            admin::v1::PruneBackupsResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto deleted = backups_.Prune(req->keep());
  if (!deleted.ok()) return ToGrpc(deleted.status());
  for (auto& d : *deleted) resp->add_deleted(std::move(d));
  LogInfo("backups pruned").Kv("deleted", static_cast<int64_t>(deleted->size()));
  return grpc::Status::OK;
}

}  // namespace agentgate::router
