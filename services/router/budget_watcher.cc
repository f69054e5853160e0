#include "services/router/budget_watcher.h"

#include <ctime>

#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/local_time.h"
#include "services/common/log.h"
#include "services/common/strings.h"

namespace agentgate::router {

BudgetWatcher::BudgetWatcher(ConfigStore& store, SnapshotHub& hub, LocalToken& token,
                             const std::string& stats_address, std::chrono::milliseconds every)
    : store_(store),
      hub_(hub),
      token_(token),
      stats_address_(stats_address),
      every_(every),
      stats_(stats::v1::StatsService::NewStub(LocalChannel(stats_address))) {}

BudgetWatcher::~BudgetWatcher() { Stop(); }

void BudgetWatcher::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void BudgetWatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BudgetWatcher::CheckNow() { Check(); }

admin::v1::Budget BudgetWatcher::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

void BudgetWatcher::Loop() {
  for (;;) {
    Check();
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, every_, [&] { return stopping_; });
    if (stopping_) return;
  }
}

void BudgetWatcher::Check() {
  std::lock_guard<std::mutex> one(check_mu_);
  auto budget = store_.GetBudget();
  if (!budget.ok()) {
    LogWarn("cannot read the budget").Kv("error", Message(budget.status()));
    return;
  }
  admin::v1::Budget b = *budget;
  if (b.daily_limit_usd() > 0) {
    admin::v1::GetStatsRequest req;
    req.set_only_today(true);
    req.set_utc_offset_minutes(LocalUtcOffsetMinutes());
    grpc::ClientContext ctx;
    AddBearer(ctx, token_.Get());
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    admin::v1::StatsSummary summary;
    grpc::Status st = stats_->GetStats(&ctx, req, &summary);
    if (st.ok()) {
      b.set_spent_today_usd(summary.today().cost_usd());
      b.set_checked_at_ms(NowMs());
      b.set_exceeded(b.spent_today_usd() >= b.daily_limit_usd());
    } else {
      // Keep the last verdict rather than guess: the stats service may be restarting.
      std::lock_guard<std::mutex> lock(mu_);
      b.set_spent_today_usd(current_.spent_today_usd());
      b.set_checked_at_ms(current_.checked_at_ms());
      b.set_exceeded(current_.exceeded() && b.daily_limit_usd() > 0 &&
                     current_.spent_today_usd() >= b.daily_limit_usd());
      b.set_detail("the stats service at " + stats_address_ +
                   " did not answer: " + st.error_message());
    }
  }
  bool publish = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    publish = b.exceeded() != current_.exceeded() || b.mode() != current_.mode() ||
              b.daily_limit_usd() != current_.daily_limit_usd();
    if (b.exceeded() && !current_.exceeded()) {
      LogWarn("daily budget spent")
          .Kv("limit_usd", b.daily_limit_usd())
          .Kv("spent_usd", b.spent_today_usd())
          .Kv("mode", admin::v1::BudgetMode_Name(b.mode()));
    }
    current_ = b;
  }
  hub_.SetBudget(b);
  if (publish) {
    if (auto st = hub_.BumpAndRebuild(); !st.ok()) {
      LogWarn("cannot publish the budget").Kv("error", Message(st));
    }
  }
}

}  // namespace agentgate::router
