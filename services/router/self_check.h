// The self-check behind `agentgatectl doctor`: each check judged from what the router
// gathered. The judging is pure (tested alone); AdminServiceImpl::SelfCheck gathers.
#pragma once

#include <string>
#include <vector>

#include "agentgate/admin/v1/admin.pb.h"

namespace agentgate::router {

// Every service serving and on `version`; edges on the current config version.
admin::v1::Check JudgeServices(const admin::v1::StackStatus& status, const std::string& version);

// config.db's integrity result and the providers: none, or one with a problem, is a warning.
admin::v1::Check JudgeConfig(const std::string& integrity,
                             const std::vector<admin::v1::Provider>& providers);

// Both databases' integrity ("ok" or the problem; empty: could not be asked, with `why`).
admin::v1::Check JudgeDatabases(const std::string& config_integrity,
                                const std::string& stats_integrity, const std::string& why);

// How much stats.db holds and how long it keeps it (`usage` from the stats service; nullptr
// when it did not answer): a warning when nothing bounds it and it has grown past 1 GiB.
admin::v1::Check JudgeRetention(const admin::v1::PruneStatsResponse* usage, int64_t now_ms);

// The backups: none while nothing makes them, or a schedule whose newest is overdue (older than
// two periods), is a warning; unreadable files in the folder too.
admin::v1::Check JudgeBackups(const admin::v1::ListBackupsResponse& backups, int64_t now_ms);

// A secret file and its permission bits (-1: missing).
struct FileMode {
  std::string path;
  int mode = -1;
  bool required = true;  // missing is a failure (else fine: e.g. master.key with the env key)
};
// Every secret file exists (when required) and is readable by its owner only.
admin::v1::Check JudgeFiles(const std::vector<FileMode>& files);

// Each enabled provider's last connection test: failed or never run is a warning.
admin::v1::Check JudgeProviders(const std::vector<admin::v1::Provider>& providers, int64_t now_ms);

// The router's clock against a sane range and against the edges' start times (an edge that
// started "in the future" means the clocks disagree).
admin::v1::Check JudgeClock(int64_t now_ms, const admin::v1::StackStatus& status);

}  // namespace agentgate::router
