#include "services/edge/response_adapter.h"

#include <functional>

#include "services/protocol/chat_codec.h"
#include "services/protocol/errors.h"
#include "services/protocol/gemini_codec.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/responses_codec.h"
#include "services/protocol/sse.h"
#include "services/protocol/usage.h"

namespace agentgate::edge {
namespace {

constexpr std::string_view kJson = "application/json";

class PassThroughAdapter final : public ResponseAdapter {
 public:
  explicit PassThroughAdapter(admin::v1::ClientProtocol protocol) : protocol_(protocol) {}

  Converted Body(int status, std::string_view content_type, std::string body) override {
    usage_.FromBody(body);
    return {status, std::string(content_type.empty() ? kJson : content_type), std::move(body)};
  }
  Converted Error(int status, std::string_view content_type, std::string body) override {
    return {status, std::string(content_type.empty() ? kJson : content_type), std::move(body)};
  }
  std::string StreamChunk(std::string_view bytes) override {
    usage_.Feed(bytes);
    return std::string(bytes);
  }
  std::string StreamEnd() override { return {}; }
  std::string StreamFail(std::string_view message) override {
    switch (protocol_) {
      case admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES:
        return protocol::SseFrame("error", protocol::MessagesErrorBody(500, message));
      case admin::v1::CLIENT_PROTOCOL_GEMINI:
        return protocol::SseFrame("", protocol::GeminiErrorBody(500, message));
      case admin::v1::CLIENT_PROTOCOL_OPENAI_RESPONSES: {
        boost::json::object failed{
            {"type", "response.failed"},
            {"response",
             boost::json::object{
                 {"status", "failed"},
                 {"error", boost::json::object{{"code", "server_error"}, {"message", message}}}}}};
        return protocol::SseFrame("response.failed", boost::json::serialize(failed));
      }
      default:
        return protocol::SseFrame(
            "", protocol::OpenAiErrorBody(message, "upstream_error", "stream_interrupted"));
    }
  }
  ir::Usage usage() const override { return usage_.usage(); }

 private:
  const admin::v1::ClientProtocol protocol_;
  protocol::UsageObserver usage_;
};

// A Chat Completions provider's answer converted for a client of another protocol. What
// differs per client protocol is only how a whole answer, an error and the stream are encoded.
class FromChatAdapter final : public ResponseAdapter {
 public:
  using BodyEncoder = std::function<std::string(const ir::Response&)>;
  using ErrorEncoder = std::function<std::string(int status, std::string_view message)>;

  FromChatAdapter(BodyEncoder body, ErrorEncoder error,
                  std::unique_ptr<protocol::StreamEncoder> stream)
      : body_(std::move(body)),
        error_(std::move(error)),
        stream_(std::make_unique<protocol::ChatStreamDecoder>(), std::move(stream)) {}

  Converted Body(int status, std::string_view content_type, std::string body) override {
    auto r = protocol::DecodeChatResponse(body);
    if (!r.ok()) {
      return {502, std::string(kJson),
              error_(502, "the provider's answer could not be read as a Chat completion")};
    }
    usage_ = r->usage;
    return {status, std::string(kJson), body_(*r)};
  }
  Converted Error(int status, std::string_view content_type, std::string body) override {
    return {status, std::string(kJson), error_(status, protocol::UpstreamErrorMessage(body))};
  }
  std::string StreamChunk(std::string_view bytes) override { return stream_.Feed(bytes); }
  std::string StreamEnd() override { return stream_.End(); }
  std::string StreamFail(std::string_view message) override { return stream_.Fail(message); }
  ir::Usage usage() const override { return usage_.present ? usage_ : stream_.usage(); }

 private:
  BodyEncoder body_;
  ErrorEncoder error_;
  protocol::StreamConverter stream_;
  ir::Usage usage_;
};

std::string OpenAiError(int status, std::string_view message) {
  return protocol::OpenAiErrorBody(message, protocol::OpenAiErrorTypeForStatus(status));
}

}  // namespace

std::unique_ptr<ResponseAdapter> MakeGeminiFromChatAdapter(std::string client_model) {
  return std::make_unique<FromChatAdapter>(
      [client_model](const ir::Response& r) {
        return protocol::EncodeGeminiResponse(r, client_model);
      },
      protocol::GeminiErrorBody, std::make_unique<protocol::GeminiStreamEncoder>(client_model));
}

std::unique_ptr<ResponseAdapter> MakeResponsesFromChatAdapter(std::string client_model,
                                                              std::string response_id,
                                                              int64_t created_at,
                                                              std::set<std::string> custom_tools) {
  protocol::ResponsesIds ids{std::move(response_id), created_at};
  return std::make_unique<FromChatAdapter>(
      [client_model, ids, custom_tools](const ir::Response& r) {
        return protocol::EncodeResponsesResponse(r, client_model, ids, custom_tools);
      },
      OpenAiError,
      std::make_unique<protocol::ResponsesStreamEncoder>(client_model, ids, custom_tools));
}

std::string ErrorBodyFor(admin::v1::ClientProtocol protocol, int status, std::string_view message,
                         std::string_view code) {
  if (protocol == admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES) {
    return protocol::MessagesErrorBody(status, message);
  }
  if (protocol == admin::v1::CLIENT_PROTOCOL_GEMINI)
    return protocol::GeminiErrorBody(status, message);
  return protocol::OpenAiErrorBody(message, protocol::OpenAiErrorTypeForStatus(status), code);
}

std::unique_ptr<ResponseAdapter> MakePassThroughAdapter(admin::v1::ClientProtocol protocol) {
  return std::make_unique<PassThroughAdapter>(protocol);
}

std::unique_ptr<ResponseAdapter> MakeMessagesFromChatAdapter(std::string client_model,
                                                             int64_t estimated_input_tokens) {
  return std::make_unique<FromChatAdapter>(
      [client_model](const ir::Response& r) {
        return protocol::EncodeMessagesResponse(r, client_model);
      },
      protocol::MessagesErrorBody,
      std::make_unique<protocol::MessagesStreamEncoder>(client_model, estimated_input_tokens));
}

}  // namespace agentgate::edge
