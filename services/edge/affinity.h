// Session affinity: a conversation stays on the provider and key that hold its prompt cache.
//
// A provider caches a prompt's prefix per account: the next turn of a conversation is cheaper
// and faster on the key that served the last one. Round-robin over keys, or a failover chain
// whose first provider comes back from a cooldown, would move the conversation and pay for its
// whole prefix again. So each conversation is remembered with the provider and key of its last
// answer, and its next request tries that pair first — as long as the provider is in the plan
// (healthy, allowed by the route) and the key is not resting; affinity never holds a request on
// a provider or key that is cooling down (CLIProxyAPI#5800: a sticky pool starving a fresh key).
//
// The conversation is the client's own session id where it sends one (Claude Code's
// X-Claude-Code-Session-Id, Codex's session_id), else the hash of the request's prefix — the
// system prompt and the start of the conversation, what prompt caches key on. Both are scoped
// by the client credential, so two users never share an entry.
//
// Thread-safety: one Affinity per edge, shared by the workers; every method locks.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/base/thread_annotations.h"

namespace agentgate::edge {

struct Seat {
  std::string provider;
  int key = -1;  // the provider's key index (-1: none)
};

class Affinity {
 public:
  // `capacity` conversations, each forgotten after `ttl_ms` without a request (prompt caches
  // live minutes to an hour).
  explicit Affinity(size_t capacity = 100'000, int64_t ttl_ms = 3'600'000);

  std::optional<Seat> Find(const std::string& conversation, int64_t now_ms);
  void Remember(const std::string& conversation, Seat seat, int64_t now_ms);
  size_t size() const;

 private:
  struct Entry {
    Seat seat;
    int64_t at_ms = 0;
    std::list<std::string>::iterator lru;
  };
  const size_t capacity_;
  const int64_t ttl_ms_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::list<std::string> lru_ ABSL_GUARDED_BY(mu_);  // most recent first
};

// The key of the conversation a request belongs to (see above): `scope` is the client
// credential; `prefix` the request's system prompt and conversation start, as sent (the caller
// bounds it). Empty when there is nothing to key on.
std::string ConversationKey(std::string_view scope, const boost::beast::http::fields& headers,
                            std::string_view system, std::string_view conversation);

}  // namespace agentgate::edge
