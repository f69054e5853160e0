// The Responses store: a Responses client chains turns by previous_response_id and reads a
// response back with GET /v1/responses/{id}; a provider reached by conversion keeps nothing of
// the kind. So the edge keeps each converted response it answered (unless the request said
// "store": false): the conversation up to it — the turn's new input and the answer, linked to
// the response it continued — and the response object as the client got it. A request that
// continues one gets the earlier turns put back in front of its input; one that continues a
// response this edge does not have is refused as OpenAI refuses it ("Previous response with id
// '…' not found."). A request passed through to a Responses provider is that provider's to keep.
//
// Bounded: responses are forgotten after `ttl_ms`, and the least recently used go first when
// the entries' sizes pass `max_bytes`. An entry counts with every response it continues (they
// stay alive through it), and a chain over a quarter of `max_bytes` is not kept: a client cannot
// hold more memory by chaining than by storing. Per client credential: one client never reads
// another's responses. In memory, per edge: a restart forgets them, and two edges do not share them
// (not built yet).
//
// Thread-safety: one per edge, shared by the workers; every method locks.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "services/protocol/ir.h"

namespace agentgate::edge {

struct StoredResponse {
  std::shared_ptr<const StoredResponse> previous;  // the response this one continued
  std::vector<protocol::ir::Message> turn;         // this turn's new input, then the answer
  std::string body;                                // the response object (GET)
  // This response's size with every one it continues (set by ResponseStore::Put): what keeping
  // it keeps alive.
  size_t chain_bytes = 0;
  // The whole conversation up to and including this response's answer, oldest first.
  std::vector<protocol::ir::Message> History() const;
};

class ResponseStore {
 public:
  explicit ResponseStore(size_t max_bytes = 256u << 20, int64_t ttl_ms = 24 * 3600 * 1000);

  void Put(const std::string& scope, const std::string& id,
           std::shared_ptr<StoredResponse> response, int64_t now_ms);
  std::shared_ptr<const StoredResponse> Get(const std::string& scope, const std::string& id,
                                            int64_t now_ms);
  bool Delete(const std::string& scope, const std::string& id);
  size_t bytes() const;
  size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const StoredResponse> response;
    int64_t at_ms = 0;
    size_t bytes = 0;
    std::list<std::string>::iterator lru;
  };
  void EraseLocked(std::unordered_map<std::string, Entry>::iterator it)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t max_bytes_;
  const int64_t ttl_ms_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::list<std::string> lru_ ABSL_GUARDED_BY(mu_);  // most recent first
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

// About how much memory messages hold (their texts, arguments, images and ids).
size_t ApproxBytes(const std::vector<protocol::ir::Message>& messages);

}  // namespace agentgate::edge
