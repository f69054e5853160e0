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
// tools are written back as custom tool calls, a namespace's tools with their namespace.
class ResponsesEncoder final : public ClientEncoder {
 public:
  ResponsesEncoder(std::string model, ResponsesIds ids, ResponsesTools tools)
      : model_(std::move(model)), ids_(std::move(ids)), tools_(std::move(tools)) {}
  std::string Body(const ir::Response& r) const override {
    return EncodeResponsesResponse(r, model_, ids_, tools_);
  }
  std::string Error(int status, std::string_view message) const override {
    return OpenAiError(status, message, {});
  }
  std::unique_ptr<StreamEncoder> Stream() const override {
    return std::make_unique<ResponsesStreamEncoder>(model_, ids_, tools_);
  }
  std::string response_id() const override { return ids_.response_id; }

 private:
  const std::string model_;
  const ResponsesIds ids_;
  const ResponsesTools tools_;
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

constexpr std::string_view kJson = "application/json";

std::string Tokens(int64_t n) { return std::to_string(n); }

Reply ChatOverflow(const ContextOverflow& o, std::string_view provider_message, bool) {
  std::string message =
      o.limit > 0 && o.tokens > 0
          ? "This model's maximum context length is " + Tokens(o.limit) +
                " tokens. However, your messages resulted in " + Tokens(o.tokens) +
                " tokens. Please reduce the length of the messages."
          : "This model's maximum context length was exceeded: " + std::string(provider_message);
  boost::json::object err{{"message", message},
                          {"type", "invalid_request_error"},
                          {"param", "messages"},
                          {"code", "context_length_exceeded"}};
  return {400, std::string(kJson), boost::json::serialize(boost::json::object{{"error", err}})};
}

Reply MessagesOverflow(const ContextOverflow& o, std::string_view provider_message, bool) {
  std::string message =
      o.limit > 0 && o.tokens > 0
          ? "prompt is too long: " + Tokens(o.tokens) + " tokens > " + Tokens(o.limit) + " maximum"
          : "prompt is too long: " + std::string(provider_message);
  return {400, std::string(kJson), MessagesErrorBody(400, message)};
}

constexpr std::string_view kResponsesOverflow =
    "Your input exceeds the context window of this model. Please adjust your input and try again.";

Reply ResponsesOverflow(const ContextOverflow&, std::string_view, bool stream) {
  boost::json::object err{{"code", "context_length_exceeded"}, {"message", kResponsesOverflow}};
  if (!stream) {
    err["type"] = "invalid_request_error";
    err["param"] = "input";
    return {400, std::string(kJson), boost::json::serialize(boost::json::object{{"error", err}})};
  }
  // As OpenAI streams it: the response is created, then fails.
  boost::json::object created{
      {"type", "response.created"},
      {"sequence_number", 0},
      {"response", boost::json::object{{"object", "response"}, {"status", "in_progress"}}}};
  boost::json::object failed{
      {"type", "response.failed"},
      {"sequence_number", 1},
      {"response", boost::json::object{
                       {"object", "response"}, {"status", "failed"}, {"error", std::move(err)}}}};
  return {200, "text/event-stream",
          SseFrame("response.created", boost::json::serialize(created)) +
              SseFrame("response.failed", boost::json::serialize(failed))};
}

Reply GeminiOverflow(const ContextOverflow& o, std::string_view provider_message, bool) {
  std::string message = o.limit > 0 && o.tokens > 0
                            ? "The input token count (" + Tokens(o.tokens) +
                                  ") exceeds the maximum number of tokens allowed (" +
                                  Tokens(o.limit) + ")."
                            : "The input token count exceeds the maximum number of tokens "
                              "allowed: " +
                                  std::string(provider_message);
  return {400, std::string(kJson), GeminiErrorBody(400, message)};
}

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
    },
    ChatOverflow};

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
    [](std::string_view message) { return SseFrame("error", MessagesErrorBody(500, message)); },
    MessagesOverflow};

const ClientCodec kResponses{
    routing::Protocol::kOpenAiResponses,
    InspectRequest,
    [](std::string_view body, std::string_view) { return DecodeResponsesRequest(body); },
    [](const ir::Request& req, const EncoderEnv& env) -> std::unique_ptr<ClientEncoder> {
      return std::make_unique<ResponsesEncoder>(
          req.model, ResponsesIds{env.new_id("resp_"), env.now_s()}, ResponsesToolNames(req));
    },
    OpenAiError,
    [](std::string_view message) {
      boost::json::object failed{
          {"type", "response.failed"},
          {"response", boost::json::object{{"status", "failed"},
                                           {"error", boost::json::object{{"code", "server_error"},
                                                                         {"message", message}}}}}};
      return SseFrame("response.failed", boost::json::serialize(failed));
    },
    ResponsesOverflow};

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
    [](std::string_view message) { return SseFrame("", GeminiErrorBody(500, message)); },
    GeminiOverflow};

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
