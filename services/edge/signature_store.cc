#include "services/edge/signature_store.h"

namespace agentgate::edge {

std::string SignatureStore::Key(std::string_view scope, std::string_view call_id) {
  std::string key;
  key.reserve(scope.size() + 1 + call_id.size());
  key.append(scope);
  key.push_back('\0');  // neither a credential nor an id decides where the other ends
  key.append(call_id);
  return key;
}

void SignatureStore::Put(std::string_view scope, std::string_view call_id,
                         std::string_view provider, std::string_view model,
                         std::string_view signature) {
  if (call_id.empty() || signature.empty()) return;
  Entry e{Key(scope, call_id), std::string(provider), std::string(model), std::string(signature)};
  if (e.Bytes() > max_bytes_ / kEntryShare) return;
  std::lock_guard lock(mu_);
  if (auto it = index_.find(e.key); it != index_.end()) {
    bytes_ -= it->second->Bytes();
    auto node = it->second;
    index_.erase(it);  // before the node whose key the index points into
    lru_.erase(node);
  }
  bytes_ += e.Bytes();
  lru_.push_front(std::move(e));
  index_.emplace(lru_.front().key, lru_.begin());
  EvictLocked();
}

std::string SignatureStore::Get(std::string_view scope, std::string_view call_id,
                                std::string_view provider, std::string_view model) {
  const std::string key = Key(scope, call_id);
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return {};
  const Entry& e = *it->second;
  if (e.provider != provider || e.model != model) return {};
  lru_.splice(lru_.begin(), lru_, it->second);  // used: last to go
  return e.signature;
}

void SignatureStore::EvictLocked() {
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    bytes_ -= lru_.back().Bytes();
    index_.erase(std::string_view(lru_.back().key));
    lru_.pop_back();
  }
}

size_t SignatureStore::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

size_t SignatureStore::size() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

}  // namespace agentgate::edge
