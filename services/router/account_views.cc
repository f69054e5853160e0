#include "services/router/account_views.h"

#include "services/snapshot/quota_convert.h"

namespace agentgate::router {

void FillStanding(admin::v1::Account& a, int64_t now_ms) {
  accounts::Standing s =
      accounts::Judge(snapshot::QuotaFromProto(a.quota()), a.cooling_until_ms(), now_ms);
  a.set_state(s.state);
  a.set_detail(s.detail);
  if (!a.relogin().empty()) {
    a.set_state("re-login");
    a.set_detail("sign in again (" + a.relogin() + ")");
  }
}

}  // namespace agentgate::router
