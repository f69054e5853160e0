#include "services/edge/kept_reasoning.h"

#include <algorithm>
#include <boost/json.hpp>

namespace agentgate::edge {
namespace {

namespace ir = protocol::ir;
namespace bj = boost::json;

bool HasCall(const ir::Message& m) {
  return std::any_of(m.parts.begin(), m.parts.end(),
                     [](const ir::Part& p) { return p.kind == ir::Part::Kind::kToolCall; });
}
bool HasReasoning(const ir::Message& m, bool signed_only) {
  return std::any_of(m.parts.begin(), m.parts.end(), [&](const ir::Part& p) {
    return p.kind == ir::Part::Kind::kReasoning &&
           (signed_only ? !p.signature.empty() : !p.text.empty() || !p.signature.empty());
  });
}

}  // namespace

std::string SignatureKey(std::string_view call_id) { return "sig:" + std::string(call_id); }
std::string ReasoningKey(std::string_view call_id) { return "rsn:" + std::string(call_id); }
std::string SignedKey(std::string_view signature) {
  return "sgn:" + std::to_string(std::hash<std::string_view>{}(signature)) + ":" +
         std::to_string(signature.size());
}

std::string SerializeReasoning(const std::vector<ir::Part>& parts) {
  bj::array out;
  for (const auto& p : parts) {
    out.push_back(bj::object{{"t", p.text}, {"s", p.signature}, {"r", p.redacted}});
  }
  return bj::serialize(out);
}

std::vector<ir::Part> ParseReasoning(std::string_view text) {
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  std::vector<ir::Part> out;
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.get_array()) {
    const bj::object* o = e.if_object();
    if (o == nullptr) return {};
    ir::Part p;
    p.kind = ir::Part::Kind::kReasoning;
    if (const auto* t = o->if_contains("t"); t && t->is_string()) p.text = t->get_string();
    if (const auto* s = o->if_contains("s"); s && s->is_string()) p.signature = s->get_string();
    if (const auto* r = o->if_contains("r"); r && r->is_bool()) p.redacted = r->get_bool();
    out.push_back(std::move(p));
  }
  return out;
}

void ReasoningCollector::OnEvent(const ir::StreamEvent& ev) {
  using Kind = ir::StreamEvent::Kind;
  if (ev.kind != Kind::kReasoningSignature) {
    in_signature_ = false;
    if (!pending_signature_.empty()) {  // a block's signature is complete
      sink_(SignedKey(pending_signature_), "1");
      pending_signature_.clear();
    }
  }
  switch (ev.kind) {
    case Kind::kReasoningDelta:
      if (called_) return;
      if (reasoning_.empty() || signed_last_) {
        reasoning_.emplace_back();
        reasoning_.back().kind = ir::Part::Kind::kReasoning;
        signed_last_ = false;
      }
      reasoning_.back().text += ev.text;
      return;
    case Kind::kReasoningSignature:
      pending_signature_ += ev.text;
      if (!called_) {
        if (reasoning_.empty() || (signed_last_ && !in_signature_)) {
          reasoning_.emplace_back();
          reasoning_.back().kind = ir::Part::Kind::kReasoning;
        }
        reasoning_.back().signature += ev.text;
        signed_last_ = true;
      }
      in_signature_ = true;
      return;
    case Kind::kToolCallStart:
      if (!ev.signature.empty()) sink_(SignatureKey(ev.call_id), ev.signature);
      if (!called_ && !reasoning_.empty()) {
        sink_(ReasoningKey(ev.call_id), SerializeReasoning(reasoning_));
      }
      called_ = true;
      return;
    default:
      return;
  }
}

void ReasoningCollector::OnResponse(const ir::Response& r) {
  std::vector<ir::Part> reasoning;
  bool called = false;
  for (const auto& p : r.output) {
    if (p.kind == ir::Part::Kind::kReasoning && !p.signature.empty()) {
      sink_(SignedKey(p.signature), "1");
    }
    if (p.kind == ir::Part::Kind::kReasoning && !called) reasoning.push_back(p);
    if (p.kind != ir::Part::Kind::kToolCall) continue;
    if (!p.signature.empty()) sink_(SignatureKey(p.call_id), p.signature);
    if (!called && !reasoning.empty())
      sink_(ReasoningKey(p.call_id), SerializeReasoning(reasoning));
    called = true;
  }
}

KeptReasoning::KeptReasoning(ir::Request& req, bool signatures, bool reasoning, bool signed_only,
                             const Get& get)
    : req_(req) {
  for (size_t i = 0; i < req.messages.size(); ++i) {
    ir::Message& m = req.messages[i];
    if (m.role != ir::Role::kAssistant) continue;
    if (signed_only) {
      for (auto& p : m.parts) {
        if (p.kind == ir::Part::Kind::kReasoning && !p.signature.empty() &&
            get(SignedKey(p.signature)).empty()) {
          unsigned_.push_back(
              {i, static_cast<size_t>(&p - m.parts.data()), std::move(p.signature)});
          p.signature.clear();
        }
      }
    }
    if (!HasCall(m)) continue;
    // Reasoning first: the signatures' pointers below are taken after this message's parts
    // last change.
    if (reasoning && !HasReasoning(m, signed_only)) {
      auto first = std::find_if(m.parts.begin(), m.parts.end(), [](const ir::Part& p) {
        return p.kind == ir::Part::Kind::kToolCall;
      });
      std::vector<ir::Part> kept = ParseReasoning(get(ReasoningKey(first->call_id)));
      if (!kept.empty()) {
        m.parts.insert(m.parts.begin(), kept.begin(), kept.end());
        added_.emplace_back(i, kept.size());
      }
    }
    if (signatures) {
      for (auto& p : m.parts) {
        if (p.kind != ir::Part::Kind::kToolCall || !p.signature.empty()) continue;
        p.signature = get(SignatureKey(p.call_id));
        if (!p.signature.empty()) signed_.push_back(&p);
      }
    }
  }
}

KeptReasoning::~KeptReasoning() {
  for (auto* p : signed_) p->signature.clear();  // before the parts in front go
  for (auto& u : unsigned_) {  // where the part is now: after what was added in front
    size_t at = u.part;
    for (const auto& [msg, n] : added_) at += msg == u.message ? n : 0;
    req_.messages[u.message].parts[at].signature = std::move(u.signature);
  }

  for (const auto& [i, n] : added_) {
    auto& parts = req_.messages[i].parts;
    parts.erase(parts.begin(), parts.begin() + static_cast<std::ptrdiff_t>(n));
  }
}

}  // namespace agentgate::edge
