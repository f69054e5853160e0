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

void ResponseBuilder::OnEvent(const StreamEvent& ev) {
  using Kind = StreamEvent::Kind;
  const bool signature = ev.kind == Kind::kReasoningSignature;
  auto last_is = [this](Part::Kind k) { return !r_.output.empty() && r_.output.back().kind == k; };
  switch (ev.kind) {
    case Kind::kStart:
      if (!ev.id.empty()) r_.id = ev.id;
      if (!ev.model.empty()) r_.model = ev.model;
      break;
    case Kind::kTextDelta:
      if (!last_is(Part::Kind::kText)) r_.output.emplace_back();
      r_.output.back().text += ev.text;
      break;
    case Kind::kReasoningDelta:
      // A signature closes its block: reasoning after it is another block.
      if (!last_is(Part::Kind::kReasoning) || !r_.output.back().signature.empty()) {
        Part p;
        p.kind = Part::Kind::kReasoning;
        r_.output.push_back(std::move(p));
      }
      r_.output.back().text += ev.text;
      break;
    case Kind::kReasoningSignature:
      if (!last_is(Part::Kind::kReasoning) ||
          (!in_signature_ && !r_.output.back().signature.empty())) {
        Part p;
        p.kind = Part::Kind::kReasoning;
        r_.output.push_back(std::move(p));
      }
      r_.output.back().signature += ev.text;  // pieces of one signature are joined
      break;
    case Kind::kToolCallStart: {
      Part p;
      p.kind = Part::Kind::kToolCall;
      p.call_id = ev.call_id;
      p.name = ev.name;
      p.signature = ev.signature;
      if (ev.index >= 0 && ev.index < 4096) {
        if (calls_.size() <= static_cast<size_t>(ev.index)) {
          calls_.resize(static_cast<size_t>(ev.index) + 1, SIZE_MAX);
        }
        calls_[static_cast<size_t>(ev.index)] = r_.output.size();
      }
      r_.output.push_back(std::move(p));
      break;
    }
    case Kind::kToolCallDelta:
      if (ev.index >= 0 && static_cast<size_t>(ev.index) < calls_.size() &&
          calls_[static_cast<size_t>(ev.index)] != SIZE_MAX) {
        r_.output[calls_[static_cast<size_t>(ev.index)]].arguments += ev.text;
      }
      break;
    case Kind::kFinish:
      r_.finish = ev.finish;
      break;
    case Kind::kUsage:
      r_.usage = ev.usage;
      break;
    case Kind::kError:
      if (!error_) error_ = ev.text;
      break;
  }
  in_signature_ = signature;
}

namespace {

bool AnyImage(const std::vector<Part>& parts) {
  for (const Part& p : parts) {
    if (p.kind == Part::Kind::kImage) return true;
    if (p.kind == Part::Kind::kToolResult && AnyImage(p.content)) return true;
  }
  return false;
}

int StripFrom(std::vector<Part>& parts) {
  int n = 0;
  for (Part& p : parts) {
    if (p.kind == Part::Kind::kImage) {
      p = Part{};
      p.text = "[an image was here; this provider takes text only]";
      ++n;
    } else if (p.kind == Part::Kind::kToolResult) {
      n += StripFrom(p.content);
    }
  }
  return n;
}

}  // namespace

bool HasImages(const Request& req) {
  for (const Message& m : req.messages) {
    if (AnyImage(m.parts)) return true;
  }
  return false;
}

int StripImages(Request& req) {
  int n = 0;
  for (Message& m : req.messages) n += StripFrom(m.parts);
  if (n > 0) req.losses.push_back("images (the provider takes text only)");
  return n;
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
