#include "services/edge/response_adapter.h"

#include <functional>

#include "services/common/clock.h"
#include "services/common/grpc_util.h"
#include "services/common/token.h"
#include "services/protocol/chat_client.h"
#include "services/protocol/chat_codec.h"
#include "services/protocol/errors.h"
#include "services/protocol/gemini_codec.h"
#include "services/protocol/gemini_provider.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/messages_provider.h"
#include "services/protocol/provider_codecs.h"
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

// A provider's answer converted for a client of another protocol. What differs per provider
// protocol is how a whole answer is read and which stream decoder reads the stream; per client
// protocol, how the answer, an error and the stream are written.
class ConvertingAdapter final : public ResponseAdapter {
 public:
  using BodyDecoder = std::function<absl::StatusOr<ir::Response>(std::string_view)>;

  ConvertingAdapter(BodyDecoder decode, std::unique_ptr<protocol::StreamDecoder> decoder,
                    const ClientEncoding& client)
      : decode_(std::move(decode)), client_(client), stream_(std::move(decoder), client.stream()) {}

  Converted Body(int status, std::string_view content_type, std::string body) override {
    auto r = decode_(body);
    if (!r.ok()) {
      return {502, std::string(kJson),
              client_.error(502, "the provider's answer could not be read: " +
                                     std::string(r.status().message()))};
    }
    usage_ = r->usage;
    return {status, std::string(kJson), client_.body(*r)};
  }
  Converted Error(int status, std::string_view content_type, std::string body) override {
    return {status, std::string(kJson),
            client_.error(status, protocol::UpstreamErrorMessage(body))};
  }
  std::string StreamChunk(std::string_view bytes) override { return stream_.Feed(bytes); }
  std::string StreamEnd() override { return stream_.End(); }
  std::string StreamFail(std::string_view message) override { return stream_.Fail(message); }
  ir::Usage usage() const override { return usage_.present ? usage_ : stream_.usage(); }

 private:
  BodyDecoder decode_;
  const ClientEncoding& client_;
  protocol::StreamConverter stream_;
  ir::Usage usage_;
};

std::string OpenAiError(int status, std::string_view message) {
  return protocol::OpenAiErrorBody(message, protocol::OpenAiErrorTypeForStatus(status));
}

}  // namespace

std::unique_ptr<ResponseAdapter> MakeConvertingAdapter(const routing::Candidate& upstream,
                                                       const ClientEncoding& client) {
  const protocol::ProviderCodec* codec = protocol::ProviderCodecFor(upstream.api);
  // Responses providers are reached only by pass-through: the plan never converts to them.
  if (codec == nullptr) codec = protocol::ProviderCodecFor(routing::Protocol::kOpenAiChat);
  const std::string type = upstream.provider->type;
  return std::make_unique<ConvertingAdapter>(
      [codec, type](std::string_view body) { return codec->decode(body, type); },
      codec->stream_decoder(type), client);
}

ClientEncoding GeminiEncoding(std::string client_model) {
  return {[client_model](const ir::Response& r) {
            return protocol::EncodeGeminiResponse(r, client_model);
          },
          protocol::GeminiErrorBody,
          [client_model] { return std::make_unique<protocol::GeminiStreamEncoder>(client_model); }};
}

ClientEncoding ResponsesEncoding(std::string client_model, protocol::ResponsesIds ids,
                                 std::set<std::string> custom_tools) {
  return {[client_model, ids, custom_tools](const ir::Response& r) {
            return protocol::EncodeResponsesResponse(r, client_model, ids, custom_tools);
          },
          OpenAiError,
          [client_model, ids, custom_tools] {
            return std::make_unique<protocol::ResponsesStreamEncoder>(client_model, ids,
                                                                      custom_tools);
          }};
}

ClientEncoding MessagesEncoding(std::string client_model, int64_t estimated_input_tokens) {
  return {[client_model](const ir::Response& r) {
            return protocol::EncodeMessagesResponse(r, client_model);
          },
          protocol::MessagesErrorBody,
          [client_model, estimated_input_tokens] {
            return std::make_unique<protocol::MessagesStreamEncoder>(client_model,
                                                                     estimated_input_tokens);
          }};
}

ClientEncoding ChatEncoding(std::string client_model) {
  auto ids = [] { return protocol::ChatIds{"chatcmpl-" + RandomHex(24), NowMs() / 1000}; };
  return {[client_model, ids](const ir::Response& r) {
            return protocol::EncodeChatResponse(r, client_model, ids());
          },
          OpenAiError,
          [client_model, ids] {
            return std::make_unique<protocol::ChatStreamEncoder>(client_model, ids());
          }};
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

}  // namespace agentgate::edge
