#include "services/protocol/ir.h"

namespace agentgate::protocol::ir {

int64_t EstimateInputTokens(const Request& req) {
  size_t chars = 0;
  for (const auto& s : req.system) chars += s.size();
  for (const auto& m : req.messages) {
    for (const auto& p : m.parts) {
      chars += p.text.size() + p.arguments.size() + p.name.size();
      for (const auto& c : p.content) chars += c.text.size();
      if (p.kind == Part::Kind::kImage) chars += 4 * 1000;  // ~1k tokens an image
    }
  }
  for (const auto& t : req.tools) {
    chars += t.name.size() + t.description.size() + boost::json::serialize(t.parameters).size();
  }
  return static_cast<int64_t>(chars / 4) + 1;
}

}  // namespace agentgate::protocol::ir
