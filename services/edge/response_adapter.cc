#include "services/edge/response_adapter.h"

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
            {"response", boost::json::object{
                             {"status", "failed"},
                             {"error", boost::json::object{{"code", "server_error"},
                                                           {"message", message}}}}}};
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

class MessagesFromChatAdapter final : public ResponseAdapter {
 public:
  MessagesFromChatAdapter(std::string model, int64_t estimate)
      : model_(model),
        stream_(std::make_unique<protocol::ChatStreamDecoder>(),
                std::make_unique<protocol::MessagesStreamEncoder>(std::move(model), estimate)) {}

  Converted Body(int status, std::string_view content_type, std::string body) override {
    auto r = protocol::DecodeChatResponse(body);
    if (!r.ok()) {
      return {502, std::string(kJson),
              protocol::MessagesErrorBody(502,
                                          "the provider's answer could not be read as a "
                                          "Chat completion")};
    }
    usage_ = r->usage;
    return {status, std::string(kJson), protocol::EncodeMessagesResponse(*r, model_)};
  }
  Converted Error(int status, std::string_view content_type, std::string body) override {
    return {status, std::string(kJson),
            protocol::MessagesErrorBody(status, protocol::UpstreamErrorMessage(body))};
  }
  std::string StreamChunk(std::string_view bytes) override { return stream_.Feed(bytes); }
  std::string StreamEnd() override { return stream_.End(); }
  std::string StreamFail(std::string_view message) override { return stream_.Fail(message); }
  ir::Usage usage() const override { return usage_.present ? usage_ : stream_.usage(); }

 private:
  std::string model_;
  protocol::StreamConverter stream_;
  ir::Usage usage_;
};

class ResponsesFromChatAdapter final : public ResponseAdapter {
 public:
  ResponsesFromChatAdapter(std::string model, protocol::ResponsesIds ids,
                           std::set<std::string> custom)
      : model_(model),
        ids_(ids),
        custom_(custom),
        stream_(std::make_unique<protocol::ChatStreamDecoder>(),
                std::make_unique<protocol::ResponsesStreamEncoder>(std::move(model), ids,
                                                                   std::move(custom))) {}

  Converted Body(int status, std::string_view content_type, std::string body) override {
    auto r = protocol::DecodeChatResponse(body);
    if (!r.ok()) {
      return {502, std::string(kJson),
              protocol::OpenAiErrorBody("the provider's answer could not be read as a Chat "
                                        "completion",
                                        "upstream_error")};
    }
    usage_ = r->usage;
    return {status, std::string(kJson),
            protocol::EncodeResponsesResponse(*r, model_, ids_, custom_)};
  }
  Converted Error(int status, std::string_view content_type, std::string body) override {
    return {status, std::string(kJson),
            protocol::OpenAiErrorBody(protocol::UpstreamErrorMessage(body),
                                      protocol::OpenAiErrorTypeForStatus(status))};
  }
  std::string StreamChunk(std::string_view bytes) override { return stream_.Feed(bytes); }
  std::string StreamEnd() override { return stream_.End(); }
  std::string StreamFail(std::string_view message) override { return stream_.Fail(message); }
  ir::Usage usage() const override { return usage_.present ? usage_ : stream_.usage(); }

 private:
  std::string model_;
  protocol::ResponsesIds ids_;
  std::set<std::string> custom_;
  protocol::StreamConverter stream_;
  ir::Usage usage_;
};

class GeminiFromChatAdapter final : public ResponseAdapter {
 public:
  explicit GeminiFromChatAdapter(std::string model)
      : model_(model),
        stream_(std::make_unique<protocol::ChatStreamDecoder>(),
                std::make_unique<protocol::GeminiStreamEncoder>(std::move(model))) {}

  Converted Body(int status, std::string_view content_type, std::string body) override {
    auto r = protocol::DecodeChatResponse(body);
    if (!r.ok()) {
      return {502, std::string(kJson),
              protocol::GeminiErrorBody(502,
                                        "the provider's answer could not be read as a Chat "
                                        "completion")};
    }
    usage_ = r->usage;
    return {status, std::string(kJson), protocol::EncodeGeminiResponse(*r, model_)};
  }
  Converted Error(int status, std::string_view content_type, std::string body) override {
    return {status, std::string(kJson),
            protocol::GeminiErrorBody(status, protocol::UpstreamErrorMessage(body))};
  }
  std::string StreamChunk(std::string_view bytes) override { return stream_.Feed(bytes); }
  std::string StreamEnd() override { return stream_.End(); }
  std::string StreamFail(std::string_view message) override { return stream_.Fail(message); }
  ir::Usage usage() const override { return usage_.present ? usage_ : stream_.usage(); }

 private:
  std::string model_;
  protocol::StreamConverter stream_;
  ir::Usage usage_;
};

}  // namespace

std::unique_ptr<ResponseAdapter> MakeGeminiFromChatAdapter(std::string client_model) {
  return std::make_unique<GeminiFromChatAdapter>(std::move(client_model));
}

std::unique_ptr<ResponseAdapter> MakeResponsesFromChatAdapter(std::string client_model,
                                                              std::string response_id,
                                                              int64_t created_at,
                                                              std::set<std::string> custom_tools) {
  return std::make_unique<ResponsesFromChatAdapter>(
      std::move(client_model), protocol::ResponsesIds{std::move(response_id), created_at},
      std::move(custom_tools));
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
  return std::make_unique<MessagesFromChatAdapter>(std::move(client_model), estimated_input_tokens);
}

}  // namespace agentgate::edge
