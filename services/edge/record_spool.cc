#include "services/edge/record_spool.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "services/common/clock.h"
#include "services/common/files.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"

namespace agentgate::edge {
namespace {

constexpr size_t kFrameHeader = 8;
constexpr uint32_t kMaxRecord = 16u << 20;  // a length beyond this is corruption

void PutU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// Tries to take the exclusive lock of an instance folder: the fd, or -1 when another process
// holds it (or the folder has no lock file).
int TryLock(const std::string& dir) {
  int fd = ::open((dir + "/lock").c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool ParseSegmentName(const char* name, uint64_t* n) {
  std::string_view v(name);
  if (v.size() < 9 || v.substr(0, 4) != "seg-" || v.substr(v.size() - 4) != ".log") return false;
  v = v.substr(4, v.size() - 8);
  uint64_t x = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    x = x * 10 + static_cast<uint64_t>(c - '0');
  }
  *n = x;
  return !v.empty();
}

}  // namespace

RecordSpool::RecordSpool(Options options) : options_(std::move(options)) {}

RecordSpool::~RecordSpool() {
  {
    std::lock_guard lock(write_mu_);
    if (write_fd_ >= 0) ::close(write_fd_);
  }
  // A clean stop with everything shipped leaves no folder behind; otherwise the next edge adopts
  // it (as after a crash, when this never runs).
  const bool drained = pending_.load() == 0;
  for (auto& s : sources_) {
    if (s.own && drained) {
      RemoveSource(s);
      continue;
    }
    if (s.acked_fd >= 0) ::close(s.acked_fd);
    if (s.lock_fd >= 0) ::close(s.lock_fd);
  }
}

void RecordSpool::RemoveSource(Source& s) {
  for (uint64_t n : Segments(s)) ::unlink(SegmentPath(s, n).c_str());
  ::unlink((s.dir + "/acked").c_str());
  ::unlink((s.dir + "/lock").c_str());  // while still locked: nobody adopts it meanwhile
  ::rmdir(s.dir.c_str());
  if (s.acked_fd >= 0) ::close(s.acked_fd);
  if (s.lock_fd >= 0) ::close(s.lock_fd);
  s.acked_fd = s.lock_fd = -1;
}

absl::StatusOr<std::unique_ptr<RecordSpool>> RecordSpool::Open(Options options) {
  std::unique_ptr<RecordSpool> spool(new RecordSpool(std::move(options)));
  if (absl::Status st = spool->Init(); !st.ok()) return st;
  return spool;
}

absl::Status RecordSpool::Init() {
  if (auto st = EnsureDir(options_.dir, 0700); !st.ok()) return st;
  // edge-<pid>-<ms>[-n]: unique even for two spools opened in one millisecond.
  const std::string base =
      options_.dir + "/edge-" + std::to_string(::getpid()) + "-" + std::to_string(NowMs());
  for (int n = 0;; ++n) {
    own_dir_ = n == 0 ? base : base + "-" + std::to_string(n);
    if (::mkdir(own_dir_.c_str(), 0700) == 0) break;
    if (errno != EEXIST || n >= 100) {
      return absl::UnavailableError("cannot create the record spool " + own_dir_ + ": " +
                                    std::strerror(errno));
    }
  }
  int fd = ::open((own_dir_ + "/lock").c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                  0600);
  if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (fd >= 0) ::close(fd);
    return absl::UnavailableError("cannot lock the record spool " + own_dir_);
  }
  AdoptOrphans();
  AddSource(own_dir_, fd, /*own=*/true);
  std::lock_guard lock(write_mu_);
  return OpenSegmentLocked(0);
}

absl::Status RecordSpool::OpenSegmentLocked(uint64_t n) {
  const Source& own = sources_.back();
  int fd = ::open(SegmentPath(own, n).c_str(),
                  O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return absl::UnavailableError("cannot create a record spool segment: " +
                                  std::string(std::strerror(errno)));
  }
  if (write_fd_ >= 0) ::close(write_fd_);
  write_fd_ = fd;
  active_size_.store(0, std::memory_order_release);
  active_segment_.store(n, std::memory_order_release);
  return absl::OkStatus();
}

void RecordSpool::AddSource(const std::string& dir, int lock_fd, bool own) {
  Source s;
  s.id = next_source_id_++;
  s.dir = dir;
  s.lock_fd = lock_fd;
  s.own = own;
  s.acked_fd = ::open((dir + "/acked").c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  char buf[17] = {};
  if (s.acked_fd >= 0 && ::pread(s.acked_fd, buf, 16, 0) == 16) {
    uint64_t seg = 0, off = 0;
    std::memcpy(&seg, buf, 8);
    std::memcpy(&off, buf + 8, 8);
    s.acked_segment = seg;
    s.acked_offset = off;
  }
  if (!own) {
    uint64_t pending = 0;
    for (uint64_t n : Segments(s)) {
      if (n < s.acked_segment) continue;
      uint64_t size = FileSize(SegmentPath(s, n));
      pending += n == s.acked_segment ? size - std::min(size, s.acked_offset) : size;
    }
    if (pending == 0) {  // an edge that had shipped everything: nothing to adopt
      RemoveSource(s);
      return;
    }
    pending_.fetch_add(pending, std::memory_order_relaxed);
    LogInfo("adopting the record spool of an edge that is gone")
        .Kv("dir", dir)
        .Kv("pending_bytes", static_cast<int64_t>(pending));
    // Before our own: their records are older.
    auto own_it =
        std::find_if(sources_.begin(), sources_.end(), [](const Source& x) { return x.own; });
    sources_.insert(own_it, std::move(s));
    return;
  }
  sources_.push_back(std::move(s));
}

void RecordSpool::AdoptOrphans() {
  DIR* d = ::opendir(options_.dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> found;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.rfind("edge-", 0) != 0) continue;
    std::string dir = options_.dir + "/" + name;
    if (dir == own_dir_) continue;
    bool known = std::any_of(sources_.begin(), sources_.end(),
                             [&](const Source& s) { return s.dir == dir; });
    if (!known) found.push_back(dir);
  }
  ::closedir(d);
  std::sort(found.begin(), found.end());
  for (const std::string& dir : found) {
    int fd = TryLock(dir);
    if (fd >= 0) AddSource(dir, fd, /*own=*/false);
  }
}

std::vector<uint64_t> RecordSpool::Segments(const Source& s) const {
  std::vector<uint64_t> out;
  DIR* d = ::opendir(s.dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) {
    uint64_t n;
    if (ParseSegmentName(e->d_name, &n)) out.push_back(n);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

std::string RecordSpool::SegmentPath(const Source& s, uint64_t n) const {
  return s.dir + "/seg-" + std::to_string(n) + ".log";
}

bool RecordSpool::Closed(const Source& s, uint64_t n) const {
  return !s.own || n != active_segment_.load(std::memory_order_acquire);
}

uint64_t RecordSpool::ReadableSize(const Source& s, uint64_t n) const {
  if (!Closed(s, n)) return active_size_.load(std::memory_order_acquire);
  return FileSize(SegmentPath(s, n));
}

bool RecordSpool::Append(const admin::v1::RequestLog& rec) {
  const size_t size = rec.ByteSizeLong();
  if (pending_.load(std::memory_order_relaxed) + size + kFrameHeader > options_.max_bytes ||
      size > kMaxRecord) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  std::lock_guard lock(write_mu_);
  if (write_fd_ < 0) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  frame_.resize(kFrameHeader + size);
  rec.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(frame_.data() + kFrameHeader));
  PutU32(frame_.data(), static_cast<uint32_t>(size));
  PutU32(frame_.data() + 4, static_cast<uint32_t>(crc32(
                                0, reinterpret_cast<const Bytef*>(frame_.data() + kFrameHeader),
                                static_cast<uInt>(size))));
  ssize_t n = ::write(write_fd_, frame_.data(), frame_.size());
  if (n != static_cast<ssize_t>(frame_.size())) {
    // A short write (disk full) leaves a torn frame: the reader stops this segment there, so
    // the next record goes to a fresh one.
    dropped_.fetch_add(1, std::memory_order_relaxed);
    if (n > 0) (void)OpenSegmentLocked(active_segment_.load() + 1);
    return false;
  }
  uint64_t end = active_size_.load(std::memory_order_relaxed) + frame_.size();
  active_size_.store(end, std::memory_order_release);
  pending_.fetch_add(frame_.size(), std::memory_order_relaxed);
  appended_.fetch_add(1, std::memory_order_relaxed);
  if (waiting_.load(std::memory_order_acquire)) Wake();
  if (end >= options_.segment_bytes) {
    if (auto st = OpenSegmentLocked(active_segment_.load() + 1); !st.ok()) {
      LogError("record spool").Kv("error", Message(st));
    }
  }
  return true;
}

RecordSpool::Batch RecordSpool::Next(size_t max_records, size_t max_bytes) {
  Batch b;
  size_t bytes = 0;
  for (const Source& s : sources_) {
    uint64_t seg = s.acked_segment, off = s.acked_offset;
    b.end = {s.id, seg, off};
    for (uint64_t n : Segments(s)) {
      if (n < seg) continue;
      if (n > seg) off = 0;
      seg = n;
      b.end = {s.id, seg, off};
      const uint64_t size = ReadableSize(s, n);
      if (off >= size) continue;
      std::string_view window = Read(s, n, off, size);
      if (window.empty()) continue;
      const char* data = window.data();
      const ssize_t got = static_cast<ssize_t>(window.size());
      size_t pos = 0;
      while (pos + kFrameHeader <= static_cast<size_t>(got) && b.records.size() < max_records &&
             bytes < max_bytes) {
        uint32_t len = GetU32(data + pos);
        uint32_t crc = GetU32(data + pos + 4);
        if (len > kMaxRecord || pos + kFrameHeader + len > static_cast<size_t>(got)) break;
        const char* payload = data + pos + kFrameHeader;
        admin::v1::RequestLog rec;
        if (crc32(0, reinterpret_cast<const Bytef*>(payload), len) != crc ||
            !rec.ParseFromArray(payload, static_cast<int>(len))) {
          break;
        }
        pos += kFrameHeader + len;
        bytes += kFrameHeader + len;
        b.records.push_back(std::move(rec));
        b.end = {s.id, n, off + pos};
      }
      if (b.records.size() >= max_records || bytes >= max_bytes) return b;
      if (off + pos < size && Closed(s, n)) {
        // A closed segment whose rest is not a valid frame (a write torn by a crash, or a
        // damaged file): skip it, counted.
        corrupt_.fetch_add(1, std::memory_order_relaxed);
        LogWarn("record spool: skipping the damaged end of a segment")
            .Kv("segment", SegmentPath(s, n))
            .Kv("bytes", static_cast<int64_t>(size - off - pos));
        b.end = {s.id, n, size};
        if (b.records.empty()) {
          Acknowledge(b.end);  // nothing to commit: step over the damage now
          return Next(max_records, max_bytes);
        }
        return b;
      }
      if (!b.records.empty() && !Closed(s, n)) return b;
    }
    if (!b.records.empty()) return b;
  }
  return b;
}

std::string_view RecordSpool::Read(const Source& s, uint64_t n, uint64_t off, uint64_t size) {
  const bool closed = Closed(s, n);
  // A closed segment is read once and served from memory batch after batch; the one being
  // written grows, so only its new bytes are read.
  if (closed && cache_.source == s.id && cache_.segment == n && off >= cache_.base &&
      cache_.base + cache_.bytes.size() == size) {
    return std::string_view(cache_.bytes).substr(off - cache_.base);
  }
  int fd = ::open(SegmentPath(s, n).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return {};
  cache_.bytes.resize(size - off);
  ssize_t got = ::pread(fd, cache_.bytes.data(), cache_.bytes.size(), static_cast<off_t>(off));
  ::close(fd);
  cache_.bytes.resize(got > 0 ? static_cast<size_t>(got) : 0);
  cache_.source = closed ? s.id : 0;  // an active segment's bytes are not reused
  cache_.segment = n;
  cache_.base = off;
  return cache_.bytes;
}

void RecordSpool::Acknowledge(const Cursor& end) {
  for (size_t i = 0; i < sources_.size(); ++i) {
    Source& s = sources_[i];
    if (s.id != end.source) continue;
    // Bytes acknowledged: from the old position to `end`.
    uint64_t advanced = 0;
    for (uint64_t n : Segments(s)) {
      if (n < s.acked_segment || n > end.segment) continue;
      uint64_t from = n == s.acked_segment ? s.acked_offset : 0;
      uint64_t to = n == end.segment ? end.offset : ReadableSize(s, n);
      if (to > from) advanced += to - from;
      if (n < end.segment || (to >= ReadableSize(s, n) && Closed(s, n))) {
        ::unlink(SegmentPath(s, n).c_str());  // spent
      }
    }
    pending_.fetch_sub(std::min<uint64_t>(pending_.load(), advanced), std::memory_order_relaxed);
    s.acked_segment = end.segment;
    s.acked_offset = end.offset;
    SaveAcked(s);
    if (!s.own && Segments(s).empty()) {
      RemoveSource(s);  // an adopted folder shipped in full: gone
      sources_.erase(sources_.begin() + static_cast<long>(i));
    }
    return;
  }
}

void RecordSpool::SaveAcked(const Source& s) {
  if (s.acked_fd < 0) return;
  char buf[16];
  std::memcpy(buf, &s.acked_segment, 8);
  std::memcpy(buf + 8, &s.acked_offset, 8);
  // One 16-byte write at offset 0: it reaches the page cache whole, so kill -9 cannot tear it.
  (void)::pwrite(s.acked_fd, buf, sizeof buf, 0);
}

void RecordSpool::WaitForRecords(std::chrono::milliseconds wait) {
  std::unique_lock lock(wait_mu_);
  waiting_.store(true, std::memory_order_release);
  wait_cv_.wait_for(lock, wait, [&] { return woken_; });
  woken_ = false;
  waiting_.store(false, std::memory_order_release);
}

void RecordSpool::Wake() {
  {
    std::lock_guard lock(wait_mu_);
    woken_ = true;
  }
  wait_cv_.notify_one();
}

uint64_t RecordSpool::pending_bytes() const { return pending_.load(std::memory_order_relaxed); }

}  // namespace agentgate::edge
