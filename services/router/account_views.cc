#include "services/router/account_views.h"

#include "services/snapshot/quota_convert.h"

namespace agentgate::router {

void FillStanding(admin::v1::Account& a, int64_t now_ms, double low_left_percent) {
  accounts::Standing s = accounts::Judge(snapshot::QuotaFromProto(a.quota()), a.cooling_until_ms(),
                                         now_ms, low_left_percent);
  a.set_state(s.state);
  a.set_detail(s.detail);
  if (!a.relogin().empty()) {
    a.set_state("re-login");
    a.set_detail("sign in again (" + a.relogin() + ")");
  }
}

std::string StandingNews(const std::vector<admin::v1::Account>& pool, const std::string& id) {
  const admin::v1::Account* changed = nullptr;
  const admin::v1::Account* serving = nullptr;  // the first ready account of the pool
  for (const auto& a : pool) {
    if (a.id() == id) changed = &a;
    if (serving == nullptr && a.state() == "ready") serving = &a;
  }
  if (changed == nullptr) return "";
  if (changed->state() == "ready") {
    return changed->id() + " is ready again" + (serving == changed ? " and serves first" : "");
  }
  std::string news = changed->id() + " " + changed->state();
  if (!changed->detail().empty()) news += " (" + changed->detail() + ")";
  if (serving != nullptr) return news + "; " + serving->id() + " serves now";
  return news + "; no other account of " + changed->provider() + " is ready";
}

}  // namespace agentgate::router
