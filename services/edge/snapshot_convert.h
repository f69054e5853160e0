// Turns the router's ConfigSnapshot proto into the routing library's Snapshot.
#pragma once

#include "agentgate/control/v1/control.pb.h"
#include "services/routing/snapshot.h"

namespace agentgate::edge {

// Providers whose base URL does not parse are left out (and logged): the router validates
// URLs on write, so this only guards against a damaged store.
routing::Snapshot SnapshotFromProto(const control::v1::ConfigSnapshot& proto);

routing::Protocol ClientProtocolFromProto(admin::v1::ClientProtocol p);
routing::ProviderHealth HealthFromProto(const admin::v1::ProviderStatus& s);
// The status the admin API shows for a provider's health (keys masked by the caller).
void HealthToProto(const routing::ProviderHealth& h, int64_t now_ms, admin::v1::ProviderStatus* out);

}  // namespace agentgate::edge
