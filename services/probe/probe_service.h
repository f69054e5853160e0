// The ProbeService gRPC implementation: GetInfo, TestProvider (config, gateway and provider
// steps, then vision, prompt-cache and model-list checks when asked) and ListModels. The
// provider work runs on the Prober's own I/O thread; each handler waits for its result and
// gives up when the call is cancelled. Every RPC requires the local token as a bearer token.
#pragma once

#include <mutex>

#include "absl/base/thread_annotations.h"
#include "agentgate/probe/v1/probe.grpc.pb.h"
#include "services/common/token.h"
#include "services/probe/prober.h"

namespace agentgate::probe {

class ProbeServiceImpl final : public probe::v1::ProbeService::Service {
 public:
  ProbeServiceImpl(TokenFile& token, admin::v1::ServiceInfo info,
                   Prober::Options options = Prober::Options())
      : token_(token), info_(std::move(info)), prober_(options) {}
  void SetAddress(const std::string& address) {
    std::lock_guard<std::mutex> lock(mu_);
    info_.set_address(address);
  }

  grpc::Status GetInfo(grpc::ServerContext* ctx, const probe::v1::GetInfoRequest* req,
                       admin::v1::ServiceInfo* resp) override;
  grpc::Status TestProvider(grpc::ServerContext* ctx, const probe::v1::TestProviderRequest* req,
                            probe::v1::TestProviderResponse* resp) override;
  grpc::Status ListModels(grpc::ServerContext* ctx, const probe::v1::ListModelsRequest* req,
                          probe::v1::ListModelsResponse* resp) override;
  grpc::Status RefreshAccount(grpc::ServerContext* ctx, const probe::v1::RefreshAccountRequest* req,
                              probe::v1::RefreshAccountResponse* resp) override;
  grpc::Status FetchAccountUsage(grpc::ServerContext* ctx,
                                 const probe::v1::FetchAccountUsageRequest* req,
                                 probe::v1::RefreshAccountResponse* resp) override;
  grpc::Status CallAuthServer(grpc::ServerContext* ctx, const probe::v1::AuthServerCall* req,
                              probe::v1::RefreshAccountResponse* resp) override;

 private:
  TokenFile& token_;
  std::mutex mu_;
  admin::v1::ServiceInfo info_ ABSL_GUARDED_BY(mu_);
  Prober prober_;  // thread-safe
};

}  // namespace agentgate::probe
