// The short name of a client protocol, as route profiles, stats groups and metrics labels use
// it: chat, claude, codex, gemini ("other" when unspecified).
#pragma once

#include <string_view>

#include "agentgate/admin/v1/admin.pb.h"

namespace agentgate {

inline std::string_view ClientShortName(admin::v1::ClientProtocol p) {
  switch (p) {
    case admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT:
      return "chat";
    case admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES:
      return "claude";
    case admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES:
      return "codex";
    case admin::v1::CLIENT_PROTOCOL_GEMINI:
      return "gemini";
    default:
      return "other";
  }
}

}  // namespace agentgate
