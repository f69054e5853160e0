// Token usage read from any of the four protocols' answers, whole or streamed, without
// changing them (for pass-through). Normalised to the OpenAI convention: input includes cached
// tokens. Pure.
#pragma once

#include <boost/json.hpp>
#include <string_view>

#include "services/protocol/ir.h"
#include "services/protocol/sse.h"

namespace agentgate::protocol {

// Usage from one JSON answer or stream event of any protocol: Chat's `usage`
// (prompt_tokens…), Messages' `usage` / `message.usage` (input_tokens excluding cache reads),
// Responses' `usage` / `response.usage`, Gemini's `usageMetadata`. present=false if none.
ir::Usage UsageFromJson(const boost::json::value& v);

// The usage object itself, of any protocol (the one reader every codec uses).
ir::Usage UsageFromObject(const boost::json::value& usage);

// Folds `u` into *into keeping the larger value of each count (Messages reports input counts in
// message_start and repeats or completes them in message_delta). Does nothing when !u.present.
void MergeLargest(ir::Usage* into, const ir::Usage& u);

// Watches a stream of any protocol and keeps the largest value seen for each count (Messages
// splits its usage between message_start and message_delta).
class UsageObserver {
 public:
  void Feed(std::string_view chunk);
  void FromBody(std::string_view body);
  const ir::Usage& usage() const { return usage_; }

 private:
  SseParser parser_;
  ir::Usage usage_;
};

}  // namespace agentgate::protocol
