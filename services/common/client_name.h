// Short names of admin API enums, one spelling everywhere: the client protocol as route profiles,
// stats groups and metrics labels use it (chat, claude, codex, gemini), and a live event's kind as
// `agentgatectl events` and the desktop app show it (hello, started, finished, health, config,
// stopping). "other" when unspecified.
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

inline std::string_view EventKindName(admin::v1::EventKind k) {
  switch (k) {
    case admin::v1::EVENT_KIND_HELLO:
      return "hello";
    case admin::v1::EVENT_KIND_REQUEST_STARTED:
      return "started";
    case admin::v1::EVENT_KIND_REQUEST_FINISHED:
      return "finished";
    case admin::v1::EVENT_KIND_PROVIDER_HEALTH:
      return "health";
    case admin::v1::EVENT_KIND_CONFIG_CHANGED:
      return "config";
    case admin::v1::EVENT_KIND_STACK_STOPPING:
      return "stopping";
    case admin::v1::EVENT_KIND_ACCOUNT:
      return "account";
    default:
      return "other";
  }
}

}  // namespace agentgate
