// The two halves of a streaming conversion and their composition.
//
// A StreamDecoder turns a provider's SSE bytes (fed in arbitrary chunks) into ir::StreamEvents;
// a StreamEncoder turns ir::StreamEvents into a client protocol's SSE bytes. StreamConverter
// joins one of each: bytes in, bytes out, nothing held back beyond an incomplete SSE frame.
// Not thread-safe; one per stream.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "services/protocol/ir.h"

namespace agentgate::protocol {

class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Calls `emit` for each event completed by `chunk`.
  virtual void Feed(std::string_view chunk,
                    const std::function<void(const ir::StreamEvent&)>& emit) = 0;
  // True once the provider signalled the end of its answer ([DONE], message_stop, …).
  virtual bool done() const = 0;
};

class StreamEncoder {
 public:
  virtual ~StreamEncoder() = default;
  // Appends the client bytes for `ev` to *out.
  virtual void OnEvent(const ir::StreamEvent& ev, std::string* out) = 0;
  // The provider finished cleanly: closes whatever is open, appends the terminal events.
  virtual void End(std::string* out) = 0;
  // The provider failed mid-stream: appends the protocol's in-band error.
  virtual void Fail(std::string_view message, std::string* out) = 0;
  // Usage as seen so far (for the request record).
  virtual const ir::Usage& usage() const = 0;
};

// What every client protocol's stream encoder does the same way: nothing after the end; the
// finish reason and usage taken from their events; an in-band error ends the stream; End and
// Fail each run once, and never both. A protocol says only how its events, its normal end and
// its failure look.
class ClientStreamEncoder : public StreamEncoder {
 public:
  void OnEvent(const ir::StreamEvent& ev, std::string* out) final {
    if (ended_) return;
    if (ev.kind == ir::StreamEvent::Kind::kError) {
      Fail(ev.text, out);
      return;
    }
    Encode(ev, out);
    if (ev.kind == ir::StreamEvent::Kind::kFinish) finish_ = ev.finish;
    if (ev.kind == ir::StreamEvent::Kind::kUsage) usage_ = ev.usage;
  }
  void End(std::string* out) final {
    if (ended_) return;
    Finish(out);
    ended_ = true;
  }
  void Fail(std::string_view message, std::string* out) final {
    if (ended_) return;
    ended_ = true;
    Failed(message, out);
  }
  const ir::Usage& usage() const final { return usage_; }

 protected:
  // One event of the answer (never kError; kFinish and kUsage are recorded after this returns).
  virtual void Encode(const ir::StreamEvent& ev, std::string* out) = 0;
  // The provider finished: close what is open, append the terminal events.
  virtual void Finish(std::string* out) = 0;
  // The provider failed mid-stream: the protocol's in-band error.
  virtual void Failed(std::string_view message, std::string* out) = 0;

  ir::FinishReason finish_ = ir::FinishReason::kNone;
  ir::Usage usage_;

 private:
  bool ended_ = false;
};

class StreamConverter {
 public:
  StreamConverter(std::unique_ptr<StreamDecoder> decoder, std::unique_ptr<StreamEncoder> encoder)
      : decoder_(std::move(decoder)), encoder_(std::move(encoder)) {}

  // Converts a chunk of provider bytes; returns the client bytes it completes (maybe none).
  std::string Feed(std::string_view chunk) {
    std::string out;
    decoder_->Feed(chunk, [&](const ir::StreamEvent& ev) {
      if (tap_) tap_(ev);
      encoder_->OnEvent(ev, &out);
    });
    return out;
  }
  // Sees every event on its way from the decoder to the encoder (what the client cannot
  // carry, such as a call's thought signature, is kept from here).
  void set_tap(std::function<void(const ir::StreamEvent&)> tap) { tap_ = std::move(tap); }
  // The provider's body ended: terminal events, or an error if it ended without finishing.
  std::string End() {
    std::string out;
    if (decoder_->done()) {
      encoder_->End(&out);
    } else {
      encoder_->Fail("the provider ended the stream before finishing its answer", &out);
    }
    return out;
  }
  std::string Fail(std::string_view message) {
    std::string out;
    encoder_->Fail(message, &out);
    return out;
  }
  const ir::Usage& usage() const { return encoder_->usage(); }
  // Whether the provider signalled the end of its answer.
  bool done() const { return decoder_->done(); }

 private:
  std::unique_ptr<StreamDecoder> decoder_;
  std::unique_ptr<StreamEncoder> encoder_;
  std::function<void(const ir::StreamEvent&)> tap_;
};

}  // namespace agentgate::protocol
