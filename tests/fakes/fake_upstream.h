// A scriptable fake upstream LLM provider for integration tests and benchmarks. It speaks four
// provider protocols, chosen by the request path, and serves HTTP/1.1 (keep-alive, chunked
// request bodies) on its own threads.
//
// Every request is recorded (Received()) before any response byte is written. Each request
// takes the next scripted response queued with Enqueue(); when the queue is empty the default
// behaviour applies:
//   POST .../chat/completions                 OpenAI Chat Completions ("stream": true -> SSE)
//   POST .../v1/messages[?beta=true]          Anthropic Messages ("stream": true -> SSE)
//   POST .../v1/messages/count_tokens         -> {"input_tokens": 11}
//   POST .../responses                        OpenAI Responses ("stream": true -> SSE)
//   POST .../models/{model}:generateContent   Gemini; :streamGenerateContent (?alt=sse -> SSE,
//                                             else a JSON array); :countTokens -> {"totalTokens":
//                                             11}
//   GET  .../models                           -> the model list (SetModels; default: one model,
//                                             "fake-model"): Gemini's shape for .../v1beta/models
//                                             (pageSize/pageToken), Anthropic's when the request
//                                             has an anthropic-version header (limit/after_id),
//                                             else OpenAI's
//   GET  /health                              -> 200 {"status":"ok"} (an edge's health check)
//   anything else -> 404 with an OpenAI error JSON; invalid JSON body -> 400 (in the error shape
//   of the protocol the path selects).
//
// The generating endpoints play a scripted agent, identically for every protocol:
//   - the conversation ends with a tool result -> the text "The tool returned: <result text>";
//   - the newest user text contains "read the file <path>" and the request offers a file reader
//     (Read, read_file, read) or a shell (exec_command, shell, bash, Bash, run_shell_command)
//     -> one call of that tool with the path (readers) or "cat <path>" (shells);
//   - the newest user text contains "use the tool NAME" -> one call, without arguments, of the
//     offered tool whose name ends with NAME (an MCP server's tool, however the client prefixes
//     it), or the text "no tool named NAME was offered";
//   - otherwise -> the text "pong from <model>".
// A Chat request that asks to continue a cut answer (AgentGate's mid-stream failover: the
// partial answer, then a user turn saying it "was cut off") gets the rest of that answer.
// Usage is always prompt 11 (3 of them cached), completion 5, in each protocol's own terms
// (Anthropic: input_tokens 8 + cache_read_input_tokens 3, output_tokens 5).
// With SetRejectImages(true), a generating request carrying an image (Chat image_url, Messages
// image block, Responses input_image, Gemini inlineData/fileData) gets 400 "This model does not
// support image input" in its protocol's error shape instead.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace agentgate::fakes {

struct ScriptedResponse {
  int status = 200;
  // Extra headers, e.g. {"Retry-After", "3"}. A "Connection: close" header makes the server
  // close the connection after the response.
  std::vector<std::pair<std::string, std::string>> headers;
  // When stream_chunks is non-empty and this is left at "application/json", the response is
  // sent as "text/event-stream".
  std::string content_type = "application/json";
  std::string body;  // used when stream_chunks is empty
  // Non-empty: a chunked response; each element is written and flushed as its own HTTP chunk
  // (elements are complete SSE frames like "data: {...}\n\n"). Empty elements are skipped.
  std::vector<std::string> stream_chunks;
  std::chrono::milliseconds chunk_interval{0};        // sleep before each chunk after the first
  std::chrono::milliseconds delay_before_headers{0};  // sleep before sending anything
  // >= 0: after writing that many chunks, close the socket abruptly (no terminating chunk).
  // For a non-streamed body (stream_chunks empty), any value >= 0 sends the headers (with the
  // full Content-Length) and only the first half of the body, then closes.
  int cut_after_chunks = -1;
  bool close_without_response = false;  // read the request, then close with no bytes
  // A misbehaving provider: when non-empty, these bytes are the whole answer, written as they
  // are — interim 1xx responses before the real one, a body in a Content-Encoding, bytes past
  // the Content-Length, a redirect, anything a test needs to be exact about.
  std::string raw;
  size_t raw_piece = 0;                       // > 0: written this many bytes at a time
  size_t raw_first = 0;                       // > 0: the first piece is this long (a head)
  std::chrono::milliseconds raw_interval{0};  // pause between pieces (a trickle)
  bool raw_then_close = false;                // close the connection after the bytes
};

// The raw bytes of a complete HTTP/1.1 response with Content-Length (for ScriptedResponse::raw).
std::string RawResponse(int status, const std::string& reason,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& body);
// `text` compressed as gzip (Content-Encoding: gzip).
std::string Gzip(const std::string& text);

// A model the fake lists on GET .../models.
struct ListedModel {
  std::string id;
  bool generates = true;  // false: Gemini's list offers it for embedContent only
};

struct ReceivedRequest {
  std::string method, target;
  std::map<std::string, std::string> headers;  // names lower-cased; repeated fields joined ", "
  std::string body;
};

class FakeUpstream {
 public:
  // Binds 127.0.0.1 on an ephemeral port and serves on its own threads until destroyed.
  FakeUpstream();
  // Binds host:port (port 0 = ephemeral). Throws on failure to resolve/bind.
  FakeUpstream(std::string host, int port);
  ~FakeUpstream();  // stops cleanly, closing connections, even mid-stream

  FakeUpstream(const FakeUpstream&) = delete;
  FakeUpstream& operator=(const FakeUpstream&) = delete;

  int port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT"

  // FIFO: each following request (any path) takes the next one; when empty, the default
  // behaviour applies.
  void Enqueue(ScriptedResponse r);
  std::vector<ReceivedRequest> Received() const;  // copy of everything received, in order
  size_t ReceivedCount() const;
  void ClearReceived();
  // Default streaming shape: number of content deltas (>= 1) and pacing between chunks.
  void SetStreamShape(int deltas, std::chrono::milliseconds interval);
  // The scripted agent's plain answer (default: "pong from <model>").
  void SetPlainAnswer(std::string text);
  // >= 0: a provider that drops streams (Chat only): every streamed text answer is cut after
  // that many chunks, unless the request asks to continue a cut answer (-1: never).
  void SetCutTextStreams(int after_chunks);
  // > 0: a small context window (Chat only): a request with more non-system messages than this
  // gets OpenAI's 400 context_length_exceeded, unless its newest user text asks for a summary
  // (a client compacting the conversation). 0: no limit.
  void SetContextLimit(int max_messages);
  // > 0: the Chat answers report this many prompt tokens per KiB (rounded up) of the request's
  // non-system messages as JSON: a conversation that fills the model's context window as a client
  // reads it from the usage, and is small again once the client compacts it. 0: the usual 11.
  void SetTokensPerKb(int64_t tokens);
  // The models GET .../models lists, in this order. page_size > 0 splits the Anthropic and
  // Gemini lists into pages of at most that many (their clients follow has_more/last_id and
  // nextPageToken); the OpenAI list has no pages.
  void SetModels(std::vector<ListedModel> models, int page_size = 0);
  // When true, generating requests that carry an image are refused (see above).
  void SetRejectImages(bool reject);

  // The official ChatGPT backend (POST .../backend-api/codex/responses), as strict as it is:
  // the access token of an account added here (else 401), its ChatGPT-Account-Id (else 401),
  // "store": false (else 400 {"detail":"Store must be set to false"}); answers in Responses
  // with the account's quota in x-codex-* headers; a spent account gets 429
  // usage_limit_reached with resets_at.
  // With a refresh token, the account can be refreshed at POST /oauth/token (the auth server):
  // a JSON or form body with the Codex client id; each refresh rotates both tokens
  // ("tok-<id>-<n>", "rt-<id>-<n>"), the old access token stops working, and a refresh token
  // used twice gets 401 refresh_token_reused.
  void AddChatGptAccount(const std::string& account_id, const std::string& access_token,
                         const std::string& refresh_token = "");
  int ChatGptRefreshes() const;  // successful refreshes so far
  // GET .../backend-api/wham/usage answers an account's windows (its token and id, else 401).
  int ChatGptUsageRequests() const;
  // The account's windows, in percent used; resets_at_s > 0 makes it spent until then.
  void SetChatGptUsage(const std::string& account_id, double primary_used, double secondary_used,
                       int64_t spent_until_s = 0);
  // > 0: the first account's usage limit is reached (for two hours) once it has served
  // `answers`.
  void SetChatGptSpendFirstAfter(int answers);
  // A streamed answer opens with a codex.rate_limits event holding the same windows as the
  // x-codex-* headers; false: the headers are left out (the event alone tells the quota).
  void SetChatGptQuotaHeaders(bool send);
  // Signing in (tests/fakes/fake_chatgpt_auth.h): GET /oauth/authorize signs `account_id` in
  // at once and redirects back with a code; POST /oauth/token exchanges it (once, with its
  // redirect URI and PKCE verifier) for an id token naming the account, email and plan and new
  // tokens the backend takes from then on (the account is added when missing). Device code:
  // /api/accounts/deviceauth/usercode and /token, approved at the `polls`-th poll (default 2).
  void SetChatGptSignIn(const std::string& account_id, const std::string& email,
                        const std::string& plan);
  void SetChatGptDeviceApproveAfter(int polls);
  void SetChatGptRedirectPorts(std::vector<int> ports);  // default {1455, 1457}
  int ChatGptSignIns() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// A non-streamed chat.completion JSON with a single assistant message (finish_reason "stop").
std::string ChatCompletionJson(const std::string& model, const std::string& content,
                               int prompt_tokens, int completion_tokens, int cached_tokens);

// Complete SSE frames ("data: ...\n\n") of a streamed chat completion: a role chunk, one
// chunk per delta, a finish chunk, a usage chunk (if include_usage; usage 11/5/16, cached 3),
// and "data: [DONE]\n\n".
std::vector<std::string> ChatCompletionStream(const std::string& model,
                                              const std::vector<std::string>& deltas,
                                              bool include_usage);

// A completion whose answer is one tool call, and the same as a stream (arguments in two pieces).
std::string ChatToolCallJson(const std::string& model, const std::string& call_id,
                             const std::string& name, const std::string& arguments);
std::vector<std::string> ChatToolCallStream(const std::string& model, const std::string& call_id,
                                            const std::string& name, const std::string& arguments,
                                            bool include_usage);

// Anthropic Messages helpers (usage input 8 + cache read 3, output 5). A message with one text
// block (stop_reason "end_turn"), and the same as event-named SSE frames ("event: X\ndata:
// ...\n\n"): message_start, content_block_start, one text_delta per delta, content_block_stop,
// message_delta, message_stop.
std::string MessagesJson(const std::string& model, const std::string& text);
std::vector<std::string> MessagesStream(const std::string& model,
                                        const std::vector<std::string>& deltas);
// A message whose answer is one tool_use block (stop_reason "tool_use"); input_json is the tool
// input as a JSON object text. The stream sends it as two input_json_delta pieces.
std::string MessagesToolUseJson(const std::string& model, const std::string& id,
                                const std::string& name, const std::string& input_json);
std::vector<std::string> MessagesToolUseStream(const std::string& model, const std::string& id,
                                               const std::string& name,
                                               const std::string& input_json);

// OpenAI Responses helpers (usage 11/5/16, cached 3). A completed response with one message
// item, and the same as event-named SSE frames with rising sequence numbers: response.created,
// response.in_progress, output_item.added, content_part.added, one output_text.delta per delta,
// output_text.done, content_part.done, output_item.done, response.completed.
std::string ResponsesJson(const std::string& model, const std::string& text);
std::vector<std::string> ResponsesStream(const std::string& model,
                                         const std::vector<std::string>& deltas);
// A response whose output is one function_call item; arguments is a JSON text. The stream
// sends the arguments as two function_call_arguments.delta pieces.
std::string ResponsesFunctionCallJson(const std::string& model, const std::string& call_id,
                                      const std::string& name, const std::string& arguments);
std::vector<std::string> ResponsesFunctionCallStream(const std::string& model,
                                                     const std::string& call_id,
                                                     const std::string& name,
                                                     const std::string& arguments);

// Gemini helpers (usageMetadata 11/5/16, cached 3). A response with one text part (finishReason
// "STOP"), and the same as data-only SSE frames: one chunk per non-empty delta (at least one), the
// last one carrying the finishReason and the usage (never "[DONE]").
std::string GeminiJson(const std::string& model, const std::string& text);
std::vector<std::string> GeminiStream(const std::string& model,
                                      const std::vector<std::string>& deltas);
// A response whose answer is one functionCall part; args_json is a JSON object text. The stream
// is a single chunk carrying the whole call, the finishReason and the usage.
std::string GeminiFunctionCallJson(const std::string& model, const std::string& name,
                                   const std::string& args_json);
std::vector<std::string> GeminiFunctionCallStream(const std::string& model, const std::string& name,
                                                  const std::string& args_json);

}  // namespace agentgate::fakes
