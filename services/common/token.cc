#include "services/common/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <cstdlib>

#include "services/common/files.h"
#include "services/common/strings.h"

namespace agentgate {

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::abort();
  }
  return out;
}

std::string RandomHex(size_t chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string raw = RandomBytes((chars + 1) / 2);
  std::string out;
  out.reserve(chars);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  out.resize(chars);
  return out;
}

std::string GenerateToken(std::string_view prefix) {
  return std::string(prefix) + Base64UrlEncode(RandomBytes(32));
}

std::string GenerateLocalToken() { return GenerateToken(kLocalTokenPrefix); }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string MaskSecret(std::string_view secret) {
  if (secret.size() < 12) return "…";
  size_t prefix = 0;
  for (size_t i = 0; i < 8 && i < secret.size(); ++i) {
    if (secret[i] == '-' || secret[i] == '_') {
      prefix = i + 1;
      break;
    }
  }
  return std::string(secret.substr(0, prefix)) + "…" +
         std::string(secret.substr(secret.size() - 4));
}

std::string Base64Encode(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Base64UrlEncode(std::string_view in) {
  std::string out = Base64Encode(in);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+')
      c = '-';
    else if (c == '/')
      c = '_';
  }
  return out;
}

absl::StatusOr<std::string> Base64Decode(std::string_view in) {
  std::string s(StripSpace(in));
  for (char& c : s) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
  }
  size_t given_pad = 0;
  while (!s.empty() && s.back() == '=') {
    s.pop_back();
    ++given_pad;
  }
  auto bad = [] { return absl::InvalidArgumentError("not valid base64"); };
  if (given_pad > 2 || s.size() % 4 == 1 || (given_pad > 0 && (s.size() + given_pad) % 4 != 0)) {
    return bad();
  }
  for (char c : s) {
    if (!(IsAsciiAlnum(c) || c == '+' || c == '/')) return bad();
  }
  size_t pad = (4 - s.size() % 4) % 4;
  s.append(pad, '=');
  std::string out(3 * s.size() / 4, '\0');
  int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0 || static_cast<size_t>(n) < pad) return bad();
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string TokenFile::Get() {
  if (env_ != nullptr) {
    if (const char* v = std::getenv(env_); v != nullptr && *v != '\0') {
      return std::string(StripSpace(v));
    }
  }
  struct stat st;
  std::lock_guard<std::mutex> lock(mu_);
  if (::stat(path_.c_str(), &st) != 0) {
    token_.clear();
    mtime_ns_ = -1;
    return token_;
  }
  int64_t mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  if (mtime != mtime_ns_) {
    auto content = ReadFile(path_);
    token_ = content.ok() ? std::string(StripSpace(*content)) : "";
    mtime_ns_ = mtime;
  }
  return token_;
}

}  // namespace agentgate
