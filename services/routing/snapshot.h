// The edge's view of the configuration: one immutable, versioned snapshot. The edge swaps in a
// new std::shared_ptr<const Snapshot> as the router pushes versions; a request holds the pointer
// it started with, so it sees one consistent version from start to end.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/routing/url.h"

namespace agentgate::routing {

// A wire protocol: what a client speaks, what a provider speaks natively, or what one of a
// provider's extra endpoints speaks (Responses exists only as such an endpoint).
enum class Protocol { kOpenAiChat, kAnthropicMessages, kGemini, kOpenAiResponses };

struct ProviderEntry {
  std::string name;
  std::string type;
  Protocol protocol = Protocol::kOpenAiChat;
  Url base;
  std::optional<Url> anthropic_base;  // a Messages endpoint besides the native protocol
  std::optional<Url> responses_base;  // a Responses endpoint besides the native protocol
  std::vector<std::string> keys;      // decrypted; never logged
  std::string default_model;
  std::vector<std::string> models;
  std::map<std::string, std::string, std::less<>> model_map;  // "*" matches any model
  std::chrono::milliseconds timeout{300000};
  int priority = 0;
  bool enabled = true;
};

struct Snapshot {
  uint64_t version = 0;
  std::string local_token;
  std::vector<ProviderEntry> providers;  // ordered by priority, then name
};

}  // namespace agentgate::routing
