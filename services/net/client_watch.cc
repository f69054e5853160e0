#include "services/net/client_watch.h"

#include <sys/socket.h>

#include <cerrno>

namespace agentgate::net {

struct ClientWatch::State {
  bool gone = false;
  bool stopped = false;
  std::function<void()> on_gone;
};

ClientWatch::ClientWatch(tcp::socket& client, std::function<void()> on_gone)
    : client_(client), state_(std::make_shared<State>()) {
  state_->on_gone = std::move(on_gone);
  Arm();
}

ClientWatch::~ClientWatch() {
  state_->stopped = true;
  state_->on_gone = nullptr;
  // Ends the pending wait; its handler sees `stopped` (the state outlives the watch).
  error_code ignored;
  if (client_.is_open()) client_.cancel(ignored);
}

bool ClientWatch::gone() const { return state_->gone; }

void ClientWatch::Arm() {
  if (!client_.is_open()) return;
  client_.async_wait(tcp::socket::wait_read, [state = state_, this](error_code ec) {
    if (state->stopped) return;  // `this` may be gone: touch nothing but the state
    bool left = false;
    if (ec) {
      left = ec != asio::error::operation_aborted;
    } else {
      char c;
      ssize_t n = ::recv(client_.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n == 0) {
        left = true;  // end of file: the client closed its side
      } else if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
          Arm();  // a spurious wake-up
          return;
        }
        left = true;  // reset
      }
      // n > 0: the next request is already arriving; leave it for the server.
    }
    if (left) {
      state->gone = true;
      if (auto f = std::move(state->on_gone)) f();
    }
  });
}

}  // namespace agentgate::net
