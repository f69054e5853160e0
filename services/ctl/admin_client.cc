#include "services/ctl/admin_client.h"

#include "services/common/files.h"
#include "services/common/flags.h"
#include "services/common/grpc_util.h"
#include "services/common/strings.h"
#include "services/ctl/stack_file.h"

namespace agentgate::ctl {

AdminClient::AdminClient(std::string home) : home_(std::move(home)) {
  address_ = EnvOr("AGENTGATE_ADMIN_ADDR", "");
  if (address_.empty()) {
    auto f = ReadStackFile(home_);
    if (f.ok() && f->services.count("router") > 0) address_ = f->services.at("router").address;
  }
  if (address_.empty()) {
    address_ = JoinHostPort(EnvOr("AGENTGATE_HOST", "127.0.0.1"),
                            std::atoi(EnvOr("AGENTGATE_ADMIN_PORT", "9091").c_str()));
  }
  // The admin credential: $AGENTGATE_ADMIN_TOKEN (a router elsewhere), else DATA/admin.token.
  token_ = EnvOr("AGENTGATE_ADMIN_TOKEN", "");
  if (token_.empty()) {
    auto token = ReadFile(home_ + "/admin.token");
    if (token.ok()) token_ = std::string(StripSpace(*token));
  }
  stub_ = admin::v1::AdminService::NewStub(LocalChannel(address_));
}

std::unique_ptr<grpc::ClientContext> AdminClient::Context(std::chrono::seconds deadline) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  AddBearer(*ctx, token_);
  ctx->set_deadline(std::chrono::system_clock::now() + deadline);
  return ctx;
}

std::unique_ptr<grpc::ClientContext> AdminClient::StreamContext() const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  AddBearer(*ctx, token_);
  return ctx;
}

std::string AdminClient::Explain(const grpc::Status& st) const {
  switch (st.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      if (st.error_message().find("stats service") != std::string::npos) return st.error_message();
      return "cannot reach the router at " + address_ +
             ": is the stack running? (start it with: agentgatectl up)";
    case grpc::StatusCode::UNAUTHENTICATED:
      return token_.empty()
                 ? "no admin credential at " + home_ +
                       "/admin.token: start the stack once to create it (for a router on "
                       "another machine, copy its admin.token or set AGENTGATE_ADMIN_TOKEN)"
                 : "the router rejected the admin credential (" +
                       std::string(EnvOr("AGENTGATE_ADMIN_TOKEN", "").empty()
                                       ? home_ + "/admin.token; is --home right?"
                                       : "$AGENTGATE_ADMIN_TOKEN") +
                       ")";
    case grpc::StatusCode::PERMISSION_DENIED:
      return st.error_message();
    default:
      return st.error_message();
  }
}

}  // namespace agentgate::ctl
