#include "services/stats/stats_service.h"

#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"

namespace agentgate::stats {

grpc::Status StatsServiceImpl::Ingest(grpc::ServerContext* ctx,
                                      grpc::ServerReader<stats::v1::RecordBatch>* reader,
                                      stats::v1::IngestResponse* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  stats::v1::RecordBatch batch;
  int64_t stored = 0;
  while (reader->Read(&batch)) {
    auto n = store_.Insert(batch.records());
    if (!n.ok()) {
      LogError("cannot store records").Kv("error", Message(n.status()));
      return ToGrpc(n.status());
    }
    stored += *n;
    stored_.fetch_add(*n, std::memory_order_relaxed);
    batches_.fetch_add(1, std::memory_order_relaxed);
  }
  resp->set_stored(stored);
  return grpc::Status::OK;
}

grpc::Status StatsServiceImpl::Commit(grpc::ServerContext* ctx, const stats::v1::RecordBatch* batch,
                                      stats::v1::CommitResponse* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  auto n = store_.Insert(batch->records());
  if (!n.ok()) {
    LogError("cannot store records").Kv("error", Message(n.status()));
    return ToGrpc(n.status());
  }
  resp->set_stored(*n);
  resp->set_duplicates(batch->records_size() - *n);
  stored_.fetch_add(*n, std::memory_order_relaxed);
  batches_.fetch_add(1, std::memory_order_relaxed);
  return grpc::Status::OK;
}

grpc::Status StatsServiceImpl::QueryLogs(grpc::ServerContext* ctx,
                                         const admin::v1::ListRequestLogsRequest* req,
                                         admin::v1::ListRequestLogsResponse* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  auto logs = store_.Query(*req);
  if (!logs.ok()) return ToGrpc(logs.status());
  for (auto& l : *logs) *resp->add_logs() = std::move(l);
  return grpc::Status::OK;
}

grpc::Status StatsServiceImpl::GetStats(grpc::ServerContext* ctx,
                                        const admin::v1::GetStatsRequest* req,
                                        admin::v1::StatsSummary* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  auto summary = store_.Summarize(*req, NowMs());
  if (!summary.ok()) return ToGrpc(summary.status());
  *resp = *std::move(summary);
  return grpc::Status::OK;
}

grpc::Status StatsServiceImpl::CheckStore(grpc::ServerContext* ctx,
                                          const stats::v1::CheckStoreRequest* req,
                                          stats::v1::CheckStoreResponse* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  auto integrity = store_.IntegrityCheck();
  if (!integrity.ok()) return ToGrpc(integrity.status());
  resp->set_integrity(*integrity);
  auto n = store_.Count();
  if (n.ok()) resp->set_records(*n);
  if (auto usage = store_.Usage(); usage.ok()) {
    *resp->mutable_retention() = *std::move(usage);
    resp->mutable_retention()->set_retention_days(pruner_.policy().retention_days);
    resp->mutable_retention()->set_max_bytes(pruner_.policy().max_bytes);
  }
  return grpc::Status::OK;
}

grpc::Status StatsServiceImpl::Prune(grpc::ServerContext* ctx,
                                     const admin::v1::PruneStatsRequest* req,
                                     admin::v1::PruneStatsResponse* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  if (req->older_than_ms() < 0 || req->max_bytes() < 0) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "negative cut-off or size");
  }
  auto r = pruner_.PruneNow(req->older_than_ms(), req->max_bytes());
  if (!r.ok()) return ToGrpc(r.status());
  *resp = *std::move(r);
  return grpc::Status::OK;
}

grpc::Status StatsServiceImpl::GetInfo(grpc::ServerContext* ctx,
                                       const stats::v1::GetInfoRequest* req,
                                       admin::v1::ServiceInfo* resp) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  std::lock_guard<std::mutex> lock(mu_);
  *resp = info_;
  return grpc::Status::OK;
}

}  // namespace agentgate::stats
