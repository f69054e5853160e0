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

std::vector<StreamEvent> EventsOf(const Response& r) {
  using Kind = StreamEvent::Kind;
  std::vector<StreamEvent> out;
  StreamEvent start(Kind::kStart);
  start.id = r.id;
  start.model = r.model;
  out.push_back(std::move(start));
  int calls = 0;
  for (const Part& p : r.output) {
    switch (p.kind) {
      case Part::Kind::kReasoning: {
        StreamEvent e(Kind::kReasoningDelta);
        e.text = p.text;
        if (!e.text.empty()) out.push_back(std::move(e));
        if (!p.signature.empty()) {
          StreamEvent s(Kind::kReasoningSignature);
          s.text = p.signature;
          out.push_back(std::move(s));
        }
        break;
      }
      case Part::Kind::kText: {
        StreamEvent e(Kind::kTextDelta);
        e.text = p.text;
        if (!e.text.empty()) out.push_back(std::move(e));
        break;
      }
      case Part::Kind::kToolCall: {
        StreamEvent c(Kind::kToolCallStart);
        c.index = calls;
        c.call_id = p.call_id;
        c.name = p.name;
        c.signature = p.signature;
        out.push_back(std::move(c));
        StreamEvent a(Kind::kToolCallDelta);
        a.index = calls++;
        a.text = p.arguments;
        out.push_back(std::move(a));
        break;
      }
      default:
        break;
    }
  }
  StreamEvent finish(Kind::kFinish);
  finish.finish = r.finish;
  out.push_back(std::move(finish));
  if (r.usage.present) {
    StreamEvent u(Kind::kUsage);
    u.usage = r.usage;
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace agentgate::protocol::ir
