// Reasoning sent inline in the answer text as <think>…</think> (MiniMax M1/M2, some
// OpenAI-compatible servers of open models), split back into reasoning and text. Fed piece by
// piece: a tag split across pieces is held back until it is complete, nothing else is. Pure.
#pragma once

#include <string>
#include <string_view>

namespace agentgate::protocol {

class ThinkTagSplitter {
 public:
  // Appends the reasoning and the text in `piece` to *reasoning and *text.
  void Feed(std::string_view piece, std::string* reasoning, std::string* text);
  // The content ended: releases a held-back partial tag as what it turned out to be.
  void Flush(std::string* reasoning, std::string* text);

 private:
  bool in_think_ = false;
  bool after_close_ = false;  // drop the blank lines between </think> and the answer
  std::string held_;          // the start of what may be a tag
};

// The whole of `content` split at once (non-streaming answers).
void SplitThinkTags(std::string_view content, std::string* reasoning, std::string* text);

}  // namespace agentgate::protocol
