#include "services/router/account_refresher.h"

#include "services/accounts/quota.h"
#include "services/accounts/refresh.h"
#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/log.h"
#include "services/common/strings.h"
#include "services/router/account_news.h"
#include "services/snapshot/quota_convert.h"

namespace agentgate::router {
namespace {

constexpr auto kRefreshDeadline = std::chrono::seconds(30);

}  // namespace

AccountRefresher::AccountRefresher(ConfigStore& store, SnapshotHub& hub, LocalToken& token,
                                   EventHub& events, Options opts)
    : store_(store),
      hub_(hub),
      token_(token),
      events_(events),
      opts_(std::move(opts)),
      probe_(probe::v1::ProbeService::NewStub(LocalChannel(opts_.probe_address))) {}

AccountRefresher::~AccountRefresher() { Stop(); }

void AccountRefresher::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (worker_.joinable() || stopping_) return;
  worker_ = std::thread([this] { Loop(); });
}

void AccountRefresher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (grpc::ClientContext* c : in_flight_) c->TryCancel();
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void AccountRefresher::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    auto secrets = store_.AccountSecrets();
    if (!secrets.ok()) {
      LogWarn("cannot read the accounts to refresh").Kv("error", Message(secrets.status()));
    } else {
      for (const auto& s : *secrets) {
        if (!s.relogin.empty()) continue;  // it must sign in again: asking again would not help
        if (accounts::NeedsRefresh(s.access_expires_at_ms, s.refreshed_at_ms, NowMs())) {
          std::lock_guard<std::mutex> one(refresh_mu_);
          if (auto st = Refresh(s); !st.ok()) {
            LogWarn("account refresh failed").Kv("account", s.id).Kv("error", Message(st));
          }
          continue;
        }
        // An idle account: its quota from the usage endpoint.
        const int64_t asked = polled_at_[s.id];  // a failing endpoint is not asked every check
        if (opts_.quota_every.count() > 0 &&
            NowMs() - s.quota_reported_at_ms >= opts_.quota_every.count() &&
            NowMs() - asked >= opts_.quota_every.count()) {
          polled_at_[s.id] = NowMs();
          if (auto st = PollQuota(s); !st.ok()) {
            LogInfo("account quota not fetched").Kv("account", s.id).Kv("error", Message(st));
          }
        }
      }
    }
    lock.lock();
    cv_.wait_for(lock, opts_.every, [&] { return stopping_; });
  }
}

absl::Status AccountRefresher::RefreshNow(const std::string& id) {
  auto secrets = store_.AccountSecrets();
  if (!secrets.ok()) return secrets.status();
  for (const auto& s : *secrets) {
    if (s.id != id) continue;
    std::lock_guard<std::mutex> one(refresh_mu_);
    return Refresh(s);
  }
  return absl::NotFoundError("no account " + id);
}

absl::StatusOr<probe::v1::RefreshAccountResponse> AccountRefresher::CallAuthServer(
    probe::v1::AuthStep step, std::string body) {
  probe::v1::AuthServerCall req;
  req.set_issuer(opts_.issuer);
  req.set_step(step);
  req.set_body(std::move(body));
  probe::v1::RefreshAccountResponse resp;
  grpc::Status st =
      ProbeCall([&](grpc::ClientContext* ctx) { return probe_->CallAuthServer(ctx, req, &resp); });
  if (!st.ok()) {
    return absl::UnavailableError("the probe service at " + opts_.probe_address +
                                  " could not reach the auth server: " + st.error_message());
  }
  return resp;
}

absl::Status AccountRefresher::Refresh(const ConfigStore::AccountSecret& s) {
  if (s.refresh_token.empty()) {
    return absl::FailedPreconditionError("account " + s.id + " has no refresh token");
  }
  probe::v1::RefreshAccountRequest req;
  req.set_issuer(opts_.issuer);
  req.set_body(accounts::RefreshRequestBody(s.refresh_token));
  probe::v1::RefreshAccountResponse resp;
  grpc::Status st =
      ProbeCall([&](grpc::ClientContext* ctx) { return probe_->RefreshAccount(ctx, req, &resp); });
  if (!st.ok()) {
    return absl::UnavailableError("the probe service at " + opts_.probe_address +
                                  " did not refresh the account: " + st.error_message());
  }
  accounts::RefreshOutcome out =
      accounts::ParseRefreshAnswer(resp.status(), resp.body(), resp.error());
  switch (out.kind) {
    case accounts::RefreshOutcome::Kind::kRefreshed: {
      accounts::Account fresh;
      fresh.id_token = std::move(out.id_token);
      fresh.access_token = std::move(out.access_token);
      fresh.refresh_token = std::move(out.refresh_token);
      fresh.access_expires_at_ms = out.access_expires_at_ms;
      if (auto saved = store_.StoreRefreshedTokens(s.id, fresh, NowMs()); !saved.ok()) {
        return saved;
      }
      LogInfo("account refreshed").Kv("account", s.id);
      return hub_.Rebuild();
    }
    case accounts::RefreshOutcome::Kind::kRelogin:
      if (auto marked = store_.MarkRelogin(s.id, out.why); !marked.ok()) return marked;
      LogWarn("account must sign in again").Kv("account", s.id).Kv("why", out.why);
      return absl::FailedPreconditionError("account " + s.id + " must sign in again: " + out.why);
    case accounts::RefreshOutcome::Kind::kRetry:
      break;
  }
  return absl::UnavailableError(out.why);
}

grpc::Status AccountRefresher::ProbeCall(
    const std::function<grpc::Status(grpc::ClientContext*)>& call) {
  grpc::ClientContext c;
  AddBearer(c, token_.Get());
  c.set_deadline(std::chrono::system_clock::now() + kRefreshDeadline);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return grpc::Status(grpc::StatusCode::CANCELLED, "the router is stopping");
    in_flight_.insert(&c);
  }
  grpc::Status st = call(&c);
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_.erase(&c);
  return st;
}

absl::Status AccountRefresher::PollQuota(const ConfigStore::AccountSecret& s) {
  auto pool = store_.GetProvider(s.provider);
  if (!pool.ok()) return pool.status();
  probe::v1::FetchAccountUsageRequest req;
  req.set_url(accounts::UsageUrlFor(pool->base_url()));
  req.set_access_token(s.access_token);
  req.set_account_id(s.id);
  probe::v1::RefreshAccountResponse resp;
  grpc::Status st = ProbeCall(
      [&](grpc::ClientContext* ctx) { return probe_->FetchAccountUsage(ctx, req, &resp); });
  if (!st.ok()) return absl::UnavailableError("the probe service: " + st.error_message());
  const int64_t now = NowMs();
  if (resp.status() == 401 || resp.status() == 403) {
    // The access token is no longer taken: a refresh gets a new one (or says to sign in).
    std::lock_guard<std::mutex> one(refresh_mu_);
    return Refresh(s);
  }
  if (resp.status() != 200) {
    return absl::UnavailableError(resp.status() == 0 ? resp.error()
                                                     : "HTTP " + std::to_string(resp.status()));
  }
  auto quota = accounts::QuotaFromUsage(resp.body(), now);
  if (!quota) return absl::DataLossError("the usage answer has no rate_limit");
  auto changed = store_.RecordAccountQuota(s.id, snapshot::QuotaToProto(*quota, now), 0);
  if (!changed.ok()) return changed.status();
  if (!*changed) return absl::OkStatus();
  PublishAccountNews(store_, events_, s.id, now);
  return hub_.Rebuild();
}

}  // namespace agentgate::router
