#include "tests/fakes/fake_upstream.h"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <ctime>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "tests/fakes/fake_chatgpt_auth.h"
#include "tests/fakes/json_get.h"
#include "tests/fakes/strict_rules.h"

namespace agentgate::fakes {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

constexpr std::size_t kBodyLimit = 64u * 1024 * 1024;
constexpr std::uint32_t kHeaderLimit = 1024 * 1024;
constexpr std::int64_t kCreated = 1700000000;
constexpr const char* kServerName = "agentgate-fake-upstream";
constexpr int kUsagePrompt = 11;
constexpr int kUsageCompletion = 5;
constexpr int kUsageCached = 3;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

json::object UsageJson(int prompt, int completion, int cached) {
  return json::object{{"prompt_tokens", prompt},
                      {"completion_tokens", completion},
                      {"total_tokens", prompt + completion},
                      {"prompt_tokens_details", json::object{{"cached_tokens", cached}}}};
}

std::string ErrorJson(std::string_view message, std::string_view type, json::value code) {
  json::object err{{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}};
  return json::serialize(json::object{{"error", std::move(err)}});
}

std::string Frame(const json::value& v) { return "data: " + json::serialize(v) + "\n\n"; }

// An event-named SSE frame whose payload starts with "type": <event>.
std::string EventFrame(std::string_view event, json::object fields) {
  json::object payload{{"type", event}};
  for (auto& kv : fields) payload.emplace(kv.key(), std::move(kv.value()));
  return "event: " + std::string(event) + "\ndata: " + json::serialize(payload) + "\n\n";
}

// A JSON object text parsed, or an empty object when it is not one.
json::object ParseObject(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.get_object()) : json::object{};
}

// Splits text into exactly n pieces (n >= 1) of roughly equal code point counts, never
// splitting a UTF-8 sequence. Pieces may be empty when the text is shorter than n.
std::vector<std::string> SplitText(const std::string& text, int n) {
  n = std::max(n, 1);
  std::vector<std::size_t> starts;  // byte offset of each code point
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  const std::size_t cps = starts.size();
  auto offset = [&](std::size_t cp) { return cp >= cps ? text.size() : starts[cp]; };
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const std::size_t b = offset(cps * static_cast<std::size_t>(i) / static_cast<std::size_t>(n));
    const std::size_t e =
        offset(cps * static_cast<std::size_t>(i + 1) / static_cast<std::size_t>(n));
    out.push_back(text.substr(b, e - b));
  }
  return out;
}

ScriptedResponse ErrorResponse(int status, std::string body) {
  ScriptedResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace

std::string ChatCompletionJson(const std::string& model, const std::string& content,
                               int prompt_tokens, int completion_tokens, int cached_tokens) {
  json::object message{{"role", "assistant"}, {"content", content}, {"refusal", nullptr}};
  json::object choice{{"index", 0},
                      {"message", std::move(message)},
                      {"logprobs", nullptr},
                      {"finish_reason", "stop"}};
  json::object root{{"id", "chatcmpl-fake"},
                    {"object", "chat.completion"},
                    {"created", kCreated},
                    {"model", model},
                    {"choices", json::array{std::move(choice)}},
                    {"usage", UsageJson(prompt_tokens, completion_tokens, cached_tokens)},
                    {"system_fingerprint", "fp_fake"}};
  return json::serialize(root);
}

std::vector<std::string> ChatCompletionStream(const std::string& model,
                                              const std::vector<std::string>& deltas,
                                              bool include_usage) {
  auto chunk = [&](json::value choices) {
    json::object o{{"id", "chatcmpl-fake"},
                   {"object", "chat.completion.chunk"},
                   {"created", kCreated},
                   {"model", model},
                   {"system_fingerprint", "fp_fake"},
                   {"choices", std::move(choices)}};
    if (include_usage) o["usage"] = nullptr;  // as OpenAI does when usage is requested
    return o;
  };
  auto choice = [](json::object delta, json::value finish_reason) {
    return json::array{json::object{{"index", 0},
                                    {"delta", std::move(delta)},
                                    {"logprobs", nullptr},
                                    {"finish_reason", std::move(finish_reason)}}};
  };
  std::vector<std::string> frames;
  frames.reserve(deltas.size() + 4);
  frames.push_back(
      Frame(chunk(choice(json::object{{"role", "assistant"}, {"content", ""}}, nullptr))));
  for (const auto& d : deltas) {
    frames.push_back(Frame(chunk(choice(json::object{{"content", d}}, nullptr))));
  }
  frames.push_back(Frame(chunk(choice(json::object{}, "stop"))));
  if (include_usage) {
    json::object u = chunk(json::array{});
    u["usage"] = UsageJson(kUsagePrompt, kUsageCompletion, kUsageCached);
    frames.push_back(Frame(u));
  }
  frames.push_back("data: [DONE]\n\n");
  return frames;
}

std::string ChatToolCallJson(const std::string& model, const std::string& call_id,
                             const std::string& name, const std::string& arguments) {
  json::object fn{{"name", name}, {"arguments", arguments}};
  json::object call{{"id", call_id}, {"type", "function"}, {"function", std::move(fn)}};
  json::object message{
      {"role", "assistant"}, {"content", nullptr}, {"tool_calls", json::array{std::move(call)}}};
  json::object choice{{"index", 0},
                      {"message", std::move(message)},
                      {"logprobs", nullptr},
                      {"finish_reason", "tool_calls"}};
  json::object root{{"id", "chatcmpl-fake"},
                    {"object", "chat.completion"},
                    {"created", kCreated},
                    {"model", model},
                    {"choices", json::array{std::move(choice)}},
                    {"usage", UsageJson(kUsagePrompt, kUsageCompletion, kUsageCached)}};
  return json::serialize(root);
}

std::vector<std::string> ChatToolCallStream(const std::string& model, const std::string& call_id,
                                            const std::string& name, const std::string& arguments,
                                            bool include_usage) {
  auto chunk = [&](json::object delta, json::value finish) {
    json::object o{{"id", "chatcmpl-fake"},
                   {"object", "chat.completion.chunk"},
                   {"created", kCreated},
                   {"model", model},
                   {"choices", json::array{json::object{{"index", 0},
                                                        {"delta", std::move(delta)},
                                                        {"finish_reason", std::move(finish)}}}}};
    return Frame(o);
  };
  const auto pieces = SplitText(arguments, 2);
  std::vector<std::string> frames;
  frames.push_back(chunk(json::object{{"role", "assistant"}, {"content", nullptr}}, nullptr));
  json::object first{{"index", 0},
                     {"id", call_id},
                     {"type", "function"},
                     {"function", json::object{{"name", name}, {"arguments", pieces[0]}}}};
  frames.push_back(chunk(json::object{{"tool_calls", json::array{std::move(first)}}}, nullptr));
  json::object rest{{"index", 0}, {"function", json::object{{"arguments", pieces[1]}}}};
  frames.push_back(chunk(json::object{{"tool_calls", json::array{std::move(rest)}}}, nullptr));
  frames.push_back(chunk(json::object{}, "tool_calls"));
  if (include_usage) {
    json::object u{{"id", "chatcmpl-fake"},
                   {"object", "chat.completion.chunk"},
                   {"created", kCreated},
                   {"model", model},
                   {"choices", json::array{}},
                   {"usage", UsageJson(kUsagePrompt, kUsageCompletion, kUsageCached)}};
    frames.push_back(Frame(u));
  }
  frames.push_back("data: [DONE]\n\n");
  return frames;
}

// ---- Anthropic Messages ----

namespace {

json::object MessagesUsage(int output_tokens) {
  return json::object{{"input_tokens", kUsagePrompt - kUsageCached},
                      {"cache_creation_input_tokens", 0},
                      {"cache_read_input_tokens", kUsageCached},
                      {"output_tokens", output_tokens}};
}

std::string MessagesBody(const std::string& model, json::object block, std::string_view stop) {
  json::object root{{"id", "msg_fake"},
                    {"type", "message"},
                    {"role", "assistant"},
                    {"model", model},
                    {"content", json::array{std::move(block)}},
                    {"stop_reason", stop},
                    {"stop_sequence", nullptr},
                    {"usage", MessagesUsage(kUsageCompletion)}};
  return json::serialize(root);
}

// One content block (index 0) opened with `start`, filled with `deltas`, then closed.
std::vector<std::string> MessagesFrames(const std::string& model, json::object start,
                                        const std::vector<json::object>& deltas,
                                        std::string_view stop) {
  std::vector<std::string> frames;
  frames.reserve(deltas.size() + 5);
  // Like the real API, message_start reports the prompt usage and a first output token; the
  // cumulative output count comes with message_delta.
  json::object message{{"id", "msg_fake"},         {"type", "message"},
                       {"role", "assistant"},      {"model", model},
                       {"content", json::array{}}, {"stop_reason", nullptr},
                       {"stop_sequence", nullptr}, {"usage", MessagesUsage(1)}};
  frames.push_back(EventFrame("message_start", json::object{{"message", std::move(message)}}));
  frames.push_back(EventFrame("content_block_start",
                              json::object{{"index", 0}, {"content_block", std::move(start)}}));
  for (const auto& d : deltas) {
    frames.push_back(EventFrame("content_block_delta", json::object{{"index", 0}, {"delta", d}}));
  }
  frames.push_back(EventFrame("content_block_stop", json::object{{"index", 0}}));
  frames.push_back(EventFrame(
      "message_delta",
      json::object{{"delta", json::object{{"stop_reason", stop}, {"stop_sequence", nullptr}}},
                   {"usage", json::object{{"output_tokens", kUsageCompletion}}}}));
  frames.push_back(EventFrame("message_stop", json::object{}));
  return frames;
}

}  // namespace

std::string MessagesJson(const std::string& model, const std::string& text) {
  return MessagesBody(model, json::object{{"type", "text"}, {"text", text}}, "end_turn");
}

std::vector<std::string> MessagesStream(const std::string& model,
                                        const std::vector<std::string>& deltas) {
  std::vector<json::object> ds;
  for (const auto& d : deltas) ds.push_back(json::object{{"type", "text_delta"}, {"text", d}});
  return MessagesFrames(model, json::object{{"type", "text"}, {"text", ""}}, ds, "end_turn");
}

std::string MessagesToolUseJson(const std::string& model, const std::string& id,
                                const std::string& name, const std::string& input_json) {
  json::object block{
      {"type", "tool_use"}, {"id", id}, {"name", name}, {"input", ParseObject(input_json)}};
  return MessagesBody(model, std::move(block), "tool_use");
}

std::vector<std::string> MessagesToolUseStream(const std::string& model, const std::string& id,
                                               const std::string& name,
                                               const std::string& input_json) {
  std::vector<json::object> ds;
  for (const auto& piece : SplitText(input_json, 2)) {
    ds.push_back(json::object{{"type", "input_json_delta"}, {"partial_json", piece}});
  }
  json::object start{{"type", "tool_use"}, {"id", id}, {"name", name}, {"input", json::object{}}};
  return MessagesFrames(model, std::move(start), ds, "tool_use");
}

// ---- OpenAI Responses ----

namespace {

json::object ResponsesUsage() {
  return json::object{{"input_tokens", kUsagePrompt},
                      {"input_tokens_details", json::object{{"cached_tokens", kUsageCached}}},
                      {"output_tokens", kUsageCompletion},
                      {"output_tokens_details", json::object{{"reasoning_tokens", 0}}},
                      {"total_tokens", kUsagePrompt + kUsageCompletion}};
}

json::object ResponseObject(const std::string& model, bool completed, json::array output) {
  return json::object{{"id", "resp_fake"},
                      {"object", "response"},
                      {"created_at", kCreated},
                      {"status", completed ? "completed" : "in_progress"},
                      {"error", nullptr},
                      {"incomplete_details", nullptr},
                      {"model", model},
                      {"output", std::move(output)},
                      {"usage", completed ? json::value(ResponsesUsage()) : json::value(nullptr)}};
}

constexpr const char* kResponsesMessageId = "msg_fake_1";
constexpr const char* kResponsesCallItemId = "fc_fake_1";

json::object OutputTextPart(const std::string& text) {
  return json::object{{"type", "output_text"}, {"text", text}, {"annotations", json::array{}}};
}

json::object ResponsesMessageItem(const std::string& text, bool done) {
  json::array content;
  if (done) content.push_back(OutputTextPart(text));
  return json::object{{"id", kResponsesMessageId},
                      {"type", "message"},
                      {"role", "assistant"},
                      {"status", done ? "completed" : "in_progress"},
                      {"content", std::move(content)}};
}

json::object ResponsesCallItem(const std::string& call_id, const std::string& name,
                               const std::string& arguments, bool done) {
  return json::object{{"id", kResponsesCallItemId},
                      {"type", "function_call"},
                      {"call_id", call_id},
                      {"name", name},
                      {"arguments", done ? arguments : std::string()},
                      {"status", done ? "completed" : "in_progress"}};
}

// Builds a Responses event stream: every payload gets its event name as "type" and the next
// sequence_number.
class ResponsesEvents {
 public:
  explicit ResponsesEvents(const std::string& model) : model_(model) {
    Add("response.created", json::object{{"response", ResponseObject(model_, false, {})}});
    Add("response.in_progress", json::object{{"response", ResponseObject(model_, false, {})}});
  }
  void Add(std::string_view event, json::object fields) {
    json::object payload{{"sequence_number", seq_++}};
    for (auto& kv : fields) payload.emplace(kv.key(), std::move(kv.value()));
    frames_.push_back(EventFrame(event, std::move(payload)));
  }
  std::vector<std::string> Complete(json::object item) {
    Add("response.output_item.done", json::object{{"output_index", 0}, {"item", item}});
    Add("response.completed",
        json::object{{"response", ResponseObject(model_, true, json::array{std::move(item)})}});
    return std::move(frames_);
  }

 private:
  const std::string& model_;
  int seq_ = 0;
  std::vector<std::string> frames_;
};

}  // namespace

std::string ResponsesJson(const std::string& model, const std::string& text) {
  return json::serialize(
      ResponseObject(model, true, json::array{ResponsesMessageItem(text, true)}));
}

std::vector<std::string> ResponsesStream(const std::string& model,
                                         const std::vector<std::string>& deltas) {
  std::string text;
  for (const auto& d : deltas) text += d;
  ResponsesEvents ev(model);
  auto at = [](json::object o) {
    json::object out{{"item_id", kResponsesMessageId}, {"output_index", 0}, {"content_index", 0}};
    for (auto& kv : o) out.emplace(kv.key(), std::move(kv.value()));
    return out;
  };
  ev.Add("response.output_item.added",
         json::object{{"output_index", 0}, {"item", ResponsesMessageItem(text, false)}});
  ev.Add("response.content_part.added", at(json::object{{"part", OutputTextPart("")}}));
  for (const auto& d : deltas) {
    ev.Add("response.output_text.delta",
           at(json::object{{"delta", d}, {"logprobs", json::array{}}}));
  }
  ev.Add("response.output_text.done",
         at(json::object{{"text", text}, {"logprobs", json::array{}}}));
  ev.Add("response.content_part.done", at(json::object{{"part", OutputTextPart(text)}}));
  return ev.Complete(ResponsesMessageItem(text, true));
}

std::string ResponsesFunctionCallJson(const std::string& model, const std::string& call_id,
                                      const std::string& name, const std::string& arguments) {
  return json::serialize(
      ResponseObject(model, true, json::array{ResponsesCallItem(call_id, name, arguments, true)}));
}

std::vector<std::string> ResponsesFunctionCallStream(const std::string& model,
                                                     const std::string& call_id,
                                                     const std::string& name,
                                                     const std::string& arguments) {
  ResponsesEvents ev(model);
  ev.Add("response.output_item.added",
         json::object{{"output_index", 0},
                      {"item", ResponsesCallItem(call_id, name, arguments, false)}});
  for (const auto& piece : SplitText(arguments, 2)) {
    ev.Add("response.function_call_arguments.delta",
           json::object{{"item_id", kResponsesCallItemId}, {"output_index", 0}, {"delta", piece}});
  }
  ev.Add("response.function_call_arguments.done", json::object{{"item_id", kResponsesCallItemId},
                                                               {"output_index", 0},
                                                               {"name", name},
                                                               {"arguments", arguments}});
  return ev.Complete(ResponsesCallItem(call_id, name, arguments, true));
}

// ---- Gemini ----

namespace {

json::object GeminiChunk(const std::string& model, json::array parts, bool last) {
  json::object candidate{{"content", json::object{{"role", "model"}, {"parts", std::move(parts)}}}};
  if (last) candidate["finishReason"] = "STOP";
  candidate["index"] = 0;
  json::object root{{"candidates", json::array{std::move(candidate)}}};
  if (last) {
    root["usageMetadata"] = json::object{{"promptTokenCount", kUsagePrompt},
                                         {"candidatesTokenCount", kUsageCompletion},
                                         {"cachedContentTokenCount", kUsageCached},
                                         {"totalTokenCount", kUsagePrompt + kUsageCompletion}};
  }
  root["modelVersion"] = model;
  root["responseId"] = "fake-response";
  return root;
}

// Gemini 3 and later give every call an id and sign the first call of a step.
json::object GeminiCallPart(const std::string& model, const std::string& name,
                            const std::string& args_json) {
  json::object call{{"name", name}, {"args", ParseObject(args_json)}};
  json::object part;
  if (GeminiSigns(model)) {
    static std::atomic<int> next{0};
    std::string id = "fc_" + std::to_string(++next);
    part["thoughtSignature"] = GeminiSignature(model, id);
    call["id"] = id;
  }
  part["functionCall"] = std::move(call);
  return part;
}

}  // namespace

std::string GeminiJson(const std::string& model, const std::string& text) {
  return json::serialize(GeminiChunk(model, json::array{json::object{{"text", text}}}, true));
}

std::vector<std::string> GeminiStream(const std::string& model,
                                      const std::vector<std::string>& deltas) {
  // Empty text parts upset Gemini CLI: skip empty pieces, but always send a last chunk.
  std::vector<std::string> pieces;
  for (const auto& d : deltas) {
    if (!d.empty()) pieces.push_back(d);
  }
  if (pieces.empty()) pieces.emplace_back();
  std::vector<std::string> frames;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    frames.push_back(Frame(GeminiChunk(model, json::array{json::object{{"text", pieces[i]}}},
                                       i + 1 == pieces.size())));
  }
  return frames;
}

std::string GeminiFunctionCallJson(const std::string& model, const std::string& name,
                                   const std::string& args_json) {
  return json::serialize(
      GeminiChunk(model, json::array{GeminiCallPart(model, name, args_json)}, true));
}

std::vector<std::string> GeminiFunctionCallStream(const std::string& model, const std::string& name,
                                                  const std::string& args_json) {
  return {Frame(GeminiChunk(model, json::array{GeminiCallPart(model, name, args_json)}, true))};
}

namespace {

// ---- The scripted agent ----
//
// Each protocol has an extractor (request body -> AgentView) and a renderer (AgentTurn ->
// response); PlanAgentTurn decides the turn once, protocol-neutrally.

// What the scripted agent sees of a request.
struct AgentView {
  std::string user_text;                   // the newest message's text, when a user wrote it
  std::optional<std::string> tool_result;  // set when the conversation ends with a tool result
  std::set<std::string> tools;             // names of the offered tools
  // The parameter names of an offered tool, where the protocol's view reads them (Chat): a
  // file reader's path argument is taken from them (Kimi Code's Read takes "path").
  std::map<std::string, std::set<std::string>> params;
  // A gateway's mid-stream failover (Chat): the conversation ends with the assistant's partial
  // answer and a user turn saying it was cut off; the answer goes on from the partial one.
  std::optional<std::string> continue_from;
};

// The words of AgentGate's continuation request (protocol/stream_splice.h) the fake knows.
constexpr std::string_view kCutOff = "was cut off";

// What the scripted agent answers: a text, or one tool call.
struct AgentTurn {
  std::string text;       // the answer when tool_name is empty
  std::string tool_name;  // non-empty: call this tool with tool_args (a JSON object text)
  std::string tool_args;
};

// `answer`: the plain answer, when set (benchmarks want one long enough for many deltas).
AgentTurn PlanAgentTurn(const AgentView& view, const std::string& model,
                        const std::string& answer) {
  AgentTurn turn;
  // A model asked to continue its cut answer gives the rest of the answer it was giving.
  auto rest = [&view](AgentTurn t) {
    if (view.continue_from && t.tool_name.empty() && t.text.rfind(*view.continue_from, 0) == 0) {
      t.text.erase(0, view.continue_from->size());
    }
    return t;
  };
  if (view.tool_result) {
    turn.text = "The tool returned: " + (view.tool_result->empty() ? "(empty)" : *view.tool_result);
    return rest(turn);
  }
  turn.text = answer.empty() ? "pong from " + model : answer;
  const std::string& text = view.user_text;
  // "use the tool NAME": call the offered tool whose name ends with NAME, without arguments
  // (an MCP server's tool, which each client names its own way: mcp__probe__whisper,
  // probe_whisper, whisper). Offered no such tool, the model says so.
  constexpr std::string_view kUseTool = "use the tool ";
  if (const size_t use = text.find(kUseTool); use != std::string::npos) {
    const size_t start = use + kUseTool.size();
    const std::string want = text.substr(start, text.find_first_of(" \n\t.,'\"", start) - start);
    for (const auto& name : view.tools) {
      if (!want.empty() && name.size() >= want.size() &&
          name.compare(name.size() - want.size(), want.size(), want) == 0) {
        turn.tool_name = name;
        turn.tool_args = "{}";
        return turn;
      }
    }
    turn.text = "no tool named " + want + " was offered";
    return rest(turn);
  }
  constexpr std::string_view kMarker = "read the file ";
  const size_t at = text.find(kMarker);
  if (at == std::string::npos) return rest(turn);
  const size_t start = at + kMarker.size();
  const size_t end = text.find_first_of(" \n\t'\"", start);
  std::string path = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  while (!path.empty() && (path.back() == '.' || path.back() == ',')) path.pop_back();
  // File readers first, then shells; each client names them differently.
  const std::pair<const char*, const char*> kReaders[] = {
      {"Read", "file_path"}, {"read_file", "file_path"}, {"read", "filePath"}};
  for (const auto& [name, arg] : kReaders) {
    if (view.tools.count(name)) {
      std::string key = arg;
      if (auto p = view.params.find(name); p != view.params.end() && !p->second.count(key)) {
        for (const char* alt : {"file_path", "filePath", "path", "absolute_path"}) {
          if (p->second.count(alt)) {
            key = alt;
            break;
          }
        }
      }
      turn.tool_name = name;
      turn.tool_args = json::serialize(json::object{{key, path}});
      return turn;
    }
  }
  const std::pair<const char*, const char*> kShells[] = {{"exec_command", "cmd"},
                                                         {"shell", "command"},
                                                         {"bash", "command"},
                                                         {"Bash", "command"},
                                                         {"run_shell_command", "command"}};
  for (const auto& [name, arg] : kShells) {
    if (view.tools.count(name)) {
      turn.tool_name = name;
      turn.tool_args = json::serialize(json::object{{arg, "cat " + path}});
      return turn;
    }
  }
  return turn;
}

// The text of a content value: a string, or the "text" fields of an array of parts.
std::string ContentText(const json::value* content) {
  if (content == nullptr) return {};
  if (content->is_string()) return std::string(content->get_string());
  std::string out;
  if (content->is_array()) {
    for (const auto& p : content->get_array()) {
      if (auto* t = Get(p, "text"); t && t->is_string()) out += std::string(t->get_string()) + "\n";
    }
  }
  return out;
}

// Whether a user text is nothing but "<system-reminder>…</system-reminder>" blocks.
bool OnlyReminders(std::string_view text) {
  constexpr std::string_view kOpen = "<system-reminder>", kClose = "</system-reminder>";
  bool any = false;
  for (;;) {
    const size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return any;
    text.remove_prefix(start);
    if (text.substr(0, kOpen.size()) != kOpen) return false;
    const size_t end = text.find(kClose);
    if (end == std::string_view::npos) return false;
    text.remove_prefix(end + kClose.size());
    any = true;
  }
}

// Chat: the newest user/tool/assistant message (clients add system reminders after it; a user
// message that is only a "<system-reminder>" is passed over).
AgentView ChatView(const json::value& body) {
  AgentView view;
  const auto& msgs = GetArray(body, "messages");
  auto it = msgs.rbegin();
  if (msgs.size() >= 2 && GetString(*it, "role") == "user" &&
      ContentText(Get(*it, "content")).find(kCutOff) != std::string::npos &&
      GetString(*(it + 1), "role") == "assistant") {
    view.continue_from = ContentText(Get(*(it + 1), "content"));
    it += 2;
  }
  for (; it != msgs.rend(); ++it) {
    const std::string role = GetString(*it, "role");
    if (role == "tool") {
      view.tool_result = ContentText(Get(*it, "content"));
    } else if (role == "user") {
      // Kimi Code sends its reminders as user messages of their own after the prompt.
      std::string text = ContentText(Get(*it, "content"));
      if (OnlyReminders(text)) continue;
      view.user_text = std::move(text);
    } else if (role != "assistant") {
      continue;
    }
    break;
  }
  for (const auto& t : GetArray(body, "tools")) {
    if (const auto* fn = Get(t, "function")) {
      std::string name = GetString(*fn, "name");
      if (name.empty()) continue;
      view.tools.insert(name);
      if (const auto* params = Get(*fn, "parameters")) {
        if (const auto* props = Get(*params, "properties"); props && props->is_object()) {
          for (const auto& kv : props->as_object()) view.params[name].insert(std::string(kv.key()));
        }
      }
    }
  }
  return view;
}

// Messages: the newest message. A user message whose last block is a tool_result (ignoring
// trailing "<system-reminder>" text blocks, which Claude Code appends) is a tool result.
AgentView MessagesView(const json::value& body) {
  AgentView view;
  const auto& msgs = GetArray(body, "messages");
  for (auto it = msgs.rbegin(); it != msgs.rend(); ++it) {
    const std::string role = GetString(*it, "role");
    if (role == "assistant") break;
    if (role != "user") continue;
    const json::value* content = Get(*it, "content");
    if (content == nullptr || !content->is_array()) {
      view.user_text = ContentText(content);
      break;
    }
    const auto& blocks = content->get_array();
    for (auto b = blocks.rbegin(); b != blocks.rend(); ++b) {
      const std::string type = GetString(*b, "type");
      if (type == "tool_result") {
        view.tool_result = ContentText(Get(*b, "content"));
        break;
      }
      if (type != "text" || GetString(*b, "text").rfind("<system-reminder>", 0) != 0) break;
    }
    if (!view.tool_result) {
      for (const auto& block : blocks) {
        if (GetString(block, "type") == "text") view.user_text += GetString(block, "text") + "\n";
      }
    }
    break;
  }
  for (const auto& t : GetArray(body, "tools")) {
    if (std::string name = GetString(t, "name"); !name.empty()) view.tools.insert(name);
  }
  return view;
}

// Responses: `input` as a string, or the newest user message / assistant item / tool output
// among the items (system and developer messages, reasoning items etc. are skipped).
AgentView ResponsesView(const json::value& body) {
  AgentView view;
  const json::value* input = Get(body, "input");
  if (input != nullptr && input->is_string()) {
    view.user_text = std::string(input->get_string());
  } else if (input != nullptr && input->is_array()) {
    const auto& items = input->get_array();
    for (auto it = items.rbegin(); it != items.rend(); ++it) {
      std::string type = GetString(*it, "type");
      if (type.empty() && Get(*it, "role") != nullptr) type = "message";
      if (type == "function_call_output" || type == "custom_tool_call_output") {
        view.tool_result = ContentText(Get(*it, "output"));
      } else if (type == "message") {
        const std::string role = GetString(*it, "role");
        if (role == "user") {
          view.user_text = ContentText(Get(*it, "content"));
        } else if (role != "assistant") {
          continue;
        }
      } else if (type != "function_call" && type != "custom_tool_call") {
        continue;
      }
      break;
    }
  }
  for (const auto& t : GetArray(body, "tools")) {
    const std::string type = GetString(t, "type");
    if (type != "function" && !type.empty()) continue;
    if (std::string name = GetString(t, "name"); !name.empty()) view.tools.insert(name);
  }
  return view;
}

// Gemini: the newest content; one carrying functionResponse parts is a tool result (Gemini
// CLI sends response:{output} or response:{error}).
AgentView GeminiView(const json::value& body) {
  AgentView view;
  const auto& contents = GetArray(body, "contents");
  if (!contents.empty()) {
    const json::value& last = contents.back();
    const auto& parts = GetArray(last, "parts");
    for (const auto& p : parts) {
      const json::value* fr = Get(p, "functionResponse");
      if (fr == nullptr) continue;
      const json::value* response = Get(*fr, "response");
      std::string text;
      if (response == nullptr) {
        text = "";
      } else if (const json::value* out = Get(*response, "output")) {
        text = out->is_string() ? std::string(out->get_string()) : json::serialize(*out);
      } else if (const json::value* err = Get(*response, "error")) {
        text = err->is_string() ? std::string(err->get_string()) : json::serialize(*err);
      } else {
        text = json::serialize(*response);
      }
      view.tool_result = view.tool_result.value_or("") + text;
    }
    if (!view.tool_result && GetString(last, "role") != "model") {
      view.user_text = ContentText(Get(last, "parts"));
    }
  }
  for (const auto& t : GetArray(body, "tools")) {
    for (const auto& decl : GetArray(t, "functionDeclarations")) {
      if (std::string name = GetString(decl, "name"); !name.empty()) view.tools.insert(name);
    }
  }
  return view;
}

struct StreamShape {
  bool stream = false;
  int deltas = 4;
  std::chrono::milliseconds interval{0};
};

ScriptedResponse BodyResponse(std::string body) {
  ScriptedResponse r;
  r.body = std::move(body);
  return r;
}

ScriptedResponse SseResponse(std::vector<std::string> frames, const StreamShape& shape) {
  ScriptedResponse r;
  r.content_type = "text/event-stream";
  r.stream_chunks = std::move(frames);
  r.chunk_interval = shape.interval;
  return r;
}

constexpr const char* kCallId = "call_fake_1";
constexpr const char* kToolUseId = "toolu_fake_1";

// DeepSeek's thinking mode: the answer carries reasoning_content (the first delta of a stream).
constexpr const char* kReasoning = "I should look at what the tool says.";

std::string WithReasoning(const std::string& body) {
  json::object root = ParseObject(body);
  root["choices"].as_array()[0].as_object()["message"].as_object()["reasoning_content"] =
      kReasoning;
  return json::serialize(root);
}

std::vector<std::string> WithReasoning(const std::string& model, std::vector<std::string> frames) {
  json::object chunk{{"id", "chatcmpl-fake"},
                     {"object", "chat.completion.chunk"},
                     {"created", kCreated},
                     {"model", model},
                     {"choices", json::array{json::object{
                                     {"index", 0},
                                     {"delta", json::object{{"reasoning_content", kReasoning}}},
                                     {"finish_reason", nullptr}}}}};
  frames.insert(frames.begin() + (frames.empty() ? 0 : 1), Frame(chunk));
  return frames;
}

ScriptedResponse RenderChat(const std::string& model, const AgentTurn& t, const StreamShape& s,
                            bool include_usage, bool reasons) {
  std::vector<std::string> frames;
  std::string body;
  if (!t.tool_name.empty()) {
    if (s.stream) {
      frames = ChatToolCallStream(model, kCallId, t.tool_name, t.tool_args, include_usage);
    } else {
      body = ChatToolCallJson(model, kCallId, t.tool_name, t.tool_args);
    }
  } else if (s.stream) {
    frames = ChatCompletionStream(model, SplitText(t.text, s.deltas), include_usage);
  } else {
    body = ChatCompletionJson(model, t.text, kUsagePrompt, kUsageCompletion, kUsageCached);
  }
  if (s.stream) return SseResponse(reasons ? WithReasoning(model, std::move(frames)) : frames, s);
  return BodyResponse(reasons ? WithReasoning(body) : body);
}

// With thinking on, a Messages answer opens with a signed thinking block (index 0), as the real
// API's does; the other blocks move up one index.
std::string WithThinking(const std::string& model, const std::string& body) {
  json::object root = ParseObject(body);
  json::array& content = root["content"].as_array();
  content.insert(content.begin(), json::object{{"type", "thinking"},
                                               {"thinking", "Thinking it over."},
                                               {"signature", MessagesThinkingSignature(model)}});
  return json::serialize(root);
}

std::vector<std::string> WithThinking(const std::string& model, std::vector<std::string> frames) {
  std::vector<std::string> out;
  for (size_t i = 0; i < frames.size(); ++i) {
    std::string& f = frames[i];
    const size_t data = f.find("data: ");
    if (data != std::string::npos && i > 0) {
      json::object o = ParseObject(f.substr(data + 6, f.size() - data - 8));
      if (auto* index = o.if_contains("index"); index != nullptr && index->is_int64()) {
        *index = index->as_int64() + 1;
        f = EventFrame(std::string(o.at("type").as_string()), o);
      }
    }
    out.push_back(std::move(f));
    if (i == 0) {  // after message_start
      out.push_back(EventFrame(
          "content_block_start",
          json::object{{"index", 0},
                       {"content_block",
                        json::object{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}}}));
      out.push_back(
          EventFrame("content_block_delta",
                     json::object{{"index", 0},
                                  {"delta", json::object{{"type", "thinking_delta"},
                                                         {"thinking", "Thinking it over."}}}}));
      out.push_back(EventFrame(
          "content_block_delta",
          json::object{{"index", 0},
                       {"delta", json::object{{"type", "signature_delta"},
                                              {"signature", MessagesThinkingSignature(model)}}}}));
      out.push_back(EventFrame("content_block_stop", json::object{{"index", 0}}));
    }
  }
  return out;
}

ScriptedResponse RenderMessages(const std::string& model, const AgentTurn& t, const StreamShape& s,
                                bool thinks) {
  if (!t.tool_name.empty()) {
    if (s.stream) {
      auto frames = MessagesToolUseStream(model, kToolUseId, t.tool_name, t.tool_args);
      return SseResponse(thinks ? WithThinking(model, std::move(frames)) : std::move(frames), s);
    }
    std::string body = MessagesToolUseJson(model, kToolUseId, t.tool_name, t.tool_args);
    return BodyResponse(thinks ? WithThinking(model, body) : body);
  }
  if (s.stream) {
    auto frames = MessagesStream(model, SplitText(t.text, s.deltas));
    return SseResponse(thinks ? WithThinking(model, std::move(frames)) : std::move(frames), s);
  }
  std::string body = MessagesJson(model, t.text);
  return BodyResponse(thinks ? WithThinking(model, body) : body);
}

ScriptedResponse RenderResponses(const std::string& model, const AgentTurn& t,
                                 const StreamShape& s) {
  if (!t.tool_name.empty()) {
    return s.stream
               ? SseResponse(ResponsesFunctionCallStream(model, kCallId, t.tool_name, t.tool_args),
                             s)
               : BodyResponse(ResponsesFunctionCallJson(model, kCallId, t.tool_name, t.tool_args));
  }
  return s.stream ? SseResponse(ResponsesStream(model, SplitText(t.text, s.deltas)), s)
                  : BodyResponse(ResponsesJson(model, t.text));
}

// sse: :streamGenerateContent?alt=sse; without alt=sse the stream is one JSON array.
ScriptedResponse RenderGemini(const std::string& model, const AgentTurn& t, const StreamShape& s,
                              bool sse) {
  if (!s.stream) {
    return BodyResponse(t.tool_name.empty()
                            ? GeminiJson(model, t.text)
                            : GeminiFunctionCallJson(model, t.tool_name, t.tool_args));
  }
  std::vector<std::string> frames = t.tool_name.empty()
                                        ? GeminiStream(model, SplitText(t.text, s.deltas))
                                        : GeminiFunctionCallStream(model, t.tool_name, t.tool_args);
  if (sse) return SseResponse(std::move(frames), s);
  std::string body = "[";
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (i > 0) body += ",\n";
    body += frames[i].substr(6, frames[i].size() - 8);  // strip "data: " and "\n\n"
  }
  return BodyResponse(body + "]");
}

// The endpoint a request path selects.
enum class Api { kChat, kMessages, kMessagesCount, kResponses, kGemini, kGeminiCount };

struct Route {
  Api api = Api::kChat;
  std::string model;  // Gemini: from the URL
  bool gemini_stream = false;
  bool gemini_sse = false;
};

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::optional<Route> Classify(std::string_view path, std::string_view query) {
  Route route;
  if (EndsWith(path, "/chat/completions")) {
    route.api = Api::kChat;
  } else if (EndsWith(path, "/v1/messages")) {
    route.api = Api::kMessages;
  } else if (EndsWith(path, "/v1/messages/count_tokens")) {
    route.api = Api::kMessagesCount;
  } else if (EndsWith(path, "/responses")) {
    route.api = Api::kResponses;
  } else if (const size_t at = path.rfind("/models/"); at != std::string_view::npos) {
    const std::string_view rest = path.substr(at + 8);
    const size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    const std::string_view method = rest.substr(colon + 1);
    route.model = PercentDecode(rest.substr(0, colon));
    if (method == "generateContent") {
      route.api = Api::kGemini;
    } else if (method == "streamGenerateContent") {
      route.api = Api::kGemini;
      route.gemini_stream = true;
      route.gemini_sse = ("&" + std::string(query) + "&").find("&alt=sse&") != std::string::npos;
    } else if (method == "countTokens") {
      route.api = Api::kGeminiCount;
    } else {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  return route;
}

// A 400 for an unparsable body, in the error shape of the endpoint's protocol.
std::string BadRequestJson(Api api, const std::string& message) {
  switch (api) {
    case Api::kMessages:
    case Api::kMessagesCount:
      return json::serialize(json::object{
          {"type", "error"},
          {"error", json::object{{"type", "invalid_request_error"}, {"message", message}}}});
    case Api::kGemini:
    case Api::kGeminiCount:
      return json::serialize(json::object{
          {"error",
           json::object{{"code", 400}, {"message", message}, {"status", "INVALID_ARGUMENT"}}}});
    default:
      return ErrorJson(message, "invalid_request_error", nullptr);
  }
}

// A query parameter's value, percent-decoded ("" when absent).
std::string QueryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return PercentDecode(pair.substr(name.size() + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// A non-negative integer query value; `def` when absent or not a number.
std::size_t QueryCount(std::string_view query, std::string_view name, std::size_t def) {
  const std::string v = QueryParam(query, name);
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 9) {
    return def;
  }
  return static_cast<std::size_t>(std::stoul(v));
}

// Whether a request body carries an image in any protocol's image part.
bool HasImage(const json::value& v) {
  if (v.is_array()) {
    for (const auto& e : v.get_array()) {
      if (HasImage(e)) return true;
    }
    return false;
  }
  if (!v.is_object()) return false;
  const std::string type = GetString(v, "type");
  if (type == "image_url" || type == "image" || type == "input_image") return true;
  for (const char* key : {"inlineData", "fileData"}) {
    if (const json::value* d = Get(v, key)) {
      if (GetString(*d, "mimeType").rfind("image/", 0) == 0) return true;
    }
  }
  for (const auto& kv : v.get_object()) {
    if (HasImage(kv.value())) return true;
  }
  return false;
}

// GET .../models: Gemini's shape for .../v1beta/models, Anthropic's for a request with an
// anthropic-version header, else OpenAI's. Anthropic and Gemini pages are at most page_size
// long (0: no limit) and at most what the request's limit / pageSize asks.
ScriptedResponse ModelListResponse(std::string_view path, std::string_view query, bool anthropic,
                                   const std::vector<ListedModel>& models, int page_size) {
  constexpr std::size_t kAll = static_cast<std::size_t>(-1);
  const std::size_t page_max = page_size > 0 ? static_cast<std::size_t>(page_size) : kAll;
  if (EndsWith(path, "/v1beta/models")) {
    const std::size_t start = std::min(QueryCount(query, "pageToken", 0), models.size());
    const std::size_t count =
        std::min({models.size() - start, page_max, QueryCount(query, "pageSize", kAll)});
    json::array list;
    for (std::size_t i = start; i < start + count; ++i) {
      const ListedModel& m = models[i];
      json::array methods;
      if (m.generates) {
        methods.emplace_back("generateContent");
        methods.emplace_back("countTokens");
      } else {
        methods.emplace_back("embedContent");
      }
      list.push_back(json::object{{"name", "models/" + m.id},
                                  {"displayName", m.id},
                                  {"supportedGenerationMethods", std::move(methods)}});
    }
    json::object root{{"models", std::move(list)}};
    if (start + count < models.size()) root["nextPageToken"] = std::to_string(start + count);
    return BodyResponse(json::serialize(root));
  }
  if (anthropic) {
    std::size_t start = 0;
    if (const std::string after = QueryParam(query, "after_id"); !after.empty()) {
      while (start < models.size() && models[start].id != after) ++start;
      start = std::min(start + 1, models.size());
    }
    const std::size_t count =
        std::min({models.size() - start, page_max, QueryCount(query, "limit", 20)});
    json::array list;
    for (std::size_t i = start; i < start + count; ++i) {
      list.push_back(json::object{{"type", "model"},
                                  {"id", models[i].id},
                                  {"display_name", models[i].id},
                                  {"created_at", "2025-01-01T00:00:00Z"}});
    }
    json::value first = count > 0 ? json::value(models[start].id) : json::value(nullptr);
    json::value last = count > 0 ? json::value(models[start + count - 1].id) : json::value(nullptr);
    return BodyResponse(json::serialize(json::object{{"data", std::move(list)},
                                                     {"has_more", start + count < models.size()},
                                                     {"first_id", std::move(first)},
                                                     {"last_id", std::move(last)}}));
  }
  json::array list;
  for (const ListedModel& m : models) {
    list.push_back(
        json::object{{"id", m.id}, {"object", "model"}, {"created", 0}, {"owned_by", "fake"}});
  }
  return BodyResponse(json::serialize(json::object{{"object", "list"}, {"data", std::move(list)}}));
}

}  // namespace

struct FakeUpstream::Impl {
  // Scripting / recording state, shared with the I/O threads.
  mutable std::mutex mu;
  std::deque<ScriptedResponse> script;
  std::vector<ReceivedRequest> received;
  int stream_deltas = 4;
  std::chrono::milliseconds stream_interval{0};
  std::string plain_answer;
  int cut_text_after = -1;    // SetCutTextStreams
  int context_limit = 0;      // SetContextLimit
  int64_t tokens_per_kb = 0;  // SetTokensPerKb
  std::vector<ListedModel> models = std::vector<ListedModel>(1, ListedModel{"fake-model", true});
  int model_page_size = 0;
  bool reject_images = false;
  struct ChatGptAccount {
    std::string id;
    std::string token;
    double primary_used = 0;
    double secondary_used = 0;
    int64_t spent_until_s = 0;
    int served = 0;
    std::string refresh;
    int refreshes = 0;
  };
  std::vector<ChatGptAccount> chatgpt_accounts;
  FakeChatGptAuth chatgpt_auth;  // sign-in (its own lock; installs tokens under mu)
  std::string BaseUrl() const {
    const bool v6 = host.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  }
  std::set<std::string> spent_refresh_tokens;
  int chatgpt_refreshes = 0;
  int usage_requests = 0;
  ScriptedResponse OAuthToken(const http::request<http::string_body>& req);
  ScriptedResponse ChatGptUsage(const http::request<http::string_body>& req);
  int chatgpt_spend_after = 0;
  // The official backend's own checks; nullopt when the request passes them.
  // `rate_limits`: the codex.rate_limits SSE frame a streamed answer opens with.
  std::optional<ScriptedResponse> ChatGptChecks(
      const http::request<http::string_body>& req,
      std::vector<std::pair<std::string, std::string>>* quota_headers, std::string* rate_limits);
  std::atomic<bool> chatgpt_quota_headers{true};

  std::string host;
  int port = 0;

  // Destruction order matters: everything bound to the io_context is declared after it.
  std::unique_ptr<asio::io_context> ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;

  void Start(const std::string& h, int p);
  void Stop();

  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> Session(tcp::socket sock);
  asio::awaitable<bool> Respond(tcp::socket& sock, const http::request<http::string_body>& req,
                                const ScriptedResponse& r);
  ScriptedResponse NextResponse(const http::request<http::string_body>& req);
  ScriptedResponse DefaultResponse(const http::request<http::string_body>& req);
};

void FakeUpstream::Impl::Start(const std::string& h, int p) {
  host = h;
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const int nthreads = static_cast<int>(std::clamp(hw, 2u, 4u));
  ioc = std::make_unique<asio::io_context>(nthreads);
  work.emplace(ioc->get_executor());

  tcp::resolver resolver(*ioc);
  auto results = resolver.resolve(host, std::to_string(p),
                                  tcp::resolver::numeric_service | tcp::resolver::passive);
  if (results.empty()) throw std::runtime_error("fake upstream: cannot resolve " + host);
  const tcp::endpoint ep = results.begin()->endpoint();
  acceptor.emplace(*ioc);
  acceptor->open(ep.protocol());
  acceptor->set_option(asio::socket_base::reuse_address(true));
  acceptor->bind(ep);
  acceptor->listen(asio::socket_base::max_listen_connections);
  port = acceptor->local_endpoint().port();

  asio::co_spawn(ioc->get_executor(), AcceptLoop(), asio::detached);
  threads.reserve(static_cast<std::size_t>(nthreads));
  for (int i = 0; i < nthreads; ++i) {
    threads.emplace_back([this] {
      for (;;) {
        try {
          ioc->run();
          return;
        } catch (...) {
          // A handler threw; keep serving.
        }
      }
    });
  }
}

void FakeUpstream::Impl::Stop() {
  if (!ioc) return;
  work.reset();
  // Stopping the io_context makes run() return promptly even with accepts, reads, writes and
  // timers pending; the pending coroutines (and their sockets) are destroyed with the context.
  ioc->stop();
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
  threads.clear();
  acceptor.reset();
  ioc.reset();
}

asio::awaitable<void> FakeUpstream::Impl::AcceptLoop() {
  for (;;) {
    auto [ec, sock] = co_await acceptor->async_accept(asio::make_strand(*ioc), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      // Transient failure (e.g. EMFILE): back off briefly and retry.
      asio::steady_timer t(co_await asio::this_coro::executor);
      t.expires_after(std::chrono::milliseconds(10));
      co_await t.async_wait(kTuple);
      continue;
    }
    boost::system::error_code ignored;
    sock.set_option(tcp::no_delay(true), ignored);
    auto ex = sock.get_executor();
    asio::co_spawn(ex, Session(std::move(sock)), asio::detached);
  }
}

asio::awaitable<void> FakeUpstream::Impl::Session(tcp::socket sock) {
  try {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kBodyLimit);
      parser.header_limit(kHeaderLimit);
      auto [ec, n] = co_await http::async_read_header(sock, buffer, parser, kTuple);
      if (ec) break;  // EOF, reset, or malformed request
      if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [wec, wn] = co_await asio::async_write(sock, asio::buffer(kContinue), kTuple);
        if (wec) break;
      }
      if (!parser.is_done()) {
        auto [rec, rn] = co_await http::async_read(sock, buffer, parser, kTuple);
        if (rec == http::error::body_limit) {
          http::response<http::string_body> res{http::status::payload_too_large, 11};
          res.set(http::field::server, kServerName);
          res.set(http::field::content_type, "application/json");
          res.body() = ErrorJson("request body too large", "invalid_request_error", nullptr);
          res.keep_alive(false);
          res.prepare_payload();
          co_await http::async_write(sock, res, kTuple);
          break;
        }
        if (rec) break;
      }
      http::request<http::string_body> req = parser.release();
      const ScriptedResponse r = NextResponse(req);  // records the request first
      if (!co_await Respond(sock, req, r)) break;
    }
  } catch (const std::exception&) {
    // Connection-level failure: fall through and close.
  }
  boost::system::error_code ignored;
  sock.shutdown(tcp::socket::shutdown_send, ignored);
  sock.close(ignored);
}

ScriptedResponse FakeUpstream::Impl::NextResponse(const http::request<http::string_body>& req) {
  ReceivedRequest rec;
  rec.method = std::string(req.method_string());
  rec.target = std::string(req.target());
  for (const auto& f : req) {
    auto [it, inserted] = rec.headers.emplace(Lower(f.name_string()), std::string(f.value()));
    if (!inserted) {
      it->second += ", ";
      it->second += f.value();
    }
  }
  rec.body = req.body();
  {
    std::lock_guard lock(mu);
    received.push_back(std::move(rec));
    if (!script.empty()) {
      ScriptedResponse r = std::move(script.front());
      script.pop_front();
      return r;
    }
  }
  return DefaultResponse(req);
}

ScriptedResponse FakeUpstream::Impl::DefaultResponse(const http::request<http::string_body>& req) {
  std::string_view target = req.target();
  const size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);

  if (req.method() == http::verb::get && EndsWith(path, "/models")) {
    std::lock_guard lock(mu);
    return ModelListResponse(path, query, req.find("anthropic-version") != req.end(), models,
                             model_page_size);
  }
  if (req.method() == http::verb::get && path == "/health") {
    return BodyResponse(json::serialize(json::object{{"status", "ok"}}));
  }

  if (req.method() == http::verb::post && EndsWith(path, "/oauth/token")) return OAuthToken(req);
  if (req.method() == http::verb::get && EndsWith(path, "/oauth/authorize")) {
    return chatgpt_auth.Authorize(query);
  }
  if (req.method() == http::verb::post && EndsWith(path, "/api/accounts/deviceauth/usercode")) {
    return chatgpt_auth.DeviceUserCode(req.body());
  }
  if (req.method() == http::verb::post && EndsWith(path, "/api/accounts/deviceauth/token")) {
    return chatgpt_auth.DeviceToken(req.body(), BaseUrl());
  }
  if (req.method() == http::verb::get && EndsWith(path, "/backend-api/wham/usage")) {
    return ChatGptUsage(req);
  }
  std::vector<std::pair<std::string, std::string>> quota_headers;
  std::string rate_limits;
  if (EndsWith(path, "/backend-api/codex/responses")) {
    if (auto refused = ChatGptChecks(req, &quota_headers, &rate_limits)) return *refused;
  }
  const std::optional<Route> route =
      req.method() == http::verb::post ? Classify(path, query) : std::nullopt;
  if (!route) {
    std::string msg = "Unknown request URL: " + std::string(req.method_string()) + " " +
                      std::string(target) + ".";
    return ErrorResponse(404, ErrorJson(msg, "invalid_request_error", "unknown_url"));
  }

  boost::system::error_code ec;
  json::value body = json::parse(req.body(), ec);
  if (ec || !body.is_object()) {
    std::string msg = "We could not parse the JSON body of your request. (" +
                      (ec ? ec.message() : std::string("expected a JSON object")) + ")";
    return ErrorResponse(400, BadRequestJson(route->api, msg));
  }
  if (route->api == Api::kMessagesCount) {
    return BodyResponse(json::serialize(json::object{{"input_tokens", kUsagePrompt}}));
  }
  if (route->api == Api::kGeminiCount) {
    return BodyResponse(json::serialize(json::object{{"totalTokens", kUsagePrompt}}));
  }
  bool reject_images_now = false;
  {
    std::lock_guard lock(mu);
    reject_images_now = reject_images;
  }
  if (reject_images_now && HasImage(body)) {
    return ErrorResponse(400,
                         BadRequestJson(route->api, "This model does not support image input"));
  }

  // What the real provider refuses for this model, with its words (strict_rules.h).
  std::optional<Refusal> refusal;
  if (route->api == Api::kGemini) refusal = CheckGemini(route->model, body);
  if (route->api == Api::kMessages) refusal = CheckMessages(body);
  if (route->api == Api::kChat) refusal = CheckChat(body);
  if (refusal) return ErrorResponse(refusal->status, BadRequestJson(route->api, refusal->message));

  const std::string model = route->api == Api::kGemini ? route->model : GetString(body, "model");
  StreamShape shape;
  std::string answer;
  if (route->api == Api::kGemini) {
    shape.stream = route->gemini_stream;
  } else if (const json::value* s = Get(body, "stream"); s && s->is_bool()) {
    shape.stream = s->get_bool();
  }
  int cut_text = -1;
  int limit = 0;
  int64_t reported_prompt = 0;  // per KiB of the conversation
  {
    std::lock_guard lock(mu);
    shape.deltas = stream_deltas;
    shape.interval = stream_interval;
    answer = plain_answer;
    cut_text = cut_text_after;
    limit = context_limit;
    reported_prompt = tokens_per_kb;
  }
  // A small context window (Chat): a conversation of more messages than the limit does not fit,
  // in OpenAI's words, unless it asks for a summary (a client compacting it).
  if (limit > 0 && route->api == Api::kChat) {
    int turns = 0;
    for (const auto& m : GetArray(body, "messages")) turns += GetString(m, "role") != "system";
    const std::string newest = ChatView(body).user_text;
    const bool compacting = Lower(newest).find("summar") != std::string::npos;
    if (turns > limit && !compacting) {
      return ErrorResponse(
          400, json::serialize(json::object{
                   {"error", json::object{{"message",
                                           "This model's maximum context length is 4096 tokens. "
                                           "However, your messages resulted in 9000 tokens. "
                                           "Please reduce the length of the messages."},
                                          {"type", "invalid_request_error"},
                                          {"param", "messages"},
                                          {"code", "context_length_exceeded"}}}}));
    }
  }

  switch (route->api) {
    case Api::kChat: {
      bool include_usage = false;
      if (const json::value* so = Get(body, "stream_options")) {
        if (const json::value* iu = Get(*so, "include_usage"); iu && iu->is_bool()) {
          include_usage = iu->get_bool();
        }
      }
      const AgentView view = ChatView(body);
      const AgentTurn turn = PlanAgentTurn(view, model, answer);
      ScriptedResponse r = RenderChat(model, turn, shape, include_usage, DeepSeekThinks(body));
      if (cut_text >= 0 && shape.stream && turn.tool_name.empty() && !view.continue_from) {
        r.cut_after_chunks = cut_text;
      }
      if (reported_prompt > 0) {  // a conversation that fills the context window, as reported
        // (by its size: after a compaction it is small again)
        size_t bytes = 0;
        for (const auto& m : GetArray(body, "messages")) {
          if (GetString(m, "role") != "system") bytes += json::serialize(m).size();
        }
        reported_prompt *= static_cast<int64_t>((bytes + 1023) / 1024);
        const std::string from = "\"prompt_tokens\":" + std::to_string(kUsagePrompt) + ",";
        const std::string to = "\"prompt_tokens\":" + std::to_string(reported_prompt) + ",";
        auto swap = [&](std::string& s) {
          if (size_t at = s.find(from); at != std::string::npos) s.replace(at, from.size(), to);
        };
        swap(r.body);
        for (auto& chunk : r.stream_chunks) swap(chunk);
      }
      return r;
    }
    case Api::kMessages:
      return RenderMessages(model, PlanAgentTurn(MessagesView(body), model, answer), shape,
                            MessagesThinks(body));
    case Api::kResponses: {
      ScriptedResponse r =
          RenderResponses(model, PlanAgentTurn(ResponsesView(body), model, answer), shape);
      r.headers.insert(r.headers.end(), quota_headers.begin(), quota_headers.end());
      if (!rate_limits.empty() && !r.stream_chunks.empty()) {
        r.stream_chunks.insert(r.stream_chunks.begin(), rate_limits);
      }
      return r;
    }
    default:
      return RenderGemini(model, PlanAgentTurn(GeminiView(body), model, answer), shape,
                          route->gemini_sse);
  }
}

asio::awaitable<bool> FakeUpstream::Impl::Respond(tcp::socket& sock,
                                                  const http::request<http::string_body>& req,
                                                  const ScriptedResponse& r) {
  boost::system::error_code ignored;
  if (r.close_without_response) {
    sock.close(ignored);
    co_return false;
  }
  if (r.delay_before_headers.count() > 0) {
    asio::steady_timer t(co_await asio::this_coro::executor);
    t.expires_after(r.delay_before_headers);
    co_await t.async_wait(kTuple);
  }
  if (!r.raw.empty()) {
    size_t piece = r.raw_piece > 0 ? r.raw_piece : r.raw.size();
    for (size_t off = 0, n = 0; off < r.raw.size(); off += n) {
      if (off > 0 && r.raw_interval.count() > 0) {
        asio::steady_timer t(co_await asio::this_coro::executor);
        t.expires_after(r.raw_interval);
        co_await t.async_wait(kTuple);
      }
      n = std::min(off == 0 && r.raw_first > 0 ? r.raw_first : piece, r.raw.size() - off);
      auto [ec, written] =
          co_await asio::async_write(sock, asio::buffer(r.raw.data() + off, n), kTuple);
      if (ec) co_return false;
    }
    if (r.raw_then_close) {
      sock.close(ignored);
      co_return false;
    }
    co_return true;
  }

  bool keep_alive = req.keep_alive();
  auto fill_headers = [&](http::fields& h, std::string_view content_type) {
    h.set(http::field::server, kServerName);
    h.set(http::field::content_type, content_type);
    for (const auto& [name, value] : r.headers) {
      if (beast::iequals(name, "content-type")) {
        h.set(http::field::content_type, value);
      } else if (beast::iequals(name, "connection")) {
        if (beast::iequals(value, "close")) keep_alive = false;
      } else {
        h.insert(name, value);
      }
    }
  };

  if (r.stream_chunks.empty()) {
    http::response<http::string_body> res{static_cast<http::status>(r.status), req.version()};
    fill_headers(res, r.content_type);
    res.body() = r.body;
    res.keep_alive(keep_alive);
    res.prepare_payload();
    if (r.cut_after_chunks >= 0) {
      http::response_serializer<http::string_body> sr{res};
      auto [ec, n] = co_await http::async_write_header(sock, sr, kTuple);
      if (!ec) {
        co_await asio::async_write(sock, asio::buffer(r.body.data(), r.body.size() / 2), kTuple);
      }
      sock.close(ignored);
      co_return false;
    }
    auto [ec, n] = co_await http::async_write(sock, res, kTuple);
    co_return !ec && keep_alive;
  }

  http::response<http::empty_body> res{static_cast<http::status>(r.status), 11};
  fill_headers(res, r.content_type == "application/json" ? "text/event-stream" : r.content_type);
  res.set(http::field::cache_control, "no-cache");
  res.keep_alive(keep_alive);
  res.chunked(true);
  http::response_serializer<http::empty_body> sr{res};
  if (auto [ec, n] = co_await http::async_write_header(sock, sr, kTuple); ec) co_return false;

  for (std::size_t i = 0; i < r.stream_chunks.size(); ++i) {
    if (r.cut_after_chunks >= 0 && i == static_cast<std::size_t>(r.cut_after_chunks)) {
      sock.close(ignored);
      co_return false;
    }
    if (i > 0 && r.chunk_interval.count() > 0) {
      asio::steady_timer t(co_await asio::this_coro::executor);
      t.expires_after(r.chunk_interval);
      co_await t.async_wait(kTuple);
    }
    const std::string& c = r.stream_chunks[i];
    if (c.empty()) continue;  // an empty chunk would terminate the body
    auto [ec, n] = co_await asio::async_write(sock, http::make_chunk(asio::buffer(c)), kTuple);
    if (ec) co_return false;
  }
  if (r.cut_after_chunks >= 0) {  // cut after all chunks: still no terminating chunk
    sock.close(ignored);
    co_return false;
  }
  auto [ec, n] = co_await asio::async_write(sock, http::make_chunk_last(), kTuple);
  co_return !ec && keep_alive;
}

FakeUpstream::FakeUpstream() : FakeUpstream("127.0.0.1", 0) {}

FakeUpstream::FakeUpstream(std::string host, int port) : impl_(std::make_unique<Impl>()) {
  try {
    impl_->Start(host, port);
  } catch (...) {
    impl_->Stop();
    throw;
  }
}

FakeUpstream::~FakeUpstream() { impl_->Stop(); }

int FakeUpstream::port() const { return impl_->port; }

std::string FakeUpstream::base_url() const { return impl_->BaseUrl(); }

void FakeUpstream::Enqueue(ScriptedResponse r) {
  std::lock_guard lock(impl_->mu);
  impl_->script.push_back(std::move(r));
}

std::vector<ReceivedRequest> FakeUpstream::Received() const {
  std::lock_guard lock(impl_->mu);
  return impl_->received;
}

size_t FakeUpstream::ReceivedCount() const {
  std::lock_guard lock(impl_->mu);
  return impl_->received.size();
}

void FakeUpstream::ClearReceived() {
  std::lock_guard lock(impl_->mu);
  impl_->received.clear();
}

void FakeUpstream::SetPlainAnswer(std::string text) {
  std::lock_guard lock(impl_->mu);
  impl_->plain_answer = std::move(text);
}

void FakeUpstream::SetModels(std::vector<ListedModel> models, int page_size) {
  std::lock_guard lock(impl_->mu);
  impl_->models = std::move(models);
  impl_->model_page_size = std::max(page_size, 0);
}

std::optional<ScriptedResponse> FakeUpstream::Impl::ChatGptChecks(
    const http::request<http::string_body>& req,
    std::vector<std::pair<std::string, std::string>>* quota_headers, std::string* rate_limits) {
  auto detail = [](int status, std::string_view text) {
    return ErrorResponse(status, json::serialize(json::object{{"detail", text}}));
  };
  std::string_view auth = req[http::field::authorization];
  constexpr std::string_view kBearer = "Bearer ";
  std::string token(auth.substr(0, kBearer.size()) == kBearer ? auth.substr(kBearer.size()) : "");
  ChatGptAccount account;
  {
    std::lock_guard lock(mu);
    auto it = std::find_if(chatgpt_accounts.begin(), chatgpt_accounts.end(),
                           [&](const ChatGptAccount& a) { return a.token == token; });
    if (token.empty() || it == chatgpt_accounts.end()) {
      return detail(401, "Could not parse your authentication token. Please try signing in again.");
    }
    const int64_t now_s = static_cast<int64_t>(std::time(nullptr));
    if (chatgpt_spend_after > 0 && it == chatgpt_accounts.begin() &&
        it->served >= chatgpt_spend_after && it->spent_until_s <= now_s) {
      it->primary_used = it->secondary_used = 100;
      it->spent_until_s = now_s + 2 * 3600;
    }
    if (it->spent_until_s <= now_s) ++it->served;  // an answer it will give (checks aside)
    account = *it;
  }
  if (req["chatgpt-account-id"] != account.id) {
    return detail(401, "Missing or mismatched ChatGPT-Account-Id header.");
  }
  boost::system::error_code ec;
  json::value body = json::parse(req.body(), ec);
  const json::value* store = ec || !body.is_object() ? nullptr : Get(body, "store");
  if (store == nullptr || !store->is_bool() || store->get_bool()) {
    return detail(400, "Store must be set to false");
  }
  const int64_t now_s = static_cast<int64_t>(std::time(nullptr));
  auto window = [&](std::string_view name, double used, int minutes, int64_t reset_s) {
    const std::string p = "x-codex-" + std::string(name) + "-";
    quota_headers->emplace_back(p + "used-percent", std::to_string(used));
    quota_headers->emplace_back(p + "window-minutes", std::to_string(minutes));
    quota_headers->emplace_back(p + "reset-at", std::to_string(reset_s));
  };
  window("primary", account.primary_used, 300, now_s + 3600);
  window("secondary", account.secondary_used, 10080, now_s + 3 * 86400);
  // The same windows as the backend's stream event (Codex reads both).
  auto event_window = [](double used, int minutes, int64_t reset_s) {
    return json::object{{"used_percent", used}, {"window_minutes", minutes}, {"reset_at", reset_s}};
  };
  *rate_limits =
      "event: codex.rate_limits\ndata: " +
      json::serialize(json::object{
          {"type", "codex.rate_limits"},
          {"plan_type", "plus"},
          {"rate_limits",
           json::object{
               {"primary", event_window(account.primary_used, 300, now_s + 3600)},
               {"secondary", event_window(account.secondary_used, 10080, now_s + 3 * 86400)}}}}) +
      "\n\n";
  if (!chatgpt_quota_headers) quota_headers->clear();
  if (account.spent_until_s > now_s) {
    ScriptedResponse r = ErrorResponse(
        429, json::serialize(json::object{
                 {"error", json::object{{"type", "usage_limit_reached"},
                                        {"message", "The usage limit has been reached"},
                                        {"plan_type", "plus"},
                                        {"resets_at", account.spent_until_s},
                                        {"resets_in_seconds", account.spent_until_s - now_s}}}}));
    r.headers = *quota_headers;
    return r;
  }
  return std::nullopt;
}

ScriptedResponse FakeUpstream::Impl::OAuthToken(const http::request<http::string_body>& req) {
  // The fields, from JSON (as Codex sends them) or a form.
  std::map<std::string, std::string> f;
  boost::system::error_code ec;
  json::value v = json::parse(req.body(), ec);
  if (!ec && v.is_object()) {
    for (const auto& [k, val] : v.get_object()) {
      if (val.is_string()) f[std::string(k)] = std::string(val.get_string());
    }
  } else {
    std::stringstream form(req.body());
    std::string pair;
    while (std::getline(form, pair, '&')) {
      const size_t eq = pair.find('=');
      if (eq == std::string::npos) continue;
      auto value = FormDecodeForTest(pair.substr(eq + 1));
      if (!value) return ErrorResponse(400, R"({"error":"invalid_request"})");
      f[pair.substr(0, eq)] = *value;
    }
  }
  auto error = [](int status, std::string_view code, std::string_view message) {
    return ErrorResponse(
        status, json::serialize(
                    json::object{{"error", json::object{{"code", code}, {"message", message}}}}));
  };
  if (f["grant_type"] == "authorization_code") {
    // A finished sign-in: the backend takes the new tokens from now on (the old ones stop).
    return chatgpt_auth.ExchangeCode(f, [this](const FakeChatGptAuth::Issued& issued) {
      std::lock_guard lock(mu);
      auto it = std::find_if(chatgpt_accounts.begin(), chatgpt_accounts.end(),
                             [&](const ChatGptAccount& a) { return a.id == issued.account_id; });
      if (it == chatgpt_accounts.end()) {
        chatgpt_accounts.emplace_back();
        it = std::prev(chatgpt_accounts.end());
        it->id = issued.account_id;
      }
      it->token = issued.access_token;
      it->refresh = issued.refresh_token;
    });
  }
  if (f["grant_type"] != "refresh_token") {
    return error(400, "unsupported_grant_type", "Unsupported grant type.");
  }
  if (f["client_id"] != "app_EMoamEEZ73f0CkXaXp7hrann") {
    return error(401, "invalid_client", "Unknown client.");
  }
  std::lock_guard lock(mu);
  const std::string& given = f["refresh_token"];
  if (spent_refresh_tokens.count(given)) {
    return error(401, "refresh_token_reused",
                 "Your refresh token has already been used to generate a new access token. "
                 "Please try signing in again.");
  }
  auto it = std::find_if(
      chatgpt_accounts.begin(), chatgpt_accounts.end(),
      [&](const ChatGptAccount& a) { return !a.refresh.empty() && a.refresh == given; });
  if (given.empty() || it == chatgpt_accounts.end()) {
    return error(401, "refresh_token_invalidated", "Your refresh token was revoked.");
  }
  spent_refresh_tokens.insert(given);
  ++it->refreshes;
  ++chatgpt_refreshes;
  it->token = "tok-" + it->id + "-" + std::to_string(it->refreshes);
  it->refresh = "rt-" + it->id + "-" + std::to_string(it->refreshes);
  return BodyResponse(json::serialize(json::object{{"id_token", ""},
                                                   {"access_token", it->token},
                                                   {"refresh_token", it->refresh},
                                                   {"expires_in", 864000}}));
}

// The official usage endpoint: the account's windows as the backend keeps them.
ScriptedResponse FakeUpstream::Impl::ChatGptUsage(const http::request<http::string_body>& req) {
  std::string_view auth = req[http::field::authorization];
  constexpr std::string_view kBearer = "Bearer ";
  const std::string token(auth.substr(0, kBearer.size()) == kBearer ? auth.substr(kBearer.size())
                                                                    : "");
  std::lock_guard lock(mu);
  ++usage_requests;
  auto it =
      std::find_if(chatgpt_accounts.begin(), chatgpt_accounts.end(),
                   [&](const ChatGptAccount& a) { return !token.empty() && a.token == token; });
  if (it == chatgpt_accounts.end() || req["chatgpt-account-id"] != it->id) {
    return ErrorResponse(401, json::serialize(json::object{{"detail", "Unauthorized"}}));
  }
  const int64_t now_s = static_cast<int64_t>(std::time(nullptr));
  auto window = [](double used, int64_t seconds, int64_t reset_after) {
    return json::object{{"used_percent", used},
                        {"limit_window_seconds", seconds},
                        {"reset_after_seconds", reset_after}};
  };
  const bool spent = it->spent_until_s > now_s;
  return BodyResponse(json::serialize(json::object{
      {"plan_type", "plus"},
      {"rate_limit",
       json::object{{"allowed", !spent},
                    {"limit_reached", spent},
                    {"primary_window", window(it->primary_used, 18000, 3600)},
                    {"secondary_window", window(it->secondary_used, 604800, 3 * 86400)}}},
      {"credits", json::object{{"has_credits", false}, {"unlimited", false}, {"balance", "0"}}}}));
}

int FakeUpstream::ChatGptUsageRequests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->usage_requests;
}

void FakeUpstream::SetChatGptSignIn(const std::string& account_id, const std::string& email,
                                    const std::string& plan) {
  impl_->chatgpt_auth.SetSignIn(account_id, email, plan);
}
void FakeUpstream::SetChatGptQuotaHeaders(bool send) {
  std::lock_guard lock(impl_->mu);
  impl_->chatgpt_quota_headers = send;
}
void FakeUpstream::SetChatGptDeviceApproveAfter(int polls) {
  impl_->chatgpt_auth.SetDeviceApproveAfter(polls);
}
void FakeUpstream::SetChatGptRedirectPorts(std::vector<int> ports) {
  impl_->chatgpt_auth.SetRedirectPorts(std::move(ports));
}
int FakeUpstream::ChatGptSignIns() const { return impl_->chatgpt_auth.SignIns(); }

void FakeUpstream::AddChatGptAccount(const std::string& account_id, const std::string& access_token,
                                     const std::string& refresh_token) {
  std::lock_guard lock(impl_->mu);
  Impl::ChatGptAccount a;
  a.id = account_id;
  a.token = access_token;
  a.refresh = refresh_token;
  impl_->chatgpt_accounts.push_back(std::move(a));
}

int FakeUpstream::ChatGptRefreshes() const {
  std::lock_guard lock(impl_->mu);
  return impl_->chatgpt_refreshes;
}

void FakeUpstream::SetChatGptUsage(const std::string& account_id, double primary_used,
                                   double secondary_used, int64_t spent_until_s) {
  std::lock_guard lock(impl_->mu);
  for (auto& a : impl_->chatgpt_accounts) {
    if (a.id != account_id) continue;
    a.primary_used = primary_used;
    a.secondary_used = secondary_used;
    a.spent_until_s = spent_until_s;
  }
}

void FakeUpstream::SetChatGptSpendFirstAfter(int answers) {
  std::lock_guard lock(impl_->mu);
  impl_->chatgpt_spend_after = answers;
}

void FakeUpstream::SetRejectImages(bool reject) {
  std::lock_guard lock(impl_->mu);
  impl_->reject_images = reject;
}

void FakeUpstream::SetTokensPerKb(int64_t tokens) {
  std::lock_guard lock(impl_->mu);
  impl_->tokens_per_kb = tokens;
}

void FakeUpstream::SetContextLimit(int max_messages) {
  std::lock_guard lock(impl_->mu);
  impl_->context_limit = max_messages;
}

void FakeUpstream::SetCutTextStreams(int after_chunks) {
  std::lock_guard lock(impl_->mu);
  impl_->cut_text_after = after_chunks;
}

void FakeUpstream::SetStreamShape(int deltas, std::chrono::milliseconds interval) {
  std::lock_guard lock(impl_->mu);
  impl_->stream_deltas = std::max(deltas, 1);
  impl_->stream_interval = interval;
}

std::string RawResponse(int status, const std::string& reason,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

std::string Gzip(const std::string& text) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace agentgate::fakes
