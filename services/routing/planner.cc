#include "services/routing/planner.h"

#include <algorithm>
#include <cctype>
#include <limits>
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
  // By conversion to the provider's native protocol (a Responses one too: official ChatGPT
  // accounts serve every client).
  return std::make_pair(p.protocol, &p.base);
}

}  // namespace

std::string_view ProtocolName(Protocol p) {
  switch (p) {
    case Protocol::kOpenAiChat:
      return "Chat Completions";
    case Protocol::kAnthropicMessages:
      return "Messages";
    case Protocol::kGemini:
      return "Gemini";
    case Protocol::kOpenAiResponses:
      return "Responses";
  }
  return "Chat Completions";
}

std::optional<RouteCondition> SceneCondition(std::string_view scene) {
  RouteCondition c;
  if (scene == "image") {
    c.has_images = true;
  } else if (scene == "reasoning") {
    c.thinking = true;
  } else if (scene == "background") {
    c.model_keywords = {"haiku", "-mini", "-nano", "flash-lite", "small"};
  } else if (scene == "long_text") {
    c.min_input_tokens = 60'000;
  } else if (scene == "tool_heavy") {
    c.min_tools = 20;
  } else {
    return std::nullopt;
  }
  return c;
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool ContainsAny(std::string_view text, const std::vector<std::string>& words) {
  std::string lower = Lower(text);
  for (const auto& w : words) {
    if (!w.empty() && lower.find(Lower(w)) != std::string::npos) return true;
  }
  return false;
}

const RouteProfile* FindProfile(const Snapshot& s, Protocol client, std::string_view route) {
  for (const auto& r : s.routes) {
    if (route.empty() ? (r.is_default && r.client == client) : r.name == route) return &r;
  }
  return nullptr;
}

}  // namespace

bool Matches(const RouteCondition& c, const RequestTraits& t) {
  if (c.min_input_tokens > 0 && t.input_tokens < c.min_input_tokens) return false;
  if (c.has_images && !t.has_images) return false;
  if (c.has_tools && t.tools == 0) return false;
  if (c.min_tools > 0 && t.tools < c.min_tools) return false;
  if (c.thinking && !t.thinking) return false;
  if (!c.system_keywords.empty() && !ContainsAny(t.system, c.system_keywords)) return false;
  if (!c.model_keywords.empty() && !ContainsAny(t.model, c.model_keywords)) return false;
  return true;
}

Plan PlanRequest(const Snapshot& s, Protocol client, std::string_view route,
                 const RequestTraits& traits,
                 const std::function<std::string(const ProviderEntry&)>& unavailable,
                 bool explain) {
  static const std::string kNamesModel = "names the model";
  Plan plan;
  const RouteProfile* profile = FindProfile(s, client, route);
  if (profile == nullptr && !route.empty()) {
    plan.error = "no route profile named '" + std::string(route) + "'";
    return plan;
  }
  // The order to consider providers in, each with why it is there and the model it gets.
  struct Entry {
    const ProviderEntry* p;
    std::string why;    // empty unless explaining (static ones fit the small-string buffer)
    std::string model;  // a rule's model, else mapped below
  };
  std::vector<Entry> order;
  auto listed = [&](const ProviderEntry* p) {
    for (const auto& e : order) {
      if (e.p == p) return true;
    }
    return false;
  };
  if (profile != nullptr) {
    plan.profile = profile->name;
    plan.mode = profile->mode;
    plan.midstream_failover = profile->midstream_failover;
    if (profile->mode == RouteMode::kFailover) {
      for (const auto& rule : profile->rules) {
        const ProviderEntry* p = s.FindProvider(rule.provider);
        if (p == nullptr || !Matches(rule.when, traits)) continue;
        plan.rule = rule.name;
        order.push_back(
            {p, explain ? "rule '" + rule.name + "' matched" : std::string(), rule.model});
        break;
      }
    }
    std::vector<Entry> named, others;
    for (const auto& name : profile->chain) {
      const ProviderEntry* p = s.FindProvider(name);
      if (p == nullptr || listed(p)) continue;
      // Manual mode keeps the chain's order exactly: its first provider is the one.
      bool exact = profile->mode == RouteMode::kFailover && ServesModelExplicitly(*p, traits.model);
      (exact ? named : others).push_back({p, exact ? kNamesModel : "in the chain", ""});
    }
    order.insert(order.end(), named.begin(), named.end());
    order.insert(order.end(), others.begin(), others.end());
  } else {
    std::vector<Entry> named, others;
    for (const auto& p : s.providers) {
      bool exact = ServesModelExplicitly(p, traits.model);
      (exact ? named : others).push_back({&p, exact ? kNamesModel : "by priority", ""});
    }
    order.insert(order.end(), named.begin(), named.end());
    order.insert(order.end(), others.begin(), others.end());
  }

  std::vector<PlanStep> skipped;
  std::vector<std::pair<Candidate, PlanStep>> fallback;  // unhealthy or vision-less
  for (const auto& e : order) {
    const ProviderEntry& p = *e.p;
    PlanStep step;
    if (explain) step.provider = p.name;
    if (!p.enabled) {
      if (explain) {
        step.reason = "disabled";
        skipped.push_back(std::move(step));
      }
      continue;
    }
    auto reach = Reach(p, client);
    if (!reach) {
      if (explain) {
        step.reason = "cannot take " + std::string(ProtocolName(client)) + " requests";
        skipped.push_back(std::move(step));
      }
      continue;
    }
    std::string model = e.model;
    if (model.empty()) {
      bool mapped_explicitly = p.model_map.count(traits.model) > 0;
      model = traits.thinking && !p.reasoning_model.empty() && !mapped_explicitly
                  ? p.reasoning_model
                  : MapModel(p, traits.model);
    }
    Candidate c{&p, model, reach->first, reach->second};
    if (explain) {
      step.model = model;
      step.via = reach->first == client
                     ? "pass-through"
                     : "conversion to " + std::string(ProtocolName(reach->first));
    }
    if (plan.mode == RouteMode::kManual) {
      if (!plan.candidates.empty()) {
        if (!explain) break;
        step.reason = "manual mode: only the first provider is used";
        skipped.push_back(std::move(step));
        continue;
      }
      step.chosen = true;
      if (explain) step.reason = "manual mode: first in the chain";
      plan.candidates.push_back(std::move(c));
      if (explain) plan.steps.push_back(std::move(step));
      continue;
    }
    if (traits.has_images && p.vision == Capability::kNo) {
      if (explain) step.reason = "no vision, and the request has images";
      fallback.emplace_back(std::move(c), std::move(step));
      continue;
    }
    if (unavailable) {
      if (std::string why = unavailable(p); !why.empty()) {
        step.reason = why;
        fallback.emplace_back(std::move(c), std::move(step));
        continue;
      }
    }
    if (explain) {
      step.chosen = true;
      step.reason = plan.candidates.empty()
                        ? e.why
                        : e.why + "; failover #" + std::to_string(plan.candidates.size());
      plan.steps.push_back(std::move(step));
    }
    plan.candidates.push_back(std::move(c));
  }
  if (plan.candidates.empty()) {
    for (auto& [c, step] : fallback) {
      c.despite_health = true;
      plan.candidates.push_back(std::move(c));
      if (explain) {
        step.chosen = true;
        step.reason += "; tried anyway: no other provider is left";
        plan.steps.push_back(std::move(step));
      }
    }
  } else if (explain) {
    for (auto& [c, step] : fallback) skipped.push_back(std::move(step));
  }
  plan.steps.insert(plan.steps.end(), std::make_move_iterator(skipped.begin()),
                    std::make_move_iterator(skipped.end()));
  return plan;
}

void CheapestFirst(std::vector<Candidate>& candidates, const pricing::PriceTable& prices) {
  auto price = [&](const Candidate& c) {
    const pricing::ModelPrice* p = prices.Find(c.upstream_model);
    return p == nullptr ? std::numeric_limits<double>::infinity()
                        : p->rates.input + p->rates.output;
  };
  std::vector<std::pair<double, Candidate>> keyed;
  keyed.reserve(candidates.size());
  for (auto& c : candidates) keyed.emplace_back(price(c), std::move(c));
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    if (a.second.despite_health != b.second.despite_health) return !a.second.despite_health;
    return a.first < b.first;
  });
  candidates.clear();
  for (auto& [_, c] : keyed) candidates.push_back(std::move(c));
}

std::vector<Candidate> PlanRoute(const Snapshot& s, Protocol client, std::string_view model) {
  RequestTraits t;
  t.model = std::string(model);
  return PlanRequest(s, client, "", t, nullptr, /*explain=*/false).candidates;
}

std::vector<ModelListing> ListModels(const Snapshot& s) {
  std::vector<ModelListing> out;
  std::set<std::string, std::less<>> seen;
  auto add = [&](const std::string& id, const std::string& provider, const std::string& to) {
    if (id.empty() || id == "*" || !seen.insert(id).second) return;
    out.push_back({id, provider, to.empty() ? id : to});
  };
  for (const auto& p : s.providers) {
    if (!p.enabled) continue;
    add(p.default_model, p.name, "");
    for (const auto& m : p.models) add(m, p.name, "");
    for (const auto& [from, to] : p.model_map) add(from, p.name, to);  // sorted by `from`
  }
  return out;
}

}  // namespace agentgate::routing
