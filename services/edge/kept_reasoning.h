// What a provider's answer holds that the next request must give back to that provider, and
// the client may not keep: Gemini 3's thought signature on each call, and the reasoning that
// opened a tool turn (Anthropic's signed thinking blocks, DeepSeek's and Kimi's
// reasoning_content). Collected as the answer is converted, kept by the edge (SignatureStore)
// under the turn's call ids, and put back on the request for the same provider, key and model.
// Pure.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "services/protocol/ir.h"

namespace agentgate::edge {

// The store keys of the two kinds, by call id.
std::string SignatureKey(std::string_view call_id);  // a Gemini call's thoughtSignature
std::string ReasoningKey(std::string_view call_id);  // the reasoning before the turn's first call
// That a signed thinking block was made by this provider, key and model (the client carries the
// block itself back: Codex in encrypted_content).
std::string SignedKey(std::string_view signature);

// The reasoning parts (text, signature, redacted) as one string, and back ({} when malformed).
std::string SerializeReasoning(const std::vector<protocol::ir::Part>& parts);
std::vector<protocol::ir::Part> ParseReasoning(std::string_view text);

// Sees an answer's events (or its whole output) and reports what to keep: (key, value).
class ReasoningCollector {
 public:
  using Sink = std::function<void(const std::string& key, const std::string& value)>;
  explicit ReasoningCollector(Sink sink) : sink_(std::move(sink)) {}
  void OnEvent(const protocol::ir::StreamEvent& ev);
  void OnResponse(const protocol::ir::Response& r);

 private:
  Sink sink_;
  std::vector<protocol::ir::Part> reasoning_;  // since the answer began, until its first call
  bool signed_last_ = false;                   // the last part is closed by its signature
  bool in_signature_ = false;                  // the last event was a piece of a signature
  std::string pending_signature_;              // any block's, reported once complete
  bool called_ = false;
};

// Puts kept values back on `req` for one attempt, and takes them off again: each assistant call
// without a signature gets its kept one (when `signatures`), each assistant turn with calls and
// no reasoning gets its kept reasoning in front (when `reasoning`; with `signed_only`, reasoning
// without a signature counts as none: Anthropic takes only signed thinking back, and clients such
// as OpenCode return the text alone). With `signed_only`, a signed block the client brought back
// that this provider, key and model did not make (an OpenAI encrypted_content, another account's
// Anthropic signature, one from before a restart) loses its signature for the attempt: the
// encoder then drops it as unsigned and names the loss. `get` returns "" for nothing kept.
class KeptReasoning {
 public:
  using Get = std::function<std::string(const std::string& key)>;
  KeptReasoning(protocol::ir::Request& req, bool signatures, bool reasoning, bool signed_only,
                const Get& get);
  ~KeptReasoning();  // restores `req`
  KeptReasoning(const KeptReasoning&) = delete;
  KeptReasoning& operator=(const KeptReasoning&) = delete;

 private:
  protocol::ir::Request& req_;
  std::vector<protocol::ir::Part*> signed_;  // calls whose signature was filled in
  struct Unsigned {
    size_t message, part;  // where the block was before anything was added in front
    std::string signature;
  };
  std::vector<Unsigned> unsigned_;  // foreign signed blocks, their signature taken off
  std::vector<std::pair<size_t, size_t>> added_;  // (message, parts added in front)
};

}  // namespace agentgate::edge
