#include "services/probe/probe_service.h"

#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"

namespace agentgate::probe {

grpc::Status ProbeServiceImpl::GetInfo(grpc::ServerContext* ctx,
                                       const probe::v1::GetInfoRequest* req,
                                       admin::v1::ServiceInfo* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  std::lock_guard<std::mutex> lock(mu_);
  *resp = info_;
  return grpc::Status::OK;
}

grpc::Status ProbeServiceImpl::TestProvider(grpc::ServerContext* ctx,
                                            const probe::v1::TestProviderRequest* req,
                                            probe::v1::TestProviderResponse* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  auto result = prober_.Test(*req, [ctx] { return ctx->IsCancelled(); });
  if (!result.ok()) return ToGrpc(result.status());
  *resp = *std::move(result);
  LogInfo("provider tested")
      .Kv("provider", req->provider().name())
      .Kv("ok", resp->ok())
      .Kv("elapsed_ms", resp->elapsed_ms());
  return grpc::Status::OK;
}

grpc::Status ProbeServiceImpl::ListModels(grpc::ServerContext* ctx,
                                          const probe::v1::ListModelsRequest* req,
                                          probe::v1::ListModelsResponse* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  auto result = prober_.ListModels(*req, [ctx] { return ctx->IsCancelled(); });
  if (!result.ok()) return ToGrpc(result.status());
  *resp = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status ProbeServiceImpl::RefreshAccount(grpc::ServerContext* ctx,
                                              const probe::v1::RefreshAccountRequest* req,
                                              probe::v1::RefreshAccountResponse* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  auto result = prober_.RefreshAccount(*req, [ctx] { return ctx->IsCancelled(); });
  if (!result.ok()) return ToGrpc(result.status());
  *resp = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status ProbeServiceImpl::FetchAccountUsage(grpc::ServerContext* ctx,
                                                 const probe::v1::FetchAccountUsageRequest* req,
                                                 probe::v1::RefreshAccountResponse* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  auto result = prober_.FetchAccountUsage(*req, [ctx] { return ctx->IsCancelled(); });
  if (!result.ok()) return ToGrpc(result.status());
  *resp = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status ProbeServiceImpl::CallAuthServer(grpc::ServerContext* ctx,
                                              const probe::v1::AuthServerCall* req,
                                              probe::v1::RefreshAccountResponse* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  auto result = prober_.CallAuthServer(*req, [ctx] { return ctx->IsCancelled(); });
  if (!result.ok()) return ToGrpc(result.status());
  *resp = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace agentgate::probe
