// An official account's standing (ready, low, spent) filled in for the user.
#pragma once

#include <cstdint>

#include "agentgate/admin/v1/admin.pb.h"

namespace agentgate::router {

// Sets a.state and a.detail at `now_ms`.
void FillStanding(admin::v1::Account& a, int64_t now_ms);

}  // namespace agentgate::router
