// An official account's quota between the pure accounts library and the API messages: the edge
// reports it with its outcomes, the router keeps and shows it.
#pragma once

#include <cstdint>

#include "agentgate/admin/v1/admin.pb.h"
#include "services/accounts/quota.h"

namespace agentgate::snapshot {

admin::v1::AccountQuota QuotaToProto(const accounts::Quota& q, int64_t reported_at_ms);
accounts::Quota QuotaFromProto(const admin::v1::AccountQuota& q);

}  // namespace agentgate::snapshot
