// What the clients cannot carry back and the providers want (kept_reasoning.h): Gemini 3's
// thought signature of each call (refused without it: "Function call is missing a
// thought_signature"), the signed thinking that opened an Anthropic tool turn (refused without
// it while thinking is on, and Sonnet 5.5 cannot turn thinking off), DeepSeek's and Kimi's
// reasoning_content. Claude Code, Codex, Gemini CLI and OpenCode send the calls back by id but
// not all of these. The edge keeps each value here, keyed by the client's credential and the
// call id, bound to the provider, key and model that made it, and gives it back to those only.
// Bounded in bytes (least recently used first out); what is not found falls back (Gemini's
// documented placeholder, thinking off where the model allows, empty reasoning) and is named as
// a loss.
//
// Not shared between edges: two edges behind one load balancer each know the calls they
// relayed (the other falls back).
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/base/thread_annotations.h"

namespace agentgate::edge {

class SignatureStore {
 public:
  explicit SignatureStore(size_t max_bytes = size_t{64} << 20) : max_bytes_(max_bytes) {}

  // No one entry takes more than this share of the bound: a provider's oversized blob is not
  // kept (and cannot push every other client's out).
  static constexpr size_t kEntryShare = 64;

  // Keeps `signature` (any kept value) under `call_id` (a kept_reasoning.h key), made by
  // `provider` (name#key) serving `model`, for the client whose credential is `scope`. A later
  // Put of the same key replaces it.
  void Put(std::string_view scope, std::string_view call_id, std::string_view provider,
           std::string_view model, std::string_view signature);
  // The signature when the same client's call was made by `provider` serving `model`; "" when
  // unknown or made by another provider or model.
  std::string Get(std::string_view scope, std::string_view call_id, std::string_view provider,
                  std::string_view model);

  size_t bytes() const;
  size_t size() const;

 private:
  struct Entry {
    std::string key;
    std::string provider, model, signature;
    size_t Bytes() const { return key.size() + provider.size() + model.size() + signature.size(); }
  };
  static std::string Key(std::string_view scope, std::string_view call_id);
  void EvictLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::list<Entry> lru_ ABSL_GUARDED_BY(mu_);  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace agentgate::edge
