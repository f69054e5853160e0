#include "services/edge/affinity.h"

#include <openssl/evp.h>

#include <memory>

#include "services/common/strings.h"

namespace agentgate::edge {
namespace {

// Only the start of the conversation is hashed: it is what stays the same from turn to turn
// (the prompt cache's prefix), and hashing it costs the same however long the conversation is.
constexpr size_t kPrefixBytes = 8 * 1024;
constexpr size_t kMaxSessionId = 200;

std::string Hex(const unsigned char* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

std::string Sha256(std::string_view a, std::string_view b, std::string_view c) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;
  for (std::string_view part : {a, b, c}) {
    const uint64_t size = part.size();  // lengths keep the parts apart
    ok = ok && EVP_DigestUpdate(ctx.get(), &size, sizeof size) == 1 &&
         EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(ctx.get(), digest, &n) == 1;
  return ok ? Hex(digest, 16) : std::string();
}

}  // namespace

Affinity::Affinity(size_t capacity, int64_t ttl_ms)
    : capacity_(capacity == 0 ? 1 : capacity), ttl_ms_(ttl_ms) {}

std::optional<Seat> Affinity::Find(const std::string& conversation, int64_t now_ms) {
  if (conversation.empty()) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = entries_.find(conversation);
  if (it == entries_.end()) return std::nullopt;
  if (now_ms - it->second.at_ms > ttl_ms_) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.seat;
}

void Affinity::Remember(const std::string& conversation, Seat seat, int64_t now_ms) {
  if (conversation.empty()) return;
  std::lock_guard lock(mu_);
  auto it = entries_.find(conversation);
  if (it != entries_.end()) {
    lru_.erase(it->second.lru);
  } else {
    while (entries_.size() >= capacity_ && !lru_.empty()) {
      entries_.erase(lru_.back());
      lru_.pop_back();
    }
    it = entries_.emplace(conversation, Entry{}).first;
  }
  lru_.push_front(conversation);
  it->second.seat = std::move(seat);
  it->second.at_ms = now_ms;
  it->second.lru = lru_.begin();
}

size_t Affinity::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::string ConversationKey(std::string_view scope, const boost::beast::http::fields& headers,
                            std::string_view system, std::string_view conversation) {
  for (std::string_view name : {"x-claude-code-session-id", "session_id"}) {
    auto it = headers.find(name);
    if (it == headers.end()) continue;
    std::string_view id = StripSpace(it->value());
    if (!id.empty() && id.size() <= kMaxSessionId) return "s:" + Sha256(scope, name, id);
  }
  if (system.empty() && conversation.empty()) return {};
  return "p:" + Sha256(scope, system.substr(0, kPrefixBytes), conversation.substr(0, kPrefixBytes));
}

}  // namespace agentgate::edge
