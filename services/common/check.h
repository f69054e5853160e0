// One self-check result, as the router's SelfCheck and agentgatectl doctor both make them.
#pragma once

#include <string>

#include "agentgate/admin/v1/admin.pb.h"

namespace agentgate {

inline admin::v1::Check MakeCheck(std::string name, admin::v1::CheckStatus status,
                                  std::string detail, std::string fix = "") {
  admin::v1::Check c;
  c.set_name(std::move(name));
  c.set_status(status);
  c.set_detail(std::move(detail));
  c.set_fix(std::move(fix));
  return c;
}

}  // namespace agentgate
