#include "services/protocol/stream_splice.h"

namespace agentgate::protocol {
namespace {

// Forwards one attempt's encoder calls to the request's SplicedStream.
class AttachedEncoder final : public StreamEncoder {
 public:
  explicit AttachedEncoder(SplicedStream& s) : s_(s) {}
  void OnEvent(const ir::StreamEvent& ev, std::string* out) override { s_.OnEvent(ev, out); }
  void End(std::string* out) override { s_.End(out); }
  void Fail(std::string_view message, std::string* out) override { s_.Fail(message, out); }
  const ir::Usage& usage() const override { return s_.usage(); }

 private:
  SplicedStream& s_;
};

}  // namespace

const std::string_view kContinueInstruction =
    "Your previous reply was cut off by a network failure right after the text above. Continue "
    "it from exactly where it stopped, mid-word if need be: do not repeat any of it and do not "
    "mention the interruption.";

SplicedStream::SplicedStream(std::unique_ptr<StreamEncoder> client) : client_(std::move(client)) {}

void SplicedStream::OnEvent(const ir::StreamEvent& ev, std::string* out) {
  if (ended_) return;
  switch (ev.kind) {
    case ir::StreamEvent::Kind::kStart:
      if (started_) return;  // a continuation's own start: the client has one
      started_ = true;
      break;
    case ir::StreamEvent::Kind::kTextDelta:
      if (!too_long_ && text_.size() + ev.text.size() > kMaxPartial) {
        too_long_ = true;
        text_.clear();
        text_.shrink_to_fit();
      }
      if (!too_long_) text_ += ev.text;
      sent_any_ = true;
      break;
    case ir::StreamEvent::Kind::kReasoningDelta:
    case ir::StreamEvent::Kind::kReasoningSignature:
      sent_any_ = true;
      break;
    case ir::StreamEvent::Kind::kToolCallStart:
    case ir::StreamEvent::Kind::kToolCallDelta:
      tool_began_ = true;
      sent_any_ = true;
      break;
    case ir::StreamEvent::Kind::kError:
      ended_ = true;
      break;
    case ir::StreamEvent::Kind::kFinish:
    case ir::StreamEvent::Kind::kUsage:
      break;
  }
  client_->OnEvent(ev, out);
}

void SplicedStream::End(std::string* out) {
  ended_ = true;
  client_->End(out);
}

void SplicedStream::Fail(std::string_view message, std::string* out) {
  ended_ = true;
  client_->Fail(message, out);
}

bool SplicedStream::continuable() const {
  return started_ && !tool_began_ && !ended_ && !too_long_;
}

void SplicedStream::Cut() { ++cuts_; }

std::unique_ptr<StreamEncoder> SplicedStream::Attach() {
  return std::make_unique<AttachedEncoder>(*this);
}

int AddContinuation(ir::Request& req, std::string_view partial, bool prefill) {
  if (partial.empty()) return 0;
  ir::Message said;
  said.role = ir::Role::kAssistant;
  ir::Part text;
  text.text = std::string(partial);
  said.parts.push_back(std::move(text));
  req.messages.push_back(std::move(said));
  if (prefill) return 1;
  ir::Message ask;
  ask.role = ir::Role::kUser;
  ir::Part words;
  words.text = std::string(kContinueInstruction);
  ask.parts.push_back(std::move(words));
  req.messages.push_back(std::move(ask));
  return 2;
}

}  // namespace agentgate::protocol
