#include "services/router/self_check.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "services/common/check.h"
#include "services/common/clock.h"
#include "services/common/flags.h"
#include "services/common/grpc_util.h"
#include "services/common/strings.h"
#include "services/router/admin_service.h"

namespace agentgate::router {
namespace {

std::string Ago(int64_t ms) {
  int64_t s = ms / 1000;
  if (s < 120) return std::to_string(s) + " s ago";
  if (s < 7200) return std::to_string(s / 60) + " min ago";
  if (s < 172800) return std::to_string(s / 3600) + " h ago";
  return std::to_string(s / 86400) + " days ago";
}

std::string Octal(int mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%03o", mode & 0777);
  return buf;
}

}  // namespace

admin::v1::Check JudgeBackups(const admin::v1::ListBackupsResponse& b, int64_t now_ms) {
  int64_t newest = 0;
  int unreadable = 0;
  for (const auto& x : b.backups()) {
    if (!x.error().empty()) {
      ++unreadable;
      continue;
    }
    newest = std::max(newest, x.created_at_ms());
  }
  const int readable = b.backups_size() - unreadable;
  if (unreadable > 0) {
    return MakeCheck(
        "backups", admin::v1::CHECK_STATUS_WARN,
        std::to_string(unreadable) + " file(s) in " + b.dir() + " are not readable backups",
        "agentgatectl backup list names them; move them out of the folder");
  }
  if (newest == 0) {
    if (b.every_ms() <= 0) {
      return MakeCheck("backups", admin::v1::CHECK_STATUS_WARN,
                       "no backups, and none are scheduled",
                       "agentgatectl backup create; the router makes one a day unless "
                       "--backup-every 0");
    }
    return MakeCheck("backups", admin::v1::CHECK_STATUS_OK,
                     "none yet; the schedule makes the first");
  }
  const std::string detail =
      std::to_string(readable) + " in " + b.dir() + ", the newest " + Ago(now_ms - newest);
  if (b.every_ms() > 0 && now_ms - newest > 2 * b.every_ms() + 3600 * 1000) {
    return MakeCheck(
        "backups", admin::v1::CHECK_STATUS_WARN,
        detail + ", though one is due every " + std::to_string(b.every_ms() / 3600000) + " h",
        "the router log says why (\"scheduled backup failed\")");
  }
  return MakeCheck("backups", admin::v1::CHECK_STATUS_OK, detail);
}

admin::v1::Check JudgeServices(const admin::v1::StackStatus& status, const std::string& version) {
  std::vector<std::string> down, other_version, lagging, up;
  for (const auto& s : status.services()) {
    const std::string& name = s.info().name();
    if (s.health() != admin::v1::HEALTH_SERVING) {
      down.push_back(name + (s.detail().empty() ? "" : " (" + s.detail() + ")"));
      continue;
    }
    up.push_back(name);
    if (s.info().version() != version) {
      other_version.push_back(name + " " + s.info().version());
    }
    if (name == "edge" && s.info().config_version() < status.config_version()) {
      lagging.push_back("edge at " + s.info().address() + " on config " +
                        std::to_string(s.info().config_version()) + " of " +
                        std::to_string(status.config_version()));
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : "; ") + x;
    return out;
  };
  if (!down.empty()) {
    return MakeCheck("services", admin::v1::CHECK_STATUS_FAIL, "not serving: " + join(down),
                     "start the stack again: agentgatectl down && agentgatectl up --detach");
  }
  if (!other_version.empty()) {
    return MakeCheck("services", admin::v1::CHECK_STATUS_FAIL,
                     "not on the router's version " + version + ": " + join(other_version),
                     "restart the stack so that every service runs the installed build");
  }
  if (!lagging.empty()) {
    return MakeCheck(
        "services", admin::v1::CHECK_STATUS_WARN, join(lagging),
        "an edge that stays behind cannot reach the router: check its --router address");
  }
  return MakeCheck("services", admin::v1::CHECK_STATUS_OK,
                   std::to_string(up.size()) + " serving on " + version + ": " + join(up));
}

admin::v1::Check JudgeConfig(const std::string& integrity,
                             const std::vector<admin::v1::Provider>& providers) {
  if (integrity != "ok") {
    return MakeCheck("config", admin::v1::CHECK_STATUS_FAIL, "config.db: " + integrity,
                     "restore config.db from a backup");
  }
  int enabled = 0;
  for (const auto& p : providers) enabled += p.enabled() ? 1 : 0;
  if (providers.empty()) {
    return MakeCheck("config", admin::v1::CHECK_STATUS_WARN, "no providers yet",
                     "agentgatectl provider add --type TYPE --key KEY (or agentgatectl setup)");
  }
  if (enabled == 0) {
    return MakeCheck("config", admin::v1::CHECK_STATUS_WARN, "every provider is disabled",
                     "agentgatectl provider update NAME --enable");
  }
  return MakeCheck("config", admin::v1::CHECK_STATUS_OK,
                   std::to_string(providers.size()) + " provider" +
                       (providers.size() == 1 ? "" : "s") + ", " + std::to_string(enabled) +
                       " enabled");
}

admin::v1::Check JudgeDatabases(const std::string& config_integrity,
                                const std::string& stats_integrity, const std::string& why) {
  if (config_integrity != "ok") {
    return MakeCheck("databases", admin::v1::CHECK_STATUS_FAIL, "config.db: " + config_integrity);
  }
  if (stats_integrity.empty()) {
    return MakeCheck("databases", admin::v1::CHECK_STATUS_WARN,
                     "config.db ok; stats.db not checked: " + why);
  }
  if (stats_integrity != "ok") {
    return MakeCheck("databases", admin::v1::CHECK_STATUS_FAIL, "stats.db: " + stats_integrity,
                     "stop the stack and move stats.db aside: request history starts afresh");
  }
  return MakeCheck("databases", admin::v1::CHECK_STATUS_OK,
                   "config.db and stats.db pass "
                   "integrity_check");
}

admin::v1::Check JudgeRetention(const admin::v1::PruneStatsResponse* usage, int64_t now_ms) {
  if (usage == nullptr) {
    return MakeCheck("retention", admin::v1::CHECK_STATUS_WARN,
                     "stats.db not measured: the stats service did not answer");
  }
  char mb[32];
  std::snprintf(mb, sizeof mb, "%.1f MB", static_cast<double>(usage->db_bytes()) / 1e6);
  std::string detail = "stats.db holds " + std::to_string(usage->records()) + " records (" + mb;
  if (usage->oldest_ms() > 0) {
    detail +=
        ", the oldest " + std::to_string((now_ms - usage->oldest_ms()) / 86400000) + " days old";
  }
  detail += "); ";
  detail += usage->retention_days() > 0
                ? "kept " + std::to_string(usage->retention_days()) + " days"
                : std::string("kept forever");
  if (usage->max_bytes() > 0) {
    detail += ", at most " + std::to_string(usage->max_bytes() / (1024 * 1024)) + " MiB";
  }
  if (usage->retention_days() <= 0 && usage->max_bytes() <= 0 &&
      usage->db_bytes() > (int64_t{1} << 30)) {
    return MakeCheck("retention", admin::v1::CHECK_STATUS_WARN, detail,
                     "bound it: agentgate-stats --retention-days N or --max-db-mb N, or "
                     "`agentgatectl stats prune --older-than 90d`");
  }
  return MakeCheck("retention", admin::v1::CHECK_STATUS_OK, detail);
}

admin::v1::Check JudgeFiles(const std::vector<FileMode>& files) {
  std::vector<std::string> problems;
  for (const auto& f : files) {
    if (f.mode < 0) {
      if (f.required) problems.push_back(f.path + " is missing");
      continue;
    }
    if ((f.mode & 077) != 0) {
      problems.push_back(f.path + " is mode " + Octal(f.mode) + ", readable by others");
    }
  }
  if (!problems.empty()) {
    std::string detail;
    for (const auto& p : problems) detail += (detail.empty() ? "" : "; ") + p;
    return MakeCheck("files", admin::v1::CHECK_STATUS_FAIL, detail, "chmod 600 on each of them");
  }
  return MakeCheck("files", admin::v1::CHECK_STATUS_OK,
                   "token, keys and databases are private (0600)");
}

admin::v1::Check JudgeProviders(const std::vector<admin::v1::Provider>& providers, int64_t now_ms) {
  std::vector<std::string> failed, never, ok;
  for (const auto& p : providers) {
    if (!p.enabled()) continue;
    if (!p.has_last_test()) {
      never.push_back(p.name());
      continue;
    }
    const auto& t = p.last_test();
    if (t.ok()) {
      ok.push_back(p.name() + " " + Ago(now_ms - t.tested_at_ms()));
      continue;
    }
    std::string why;
    for (const auto& s : t.steps()) {
      if (!s.ok() && !s.skipped()) {
        why = s.name() + ": " + s.detail();
        break;
      }
    }
    failed.push_back(p.name() + " (" + Ago(now_ms - t.tested_at_ms()) + (why.empty() ? "" : ", ") +
                     why + ")");
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : "; ") + x;
    return out;
  };
  if (!failed.empty()) {
    return MakeCheck(
        "providers", admin::v1::CHECK_STATUS_WARN, "last test failed: " + join(failed),
        "agentgatectl provider show NAME, fix it, then agentgatectl provider test NAME");
  }
  if (!never.empty()) {
    return MakeCheck("providers", admin::v1::CHECK_STATUS_WARN, "never tested: " + join(never),
                     "agentgatectl provider test NAME");
  }
  if (ok.empty()) return MakeCheck("providers", admin::v1::CHECK_STATUS_OK, "no enabled providers");
  return MakeCheck("providers", admin::v1::CHECK_STATUS_OK, "last test ok: " + join(ok));
}

admin::v1::Check JudgeClock(int64_t now_ms, const admin::v1::StackStatus& status) {
  // 2025-01-01 and 2100-01-01: a clock outside is wrong (TLS certificates would fail too).
  constexpr int64_t kEarliest = 1'735'689'600'000;
  constexpr int64_t kLatest = 4'102'444'800'000;
  if (now_ms < kEarliest || now_ms > kLatest) {
    return MakeCheck("clock", admin::v1::CHECK_STATUS_FAIL,
                     "the system clock reads " + std::to_string(now_ms / 1000) + " s since 1970",
                     "set the clock (timedatectl set-ntp true): TLS to providers fails with it");
  }
  for (const auto& s : status.services()) {
    if (s.health() == admin::v1::HEALTH_SERVING && s.info().started_at_ms() > now_ms + 60'000) {
      return MakeCheck("clock", admin::v1::CHECK_STATUS_WARN,
                       s.info().name() + " says it started " +
                           std::to_string((s.info().started_at_ms() - now_ms) / 1000) +
                           " s from now: its clock and the router's disagree",
                       "synchronise the machines' clocks (NTP)");
    }
  }
  return MakeCheck("clock", admin::v1::CHECK_STATUS_OK, "the services' clocks agree");
}

grpc::Status AdminServiceImpl::SelfCheck(grpc::ServerContext* ctx,
                                         const admin::v1::SelfCheckRequest* req,
                                         admin::v1::SelfCheckReport* resp) {
  if (auto st = Auth(ctx); !st.ok()) return st;
  {
    std::lock_guard<std::mutex> lock(mu_);
    resp->set_version(self_.version());
  }
  admin::v1::StackStatus status;
  CollectStatus(&status);
  *resp->add_checks() = JudgeServices(status, resp->version());

  auto providers = store_.ListProviders();
  std::vector<admin::v1::Provider> list;
  if (providers.ok()) list = *std::move(providers);
  auto integrity = store_.IntegrityCheck();
  std::string config_integrity = integrity.ok() ? *integrity : Message(integrity.status());
  *resp->add_checks() = JudgeConfig(config_integrity, list);

  std::string stats_integrity, why;
  std::optional<admin::v1::PruneStatsResponse> retention;
  {
    grpc::ClientContext c;
    AddBearer(c, service_cred_.Get());
    c.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    stats::v1::CheckStoreResponse r;
    grpc::Status st = stats_->CheckStore(&c, stats::v1::CheckStoreRequest(), &r);
    if (st.ok()) {
      stats_integrity = r.integrity();
      if (r.has_retention()) retention = r.retention();
    } else {
      why = "the stats service did not answer: " + st.error_message();
    }
  }
  *resp->add_checks() = JudgeDatabases(config_integrity, stats_integrity, why);
  *resp->add_checks() = JudgeRetention(retention ? &*retention : nullptr, NowMs());

  std::vector<FileMode> files;
  auto mode_of = [](const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
  };
  const std::string& home = peers_.home;
  const bool env_key = !EnvOr("AGENTGATE_MASTER_KEY", "").empty();
  for (auto [name, required] : {std::pair{"token", true}, std::pair{"admin.token", true},
                                std::pair{"service.token", true}, std::pair{"master.key", !env_key},
                                std::pair{"config.db", true}, std::pair{"stats.db", false}}) {
    std::string path = home + "/" + name;
    files.push_back(FileMode{path, mode_of(path), required});
  }
  *resp->add_checks() = JudgeFiles(files);
  const int64_t now = NowMs();
  *resp->add_checks() = JudgeBackups(backups_.List(), now);
  *resp->add_checks() = JudgeProviders(list, now);
  *resp->add_checks() = JudgeClock(now, status);
  resp->set_router_time_ms(NowMs());
  return grpc::Status::OK;
}

}  // namespace agentgate::router
