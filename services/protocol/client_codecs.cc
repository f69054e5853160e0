#include "services/protocol/client_codecs.h"

#include <boost/json.hpp>
#include <set>

#include "services/protocol/chat_client.h"
#include "services/protocol/errors.h"
#include "services/protocol/gemini_codec.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/responses_codec.h"
#include "services/protocol/sse.h"

namespace agentgate::protocol {
namespace {

std::string OpenAiError(int status, std::string_view message, std::string_view code) {
  return OpenAiErrorBody(message, OpenAiErrorTypeForStatus(status), code);
}

// Chat Completions (OpenCode, curl): a fresh id for each answer, made only when an answer is
// encoded, so a request that passes through pays nothing.
class ChatEncoder final : public ClientEncoder {
 public:
  ChatEncoder(std::string model, EncoderEnv env) : model_(std::move(model)), env_(std::move(env)) {}
  std::string Body(const ir::Response& r) const override {
    return EncodeChatResponse(r, model_, Ids());
  }
  std::string Error(int status, std::string_view message) const override {
    return OpenAiError(status, message, {});
  }
  std::unique_ptr<StreamEncoder> Stream() const override {
    return std::make_unique<ChatStreamEncoder>(model_, Ids());
  }

 private:
  ChatIds Ids() const { return {env_.new_id("chatcmpl-"), env_.now_s()}; }
  const std::string model_;
  const EncoderEnv env_;
};

// Messages (Claude Code): message_start carries an estimate of the input tokens.
class MessagesEncoder final : public ClientEncoder {
 public:
  MessagesEncoder(std::string model, int64_t estimated_input_tokens)
      : model_(std::move(model)), estimated_input_tokens_(estimated_input_tokens) {}
  std::string Body(const ir::Response& r) const override {
    return EncodeMessagesResponse(r, model_);
  }
  std::string Error(int status, std::string_view message) const override {
    return MessagesErrorBody(status, message);
  }
  std::unique_ptr<StreamEncoder> Stream() const override {
    return std::make_unique<MessagesStreamEncoder>(model_, estimated_input_tokens_);
  }

 private:
  const std::string model_;
  const int64_t estimated_input_tokens_;
};

// Responses (Codex): one response id per request, whichever attempt answers; custom (freeform)
// tools are written back as custom tool calls.
class ResponsesEncoder final : public ClientEncoder {
 public:
  ResponsesEncoder(std::string model, ResponsesIds ids, std::set<std::string> custom_tools)
      : model_(std::move(model)), ids_(std::move(ids)), custom_(std::move(custom_tools)) {}
  std::string Body(const ir::Response& r) const override {
    return EncodeResponsesResponse(r, model_, ids_, custom_);
  }
  std::string Error(int status, std::string_view message) const override {
    return OpenAiError(status, message, {});
  }
  std::unique_ptr<StreamEncoder> Stream() const override {
    return std::make_unique<ResponsesStreamEncoder>(model_, ids_, custom_);
  }

 private:
  const std::string model_;
  const ResponsesIds ids_;
  const std::set<std::string> custom_;
};

// Gemini (Gemini CLI).
class GeminiEncoder final : public ClientEncoder {
 public:
  explicit GeminiEncoder(std::string model) : model_(std::move(model)) {}
  std::string Body(const ir::Response& r) const override { return EncodeGeminiResponse(r, model_); }
  std::string Error(int status, std::string_view message) const override {
    return GeminiErrorBody(status, message);
  }
  std::unique_ptr<StreamEncoder> Stream() const override {
    return std::make_unique<GeminiStreamEncoder>(model_);
  }

 private:
  const std::string model_;
};

const ClientCodec kChat{
    routing::Protocol::kOpenAiChat,
    ParseChatRequest,
    [](std::string_view body, std::string_view) { return DecodeChatRequest(body); },
    [](const ir::Request& req, const EncoderEnv& env) -> std::unique_ptr<ClientEncoder> {
      return std::make_unique<ChatEncoder>(req.model, env);
    },
    OpenAiError,
    [](std::string_view message) {
      return SseFrame("", OpenAiErrorBody(message, "upstream_error", "stream_interrupted"));
    }};

const ClientCodec kMessages{
    routing::Protocol::kAnthropicMessages,
    InspectRequest,
    [](std::string_view body, std::string_view) { return DecodeMessagesRequest(body); },
    [](const ir::Request& req, const EncoderEnv&) -> std::unique_ptr<ClientEncoder> {
      return std::make_unique<MessagesEncoder>(req.model, ir::EstimateInputTokens(req));
    },
    [](int status, std::string_view message, std::string_view) {
      return MessagesErrorBody(status, message);
    },
    [](std::string_view message) { return SseFrame("error", MessagesErrorBody(500, message)); }};

const ClientCodec kResponses{
    routing::Protocol::kOpenAiResponses,
    InspectRequest,
    [](std::string_view body, std::string_view) { return DecodeResponsesRequest(body); },
    [](const ir::Request& req, const EncoderEnv& env) -> std::unique_ptr<ClientEncoder> {
      return std::make_unique<ResponsesEncoder>(
          req.model, ResponsesIds{env.new_id("resp_"), env.now_s()}, CustomToolNames(req));
    },
    OpenAiError,
    [](std::string_view message) {
      boost::json::object failed{
          {"type", "response.failed"},
          {"response", boost::json::object{{"status", "failed"},
                                           {"error", boost::json::object{{"code", "server_error"},
                                                                         {"message", message}}}}}};
      return SseFrame("response.failed", boost::json::serialize(failed));
    }};

const ClientCodec kGemini{
    routing::Protocol::kGemini,
    nullptr,
    [](std::string_view body, std::string_view path_model) {
      return DecodeGeminiRequest(body, path_model);
    },
    [](const ir::Request& req, const EncoderEnv&) -> std::unique_ptr<ClientEncoder> {
      return std::make_unique<GeminiEncoder>(req.model);
    },
    [](int status, std::string_view message, std::string_view) {
      return GeminiErrorBody(status, message);
    },
    [](std::string_view message) { return SseFrame("", GeminiErrorBody(500, message)); }};

}  // namespace

const ClientCodec& ClientCodecFor(routing::Protocol protocol) {
  switch (protocol) {
    case routing::Protocol::kAnthropicMessages:
      return kMessages;
    case routing::Protocol::kOpenAiResponses:
      return kResponses;
    case routing::Protocol::kGemini:
      return kGemini;
    case routing::Protocol::kOpenAiChat:
      break;
  }
  return kChat;
}

}  // namespace agentgate::protocol
