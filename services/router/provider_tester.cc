#include "services/router/provider_tester.h"

#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"

namespace agentgate::router {
namespace {

// A whole probe TestProvider is bounded by 60 s on its side.
constexpr auto kTestDeadline = std::chrono::seconds(75);

admin::v1::ProbeStep Step(std::string name, const probe::v1::StepResult& r) {
  admin::v1::ProbeStep s;
  s.set_name(std::move(name));
  s.set_ok(r.ok());
  s.set_skipped(r.skipped());
  s.set_detail(r.detail());
  s.set_elapsed_ms(r.elapsed_ms());
  return s;
}

admin::v1::ProbeStep Step(std::string name, const probe::v1::CapabilityResult& r) {
  admin::v1::ProbeStep s;
  s.set_name(std::move(name));
  s.set_ok(!r.skipped() && r.capability() != admin::v1::CAPABILITY_UNKNOWN);
  s.set_skipped(r.skipped());
  s.set_detail(r.detail());
  s.set_elapsed_ms(r.elapsed_ms());
  return s;
}

// A key's detail without its "key N of M: " prefix.
std::string KeyOutcome(const std::string& detail) {
  const size_t colon = detail.find(": ");
  if (detail.rfind("key ", 0) != 0 || colon == std::string::npos) return detail;
  return detail.substr(colon + 2);
}

// One step for a pool's keys: ok only when every key passed; skipped, with the reason, when the
// further keys were not run; else each key's outcome ("key 1 ✓, key 2 ✓, key 3 ✗ HTTP 401:
// Incorrect API key provided").
admin::v1::ProbeStep KeysStep(
    const google::protobuf::RepeatedPtrField<probe::v1::StepResult>& keys) {
  admin::v1::ProbeStep s;
  s.set_name("keys");
  bool all_ok = true;
  int64_t elapsed = 0;
  std::string detail;
  for (int i = 0; i < keys.size(); ++i) {
    const probe::v1::StepResult& k = keys.Get(i);
    if (k.skipped()) {
      s.set_skipped(true);
      s.set_detail(KeyOutcome(k.detail()));
      return s;
    }
    all_ok = all_ok && k.ok();
    elapsed += k.elapsed_ms();
    if (!detail.empty()) detail += ", ";
    detail += "key " + std::to_string(i + 1) + (k.ok() ? " ✓" : " ✗ " + KeyOutcome(k.detail()));
  }
  s.set_ok(all_ok);
  s.set_detail(detail);
  s.set_elapsed_ms(elapsed);
  return s;
}

admin::v1::ProviderTestResult ToResult(const probe::v1::TestProviderResponse& presp,
                                       const admin::v1::TestProviderRequest& what) {
  admin::v1::ProviderTestResult r;
  r.set_ok(presp.ok());
  r.set_model(presp.model());
  r.set_elapsed_ms(presp.elapsed_ms());
  *r.add_steps() = Step("config", presp.config());
  *r.add_steps() = Step("gateway", presp.gateway());
  *r.add_steps() = Step("provider", presp.provider());
  // Only when the provider has that URL, or more than one key (the probe leaves them unset
  // otherwise). They do not change `ok`.
  if (presp.has_anthropic_endpoint()) {
    *r.add_steps() = Step("anthropic_endpoint", presp.anthropic_endpoint());
  }
  if (presp.has_responses_endpoint()) {
    *r.add_steps() = Step("responses_endpoint", presp.responses_endpoint());
  }
  if (presp.keys_size() > 1) *r.add_steps() = KeysStep(presp.keys());
  if (what.check_vision()) *r.add_steps() = Step("vision", presp.vision());
  if (what.check_prompt_cache()) *r.add_steps() = Step("prompt_cache", presp.prompt_cache());
  if (what.list_models()) {
    admin::v1::ProbeStep& m = *r.add_steps();
    m.set_name("models");
    m.set_ok(presp.models().ok());
    m.set_skipped(presp.models().skipped());
    m.set_detail(presp.models().detail());
    m.set_elapsed_ms(presp.models().elapsed_ms());
    r.mutable_models()->CopyFrom(presp.models().models());
  }
  r.set_vision(presp.vision().capability());
  r.set_prompt_cache(presp.prompt_cache().capability());
  return r;
}

}  // namespace

bool NeedsRetest(const admin::v1::UpdateProviderRequest& req) {
  return req.has_base_url() || req.has_api_key() || req.replace_api_keys() || req.has_protocol() ||
         req.has_anthropic_url() || req.has_responses_url() || req.replace_extra_headers() ||
         req.has_default_model() || req.has_timeout_ms() || (req.has_enabled() && req.enabled());
}

ProviderTester::ProviderTester(ConfigStore& store, SnapshotHub& hub, LocalToken& token,
                               const LocalToken& service_cred, Options opts)
    : store_(store),
      hub_(hub),
      token_(token),
      service_cred_(service_cred),
      opts_(std::move(opts)),
      probe_(probe::v1::ProbeService::NewStub(LocalChannel(opts_.probe_address))) {}

ProviderTester::~ProviderTester() { Stop(); }

void ProviderTester::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (worker_.joinable() || stopping_) return;
  if (!opts_.automatic && opts_.every.count() <= 0) return;
  worker_ = std::thread([this] { Loop(); });
}

void ProviderTester::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (grpc::ClientContext* c : in_flight_) c->TryCancel();
    queue_.clear();
    pending_.clear();
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void ProviderTester::Enqueue(const std::string& name, const std::string& trigger) {
  if (!opts_.automatic) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    // Queued and not started yet: that test will see the latest settings.
    for (const auto& [queued, _] : queue_) {
      if (queued == name) return;
    }
    queue_.emplace_back(name, trigger);
    pending_.insert(name);
  }
  cv_.notify_all();
}

bool ProviderTester::Pending(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_.count(name) > 0;
}

admin::v1::TestProviderRequest ProviderTester::AutomaticChecks(const admin::v1::Provider& p,
                                                               const std::string& trigger) const {
  admin::v1::TestProviderRequest what;
  what.set_name(p.name());
  what.set_check_vision(p.vision() == admin::v1::CAPABILITY_UNKNOWN);
  what.set_check_prompt_cache(p.prompt_cache() == admin::v1::CAPABILITY_UNKNOWN);
  what.set_list_models(trigger != "scheduled");
  return what;
}

void ProviderTester::Loop() {
  auto next_round = std::chrono::steady_clock::now() + opts_.every;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (queue_.empty()) {
      if (opts_.every.count() > 0) {
        cv_.wait_until(lock, next_round, [&] { return stopping_ || !queue_.empty(); });
      } else {
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      }
      if (stopping_) break;
      if (queue_.empty() && opts_.every.count() > 0 &&
          std::chrono::steady_clock::now() >= next_round) {
        // A scheduled round: every enabled provider, in priority order.
        next_round = std::chrono::steady_clock::now() + opts_.every;
        lock.unlock();
        auto list = store_.ListProviders();
        lock.lock();
        if (!list.ok()) {
          LogWarn("scheduled provider tests: cannot read providers")
              .Kv("error", Message(list.status()));
          continue;
        }
        for (const auto& p : *list) {
          if (!p.enabled() || pending_.count(p.name()) > 0) continue;
          queue_.emplace_back(p.name(), "scheduled");
          pending_.insert(p.name());
        }
      }
      continue;
    }
    auto [name, trigger] = queue_.front();
    queue_.pop_front();
    lock.unlock();
    auto provider = store_.GetProvider(name);
    if (provider.ok()) {
      auto outcome = Run(name, AutomaticChecks(*provider, trigger), trigger);
      if (!outcome.ok()) {
        LogWarn("automatic provider test did not run")
            .Kv("provider", name)
            .Kv("trigger", trigger)
            .Kv("error", Message(outcome.status()));
      } else {
        (outcome->result.ok() ? LogInfo("provider tested") : LogWarn("provider test failed"))
            .Kv("provider", name)
            .Kv("trigger", trigger);
        if (outcome->capabilities_changed) {
          if (auto st = hub_.Rebuild(); !st.ok()) {
            LogWarn("cannot publish probed capabilities").Kv("error", Message(st));
          }
        }
      }
    }
    lock.lock();
    // Queued again while it ran: keep it pending for that test.
    bool again = false;
    for (const auto& [queued, _] : queue_) again = again || queued == name;
    if (!again) pending_.erase(name);
  }
}

absl::StatusOr<ProviderTester::Outcome> ProviderTester::Run(
    const std::string& name, const admin::v1::TestProviderRequest& what,
    const std::string& trigger) {
  auto config = store_.ProviderWithKeys(name);
  if (!config.ok()) return config.status();
  probe::v1::TestProviderRequest preq;
  *preq.mutable_provider() = *std::move(config);
  auto before = store_.GetProvider(name);
  if (!before.ok()) return before.status();
  // The gateway step checks the edge this router last heard from.
  for (const auto& e : hub_.Edges()) {
    if (!e.heartbeat.info().address().empty()) {
      preq.set_gateway_address(e.heartbeat.info().address());
      break;
    }
  }
  std::string token = token_.Get();
  preq.set_local_token(token);
  preq.set_check_vision(what.check_vision());
  preq.set_check_prompt_cache(what.check_prompt_cache());
  preq.set_list_models(what.list_models());

  grpc::ClientContext c;
  AddBearer(c, service_cred_.Get());
  c.set_deadline(std::chrono::system_clock::now() + kTestDeadline);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return absl::CancelledError("the router is stopping");
    in_flight_.insert(&c);
  }
  probe::v1::TestProviderResponse presp;
  grpc::Status st = probe_->TestProvider(&c, preq, &presp);
  {
    std::lock_guard<std::mutex> lock(mu_);
    in_flight_.erase(&c);
  }
  if (!st.ok()) {
    if (st.error_code() == grpc::StatusCode::UNAVAILABLE ||
        st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      return absl::UnavailableError("the probe service at " + opts_.probe_address +
                                    " is not reachable: " + st.error_message());
    }
    return absl::Status(static_cast<absl::StatusCode>(st.error_code()), st.error_message());
  }

  Outcome out;
  out.result = ToResult(presp, what);
  out.result.set_tested_at_ms(NowMs());
  out.result.set_trigger(trigger);
  if (auto saved = store_.SaveTestResult(name, out.result); !saved.ok()) {
    // Deleted (or renamed) while it was tested: the result is still the caller's.
    if (!absl::IsNotFound(saved)) return saved;
    return out;
  }

  // What the probe established for certain is kept with the provider (vision drives routing).
  admin::v1::UpdateProviderRequest update;
  update.set_name(name);
  if (!presp.vision().skipped() && presp.vision().capability() != admin::v1::CAPABILITY_UNKNOWN &&
      presp.vision().capability() != before->vision()) {
    update.set_vision(presp.vision().capability());
    out.capabilities_changed = true;
  }
  if (presp.prompt_cache().capability() == admin::v1::CAPABILITY_YES &&
      before->prompt_cache() != admin::v1::CAPABILITY_YES) {
    update.set_prompt_cache(admin::v1::CAPABILITY_YES);
    out.capabilities_changed = true;
  }
  if (out.capabilities_changed) {
    auto p = store_.UpdateProvider(update);
    if (!p.ok()) return p.status();
    LogInfo("provider capabilities probed")
        .Kv("provider", name)
        .Kv("vision", admin::v1::Capability_Name(presp.vision().capability()));
  }
  return out;
}

}  // namespace agentgate::router
