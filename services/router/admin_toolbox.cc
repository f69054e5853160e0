// MCP servers and Skills of the admin API: the list the router keeps. Applying them to the
// clients' files is the caller's (agentgatectl, the desktop app). Part of AdminServiceImpl
// (admin_service.h).
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/router/admin_service.h"

namespace agentgate::router {

grpc::Status AdminServiceImpl::ListMcpServers(grpc::ServerContext* ctx,
                                              const admin::v1::ListMcpServersRequest*,
                                              admin::v1::ListMcpServersResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto servers = store_.ListMcpServers();
  if (!servers.ok()) return ToGrpc(servers.status());
  for (auto& s : *servers) *resp->add_servers() = std::move(s);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::PutMcpServer(grpc::ServerContext* ctx,
                                            const admin::v1::PutMcpServerRequest* req,
                                            admin::v1::McpServer* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto put = store_.PutMcpServer(req->server(), req->create_only());
  if (!put.ok()) return ToGrpc(put.status());
  *resp = *std::move(put);
  LogInfo("MCP server kept").Kv("name", resp->name()).Kv("origin", resp->origin());
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RemoveMcpServer(grpc::ServerContext* ctx,
                                               const admin::v1::RemoveMcpServerRequest* req,
                                               admin::v1::RemoveMcpServerResponse*) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (auto st = store_.RemoveMcpServer(req->name()); !st.ok()) return ToGrpc(st);
  LogInfo("MCP server removed").Kv("name", req->name());
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::ListSkills(grpc::ServerContext* ctx,
                                          const admin::v1::ListSkillsRequest* req,
                                          admin::v1::ListSkillsResponse* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto skills = store_.ListSkills(req->with_files());
  if (!skills.ok()) return ToGrpc(skills.status());
  for (auto& s : *skills) *resp->add_skills() = std::move(s);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::PutSkill(grpc::ServerContext* ctx,
                                        const admin::v1::PutSkillRequest* req,
                                        admin::v1::Skill* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  auto put = store_.PutSkill(req->skill(), req->create_only());
  if (!put.ok()) return ToGrpc(put.status());
  *resp = *std::move(put);
  resp->clear_files();
  LogInfo("skill kept").Kv("name", resp->name()).Kv("files", int64_t{resp->file_count()});
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::RemoveSkill(grpc::ServerContext* ctx,
                                           const admin::v1::RemoveSkillRequest* req,
                                           admin::v1::RemoveSkillResponse*) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  if (auto st = store_.RemoveSkill(req->name()); !st.ok()) return ToGrpc(st);
  LogInfo("skill removed").Kv("name", req->name());
  return grpc::Status::OK;
}

}  // namespace agentgate::router
