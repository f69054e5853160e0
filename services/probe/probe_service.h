// The ProbeService gRPC implementation. GetInfo works; TestProvider answers UNIMPLEMENTED
// until provider probing is built (the routing/probing issue).
#pragma once

#include <mutex>

#include "agentgate/probe/v1/probe.grpc.pb.h"
#include "services/common/token.h"

namespace agentgate::probe {

class ProbeServiceImpl final : public probe::v1::ProbeService::Service {
 public:
  ProbeServiceImpl(TokenFile& token, admin::v1::ServiceInfo info)
      : token_(token), info_(std::move(info)) {}
  void SetAddress(const std::string& address) {
    std::lock_guard<std::mutex> lock(mu_);
    info_.set_address(address);
  }

  grpc::Status GetInfo(grpc::ServerContext* ctx, const probe::v1::GetInfoRequest* req,
                       admin::v1::ServiceInfo* resp) override;
  grpc::Status TestProvider(grpc::ServerContext* ctx, const probe::v1::TestProviderRequest* req,
                            probe::v1::TestProviderResponse* resp) override;

 private:
  TokenFile& token_;
  std::mutex mu_;
  admin::v1::ServiceInfo info_;  // guarded by mu_
};

}  // namespace agentgate::probe
