#include "services/stats/stats_service.h"

#include <unistd.h>

#include <cstdio>

#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/common/token.h"

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

grpc::Status StatsServiceImpl::ExportDatabase(
    grpc::ServerContext* ctx, const stats::v1::ExportDatabaseRequest*,
    grpc::ServerWriter<stats::v1::DatabaseChunk>* writer) {
  if (auto st = CheckBearer(*ctx, token_.Get()); !st.ok()) return st;
  const std::string db_path = store_.path();
  if (db_path.empty() || db_path == ":memory:") {
    return ToGrpc(absl::FailedPreconditionError("stats.db is in memory: nothing to export"));
  }
  // The copy sits beside stats.db (same disk, same permissions) only while it is sent.
  const std::string copy = db_path + ".export-" + RandomHex(8);
  struct Remove {
    std::string path;
    ~Remove() { ::unlink(path.c_str()); }
  } remove{copy};
  if (auto st = store_.BackupTo(copy); !st.ok()) return ToGrpc(st);
  std::FILE* f = std::fopen(copy.c_str(), "rb");
  if (f == nullptr) return ToGrpc(absl::InternalError("cannot read the copy of stats.db"));
  std::fseek(f, 0, SEEK_END);
  const long total = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  std::string buf(1 << 20, '\0');
  stats::v1::DatabaseChunk chunk;
  chunk.set_total_bytes(total);
  bool ok = true;
  for (long sent = 0; ok && (sent < total || sent == 0);) {
    const size_t n = std::fread(buf.data(), 1, buf.size(), f);
    chunk.set_data(buf.data(), n);
    ok = writer->Write(chunk);
    chunk.clear_total_bytes();
    sent += static_cast<long>(n);
    if (n == 0) break;
    if (ctx->IsCancelled()) ok = false;
  }
  std::fclose(f);
  if (!ok) return grpc::Status(grpc::StatusCode::CANCELLED, "the export was not taken");
  LogInfo("stats.db exported").Kv("bytes", static_cast<int64_t>(total));
  return grpc::Status::OK;
}

}  // namespace agentgate::stats
