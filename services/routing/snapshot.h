// The edge's view of the configuration: one immutable, versioned snapshot. The edge swaps in a
// new std::shared_ptr<const Snapshot> as the router pushes versions; a request holds the pointer
// it started with, so it sees one consistent version from start to end.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/pricing/prices.h"
#include "services/routing/health.h"
#include "services/routing/url.h"

namespace agentgate::routing {

// A wire protocol: what a client speaks, what a provider speaks natively, or what one of a
// provider's extra endpoints speaks (Responses exists only as such an endpoint).
enum class Protocol { kOpenAiChat, kAnthropicMessages, kGemini, kOpenAiResponses };

enum class Capability { kUnknown, kYes, kNo };

struct ProviderEntry {
  std::string name;
  std::string type;
  Protocol protocol = Protocol::kOpenAiChat;
  Url base;
  std::optional<Url> anthropic_base;  // a Messages endpoint besides the native protocol
  std::optional<Url> responses_base;  // a Responses endpoint besides the native protocol
  std::vector<std::string> keys;      // decrypted; never logged
  // Per key, an official account's id (ChatGPT-Account-Id); empty for plain API keys. Account
  // keys are tried in their order (the router puts ready accounts first), not in rotation.
  std::vector<std::string> key_accounts;
  // Per account key: avoided until then while another is usable (a window nearly spent).
  std::vector<int64_t> key_avoid_until_ms;
  std::string default_model;
  std::vector<std::string> models;
  std::map<std::string, std::string, std::less<>> model_map;  // "*" matches any model
  std::chrono::milliseconds timeout{300000};
  int priority = 0;
  bool enabled = true;
  std::string reasoning_model;  // for requests that ask for thinking ("" = the mapped model)
  Capability vision = Capability::kUnknown;
  std::vector<std::pair<std::string, std::string>> extra_headers;
  ProviderHealth health;  // the router's view when the snapshot was made
};

// Conditions on a request (RouteCondition in the admin API): every one that is set must hold.
struct RouteCondition {
  int64_t min_input_tokens = 0;
  bool has_images = false;
  bool has_tools = false;
  int min_tools = 0;
  std::vector<std::string> system_keywords;  // any, case-insensitive
  bool thinking = false;
  std::vector<std::string> model_keywords;  // any, case-insensitive
};

struct RouteRule {
  std::string name;
  RouteCondition when;  // scenes already expanded (see ExpandScene)
  std::string provider;
  std::string model;  // "" = the provider's mapping
};

enum class RouteMode { kFailover, kManual };

struct RouteProfile {
  std::string name;
  Protocol client = Protocol::kOpenAiChat;
  bool is_default = false;
  RouteMode mode = RouteMode::kFailover;
  std::vector<std::string> chain;   // provider names, first tried first
  std::vector<RouteRule> rules;     // first match wins
  bool midstream_failover = false;  // a cut stream is continued on the next provider
};

// The daily budget as the router last judged it.
struct Budget {
  enum class Mode { kNotify, kBlock, kCheapest };
  double limit_usd = 0;  // 0: none
  Mode mode = Mode::kNotify;
  double spent_usd = 0;
  bool exceeded = false;
};

struct Snapshot {
  uint64_t version = 0;
  std::string local_token;
  std::vector<ProviderEntry> providers;  // ordered by priority, then name
  // Without any profile (a snapshot from before route profiles, or tests), every enabled
  // provider is in the chain in `providers` order, failover mode.
  std::vector<RouteProfile> routes;
  // The built-in prices with the user's overrides (never null once converted from a proto).
  std::shared_ptr<const pricing::PriceTable> prices;
  Budget budget;

  const ProviderEntry* FindProvider(std::string_view name) const {
    for (const auto& p : providers) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }
};

}  // namespace agentgate::routing
