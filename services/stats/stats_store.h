// The stats service's store: request records in $AGENTGATE_HOME/stats.db (SQLite, WAL).
// Each batch is one transaction; replays of a record already stored (same request_id) are
// ignored, so an edge may resend a batch after a broken stream without duplicates.
//
// Thread-safe: one mutex around the connection.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "agentgate/admin/v1/admin.pb.h"
#include "services/store/sqlite.h"

namespace agentgate::stats {

class StatsStore {
 public:
  static absl::StatusOr<std::unique_ptr<StatsStore>> Open(const std::string& path);

  // Stores the records in one transaction; returns how many were new.
  absl::StatusOr<int64_t> Insert(
      const google::protobuf::RepeatedPtrField<admin::v1::RequestLog>& records);
  // Newest first, filtered as the request says.
  absl::StatusOr<std::vector<admin::v1::RequestLog>> Query(
      const admin::v1::ListRequestLogsRequest& req);
  absl::StatusOr<int64_t> Count();
  // "ok" from PRAGMA integrity_check, or the first problem.
  absl::StatusOr<std::string> IntegrityCheck();
  // A consistent copy of stats.db at `dest` (SQLite's online backup; ingest waits meanwhile).
  absl::Status BackupTo(const std::string& dest);
  // stats.db's own path ("" for an in-memory store).
  std::string path();
  // Totals for the request's range, today (from the caller's local midnight) and all time,
  // grouped and bucketed as asked. InvalidArgument for an unknown grouping or bucket.
  absl::StatusOr<admin::v1::StatsSummary> Summarize(const admin::v1::GetStatsRequest& req,
                                                    int64_t now_ms);

  // Deletes the records that started before `older_than_ms` (0: none by age), then, while the
  // pages in use exceed `max_bytes` (0: no cap), the oldest in chunks; a few thousand rows per
  // transaction so ingest never waits long. The file keeps its size (freed pages are reused)
  // and the WAL is truncated. Returns what is left (deleted, records, oldest, db_bytes).
  absl::StatusOr<admin::v1::PruneStatsResponse> Prune(int64_t older_than_ms, int64_t max_bytes);
  // What stats.db holds: records, oldest, bytes in use (the policy fields are left unset).
  absl::StatusOr<admin::v1::PruneStatsResponse> Usage();

 private:
  explicit StatsStore(std::unique_ptr<store::Database> db) : db_(std::move(db)) {}
  absl::StatusOr<admin::v1::PruneStatsResponse> UsageLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Deletes up to `limit` of the oldest rows matching `where` (?1 bound to `arg`).
  absl::StatusOr<int64_t> DeleteChunk(std::string_view where, int64_t arg, int64_t limit)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::mutex mu_;
  std::unique_ptr<store::Database> db_ ABSL_GUARDED_BY(mu_);
};

}  // namespace agentgate::stats
