// A scriptable fake upstream LLM provider (OpenAI Chat Completions) for integration tests and
// benchmarks. It serves HTTP/1.1 (keep-alive, chunked request bodies) on its own threads.
//
// Every request is recorded (Received()) before any response byte is written. Each request
// takes the next scripted response queued with Enqueue(); when the queue is empty the default
// behaviour applies:
//   POST .../chat/completions  -> "pong from <model>", as JSON or (with "stream": true) as SSE
//   GET  .../models            -> a one-model list
//   anything else              -> 404 with an OpenAI error JSON; invalid JSON body -> 400.
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

}  // namespace agentgate::fakes
