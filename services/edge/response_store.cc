#include "services/edge/response_store.h"

namespace agentgate::edge {
namespace {

namespace ir = protocol::ir;

size_t PartBytes(const ir::Part& p) {
  size_t n = sizeof(ir::Part) + p.text.size() + p.image.data.size() + p.image.url.size() +
             p.call_id.size() + p.name.size() + p.arguments.size() + p.signature.size();
  for (const auto& c : p.content) n += PartBytes(c);
  return n;
}

std::string Key(const std::string& scope, const std::string& id) {
  return std::to_string(scope.size()) + ":" + scope + id;
}

}  // namespace

std::vector<ir::Message> StoredResponse::History() const {
  std::vector<const StoredResponse*> chain;
  for (const StoredResponse* r = this; r != nullptr; r = r->previous.get()) chain.push_back(r);
  std::vector<ir::Message> out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    out.insert(out.end(), (*it)->turn.begin(), (*it)->turn.end());
  }
  return out;
}

size_t ApproxBytes(const std::vector<ir::Message>& messages) {
  size_t n = 0;
  for (const auto& m : messages) {
    n += sizeof(ir::Message);
    for (const auto& p : m.parts) n += PartBytes(p);
  }
  return n;
}

ResponseStore::ResponseStore(size_t max_bytes, int64_t ttl_ms)
    : max_bytes_(max_bytes), ttl_ms_(ttl_ms) {}

void ResponseStore::Put(const std::string& scope, const std::string& id,
                        std::shared_ptr<StoredResponse> response, int64_t now_ms) {
  if (id.empty() || response == nullptr) return;
  response->chain_bytes = ApproxBytes(response->turn) + response->body.size() + id.size() +
                          (response->previous ? response->previous->chain_bytes : 0);
  const size_t size = response->chain_bytes;
  if (size > max_bytes_ / 4) return;  // one conversation may not push out everything else
  const std::string key = Key(scope, id);
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) EraseLocked(it);
  while (bytes_ + size > max_bytes_ && !lru_.empty()) EraseLocked(entries_.find(lru_.back()));
  lru_.push_front(key);
  entries_[key] =
      Entry{std::shared_ptr<const StoredResponse>(std::move(response)), now_ms, size, lru_.begin()};
  bytes_ += size;
}

std::shared_ptr<const StoredResponse> ResponseStore::Get(const std::string& scope,
                                                         const std::string& id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(Key(scope, id));
  if (it == entries_.end()) return nullptr;
  if (now_ms - it->second.at_ms > ttl_ms_) {
    EraseLocked(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.response;
}

bool ResponseStore::Delete(const std::string& scope, const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(Key(scope, id));
  if (it == entries_.end()) return false;
  EraseLocked(it);
  return true;
}

void ResponseStore::EraseLocked(std::unordered_map<std::string, Entry>::iterator it) {
  bytes_ -= it->second.bytes;
  lru_.erase(it->second.lru);
  entries_.erase(it);
}

size_t ResponseStore::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

size_t ResponseStore::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace agentgate::edge
