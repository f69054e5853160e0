#include "services/edge/record_shipper.h"

#include "services/common/log.h"

namespace agentgate::edge {
namespace {

constexpr size_t kBatchRecords = 512;
constexpr size_t kBatchBytes = 4u << 20;
constexpr auto kIdleWait = std::chrono::milliseconds(50);
constexpr auto kAdoptEvery = std::chrono::seconds(10);

}  // namespace

RecordShipper::RecordShipper(RecordSpool& spool, CommitFn commit)
    : spool_(spool), commit_(std::move(commit)) {}

void RecordShipper::Start() {
  thread_ = std::thread([this] { Run(); });
}

void RecordShipper::Stop(std::chrono::milliseconds grace) {
  if (!thread_.joinable()) return;
  stop_deadline_ = std::chrono::steady_clock::now() + grace;
  stopping_ = true;
  spool_.Wake();
  thread_.join();
}

void RecordShipper::Run() {
  using Clock = std::chrono::steady_clock;
  auto backoff = std::chrono::milliseconds(100);
  auto next_adopt = Clock::now() + kAdoptEvery;
  bool failing = false;
  for (;;) {
    if (stopping_ && Clock::now() >= stop_deadline_) return;
    if (Clock::now() >= next_adopt) {
      spool_.AdoptOrphans();
      next_adopt = Clock::now() + kAdoptEvery;
    }
    RecordSpool::Batch batch = spool_.Next(kBatchRecords, kBatchBytes);
    if (batch.records.empty()) {
      if (stopping_) return;  // everything shipped
      spool_.WaitForRecords(kIdleWait);
      continue;
    }
    stats::v1::RecordBatch msg;
    msg.mutable_records()->Reserve(static_cast<int>(batch.records.size()));
    for (auto& r : batch.records) *msg.add_records() = std::move(r);
    grpc::Status st = commit_(msg);
    if (st.ok()) {
      spool_.Acknowledge(batch.end);
      ++batches_;
      if (failing) LogInfo("stats reachable again: shipping the record spool");
      failing = false;
      backoff = std::chrono::milliseconds(100);
      continue;
    }
    ++failures_;
    if (!failing) {
      LogWarn("cannot ship request records; they wait in the spool")
          .Kv("error", st.error_message())
          .Kv("pending_bytes", static_cast<int64_t>(spool_.pending_bytes()));
    }
    failing = true;
    if (stopping_) return;
    spool_.WaitForRecords(backoff);  // a wake-up here only retries sooner
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

}  // namespace agentgate::edge
