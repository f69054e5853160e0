// Mid-stream failover, the pure half: one client stream fed by more than one provider attempt.
//
// A SplicedStream owns the client's stream encoder for the whole request. The first attempt's
// events go through as they are; when that provider cuts the stream, the part already sent is
// kept (its text, whether reasoning or a tool call had begun), and the next attempt — asked to
// go on from there (AddContinuation) — feeds its events into the same encoder, so the client
// reads one answer: one start, indexes and sequence numbers that carry on. Only a cut before any
// tool call began can be continued: a call's name and half its arguments cannot be taken back.
// Not thread-safe; one per request.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "services/protocol/ir.h"
#include "services/protocol/stream_converter.h"

namespace agentgate::protocol {

class SplicedStream {
 public:
  explicit SplicedStream(std::unique_ptr<StreamEncoder> client);

  // One event of the current attempt: appends the client bytes for it to *out. In a
  // continuation the provider's own start is dropped (the client had one).
  void OnEvent(const ir::StreamEvent& ev, std::string* out);
  void End(std::string* out);
  void Fail(std::string_view message, std::string* out);

  // Whether the answer so far can be continued by another attempt: something reached the client,
  // no tool call began, the stream has not ended, and the text is not past kMaxPartial (too long
  // to send back as a prefill).
  bool continuable() const;
  // The current attempt was cut: the next attempt continues the answer.
  void Cut();
  // Whether the current attempt continues a cut one (its request carries AddContinuation).
  bool continuing() const { return cuts_ > 0; }
  int cuts() const { return cuts_; }
  // The text of the answer the client has so far (across attempts).
  const std::string& text() const { return text_; }
  const ir::Usage& usage() const { return client_->usage(); }

  // A StreamEncoder that writes into this stream (for a StreamConverter of one attempt); the
  // SplicedStream must outlive it.
  std::unique_ptr<StreamEncoder> Attach();

 private:
  static constexpr size_t kMaxPartial = 1u << 20;
  std::unique_ptr<StreamEncoder> client_;
  std::string text_;
  bool too_long_ = false;
  bool started_ = false;   // the client got the answer's start
  bool sent_any_ = false;  // and something of the answer after it
  bool tool_began_ = false;
  bool ended_ = false;
  int cuts_ = 0;
};

// The words that ask a model to go on with an answer that was cut after `partial`, when it is
// not given as a prefill.
extern const std::string_view kContinueInstruction;

// Appends to `req` what asks its model to continue `partial`: the partial answer as the
// assistant's turn, and — unless `prefill` (the provider continues a trailing assistant turn
// itself) — a user turn asking to go on from exactly where it stopped. Returns how many messages
// were appended (0 when `partial` is empty: the request is simply asked again), so the caller
// can take them back.
int AddContinuation(ir::Request& req, std::string_view partial, bool prefill);

}  // namespace agentgate::protocol
