// Short names for the Asio/Beast types used across the networking code.
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace agentgate::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

// co_await op(..., kUse) yields a tuple starting with the error code; nothing throws.
inline constexpr auto kUse = asio::as_tuple(asio::use_awaitable);

// Read buffers are reserved this large: Beast reads into what a flat_buffer has room for, and an
// empty one has room for 512 bytes.
inline constexpr size_t kReadChunk = 16 * 1024;

}  // namespace agentgate::net
