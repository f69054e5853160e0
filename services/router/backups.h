// Backups of the stack's data, made while it serves: config.db (the router's own online copy),
// stats.db (the stats service's, streamed over gRPC), the token, and — when sealed with a
// passphrase — the master key, so the file restores on a fresh machine. Files go to
// {home}/backups (0700), named agentgate-YYYYMMDD-HHMMSS[-auto].agbak, written whole or not at
// all. A schedule makes one every `every` (sealed with the master key) and keeps the newest
// `keep` of its own.
//
// Thread-safe; one backup at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "agentgate/admin/v1/admin.pb.h"
#include "agentgate/stats/v1/stats.grpc.pb.h"
#include "services/router/config_store.h"
#include "services/router/local_token.h"

namespace agentgate::router {

class Backups {
 public:
  struct Options {
    std::string home;
    std::string stats_address;
    std::chrono::milliseconds every{24 * 3600 * 1000};  // 0: no schedule
    int keep = 7;                                       // scheduled backups kept
  };
  Backups(ConfigStore& store, LocalToken& token, Options opts);
  ~Backups();  // Stop()

  void Start();  // the schedule
  void Stop();

  // passphrase "": sealed with the master key.
  absl::StatusOr<admin::v1::BackupInfo> Create(const std::string& passphrase,
                                               bool scheduled = false);
  admin::v1::ListBackupsResponse List();
  // The newest `keep` stay; `scheduled_only`: only the schedule's own are counted and deleted.
  absl::StatusOr<std::vector<std::string>> Prune(int keep, bool scheduled_only = false);

  std::string dir() const { return opts_.home + "/backups"; }

 private:
  void Loop();

  ConfigStore& store_;
  LocalToken& token_;
  const Options opts_;
  std::unique_ptr<stats::v1::StatsService::Stub> stats_;

  std::mutex create_mu_;  // one backup at a time
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int64_t next_at_ms_ = 0;
  grpc::ClientContext* in_flight_ = nullptr;  // the stats export Stop cancels
  std::thread worker_;
};

}  // namespace agentgate::router
