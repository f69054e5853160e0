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

// Model prices between the admin API's proto and the pricing library (unset cache prices are
// -1 there: not billed separately).
pricing::ModelPrice PriceFromProto(const admin::v1::ModelPrice& p);
admin::v1::ModelPrice PriceToProto(const pricing::ModelPrice& p);

}  // namespace agentgate::edge
