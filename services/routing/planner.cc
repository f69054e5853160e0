#include "services/routing/planner.h"

#include <algorithm>
#include <optional>
#include <set>

namespace agentgate::routing {

bool ServesModelExplicitly(const ProviderEntry& p, std::string_view model) {
  if (model.empty()) return false;
  if (p.model_map.find(model) != p.model_map.end()) return true;
  if (p.default_model == model) return true;
  return std::find(p.models.begin(), p.models.end(), model) != p.models.end();
}

std::string MapModel(const ProviderEntry& p, std::string_view model) {
  if (!model.empty()) {
    if (auto it = p.model_map.find(model); it != p.model_map.end()) return it->second;
  }
  if (auto it = p.model_map.find("*"); it != p.model_map.end()) return it->second;
  if (model.empty()) return p.default_model;
  if (std::find(p.models.begin(), p.models.end(), model) != p.models.end()) {
    return std::string(model);
  }
  if (p.default_model.empty()) return std::string(model);
  return p.default_model;
}

namespace {

// How provider `p` can take a request of `client` protocol: the upstream protocol and URL, or
// nothing.
std::optional<std::pair<Protocol, const Url*>> Reach(const ProviderEntry& p, Protocol client) {
  if (p.protocol == client) return std::make_pair(client, &p.base);
  if (client == Protocol::kAnthropicMessages && p.anthropic_base) {
    return std::make_pair(client, &*p.anthropic_base);
  }
  if (client == Protocol::kOpenAiResponses && p.responses_base) {
    return std::make_pair(client, &*p.responses_base);
  }
  // By conversion to the provider's native protocol (Responses exists only as an extra
  // endpoint, never as a native one).
  if (p.protocol == Protocol::kOpenAiResponses) return std::nullopt;
  return std::make_pair(p.protocol, &p.base);
}

}  // namespace

std::vector<Candidate> PlanRoute(const Snapshot& s, Protocol client, std::string_view model) {
  std::vector<Candidate> explicit_matches;
  std::vector<Candidate> others;
  for (const auto& p : s.providers) {
    if (!p.enabled) continue;
    auto reach = Reach(p, client);
    if (!reach) continue;
    Candidate c{&p, MapModel(p, model), reach->first, reach->second};
    (ServesModelExplicitly(p, model) ? explicit_matches : others).push_back(std::move(c));
  }
  explicit_matches.insert(explicit_matches.end(), std::make_move_iterator(others.begin()),
                          std::make_move_iterator(others.end()));
  return explicit_matches;
}

std::vector<ModelListing> ListModels(const Snapshot& s) {
  std::vector<ModelListing> out;
  std::set<std::string, std::less<>> seen;
  auto add = [&](const std::string& id, const std::string& provider) {
    if (id.empty() || id == "*" || !seen.insert(id).second) return;
    out.push_back({id, provider});
  };
  for (const auto& p : s.providers) {
    if (!p.enabled) continue;
    add(p.default_model, p.name);
    for (const auto& m : p.models) add(m, p.name);
    std::vector<std::string> mapped;
    for (const auto& [from, to] : p.model_map) mapped.push_back(from);
    std::sort(mapped.begin(), mapped.end());
    for (const auto& m : mapped) add(m, p.name);
  }
  return out;
}

}  // namespace agentgate::routing
