// Notices a client that closes its connection while the gateway waits on a provider, so the
// provider's work is cancelled at once rather than at the next write to the client (which, for a
// non-streaming answer or a long think, may be minutes later).
//
// It waits for the client's socket to become readable without reading from it. Readable with
// end-of-file (or an error) means the client left: `on_gone` runs once, on the socket's
// executor. Readable with data means the client sent its next request early (pipelining): the
// bytes stay for the server to read and the watch stops. nginx decides the same way
// (recv(MSG_PEEK) on the client when the upstream is slow).
//
// Thread-safety: none; construct, use and destroy on the thread that runs the socket's
// executor. The watch must be destroyed before the socket. REQUIRES: no other wait or read is
// pending on the socket while the watch lives.
#pragma once

#include <functional>
#include <memory>

#include "services/net/asio.h"

namespace agentgate::net {

class ClientWatch {
 public:
  ClientWatch(tcp::socket& client, std::function<void()> on_gone);
  // Stops watching; `on_gone` is not called after this.
  ~ClientWatch();
  ClientWatch(const ClientWatch&) = delete;
  ClientWatch& operator=(const ClientWatch&) = delete;

  bool gone() const;

 private:
  struct State;
  void Arm();
  tcp::socket& client_;
  std::shared_ptr<State> state_;
};

}  // namespace agentgate::net
