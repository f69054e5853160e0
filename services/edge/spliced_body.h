// A Beast body for requests to providers, sent as the pieces of a json::Spliced without joining
// them: in pass-through, the client's bytes before and after the model value go out from the
// client's own buffer (no copy of a 45 KB agent request per attempt); a converted request is all
// `middle`.
#pragma once

#include <array>
#include <cstdint>
#include <utility>

#include "services/net/asio.h"
#include "services/protocol/json_scan.h"

namespace agentgate::edge {

namespace asio = net::asio;
namespace beast = net::beast;
namespace http = net::http;

struct SplicedBody {
  // head and tail must outlive the write (they view the client's request).
  using value_type = protocol::json::Spliced;

  static std::uint64_t size(const value_type& v) { return v.size(); }

  class writer {
   public:
    using const_buffers_type = std::array<asio::const_buffer, 3>;

    template <bool isRequest, class Fields>
    writer(const http::header<isRequest, Fields>&, const value_type& body) : body_(body) {}

    void init(beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(beast::error_code& ec) {
      ec = {};
      if (sent_) return boost::none;
      sent_ = true;
      return {{const_buffers_type{asio::buffer(body_.head.data(), body_.head.size()),
                                  asio::buffer(body_.middle),
                                  asio::buffer(body_.tail.data(), body_.tail.size())},
               false}};
    }

   private:
    const value_type& body_;
    bool sent_ = false;
  };
};

using UpstreamMessage = http::request<SplicedBody>;

}  // namespace agentgate::edge
