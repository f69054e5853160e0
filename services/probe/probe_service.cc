#include "services/probe/probe_service.h"

#include "services/common/grpc_util.h"

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
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                      "provider probing is not built yet in this version");
}

}  // namespace agentgate::probe
