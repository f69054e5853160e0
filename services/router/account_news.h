// News of an official account for the live events: when its standing changed (an answer or
// the usage endpoint told it), an ACCOUNT event with what changed and which account serves now.
#pragma once

#include <cstdint>
#include <string>

#include "services/router/config_store.h"
#include "services/router/event_hub.h"

namespace agentgate::router {

// Reads the account's pool from the store and publishes its news (nothing when the account is
// gone).
void PublishAccountNews(ConfigStore& store, EventHub& events, const std::string& id,
                        int64_t now_ms);

}  // namespace agentgate::router
