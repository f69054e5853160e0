// Route planning for one request, from a snapshot. Pure: the edge calls it per request, the
// router can call it to explain a decision.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/routing/snapshot.h"

namespace agentgate::routing {

struct Candidate {
  const ProviderEntry* provider;         // points into the snapshot the plan was made from
  std::string upstream_model;            // the model name to send to this provider
  Protocol api = Protocol::kOpenAiChat;  // the protocol of the upstream request
  const Url* base = nullptr;             // where it goes (into the snapshot)
  bool despite_health = false;           // unhealthy, but nothing healthy was left
};

// What routing reads from a request (protocol/traits.h computes it from a body).
struct RequestTraits {
  std::string model;
  int64_t input_tokens = 0;  // estimated
  bool has_images = false;
  int tools = 0;
  bool thinking = false;  // thinking / reasoning asked for
  std::string system;     // the system prompt (possibly raw JSON, possibly cut), for keywords
};

// The model to send to `p` for a client's `model`: the model map's entry (exact, then "*");
// the model itself when the provider lists it or lists nothing and has no default; else the
// provider's default model (so "claude-sonnet-4-5" asked of a DeepSeek provider becomes
// "deepseek-chat"). An empty client model gets the default.
std::string MapModel(const ProviderEntry& p, std::string_view model);

// True when `p` names `model` explicitly: in its models, its default model or its model map.
bool ServesModelExplicitly(const ProviderEntry& p, std::string_view model);

// The preset condition of a scene: image (has images), reasoning (thinking asked), background
// (small/fast models: haiku, mini, nano, flash-lite, small), long_text (60k+ estimated input
// tokens), tool_heavy (20+ tools). nullopt for another name.
std::optional<RouteCondition> SceneCondition(std::string_view scene);
bool Matches(const RouteCondition& c, const RequestTraits& t);

struct PlanStep {
  std::string provider;
  bool chosen = false;
  std::string model;   // what it would be sent
  std::string via;     // "pass-through" or "conversion to <protocol>"
  std::string reason;  // why chosen or skipped
};

struct Plan {
  std::string profile;  // "" when the snapshot has no profile for the request
  RouteMode mode = RouteMode::kFailover;
  std::string rule;                   // the rule that matched
  bool midstream_failover = false;    // the profile continues cut streams elsewhere
  std::string error;                  // set when the named profile does not exist
  std::vector<Candidate> candidates;  // to try, in order
  std::vector<PlanStep> steps;        // chosen first, in order, then the skipped
};

// The plan for a request of `client` protocol with `traits`, by the profile named `route` (""
// = the protocol's default profile; none = every provider, failover). In failover mode: the
// first matching rule's provider, then the chain (providers naming the model explicitly first);
// disabled providers, those that cannot take the protocol, those without vision for a request
// with images, and those `unavailable` names a reason for (health) are skipped, except that
// when nothing else is left the unhealthy and the vision-less are tried anyway, in chain order.
// In manual mode only the first provider of the chain that can take the request is used,
// whatever model the request names.
// With `explain` false (the edge, per request) no steps are built, only the candidates.
Plan PlanRequest(const Snapshot& s, Protocol client, std::string_view route,
                 const RequestTraits& traits,
                 const std::function<std::string(const ProviderEntry&)>& unavailable = nullptr,
                 bool explain = true);

// Reorders candidates cheapest first by the price of the model each would be sent (input plus
// output per million tokens); models without a price go last, and candidates tried only
// despite their health stay after the others. Stable: equal prices keep the chain's order.
void CheapestFirst(std::vector<Candidate>& candidates, const pricing::PriceTable& prices);

// The candidates for a request naming `model`, by the default profile, health not considered.
std::vector<Candidate> PlanRoute(const Snapshot& s, Protocol client, std::string_view model);

std::string_view ProtocolName(Protocol p);  // "Chat Completions", "Messages", ...

// Every model id the snapshot's enabled providers name, without duplicates, with its provider
// and the model that provider is sent for it (its model map's target, else the id).
struct ModelListing {
  std::string id;
  std::string provider;
  std::string upstream;
};
std::vector<ModelListing> ListModels(const Snapshot& s);

}  // namespace agentgate::routing
