// The StatsService gRPC implementation (sync API): Ingest, QueryLogs, GetInfo.
// Every call must carry the local token (read from the token file, re-read when it changes).
#pragma once

#include <atomic>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "agentgate/stats/v1/stats.grpc.pb.h"
#include "services/common/token.h"
#include "services/stats/retention.h"
#include "services/stats/stats_store.h"

namespace agentgate::stats {

class StatsServiceImpl final : public stats::v1::StatsService::Service {
 public:
  StatsServiceImpl(StatsStore& store, TokenFile& token, admin::v1::ServiceInfo info, Pruner& pruner)
      : store_(store), token_(token), pruner_(pruner), info_(std::move(info)) {}
  // Called once the port is bound.
  void SetAddress(const std::string& address) {
    std::lock_guard<std::mutex> lock(mu_);
    info_.set_address(address);
  }

  // Records stored and batches received since start (for metrics).
  int64_t stored() const { return stored_.load(std::memory_order_relaxed); }
  int64_t batches() const { return batches_.load(std::memory_order_relaxed); }

  grpc::Status Ingest(grpc::ServerContext* ctx, grpc::ServerReader<stats::v1::RecordBatch>* reader,
                      stats::v1::IngestResponse* resp) override;
  grpc::Status Commit(grpc::ServerContext* ctx, const stats::v1::RecordBatch* batch,
                      stats::v1::CommitResponse* resp) override;
  grpc::Status QueryLogs(grpc::ServerContext* ctx, const admin::v1::ListRequestLogsRequest* req,
                         admin::v1::ListRequestLogsResponse* resp) override;
  grpc::Status GetInfo(grpc::ServerContext* ctx, const stats::v1::GetInfoRequest* req,
                       admin::v1::ServiceInfo* resp) override;
  grpc::Status GetStats(grpc::ServerContext* ctx, const admin::v1::GetStatsRequest* req,
                        admin::v1::StatsSummary* resp) override;
  grpc::Status CheckStore(grpc::ServerContext* ctx, const stats::v1::CheckStoreRequest* req,
                          stats::v1::CheckStoreResponse* resp) override;
  grpc::Status Prune(grpc::ServerContext* ctx, const admin::v1::PruneStatsRequest* req,
                     admin::v1::PruneStatsResponse* resp) override;
  grpc::Status ExportDatabase(grpc::ServerContext* ctx, const stats::v1::ExportDatabaseRequest* req,
                              grpc::ServerWriter<stats::v1::DatabaseChunk>* writer) override;

 private:
  StatsStore& store_;
  TokenFile& token_;
  Pruner& pruner_;
  std::mutex mu_;
  admin::v1::ServiceInfo info_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> stored_{0};
  std::atomic<int64_t> batches_{0};
};

}  // namespace agentgate::stats
