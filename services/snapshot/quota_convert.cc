#include "services/snapshot/quota_convert.h"

namespace agentgate::snapshot {
namespace {

admin::v1::QuotaWindow WindowToProto(const accounts::QuotaWindow& w) {
  admin::v1::QuotaWindow out;
  out.set_known(w.known());
  if (w.known()) out.set_used_percent(w.used_percent);
  out.set_window_minutes(w.window_minutes);
  out.set_reset_at_ms(w.reset_at_ms);
  return out;
}

accounts::QuotaWindow WindowFromProto(const admin::v1::QuotaWindow& w) {
  accounts::QuotaWindow out;
  if (w.known()) out.used_percent = w.used_percent();
  out.window_minutes = w.window_minutes();
  out.reset_at_ms = w.reset_at_ms();
  return out;
}

}  // namespace

admin::v1::AccountQuota QuotaToProto(const accounts::Quota& q, int64_t reported_at_ms) {
  admin::v1::AccountQuota out;
  *out.mutable_primary() = WindowToProto(q.primary);
  *out.mutable_secondary() = WindowToProto(q.secondary);
  out.set_reported_at_ms(reported_at_ms);
  out.set_credits_balance(q.credits_balance);
  return out;
}

accounts::Quota QuotaFromProto(const admin::v1::AccountQuota& q) {
  accounts::Quota out;
  out.primary = WindowFromProto(q.primary());
  out.secondary = WindowFromProto(q.secondary());
  out.credits_balance = q.credits_balance();
  return out;
}

}  // namespace agentgate::snapshot
