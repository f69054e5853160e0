// The models a running gateway lists (GET /v1/models), with the context window and output limit
// it knows for each: `client apply` names them in the clients' provider entries and writes the
// window where a client compacts by it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agentgate::clientconf {

struct GatewayModel {
  std::string id;
  int64_t context_window = 0;  // 0: the gateway does not know it
  int64_t max_output = 0;      // 0: the gateway does not know it
};

// The entries of an OpenAI-shaped model list, first of each id only; anything that is not such
// a list gives none. Limits that are not positive integers are taken as unknown.
std::vector<GatewayModel> ParseGatewayModels(std::string_view body);

struct GatewayModelList {
  std::vector<GatewayModel> models;
  std::string why_none;  // set when models is empty
};
// Asks the gateway at `url` with `token` (blocking, `timeout` for the whole exchange).
GatewayModelList FetchGatewayModels(const std::string& url, const std::string& token,
                                    std::chrono::milliseconds timeout);

}  // namespace agentgate::clientconf
