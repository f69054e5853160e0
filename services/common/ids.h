// Unique ids for requests and responses, cheap enough for the request path: a random prefix
// drawn once per process (so ids stay unique across restarts; the stats store deduplicates on
// them) and a counter. Not secret, not for tokens. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace agentgate {

class IdSource {
 public:
  IdSource();
  // prefix + 16 random hex digits (fixed per source) + 12 hex digits of a counter.
  std::string Next(std::string_view prefix);

 private:
  std::string random_;
  std::atomic<uint64_t> counter_{0};
};

}  // namespace agentgate
