#include "services/common/ids.h"

#include "services/common/token.h"

namespace agentgate {

IdSource::IdSource() : random_(RandomHex(16)) {}

std::string IdSource::Next(std::string_view prefix) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
  std::string out;
  out.reserve(prefix.size() + random_.size() + 12);
  out.append(prefix);
  out.append(random_);
  for (int shift = 44; shift >= 0; shift -= 4) out.push_back(kHex[(n >> shift) & 15]);
  return out;
}

}  // namespace agentgate
