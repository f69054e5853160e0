#include "services/edge/record.h"

#include "services/common/strings.h"
#include "services/pricing/prices.h"
#include "services/routing/presets.h"

namespace agentgate::edge {

void BoundRecord(admin::v1::RequestLog* rec) {
  auto bound = [](std::string* s, size_t max) {
    if (s->size() > max) *s = BoundedText(*s, max);
  };
  bound(rec->mutable_path(), kMaxRecordedPath);
  bound(rec->mutable_model_requested(), kMaxRecordedModel);
  bound(rec->mutable_model_sent(), kMaxRecordedModel);
  bound(rec->mutable_error(), kMaxRecordedError);
  auto* losses = rec->mutable_conversion_losses();
  if (static_cast<size_t>(losses->size()) > kMaxRecordedLosses) {
    int more = losses->size() - static_cast<int>(kMaxRecordedLosses) + 1;
    losses->DeleteSubrange(static_cast<int>(kMaxRecordedLosses) - 1, more);
    losses->Add("\xE2\x80\xA6and " + std::to_string(more) + " more");
  }
  for (std::string& l : *losses) bound(&l, kMaxRecordedLoss);
  auto* tried = rec->mutable_tried();
  if (static_cast<size_t>(tried->size()) > kMaxRecordedAttempts) {
    tried->DeleteSubrange(static_cast<int>(kMaxRecordedAttempts),
                          tried->size() - static_cast<int>(kMaxRecordedAttempts));
  }
  for (auto& t : *tried) bound(t.mutable_error(), kMaxRecordedLoss);
}

void SetUsage(admin::v1::RequestLog* rec, const protocol::ir::Usage& u) {
  rec->set_input_tokens(u.input);
  rec->set_output_tokens(u.output);
  rec->set_cached_tokens(u.cached);
  rec->set_cache_write_tokens(u.cache_creation);
  rec->set_reasoning_tokens(u.reasoning);
}

void PriceRecord(const routing::Snapshot* snap, admin::v1::RequestLog* rec) {
  if (snap == nullptr || snap->prices == nullptr ||
      (rec->input_tokens() <= 0 && rec->output_tokens() <= 0)) {
    return;
  }
  const routing::ProviderPreset* preset = nullptr;
  if (const routing::ProviderEntry* p = snap->FindProvider(rec->provider()); p != nullptr) {
    preset = routing::FindPreset(p->type);
  }
  // A server on the user's machine (Ollama, LM Studio, vLLM) costs nothing.
  if (preset != nullptr && preset->local) {
    rec->set_cost_usd(0);
    return;
  }
  auto cost = pricing::RequestCost(*snap->prices, rec->model_sent(), rec->model_requested(),
                                   pricing::Usage{rec->input_tokens(), rec->output_tokens(),
                                                  rec->cached_tokens(), rec->cache_write_tokens()});
  // A subscription's request counts against the plan, not in dollars; what it would have
  // cost at the API price is kept beside (what the plan saved).
  if (preset != nullptr && preset->subscription) {
    rec->set_on_plan(true);
    rec->set_cost_usd(0);
    if (cost) rec->set_list_price_usd(*cost);
    return;
  }
  if (cost) rec->set_cost_usd(*cost);
}

size_t RecordBytes(const admin::v1::RequestLog& rec) { return rec.ByteSizeLong(); }

}  // namespace agentgate::edge
