// An official account's standing (ready, low, spent) filled in for the user.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agentgate/admin/v1/admin.pb.h"

namespace agentgate::router {

// Sets a.state and a.detail at `now_ms`; "low" under `low_left_percent` left in a window.
void FillStanding(admin::v1::Account& a, int64_t now_ms, double low_left_percent);

// The news when account `id`'s standing changed, from its pool's accounts (standings filled, in
// their order): "acct-1 spent (weekly window 100% used, resets in 2d); acct-2 serves now",
// "acct-1 is ready again and serves first", "... no other account of chatgpt is ready".
// "" when `id` is not among them.
std::string StandingNews(const std::vector<admin::v1::Account>& pool, const std::string& id);

}  // namespace agentgate::router
