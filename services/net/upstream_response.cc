#include "services/net/upstream_response.h"

#include <zlib.h>

#include <cctype>

namespace agentgate::net {

UpstreamStatus ClassifyStatus(int status) {
  if (status == 101) return UpstreamStatus::kSwitching;
  if (status >= 100 && status < 200) return UpstreamStatus::kInterim;
  if (status >= 200 && status <= 203) return UpstreamStatus::kAnswer;
  if (status >= 204 && status < 300) return UpstreamStatus::kEmpty;
  if (status >= 300 && status < 400) return UpstreamStatus::kRedirect;
  if (status >= 400 && status < 600) return UpstreamStatus::kError;
  return UpstreamStatus::kInvalid;
}

Coding ParseCoding(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  std::string lower;
  for (char c : v) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower.empty() || lower == "identity") return Coding::kIdentity;
  if (lower == "gzip" || lower == "x-gzip") return Coding::kGzip;
  if (lower == "deflate") return Coding::kDeflate;
  return Coding::kUnsupported;  // br, zstd, compress, or a list of codings
}

struct Inflater::State {
  z_stream z{};
  bool raw_retry = false;  // deflate: first tried with the zlib header
  Coding coding;
};

Inflater::Inflater(Coding coding) : state_(std::make_unique<State>()) {
  state_->coding = coding;
  // 15 + 16: gzip only; 15: zlib-wrapped deflate (what "deflate" means, RFC 9110 8.4.1.2).
  inflateInit2(&state_->z, coding == Coding::kGzip ? 15 + 16 : 15);
}

Inflater::~Inflater() { inflateEnd(&state_->z); }

absl::Status Inflater::Feed(std::string_view in, std::string* out, size_t limit) {
  z_stream& z = state_->z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  char buf[16 * 1024];
  while (!finished_) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    int rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_DATA_ERROR && state_->coding == Coding::kDeflate && !state_->raw_retry &&
        total_out_ == 0) {
      // Some servers send raw deflate under "deflate": start over without the zlib header.
      state_->raw_retry = true;
      inflateEnd(&z);
      z = z_stream{};
      inflateInit2(&z, -15);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      z.avail_in = static_cast<uInt>(in.size());
      continue;
    }
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      return absl::DataLossError("the compressed body is corrupt");
    }
    size_t n = sizeof buf - z.avail_out;
    if (total_out_ + n > limit) {
      return absl::ResourceExhaustedError("the body decompresses to more than " +
                                          std::to_string(limit) + " bytes");
    }
    out->append(buf, n);
    total_out_ += n;
    if (rc == Z_STREAM_END) finished_ = true;
    if (z.avail_out != 0) break;  // the input is used up: wait for more
  }
  return absl::OkStatus();
}

}  // namespace agentgate::net
