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
// The admin credential (DATA/admin.token): the admin API takes it and nothing else.
inline constexpr std::string_view kAdminTokenPrefix = "ag_admin_";
// The service credential (DATA/service.token): what the services present to each other on
// their internal RPCs (config and provider keys to the edges, records, probe calls); never a
// client key or the admin credential.
inline constexpr std::string_view kServiceTokenPrefix = "ag_svc_";

// `prefix` + base64url(32 bytes from OpenSSL's RAND_bytes), no padding.
std::string GenerateToken(std::string_view prefix);
std::string GenerateLocalToken();  // GenerateToken(kLocalTokenPrefix)

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

// The token file, read lazily and re-read when its modification time changes; `env`, when
// named and set, overrides it (a service on another host, given the credential by its
// operator).
class TokenFile {
 public:
  explicit TokenFile(std::string path, const char* env = nullptr)
      : path_(std::move(path)), env_(env) {}
  // The current token; empty if the file does not exist (yet).
  std::string Get();
  const std::string& path() const { return path_; }

 private:
  const std::string path_;
  const char* const env_;
  std::mutex mu_;
  int64_t mtime_ns_ ABSL_GUARDED_BY(mu_) = -1;
  std::string token_ ABSL_GUARDED_BY(mu_);
};

}  // namespace agentgate
