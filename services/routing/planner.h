// Route planning for one request, from a snapshot. Pure: the edge calls it per request, the
// router can call it to explain a decision.
#pragma once

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
};

// The model to send to `p` for a client's `model`: the model map's entry (exact, then "*");
// the model itself when the provider lists it or lists nothing and has no default; else the
// provider's default model (so "claude-sonnet-4-5" asked of a DeepSeek provider becomes
// "deepseek-chat"). An empty client model gets the default.
std::string MapModel(const ProviderEntry& p, std::string_view model);

// True when `p` names `model` explicitly: in its models, its default model or its model map.
bool ServesModelExplicitly(const ProviderEntry& p, std::string_view model);

// Candidates for a request a client sent in `client` protocol: every enabled provider that can
// take it, those naming the model explicitly first, each group in snapshot (priority) order.
// A provider takes it unchanged when it speaks the client's protocol natively or has an
// endpoint for it (anthropic_url, responses_url); otherwise by conversion to its native
// protocol (Chat Completions, Messages or Gemini).
std::vector<Candidate> PlanRoute(const Snapshot& s, Protocol client, std::string_view model);

// Every model id the snapshot's enabled providers name, without duplicates, with its provider.
struct ModelListing {
  std::string id;
  std::string provider;
};
std::vector<ModelListing> ListModels(const Snapshot& s);

}  // namespace agentgate::routing
