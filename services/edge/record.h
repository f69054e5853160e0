// The record stage: what is written about a request, bounded in size. A request record carries
// text a client chose (its path, its model, what conversion dropped of its tools), so every
// such field is cut to a small cap with a marker saying how much was cut; a record is never
// larger than a few kilobytes whatever a request carried.
#pragma once

#include <cstddef>

#include "agentgate/admin/v1/admin.pb.h"
#include "services/protocol/ir.h"
#include "services/routing/snapshot.h"

namespace agentgate::edge {

inline constexpr size_t kMaxRecordedPath = 256;
inline constexpr size_t kMaxRecordedModel = 256;
inline constexpr size_t kMaxRecordedError = 1024;
inline constexpr size_t kMaxRecordedLosses = 32;
inline constexpr size_t kMaxRecordedLoss = 200;
inline constexpr size_t kMaxRecordedAttempts = 32;

// Where the edge puts the record of a finished request (the spool). Thread-safe; never blocks
// a request for long (a write() into the page cache at most).
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void Write(const admin::v1::RequestLog& rec) = 0;
};

// Cuts every client-chosen text of `rec` to its cap (with a marker) and the lists to theirs.
void BoundRecord(admin::v1::RequestLog* rec);

// The token counts of `usage` on `rec`.
void SetUsage(admin::v1::RequestLog* rec, const protocol::ir::Usage& usage);

// Sets the cost of `rec` from its usage at `snap`'s prices; leaves it unset when there was no
// usage, no snapshot or the model has no price (never guessed).
void PriceRecord(const routing::Snapshot* snap, admin::v1::RequestLog* rec);

// The bytes a record takes in a queue (its serialized size), for byte bounds.
size_t RecordBytes(const admin::v1::RequestLog& rec);

}  // namespace agentgate::edge
