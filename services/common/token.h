// Secrets on the local machine: the local token, masking, constant-time comparison, base64.
// All functions are thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"

namespace agentgate {

inline constexpr std::string_view kLocalTokenPrefix = "ag_local_";

// "ag_local_" + base64url(32 bytes from OpenSSL's RAND_bytes), no padding.
std::string GenerateLocalToken();

// Cryptographically random bytes; aborts if the RNG fails (it cannot on a working system).
std::string RandomBytes(size_t n);

// Hex of RandomBytes(n/2): ids that are safe in logs.
std::string RandomHex(size_t chars);

// Equal length and content, in time that does not depend on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// "sk-…abcd": the vendor prefix (up to the first '-' or '_' in the first 8 characters), an
// ellipsis and the last four characters. Short secrets show only "…".
std::string MaskSecret(std::string_view secret);

std::string Base64Encode(std::string_view in);
std::string Base64UrlEncode(std::string_view in);  // no padding
absl::StatusOr<std::string> Base64Decode(std::string_view in);

// The token file, read lazily and re-read when its modification time changes.
class TokenFile {
 public:
  explicit TokenFile(std::string path) : path_(std::move(path)) {}
  // The current token; empty if the file does not exist (yet).
  std::string Get();
  const std::string& path() const { return path_; }

 private:
  const std::string path_;
  std::mutex mu_;
  int64_t mtime_ns_ ABSL_GUARDED_BY(mu_) = -1;
  std::string token_ ABSL_GUARDED_BY(mu_);
};

}  // namespace agentgate
