#include "services/protocol/provider_codecs.h"

#include "services/protocol/chat_codec.h"
#include "services/protocol/gemini_provider.h"
#include "services/protocol/messages_provider.h"
#include "services/protocol/responses_provider.h"

namespace agentgate::protocol {
namespace {

const ProviderCodec kChat{
    routing::Protocol::kOpenAiChat,
    [](ir::Request& req, std::string_view model, std::string_view type) {
      return EncodeChatRequest(req, model, ChatDialect::ForProviderType(type));
    },
    [](std::string_view body, std::string_view type) {
      return DecodeChatResponse(body, ChatDialect::ForProviderType(type).think_tags);
    },
    [](std::string_view type) -> std::unique_ptr<StreamDecoder> {
      return std::make_unique<ChatStreamDecoder>(ChatDialect::ForProviderType(type).think_tags);
    }};

const ProviderCodec kMessages{
    routing::Protocol::kAnthropicMessages,
    [](ir::Request& req, std::string_view model, std::string_view type) {
      return EncodeMessagesRequest(req, model, MessagesDialect::ForProviderType(type));
    },
    [](std::string_view body, std::string_view) { return DecodeMessagesResponse(body); },
    [](std::string_view) -> std::unique_ptr<StreamDecoder> {
      return std::make_unique<MessagesStreamDecoder>();
    }};

// Gemini names the model in the URL (routing::GeneratePath), not in the body.
const ProviderCodec kGemini{
    routing::Protocol::kGemini,
    [](ir::Request& req, std::string_view model, std::string_view) {
      return EncodeGeminiRequest(req, model);
    },
    [](std::string_view body, std::string_view) { return DecodeGeminiResponse(body); },
    [](std::string_view) -> std::unique_ptr<StreamDecoder> {
      return std::make_unique<GeminiStreamDecoder>();
    }};

const ProviderCodec kResponses{
    routing::Protocol::kOpenAiResponses,
    [](ir::Request& req, std::string_view model, std::string_view type) {
      return EncodeResponsesRequest(req, model, ResponsesDialect::ForProviderType(type));
    },
    [](std::string_view body, std::string_view) { return DecodeResponsesResponse(body); },
    [](std::string_view) -> std::unique_ptr<StreamDecoder> {
      return std::make_unique<ResponsesStreamDecoder>();
    }};

}  // namespace

const ProviderCodec* ProviderCodecFor(routing::Protocol protocol) {
  switch (protocol) {
    case routing::Protocol::kOpenAiChat:
      return &kChat;
    case routing::Protocol::kAnthropicMessages:
      return &kMessages;
    case routing::Protocol::kGemini:
      return &kGemini;
    case routing::Protocol::kOpenAiResponses:
      return &kResponses;
  }
  return nullptr;
}

}  // namespace agentgate::protocol
