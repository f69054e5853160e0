#include "services/store/secret_box.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/files.h"
#include "services/common/token.h"
#include "services/store/backup_file.h"

namespace agentgate::store {
namespace {

constexpr std::string_view kMagic = "agv1";
constexpr size_t kKeySize = 32;
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* U(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

[[noreturn]] void Fatal(const char* what) {
  std::fprintf(stderr, "agentgate: fatal: %s\n", what);
  std::abort();
}

absl::Status BadKeyError() {
  return absl::InvalidArgumentError(
      "AGENTGATE_MASTER_KEY must be 64 hex characters or base64 of 32 bytes");
}

absl::StatusOr<std::string> ParseEnvKey(std::string_view value) {
  // Debian's Abseil has its own absl::string_view, distinct from std::string_view.
  absl::string_view v = absl::StripAsciiWhitespace(absl::string_view(value.data(), value.size()));
  if (v.size() == 2 * kKeySize) {
    bool hex = true;
    for (char c : v) hex = hex && absl::ascii_isxdigit(static_cast<unsigned char>(c));
    if (hex) return absl::HexStringToBytes(v);
  }
  absl::StatusOr<std::string> decoded = Base64Decode(std::string_view(v.data(), v.size()));
  if (!decoded.ok() || decoded->size() != kKeySize) return BadKeyError();
  return decoded;
}

absl::Status ErrnoError(const std::string& what, const std::string& path) {
  return absl::InternalError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// Creates `path` with O_EXCL and mode 0600 holding `key`. Returns AlreadyExists when another
// process won the race.
absl::Status CreateKeyFile(const std::string& path, const std::string& key) {
  std::string parent = std::filesystem::path(path).parent_path().string();
  if (!parent.empty() && !FileExists(parent)) {
    if (auto s = EnsureDir(parent, 0700); !s.ok()) return s;
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return absl::AlreadyExistsError(path);
    return ErrnoError("cannot create master key file", path);
  }
  ::fchmod(fd, 0600);
  size_t off = 0;
  while (off < key.size()) {
    ssize_t n = ::write(fd, key.data() + off, key.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      absl::Status s = ErrnoError("cannot write master key file", path);
      ::close(fd);
      ::unlink(path.c_str());
      return s;
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    absl::Status s = ErrnoError("cannot write master key file", path);
    ::unlink(path.c_str());
    return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  absl::StatusOr<std::string> content = ReadFile(path);
  if (!content.ok()) return content.status();
  if (content->size() != kKeySize) {
    return absl::FailedPreconditionError(absl::StrCat("master key file ", path,
                                                      " must hold exactly ", kKeySize,
                                                      " bytes, not ", content->size()));
  }
  return content;
}

}  // namespace

SecretBox::SecretBox(std::string key) : key_(std::move(key)) {
  if (key_.size() != kKeySize) Fatal("SecretBox key must be 32 bytes");
}

absl::StatusOr<SecretBox> SecretBox::LoadOrCreate(const std::string& path,
                                                  std::string_view env_value) {
  if (!env_value.empty()) {
    absl::StatusOr<std::string> key = ParseEnvKey(env_value);
    if (!key.ok()) return key.status();
    return SecretBox(std::move(*key));
  }
  absl::StatusOr<std::string> key = ReadKeyFile(path);
  if (key.ok()) return SecretBox(std::move(*key));
  if (!absl::IsNotFound(key.status())) return key.status();

  std::string fresh = RandomBytes(kKeySize);
  absl::Status created = CreateKeyFile(path, fresh);
  if (created.ok()) return SecretBox(std::move(fresh));
  if (!absl::IsAlreadyExists(created)) return created;
  // Another process created it between our read and our create: use theirs.
  key = ReadKeyFile(path);
  if (!key.ok()) return key.status();
  return SecretBox(std::move(*key));
}

std::string SecretBox::Seal(std::string_view plaintext, std::string_view associated_data) const {
  if (plaintext.size() > INT_MAX - kMagic.size() - kNonceSize - kTagSize ||
      associated_data.size() > INT_MAX) {
    Fatal("SecretBox::Seal input too large");
  }
  std::string nonce = RandomBytes(kNonceSize);
  std::string out;
  out.resize(kMagic.size() + kNonceSize + plaintext.size() + kTagSize);
  std::memcpy(out.data(), kMagic.data(), kMagic.size());
  std::memcpy(out.data() + kMagic.size(), nonce.data(), kNonceSize);
  const size_t ct_off = kMagic.size() + kNonceSize;

  CtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize),
                          nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, U(key_), U(nonce)) != 1) {
    Fatal("AES-256-GCM init failed");
  }
  if (!associated_data.empty() &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(associated_data),
                        static_cast<int>(associated_data.size())) != 1) {
    Fatal("AES-256-GCM AAD failed");
  }
  int written = 0;
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx.get(), U(out) + ct_off, &len, U(plaintext),
                          static_cast<int>(plaintext.size())) != 1) {
      Fatal("AES-256-GCM encrypt failed");
    }
    written = len;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), U(out) + ct_off + written, &len) != 1) {
    Fatal("AES-256-GCM final failed");
  }
  written += len;
  if (static_cast<size_t>(written) != plaintext.size()) Fatal("AES-256-GCM length mismatch");
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                          U(out) + ct_off + plaintext.size()) != 1) {
    Fatal("AES-256-GCM tag failed");
  }
  return out;
}

absl::StatusOr<std::string> SecretBox::Open(std::string_view sealed,
                                            std::string_view associated_data) const {
  constexpr size_t kOverhead = kMagic.size() + kNonceSize + kTagSize;
  if (sealed.size() < kOverhead || sealed.substr(0, kMagic.size()) != kMagic ||
      sealed.size() > INT_MAX || associated_data.size() > INT_MAX) {
    return absl::InvalidArgumentError("not a sealed secret");
  }
  std::string_view nonce = sealed.substr(kMagic.size(), kNonceSize);
  std::string_view ciphertext =
      sealed.substr(kMagic.size() + kNonceSize, sealed.size() - kOverhead);
  std::string tag(sealed.substr(sealed.size() - kTagSize));
  const absl::Status failed =
      absl::InvalidArgumentError("cannot decrypt secret: wrong master key or corrupted data");

  std::string out(ciphertext.size(), '\0');
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize),
                          nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, U(key_), U(nonce)) != 1) {
    return failed;
  }
  if (!associated_data.empty() &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(associated_data),
                        static_cast<int>(associated_data.size())) != 1) {
    return failed;
  }
  int written = 0;
  if (!ciphertext.empty()) {
    if (EVP_DecryptUpdate(ctx.get(), U(out), &len, U(ciphertext),
                          static_cast<int>(ciphertext.size())) != 1) {
      return failed;
    }
    written = len;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize),
                          tag.data()) != 1) {
    return failed;
  }
  if (EVP_DecryptFinal_ex(ctx.get(), U(out) + written, &len) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return failed;
  }
  written += len;
  out.resize(static_cast<size_t>(written));
  return out;
}

std::string SecretBox::BackupKey() const { return BackupKeyFromMasterKey(key_); }

}  // namespace agentgate::store
