#include "services/clientconf/gateway_models.h"

#include <boost/json.hpp>

#include "services/clientconf/http_client.h"

namespace agentgate::clientconf {
namespace {

int64_t PositiveInt(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->as_int64() > 0 ? v->as_int64() : 0;
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->as_uint64());
  }
  return 0;
}

}  // namespace

std::vector<GatewayModel> ParseGatewayModels(std::string_view body) {
  std::vector<GatewayModel> out;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return out;
  const boost::json::value* data = v.as_object().if_contains("data");
  if (data == nullptr || !data->is_array()) return out;
  for (const auto& m : data->as_array()) {
    if (!m.is_object()) continue;
    const boost::json::value* id = m.as_object().if_contains("id");
    if (id == nullptr || !id->is_string() || id->as_string().empty()) continue;
    bool seen = false;
    for (const auto& o : out) seen = seen || o.id == id->as_string();
    if (seen) continue;
    out.push_back({std::string(id->as_string()), PositiveInt(m.as_object(), "context_window"),
                   PositiveInt(m.as_object(), "max_output_tokens")});
  }
  return out;
}

GatewayModelList FetchGatewayModels(const std::string& url, const std::string& token,
                                    std::chrono::milliseconds timeout) {
  GatewayModelList list;
  HttpResult r =
      HttpCall(url, "GET", "/v1/models", "", {{"authorization", "Bearer " + token}}, timeout);
  if (r.status != 200) {
    list.why_none =
        url + "/v1/models: " + (r.status == 0 ? r.error : "answered " + std::to_string(r.status));
    return list;
  }
  list.models = ParseGatewayModels(r.body);
  if (list.models.empty()) list.why_none = "the gateway lists no models (its providers name none)";
  return list;
}

}  // namespace agentgate::clientconf
