// How agentgatectl reaches the admin API: the router's address (from stack.json, else
// AGENTGATE_ADMIN_ADDR / AGENTGATE_ADMIN_PORT, else 127.0.0.1:9091) and the admin credential
// ($AGENTGATE_ADMIN_TOKEN, else $AGENTGATE_HOME/admin.token; the client key in `token` is
// refused by the admin API). Errors become one readable line.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "agentgate/admin/v1/admin.grpc.pb.h"

namespace agentgate::ctl {

class AdminClient {
 public:
  explicit AdminClient(std::string home);

  const std::string& address() const { return address_; }
  admin::v1::AdminService::Stub& stub() { return *stub_; }
  // A context with the token and a deadline.
  std::unique_ptr<grpc::ClientContext> Context(
      std::chrono::seconds deadline = std::chrono::seconds(15)) const;
  // A context with the token and no deadline, for a stream that runs until it is cancelled.
  std::unique_ptr<grpc::ClientContext> StreamContext() const;
  // "cannot reach the router at …: is the stack running? (agentgatectl up)" and the like.
  std::string Explain(const grpc::Status& st) const;

 private:
  std::string home_;
  std::string address_;
  std::string token_;
  std::unique_ptr<admin::v1::AdminService::Stub> stub_;
};

}  // namespace agentgate::ctl
