// The official ChatGPT accounts of the admin API: import, sign-in, list, use, refresh, export,
// remove. Part of AdminServiceImpl (admin_service.h).
#include "services/accounts/codex_auth.h"
#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/router/account_views.h"
#include "services/router/admin_service.h"

namespace agentgate::router {

grpc::Status AdminServiceImpl::ImportAccount(grpc::ServerContext* ctx,
                                             const admin::v1::ImportAccountRequest* req,
                                             admin::v1::ImportAccountResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  constexpr size_t kMaxAuthJson = 256 * 1024;
  if (req->auth_json().size() > kMaxAuthJson) {
    return ToGrpc(absl::InvalidArgumentError("auth.json is larger than 256 KiB"));
  }
  auto account = accounts::ParseCodexAuth(req->auth_json());
  if (!account.ok()) return ToGrpc(account.status());
  return Import(*account, req->provider(), "imported", resp);
}

grpc::Status AdminServiceImpl::Import(const accounts::Account& account, const std::string& provider,
                                      std::string_view how,
                                      admin::v1::ImportAccountResponse* resp) {
  auto imported = store_.ImportAccount(account, provider);
  if (!imported.ok()) return ToGrpc(imported.status());
  resp->set_replaced(imported->replaced);
  resp->set_provider_created(imported->provider_created);
  *resp->mutable_account() = std::move(imported->account);
  FillStanding(*resp->mutable_account(), NowMs(), store_.low_left_percent());
  LogInfo(imported->replaced ? "account tokens replaced" : "account added")
      .Kv("account", resp->account().id())
      .Kv("provider", resp->account().provider())
      .Kv("how", how);
  return Publish("account " + resp->account().id() +
                 (imported->replaced ? " signed in again" : " " + std::string(how)));
}

grpc::Status AdminServiceImpl::StartAccountLogin(grpc::ServerContext* ctx,
                                                 const admin::v1::StartAccountLoginRequest* req,
                                                 admin::v1::AccountLogin* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto login = logins_.Start(*req, NowMs());
  if (!login.ok()) return ToGrpc(login.status());
  LogInfo("account sign-in started").Kv("device", req->device());
  *resp = *std::move(login);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::FinishAccountLogin(grpc::ServerContext* ctx,
                                                  const admin::v1::FinishAccountLoginRequest* req,
                                                  admin::v1::FinishAccountLoginResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (req->login_id().size() > 128 || req->callback().size() > 16 * 1024) {
    return ToGrpc(absl::InvalidArgumentError("the sign-in answer is too large"));
  }
  auto done = logins_.Finish(*req, NowMs());
  if (!done.ok()) {
    LogInfo("account sign-in not finished").Kv("error", Message(done.status()));
    return ToGrpc(done.status());
  }
  if (done->pending) {
    resp->set_pending(true);
    return grpc::Status::OK;
  }
  return Import(done->account, done->provider, "signed in", resp->mutable_imported());
}

grpc::Status AdminServiceImpl::ListAccounts(grpc::ServerContext* ctx,
                                            const admin::v1::ListAccountsRequest* req,
                                            admin::v1::ListAccountsResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto list = store_.ListAccounts();
  if (!list.ok()) return ToGrpc(list.status());
  const int64_t now = NowMs();
  for (auto& a : *list) {
    FillStanding(a, now, store_.low_left_percent());
    *resp->add_accounts() = std::move(a);
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RemoveAccount(grpc::ServerContext* ctx,
                                             const admin::v1::RemoveAccountRequest* req,
                                             admin::v1::RemoveAccountResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (auto st = store_.RemoveAccount(req->id()); !st.ok()) return ToGrpc(st);
  LogInfo("account removed").Kv("account", req->id());
  return Publish("account " + req->id() + " removed");
}

grpc::Status AdminServiceImpl::RefreshAccount(grpc::ServerContext* ctx,
                                              const admin::v1::RefreshAccountRequest* req,
                                              admin::v1::Account* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (auto st = refresher_.RefreshNow(req->id()); !st.ok()) return ToGrpc(st);
  auto list = store_.ListAccounts();
  if (!list.ok()) return ToGrpc(list.status());
  for (auto& a : *list) {
    if (a.id() != req->id()) continue;
    *resp = std::move(a);
    FillStanding(*resp, NowMs(), store_.low_left_percent());
    return grpc::Status::OK;
  }
  return ToGrpc(absl::NotFoundError("no account " + req->id()));
}

grpc::Status AdminServiceImpl::ExportAccount(grpc::ServerContext* ctx,
                                             const admin::v1::ExportAccountRequest* req,
                                             admin::v1::ExportAccountResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto a = store_.AccountWithTokens(req->id());
  if (!a.ok()) return ToGrpc(a.status());
  resp->set_auth_json(accounts::WriteCodexAuth(
      *a, a->last_refresh.empty() ? accounts::FormatRfc3339(NowMs()) : a->last_refresh));
  LogInfo("account exported").Kv("account", req->id());
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::UseAccount(grpc::ServerContext* ctx,
                                          const admin::v1::UseAccountRequest* req,
                                          admin::v1::Account* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (auto st = store_.UseAccount(req->id()); !st.ok()) return ToGrpc(st);
  auto list = store_.ListAccounts();
  if (!list.ok()) return ToGrpc(list.status());
  for (auto& a : *list) {
    if (a.id() != req->id()) continue;
    *resp = std::move(a);
    FillStanding(*resp, NowMs(), store_.low_left_percent());
  }
  LogInfo("account moved to the front").Kv("account", req->id());
  return Publish("account " + req->id() + " is now used first");
}

}  // namespace agentgate::router
