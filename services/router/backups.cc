#include "services/router/backups.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/common/token.h"
#include "services/store/backup_file.h"

namespace agentgate::router {
namespace {

constexpr std::string_view kSuffix = ".agbak";
constexpr std::string_view kAutoSuffix = "-auto.agbak";

std::string StampUtc(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

std::string HostName() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

Backups::Backups(ConfigStore& store, LocalToken& token, Options opts)
    : store_(store),
      token_(token),
      opts_(std::move(opts)),
      stats_(stats::v1::StatsService::NewStub(LocalChannel(opts_.stats_address))) {}

Backups::~Backups() { Stop(); }

void Backups::Start() {
  if (opts_.every.count() <= 0) return;
  // After the newest scheduled backup; on a first start, soon (not at once: the stack is
  // coming up).
  int64_t newest = 0;
  const admin::v1::ListBackupsResponse found = List();
  for (const auto& b : found.backups()) {
    if (b.scheduled()) newest = std::max(newest, b.created_at_ms());
  }
  const int64_t every = opts_.every.count();
  {
    std::lock_guard<std::mutex> lock(mu_);
    next_at_ms_ = newest > 0 ? newest + every : NowMs() + std::min<int64_t>(every, 60'000);
  }
  worker_ = std::thread([this] { Loop(); });
}

void Backups::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (in_flight_ != nullptr) in_flight_->TryCancel();
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void Backups::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    const int64_t wait = next_at_ms_ - NowMs();
    if (wait > 0) {
      cv_.wait_for(lock, std::chrono::milliseconds(std::min<int64_t>(wait, 60'000)),
                   [&] { return stopping_; });
      continue;
    }
    next_at_ms_ = NowMs() + opts_.every.count();
    lock.unlock();
    auto made = Create("", /*scheduled=*/true);
    if (made.ok()) {
      LogInfo("scheduled backup made").Kv("file", made->name()).Kv("bytes", made->size_bytes());
      if (auto pruned = Prune(opts_.keep, /*scheduled_only=*/true); !pruned.ok()) {
        LogWarn("old backups not pruned").Kv("error", Message(pruned.status()));
      }
    } else {
      LogWarn("scheduled backup failed").Kv("error", Message(made.status()));
    }
    lock.lock();
  }
}

absl::StatusOr<admin::v1::BackupInfo> Backups::Create(const std::string& passphrase,
                                                      bool scheduled) {
  std::lock_guard<std::mutex> one(create_mu_);
  const std::string d = dir();
  std::error_code ec;
  std::filesystem::create_directories(d, ec);
  if (ec || ::chmod(d.c_str(), 0700) != 0) {
    return absl::InternalError("cannot make " + d + ": " + ec.message());
  }
  const int64_t now = NowMs();
  std::string name = "agentgate-" + StampUtc(now);
  std::string path = d + "/" + name + (scheduled ? std::string(kAutoSuffix) : std::string(kSuffix));
  for (int n = 2; FileExists(path); ++n) {
    path = d + "/" + name + "-" + std::to_string(n) +
           (scheduled ? std::string(kAutoSuffix) : std::string(kSuffix));
  }

  // stats.db first: whether it comes decides what the header lists. The call is cancelled by
  // Stop, and on any early return (a stream is always finished).
  grpc::ClientContext ctx;
  AddBearer(ctx, token_.Get());
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return absl::CancelledError("the router is stopping");
    in_flight_ = &ctx;
  }
  auto reader = stats_->ExportDatabase(&ctx, stats::v1::ExportDatabaseRequest());
  struct EndStream {
    Backups* self;
    grpc::ClientContext& ctx;
    grpc::ClientReader<stats::v1::DatabaseChunk>& reader;
    bool done = false;
    ~EndStream() {
      if (!done) {
        ctx.TryCancel();
        reader.Finish();
      }
      std::lock_guard<std::mutex> lock(self->mu_);
      self->in_flight_ = nullptr;
    }
  } finish{this, ctx, *reader};
  stats::v1::DatabaseChunk first;
  const bool with_stats = reader->Read(&first);
  std::string stats_error;
  if (!with_stats) {
    grpc::Status st = reader->Finish();
    finish.done = true;
    stats_error = st.error_message();
    LogWarn("backup without stats.db").Kv("error", stats_error);
  }

  store::BackupHeader h;
  h.created_at_ms = now;
  h.seal =
      std::string(passphrase.empty() ? store::kBackupSealMasterKey : store::kBackupSealPassphrase);
  h.host = HostName();
  h.scheduled = scheduled;
  h.contents.push_back("config.db");
  if (with_stats) h.contents.push_back("stats.db");
  const std::string token_path = opts_.home + "/token";
  const std::string master_path = opts_.home + "/master.key";
  if (FileExists(token_path)) h.contents.push_back("token");
  if (!passphrase.empty() && FileExists(master_path)) h.contents.push_back("master.key");
  std::string key;
  if (passphrase.empty()) {
    key = store_.BackupKey();
  } else {
    h.salt = RandomBytes(16);
    auto derived = store::BackupKeyFromPassphrase(passphrase, h.salt);
    if (!derived.ok()) return derived.status();
    key = *std::move(derived);
  }
  auto writer = store::BackupWriter::Create(path, h, std::move(key));
  if (!writer.ok()) return writer.status();

  // config.db: an online copy beside it, then into the file.
  const std::string copy = d + "/.config-" + RandomHex(8) + ".tmp";
  absl::Status st = store_.BackupTo(copy);
  if (st.ok()) st = (*writer)->AddFile("config.db", copy);
  ::unlink(copy.c_str());
  if (!st.ok()) return st;

  if (with_stats) {
    st = (*writer)->BeginEntry("stats.db", static_cast<uint64_t>(first.total_bytes()));
    if (st.ok()) st = (*writer)->Write(first.data());
    stats::v1::DatabaseChunk chunk;
    while (st.ok() && reader->Read(&chunk)) st = (*writer)->Write(chunk.data());
    if (!st.ok()) return st;  // `finish` cancels the stream
    grpc::Status done = reader->Finish();
    finish.done = true;
    if (st.ok() && !done.ok()) {
      st = absl::UnavailableError("the stats service stopped sending stats.db: " +
                                  done.error_message());
    }
    if (!st.ok()) return st;
  }
  if (FileExists(token_path)) {
    if (st = (*writer)->AddFile("token", token_path); !st.ok()) return st;
  }
  if (!passphrase.empty() && FileExists(master_path)) {
    if (st = (*writer)->AddFile("master.key", master_path); !st.ok()) return st;
  }
  if (st = (*writer)->Finish(); !st.ok()) return st;

  admin::v1::BackupInfo info;
  info.set_name(path.substr(d.size() + 1));
  info.set_path(path);
  info.set_created_at_ms(now);
  struct stat sb {};
  if (::stat(path.c_str(), &sb) == 0) info.set_size_bytes(sb.st_size);
  info.set_seal(h.seal);
  for (const auto& c : h.contents) info.add_contents(c);
  info.set_scheduled(scheduled);
  if (!with_stats) info.set_error("stats.db is not in it: " + stats_error);
  LogInfo("backup made").Kv("file", info.name()).Kv("seal", h.seal);
  return info;
}

admin::v1::ListBackupsResponse Backups::List() {
  admin::v1::ListBackupsResponse resp;
  resp.set_dir(dir());
  resp.set_every_ms(opts_.every.count());
  resp.set_keep(opts_.keep);
  {
    std::lock_guard<std::mutex> lock(mu_);
    resp.set_next_at_ms(opts_.every.count() > 0 ? next_at_ms_ : 0);
  }
  std::error_code ec;
  std::vector<admin::v1::BackupInfo> found;
  for (const auto& e : std::filesystem::directory_iterator(dir(), ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || !EndsWith(name, kSuffix)) continue;
    admin::v1::BackupInfo b;
    b.set_name(name);
    b.set_path(e.path().string());
    b.set_size_bytes(static_cast<int64_t>(e.file_size(ec)));
    b.set_scheduled(EndsWith(name, kAutoSuffix));
    auto h = store::ReadBackupHeader(b.path());
    if (h.ok()) {
      b.set_created_at_ms(h->created_at_ms);
      b.set_seal(h->seal);
      for (const auto& c : h->contents) b.add_contents(c);
    } else {
      b.set_error(std::string(h.status().message()));
    }
    found.push_back(std::move(b));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.created_at_ms() != b.created_at_ms() ? a.created_at_ms() > b.created_at_ms()
                                                  : a.name() > b.name();
  });
  for (auto& b : found) *resp.add_backups() = std::move(b);
  return resp;
}

absl::StatusOr<std::vector<std::string>> Backups::Prune(int keep, bool scheduled_only) {
  if (keep < 1) return absl::InvalidArgumentError("keep at least one backup");
  std::lock_guard<std::mutex> one(create_mu_);
  std::vector<std::string> deleted;
  int kept = 0;
  const admin::v1::ListBackupsResponse found = List();
  for (const auto& b : found.backups()) {  // newest first
    if (scheduled_only && !b.scheduled()) continue;
    if (!b.error().empty()) continue;  // not ours to judge
    if (kept < keep) {
      ++kept;
      continue;
    }
    if (::unlink(b.path().c_str()) == 0) deleted.push_back(b.name());
  }
  return deleted;
}

}  // namespace agentgate::router
