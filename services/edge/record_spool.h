// The record spool: each request record is appended to a file in the data folder the moment its
// request ends, and shipped to the stats service from there; only what stats has committed is
// acknowledged and removed. So a record of an answered request survives kill -9 of the edge (a
// write() has put it in the page cache) and of stats (it stays here until stats commits it), and
// is never stored twice (stats ingests by request id, so a replay after a crash between commit
// and acknowledgement is harmless).
//
// Layout: $AGENTGATE_HOME/spool/<instance>/ — one folder per edge process (edge-<pid>-<ms>),
// flock()ed while that process lives. In it: seg-<n>.log files of framed records
// ([u32 length][u32 crc32 of the bytes][RequestLog bytes], little-endian) and `acked` (segment
// and offset acknowledged so far). A starting edge adopts the folders of edges that are gone
// (their lock is free) and ships them before its own; AdoptOrphans looks again later.
//
// Thread-safety: Append from any thread (one mutex, one write() per record); Next, Acknowledge
// and AdoptOrphans from one shipper thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "agentgate/admin/v1/admin.pb.h"
#include "services/edge/record.h"

namespace agentgate::edge {

class RecordSpool final : public RecordSink {
 public:
  struct Options {
    std::string dir;                    // the spool folder ($AGENTGATE_HOME/spool)
    uint64_t segment_bytes = 8u << 20;  // a segment is closed past this size
    uint64_t max_bytes = 1ull << 30;    // unacknowledged bytes at most; beyond, drop + count
  };
  // A position in the spool: records before it are acknowledged.
  struct Cursor {
    uint64_t source = 0;  // Source::id
    uint64_t segment = 0;
    uint64_t offset = 0;
  };
  struct Batch {
    std::vector<admin::v1::RequestLog> records;
    Cursor end;  // acknowledge this when `records` are committed
  };

  // Creates this process's folder (and the spool folder, 0700), locks it, adopts orphans.
  static absl::StatusOr<std::unique_ptr<RecordSpool>> Open(Options options);
  ~RecordSpool();

  // Appends one record. False (and counted as dropped) when the spool holds max_bytes already
  // or the write failed (disk full).
  bool Append(const admin::v1::RequestLog& rec);
  void Write(const admin::v1::RequestLog& rec) override { Append(rec); }
  // Waits up to `wait` for a record appended after the last Next (or Wake). Shipper thread.
  void WaitForRecords(std::chrono::milliseconds wait);
  // Ends a WaitForRecords now.
  void Wake();

  // Up to `max_records` records (about `max_bytes`) not yet acknowledged, oldest first,
  // starting at the acknowledged position: the same records again until acknowledged.
  Batch Next(size_t max_records, size_t max_bytes);
  // The records up to `end` are committed: their position is saved, spent segments and adopted
  // folders are removed.
  void Acknowledge(const Cursor& end);
  // Takes over the folders of edges that have exited since (their lock is free).
  void AdoptOrphans();

  uint64_t pending_bytes() const;  // written and not acknowledged
  int64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  int64_t corrupt() const { return corrupt_.load(std::memory_order_relaxed); }
  int64_t appended() const { return appended_.load(std::memory_order_relaxed); }
  const std::string& own_dir() const { return own_dir_; }

 private:
  struct Source {
    uint64_t id = 0;
    std::string dir;
    int lock_fd = -1;
    int acked_fd = -1;
    bool own = false;
    uint64_t acked_segment = 0;  // records before (acked_segment, acked_offset) are committed
    uint64_t acked_offset = 0;
  };
  explicit RecordSpool(Options options);
  absl::Status Init();
  void AddSource(const std::string& dir, int lock_fd, bool own);
  void SaveAcked(const Source& s);
  // Deletes a source's folder and closes its files (its lock last).
  void RemoveSource(Source& s);
  // The segment numbers present in a source's folder, ascending.
  std::vector<uint64_t> Segments(const Source& s) const;
  std::string SegmentPath(const Source& s, uint64_t n) const;
  // Bytes of a segment that the shipper may read: the active one up to what was written.
  uint64_t ReadableSize(const Source& s, uint64_t n) const;
  bool Closed(const Source& s, uint64_t n) const;
  // The bytes [off, size) of segment n, from the read cache when it holds them.
  std::string_view Read(const Source& s, uint64_t n, uint64_t off, uint64_t size);
  absl::Status OpenSegmentLocked(uint64_t n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  const Options options_;
  std::string own_dir_;

  std::mutex write_mu_;
  int write_fd_ ABSL_GUARDED_BY(write_mu_) = -1;
  std::string frame_ ABSL_GUARDED_BY(write_mu_);
  // The segment being written and its size: the shipper reads it only up to `active_size_`.
  std::atomic<uint64_t> active_segment_{0};
  std::atomic<uint64_t> active_size_{0};
  std::atomic<uint64_t> written_total_{0};  // bytes appended by this process

  // Shipper-thread state.
  std::vector<Source> sources_;  // adopted ones first (the oldest records), then our own
  uint64_t next_source_id_ = 1;
  struct ReadCache {
    uint64_t source = 0;  // 0: nothing reusable
    uint64_t segment = 0;
    uint64_t base = 0;  // file offset of bytes[0]
    std::string bytes;
  } cache_;
  std::atomic<uint64_t> pending_{0};

  std::mutex wait_mu_;
  std::condition_variable wait_cv_;
  std::atomic<bool> waiting_{false};
  bool woken_ ABSL_GUARDED_BY(wait_mu_) = false;

  std::atomic<int64_t> dropped_{0};
  std::atomic<int64_t> corrupt_{0};
  std::atomic<int64_t> appended_{0};
};

}  // namespace agentgate::edge
