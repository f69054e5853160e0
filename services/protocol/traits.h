// What routing reads from a request body (routing::RequestTraits: model, estimated input tokens,
// images, tools, thinking, system prompt) without decoding it into the intermediate model: a few
// member lookups and byte searches over a body that was already validated. Pure.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/protocol/json_scan.h"
#include "services/routing/planner.h"

namespace agentgate::protocol {

// For a valid JSON object body of `client` protocol with its top-level `members`. `model` is
// the model when the protocol carries it outside the body (Gemini's URL), else "".
routing::RequestTraits ReadTraits(routing::Protocol client, std::string_view body,
                                  const std::vector<json::Member>& members,
                                  std::string_view model = {});

// The same for any body: InvalidArgument when it is not a JSON object.
absl::StatusOr<routing::RequestTraits> ReadTraits(routing::Protocol client, std::string_view body,
                                                  std::string_view model = {});

// What stays the same from one turn of a conversation to the next, as sent (for session
// affinity): the system prompt (Messages "system", Responses "instructions", Gemini
// "systemInstruction"; Chat keeps it in its messages) and the conversation's first two messages
// or items that are not system or developer instructions (a Responses "input" string whole).
// Views into `body`.
struct ConversationPrefix {
  std::string_view system;
  std::string_view start;
};
ConversationPrefix ReadConversationPrefix(std::string_view body,
                                          const std::vector<json::Member>& members);

}  // namespace agentgate::protocol
