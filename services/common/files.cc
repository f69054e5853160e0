#include "services/common/files.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "services/common/flags.h"

namespace agentgate {
namespace {

absl::Status ErrnoError(const std::string& what, const std::string& path) {
  return absl::InternalError(what + " " + path + ": " + std::strerror(errno));
}

std::string Octal(unsigned mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

// The home folder of the effective user in the password database, or "".
std::string PasswdHome() {
  long hint = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(hint > 0 ? static_cast<size_t>(hint) : 16384);
  for (;;) {
    struct passwd pw;
    struct passwd* found = nullptr;
    int err = ::getpwuid_r(::geteuid(), &pw, buf.data(), buf.size(), &found);
    if (err == ERANGE && buf.size() < (1u << 20)) {
      buf.resize(buf.size() * 2);
      continue;
    }
    if (err != 0 || found == nullptr || found->pw_dir == nullptr) return "";
    return found->pw_dir;
  }
}

// 16 random letters and digits for a temporary file name. Uniqueness matters, not secrecy:
// the file is created with O_EXCL, so a guessed name only costs a retry.
std::string RandomSuffix() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char bytes[16];
  if (::getrandom(bytes, sizeof bytes, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bytes)) {
    // No entropy yet (early boot): time, pid and a counter still make names unlikely to repeat.
    static std::atomic<uint64_t> counter{0};
    uint64_t x =
        static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
        (static_cast<uint64_t>(::getpid()) << 40) ^ counter.fetch_add(1);
    for (auto& b : bytes) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      b = static_cast<unsigned char>(x >> 56);
    }
  }
  std::string out;
  for (unsigned char b : bytes) out.push_back(kAlphabet[b % (sizeof kAlphabet - 1)]);
  return out;
}

}  // namespace

absl::StatusOr<std::string> UserHome() {
  std::string home = EnvOr("HOME", "");
  if (!home.empty()) return home;
  home = PasswdHome();
  if (!home.empty()) return home;
  return absl::NotFoundError("no home folder: $HOME is not set and user " +
                             std::to_string(::geteuid()) + " has no password-database entry");
}

std::string DefaultHome() {
  std::string home = EnvOr("AGENTGATE_HOME", "");
  if (!home.empty()) return home;
  auto user = UserHome();
  return user.ok() ? *user + "/.agentgate" : "";
}

std::string NoHomeMessage() {
  return "no data folder: $HOME is not set and this user has no home folder in the password "
         "database; pass --home DIR or set AGENTGATE_HOME";
}

absl::Status EnsureDir(const std::string& dir, int mode) {
  if (dir.empty()) return absl::InvalidArgumentError("cannot create a folder with no name");
  std::filesystem::path partial;
  for (const auto& part : std::filesystem::path(dir)) {
    partial /= part;
    if (part.empty() || part == "/" || part == "." || part == "..") continue;
    if (::mkdir(partial.c_str(), static_cast<mode_t>(mode)) == 0) {
      // mkdir applied the umask; make the new folder exactly `mode`.
      if (::chmod(partial.c_str(), static_cast<mode_t>(mode)) != 0) {
        return ErrnoError("cannot set the mode of", partial.string());
      }
    } else if (errno != EEXIST) {
      return ErrnoError("cannot create folder", partial.string());
    }
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return ErrnoError("cannot create folder", dir);
  if (!S_ISDIR(st.st_mode)) return absl::FailedPreconditionError(dir + " is not a folder");
  if ((st.st_mode & 07777) != static_cast<mode_t>(mode) &&
      ::chmod(dir.c_str(), static_cast<mode_t>(mode)) != 0) {
    return ErrnoError("cannot set the mode of", dir);
  }
  return absl::OkStatus();
}

absl::Status CheckDataDir(const std::string& dir) {
  const uid_t me = ::geteuid();
  struct stat link;
  if (::lstat(dir.c_str(), &link) != 0) {
    if (errno == ENOENT) return absl::NotFoundError("no data folder " + dir);
    return ErrnoError("cannot inspect the data folder", dir);
  }
  if (S_ISLNK(link.st_mode) && link.st_uid != me) {
    return absl::FailedPreconditionError(
        "the data folder " + dir + " is a symlink owned by uid " + std::to_string(link.st_uid) +
        ", not by you (uid " + std::to_string(me) +
        "), so its owner can point it anywhere; remove it or use --home with a folder of your "
        "own");
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return ErrnoError("cannot open the data folder", dir);
  if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError("the data folder " + dir +
                                         " is not a folder; use --home with a folder");
  }
  if (st.st_uid != me) {
    return absl::FailedPreconditionError(
        "the data folder " + dir + " is owned by uid " + std::to_string(st.st_uid) +
        ", not by you (uid " + std::to_string(me) +
        "); use --home with a folder of your own (or, if it is yours, chown " + std::to_string(me) +
        " " + dir + ")");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return absl::FailedPreconditionError(
        "the data folder " + dir + " (owner uid " + std::to_string(st.st_uid) + ") is mode " +
        Octal(st.st_mode) +
        ": others can write to it and replace the token or keys; fix it with "
        "chmod 700 " +
        dir + " (or use --home with another folder)");
  }
  return absl::OkStatus();
}

absl::Status EnsureDataDir(const std::string& dir) {
  if (dir.empty()) return absl::InvalidArgumentError(NoHomeMessage());
  if (auto st = CheckDataDir(dir); !st.ok() && !absl::IsNotFound(st)) return st;
  if (auto st = EnsureDir(dir, 0700); !st.ok()) return st;
  // Created just now, or it was checked above: check again so a race cannot slip past.
  return CheckDataDir(dir);
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return absl::NotFoundError("no file " + path);
    return ErrnoError("cannot open", path);
  }
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return ErrnoError("cannot read", path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

absl::Status WriteFileAtomic(const std::string& path, const std::string& content, int mode) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) return absl::InvalidArgumentError("cannot write " + path + ": not a file name");
  if (slash == 0) dir = "/";
  // ".<name>.tmp-<random>" beside the target, so the rename stays on one file system. The name
  // is cut short enough that the suffix always fits in NAME_MAX.
  std::string prefix = (dir == "/" ? "" : dir) + "/." + base.substr(0, 200) + ".tmp-";

  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    tmp = prefix + RandomSuffix();
    // O_EXCL with O_CREAT never opens an existing file or follows a symlink at `tmp`;
    // O_NOFOLLOW says so again.
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                static_cast<mode_t>(mode & 07777));
    if (fd < 0 && (errno != EEXIST || attempt >= 100)) return ErrnoError("cannot create", tmp);
  }
  // Leaves through here on any failure: the temporary file goes, `path` stays as it was.
  auto fail = [&](const std::string& what, const std::string& where) {
    absl::Status st = ErrnoError(what, where);
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    return st;
  };
  // The umask may have narrowed the mode at creation; set exactly the one asked for.
  if (::fchmod(fd, static_cast<mode_t>(mode & 07777)) != 0) {
    return fail("cannot set the mode of", tmp);
  }
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write", tmp);
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot flush", tmp);
  int closed = ::close(fd);
  fd = -1;
  if (closed != 0) return fail("cannot write", tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot rename onto", path);

  // Make the rename itself durable. Some file systems cannot fsync a folder (EINVAL): the
  // rename is then as durable as they make it.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return ErrnoError("wrote " + path + ", but cannot open its folder", dir);
  int synced = ::fsync(dfd);
  int err = errno;
  ::close(dfd);
  if (synced != 0 && err != EINVAL) {
    errno = err;
    return ErrnoError("wrote " + path + ", but cannot flush its folder", dir);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> FileMode(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoError("cannot stat", path);
  return static_cast<int>(st.st_mode & 07777);
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace agentgate
