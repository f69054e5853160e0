#include "services/router/admin_service.h"

#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"

namespace agentgate::router {
namespace {

constexpr auto kPublishWait = std::chrono::milliseconds(2000);
constexpr auto kPeerDeadline = std::chrono::milliseconds(1500);

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
                                   Peers peers, admin::v1::ServiceInfo self)
    : store_(store),
      hub_(hub),
      token_(token),
      peers_(std::move(peers)),
      stats_(stats::v1::StatsService::NewStub(LocalChannel(peers_.stats_address))),
      probe_(probe::v1::ProbeService::NewStub(LocalChannel(peers_.probe_address))),
      self_(std::move(self)) {}

void AdminServiceImpl::SetAddress(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  self_.set_address(address);
}

grpc::Status AdminServiceImpl::Auth(grpc::ServerContext* ctx) const {
  return CheckBearer(*ctx, token_.Get());
}

grpc::Status AdminServiceImpl::Publish() {
  if (auto st = hub_.Rebuild(); !st.ok()) return ToGrpc(st);
  if (!hub_.WaitEdgesApplied(hub_.version(), kPublishWait)) {
    LogWarn("not every edge applied the new config in time").Kv("version", hub_.version());
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::CreateProvider(grpc::ServerContext* ctx,
                                              const admin::v1::CreateProviderRequest* req,
                                              admin::v1::Provider* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto p = store_.CreateProvider(req->provider(), req->api_key());
  if (!p.ok()) return ToGrpc(p.status());
  *resp = *p;
  LogInfo("provider created").Kv("provider", p->name()).Kv("type", p->type());
  return Publish();
}

grpc::Status AdminServiceImpl::GetProvider(grpc::ServerContext* ctx,
                                           const admin::v1::GetProviderRequest* req,
                                           admin::v1::Provider* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto p = store_.GetProvider(req->name());
  if (!p.ok()) return ToGrpc(p.status());
  *resp = *p;
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListProviders(grpc::ServerContext* ctx,
                                             const admin::v1::ListProvidersRequest* req,
                                             admin::v1::ListProvidersResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto list = store_.ListProviders();
  if (!list.ok()) return ToGrpc(list.status());
  for (auto& p : *list) *resp->add_providers() = std::move(p);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::UpdateProvider(grpc::ServerContext* ctx,
                                              const admin::v1::UpdateProviderRequest* req,
                                              admin::v1::Provider* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto p = store_.UpdateProvider(*req);
  if (!p.ok()) return ToGrpc(p.status());
  *resp = *p;
  LogInfo("provider updated").Kv("provider", p->name());
  return Publish();
}

grpc::Status AdminServiceImpl::DeleteProvider(grpc::ServerContext* ctx,
                                              const admin::v1::DeleteProviderRequest* req,
                                              admin::v1::DeleteProviderResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (auto st = store_.DeleteProvider(req->name()); !st.ok()) return ToGrpc(st);
  LogInfo("provider deleted").Kv("provider", req->name());
  return Publish();
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
  if (auto v = store_.BumpVersion(); !v.ok()) return ToGrpc(v.status());
  LogInfo("local token rotated");
  resp->set_token(*token);
  resp->set_path(token_.path());
  resp->set_rotated_at_ms(token_.rotated_at_ms());
  return Publish();
}

grpc::Status AdminServiceImpl::GetStackStatus(grpc::ServerContext* ctx,
                                              const admin::v1::GetStackStatusRequest* req,
                                              admin::v1::StackStatus* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
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
  std::string token = token_.Get();
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
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListRequestLogs(grpc::ServerContext* ctx,
                                               const admin::v1::ListRequestLogsRequest* req,
                                               admin::v1::ListRequestLogsResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  grpc::ClientContext c;
  AddBearer(c, token_.Get());
  c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Status st = stats_->QueryLogs(&c, *req, resp);
  if (st.error_code() == grpc::StatusCode::UNAVAILABLE ||
      st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the stats service at " + peers_.stats_address +
                            " is not reachable: " + st.error_message());
  }
  return st;
}

}  // namespace agentgate::router
