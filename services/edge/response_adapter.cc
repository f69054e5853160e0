#include "services/edge/response_adapter.h"

#include <functional>
#include <optional>

#include "services/common/grpc_util.h"
#include "services/protocol/chat_codec.h"
#include "services/protocol/errors.h"
#include "services/protocol/gemini_provider.h"
#include "services/protocol/messages_codec.h"
#include "services/protocol/messages_provider.h"
#include "services/protocol/provider_codecs.h"
#include "services/protocol/sse.h"
#include "services/protocol/usage.h"
#include "services/snapshot/snapshot_convert.h"

namespace agentgate::edge {
namespace {

constexpr std::string_view kJson = "application/json";

// A provider's context-length error re-coded for the client, when `body` is one.
std::optional<ResponseAdapter::Converted> Overflow(const protocol::ClientCodec& codec, bool stream,
                                                   int status, std::string_view body) {
  auto o = protocol::DetectContextOverflow(status, body);
  if (!o) return std::nullopt;
  return codec.context_overflow(*o, protocol::UpstreamErrorMessage(body), stream);
}

class PassThroughAdapter final : public ResponseAdapter {
 public:
  PassThroughAdapter(admin::v1::ClientProtocol protocol, bool stream, ReasoningCollector::Sink keep)
      : protocol_(protocol),
        codec_(protocol::ClientCodecFor(ClientProtocolFromProto(protocol))),
        stream_(stream) {
    if (keep && protocol == admin::v1::CLIENT_PROTOCOL_OPENAI_CHAT) {
      keep_.emplace(std::move(keep));
      events_ = std::make_unique<protocol::ChatStreamDecoder>();
    } else if (keep && protocol == admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES) {
      keep_.emplace(std::move(keep));
      events_ = std::make_unique<protocol::MessagesStreamDecoder>();
    }
  }

  Converted Body(int status, std::string_view content_type, std::string body) override {
    usage_.FromBody(body);
    if (keep_) {
      auto r = protocol_ == admin::v1::CLIENT_PROTOCOL_ANTHROPIC_MESSAGES
                   ? protocol::DecodeMessagesResponse(body)
                   : protocol::DecodeChatResponse(body);
      if (r.ok()) keep_->OnResponse(*r);
    }
    return {status, std::string(content_type.empty() ? kJson : content_type), std::move(body)};
  }
  Converted Error(int status, std::string_view content_type, std::string body) override {
    if (auto o = Overflow(codec_, stream_, status, body)) return *std::move(o);
    return {status, std::string(content_type.empty() ? kJson : content_type), std::move(body)};
  }
  std::string StreamChunk(std::string_view bytes) override {
    usage_.Feed(bytes);
    if (keep_) events_->Feed(bytes, [this](const ir::StreamEvent& ev) { keep_->OnEvent(ev); });
    return std::string(bytes);
  }
  std::string StreamEnd() override { return {}; }
  std::string StreamFail(std::string_view message) override {
    return codec_.stream_failure(message);
  }
  ir::Usage usage() const override { return usage_.usage(); }

 private:
  const admin::v1::ClientProtocol protocol_;
  const protocol::ClientCodec& codec_;
  const bool stream_;
  protocol::UsageObserver usage_;
  std::optional<ReasoningCollector> keep_;
  std::unique_ptr<protocol::StreamDecoder> events_;  // with keep_ only: Chat or Messages
};

// A provider's answer converted for a client of another protocol. What differs per provider
// protocol is how a whole answer is read and which stream decoder reads the stream; per client
// protocol, how the answer, an error and the stream are written.
class ConvertingAdapter final : public ResponseAdapter {
 public:
  using BodyDecoder = std::function<absl::StatusOr<ir::Response>(std::string_view)>;
  using NewStreamDecoder = std::function<std::unique_ptr<protocol::StreamDecoder>()>;

  ConvertingAdapter(BodyDecoder decode, NewStreamDecoder new_decoder,
                    const protocol::ClientEncoder& client, const protocol::ClientCodec& codec,
                    bool stream, ConvertingOptions options)
      : decode_(std::move(decode)),
        new_decoder_(std::move(new_decoder)),
        client_(client),
        codec_(codec),
        client_stream_(stream),
        splice_(options.splice),
        stream_(new_decoder_(), splice_ != nullptr ? splice_->Attach() : client.Stream()) {
    if (options.keep) keep_.emplace(std::move(options.keep));
    if (options.keep_answer) answer_.emplace();
    if (keep_ || answer_) {
      stream_.set_tap([this](const ir::StreamEvent& ev) {
        if (keep_) keep_->OnEvent(ev);
        if (answer_) {
          // An answer too big to keep is not kept (the store would not take it anyway).
          answer_bytes_ += ev.text.size();
          if (answer_bytes_ > kMaxKeptAnswer) {
            answer_.reset();
          } else {
            answer_->OnEvent(ev);
          }
        }
      });
    }
  }
  std::optional<ir::Response> TakeAnswer() override {
    if (whole_) return std::move(whole_);
    if (!answer_ || answer_->error() || !stream_.done()) return std::nullopt;
    return answer_->Take();
  }

  Converted Body(int status, std::string_view content_type, std::string body) override {
    auto r = decode_(body);
    if (!r.ok()) {
      return {502, std::string(kJson),
              client_.Error(502, "the provider's answer could not be read: " +
                                     std::string(r.status().message()))};
    }
    return Whole(status, *std::move(r));
  }
  bool WholeFromStream() const override { return !client_stream_; }
  Converted BodyFromStream(int status, std::string sse) override {
    std::unique_ptr<protocol::StreamDecoder> decoder = new_decoder_();
    ir::ResponseBuilder answer;
    decoder->Feed(sse, [&answer](const ir::StreamEvent& ev) { answer.OnEvent(ev); });
    if (answer.error() || !decoder->done()) {
      return {502, std::string(kJson),
              client_.Error(502, "the provider's streamed answer " +
                                     (answer.error() ? "failed: " + *answer.error()
                                                     : std::string("ended before it was done")))};
    }
    return Whole(status, answer.Take());
  }
  Converted Error(int status, std::string_view content_type, std::string body) override {
    if (auto o = Overflow(codec_, client_stream_, status, body)) return *std::move(o);
    return {status, std::string(kJson),
            client_.Error(status, protocol::UpstreamErrorMessage(body))};
  }
  std::string StreamChunk(std::string_view bytes) override { return stream_.Feed(bytes); }
  std::string StreamEnd() override { return stream_.End(); }
  std::string StreamFail(std::string_view message) override { return stream_.Fail(message); }
  bool StreamDone() const override { return stream_.done(); }
  bool CanContinue() const override { return splice_ != nullptr && splice_->continuable(); }
  ir::Usage usage() const override { return usage_.present ? usage_ : stream_.usage(); }

 private:
  // A whole answer, in the mode the client asked for.
  Converted Whole(int status, ir::Response r) {
    usage_ = r.usage;
    if (keep_) keep_->OnResponse(r);
    if (answer_) whole_ = r;
    if (client_stream_) {
      // The client asked for a stream and the provider answered at once: the same answer as the
      // stream the client reads (or the rest of it, after a cut).
      std::unique_ptr<protocol::StreamEncoder> enc =
          splice_ != nullptr ? splice_->Attach() : client_.Stream();
      std::string out;
      for (const auto& ev : ir::EventsOf(r)) enc->OnEvent(ev, &out);
      enc->End(&out);
      return {status, "text/event-stream", std::move(out)};
    }
    return {status, std::string(kJson), client_.Body(r)};
  }

  BodyDecoder decode_;
  NewStreamDecoder new_decoder_;
  const protocol::ClientEncoder& client_;
  const protocol::ClientCodec& codec_;
  const bool client_stream_;
  protocol::SplicedStream* const splice_;
  std::optional<ReasoningCollector> keep_;
  static constexpr size_t kMaxKeptAnswer = 64u << 20;
  std::optional<ir::ResponseBuilder> answer_;  // keep_answer: the streamed answer, gathered
  size_t answer_bytes_ = 0;
  std::optional<ir::Response> whole_;  // keep_answer: an answer that came whole
  protocol::StreamConverter stream_;
  ir::Usage usage_;
};

}  // namespace

std::unique_ptr<ResponseAdapter> MakeConvertingAdapter(const routing::Candidate& upstream,
                                                       const protocol::ClientEncoder& client,
                                                       const protocol::ClientCodec& codec,
                                                       bool stream, ConvertingOptions options) {
  const protocol::ProviderCodec* provider = protocol::ProviderCodecFor(upstream.api);
  const std::string type = upstream.provider->type;
  return std::make_unique<ConvertingAdapter>(
      [provider, type](std::string_view body) { return provider->decode(body, type); },
      [provider, type] { return provider->stream_decoder(type); }, client, codec, stream,
      std::move(options));
}

std::string ErrorBodyFor(admin::v1::ClientProtocol protocol, int status, std::string_view message,
                         std::string_view code) {
  return protocol::ClientCodecFor(ClientProtocolFromProto(protocol))
      .error_body(status, message, code);
}

std::unique_ptr<ResponseAdapter> MakePassThroughAdapter(admin::v1::ClientProtocol protocol,
                                                        bool stream,
                                                        ReasoningCollector::Sink keep) {
  return std::make_unique<PassThroughAdapter>(protocol, stream, std::move(keep));
}

}  // namespace agentgate::edge
