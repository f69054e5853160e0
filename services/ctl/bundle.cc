#include "services/ctl/bundle.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <regex>

namespace agentgate::ctl {
namespace {

constexpr size_t kBlock = 512;

// width-1 octal digits and a NUL (a value too large keeps its low digits).
void PutOctal(char* field, size_t width, uint64_t value) {
  for (size_t i = width - 1; i-- > 0;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
  field[width - 1] = '\0';
}

uint64_t ReadOctal(const char* field, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width && field[i] >= '0' && field[i] <= '7'; ++i) {
    v = v * 8 + static_cast<uint64_t>(field[i] - '0');
  }
  return v;
}

}  // namespace

void TarWriter::Add(std::string_view path, std::string_view content, int64_t mtime) {
  char h[kBlock];
  std::memset(h, 0, sizeof h);
  std::memcpy(h, path.data(), std::min<size_t>(path.size(), 100));
  PutOctal(h + 100, 8, 0600);
  PutOctal(h + 108, 8, 0);
  PutOctal(h + 116, 8, 0);
  PutOctal(h + 124, 12, content.size());
  PutOctal(h + 136, 12, static_cast<uint64_t>(std::max<int64_t>(0, mtime)));
  h[156] = '0';
  std::memcpy(h + 257, "ustar", 6);
  std::memcpy(h + 263, "00", 2);
  std::memcpy(h + 265, "agentgate", 9);
  std::memcpy(h + 297, "agentgate", 9);
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(h + 148, 8, "%06o", sum);
  h[155] = ' ';
  out_.append(h, kBlock);
  out_.append(content);
  out_.append((kBlock - content.size() % kBlock) % kBlock, '\0');
}

std::string TarWriter::Finish() {
  out_.append(2 * kBlock, '\0');
  return std::move(out_);
}

std::vector<std::pair<std::string, std::string>> ReadTar(std::string_view tar) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos + kBlock <= tar.size()) {
    const char* h = tar.data() + pos;
    if (h[0] == '\0') break;
    std::string name(h, strnlen(h, 100));
    uint64_t size = ReadOctal(h + 124, 12);
    pos += kBlock;
    if (pos + size > tar.size()) break;
    out.emplace_back(std::move(name), std::string(tar.substr(pos, size)));
    pos += (size + kBlock - 1) / kBlock * kBlock;
  }
  return out;
}

absl::StatusOr<std::string> Gzip(std::string_view data) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return absl::InternalError("gzip: cannot start");
  }
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return absl::InternalError("gzip: could not compress");
  return out;
}

absl::StatusOr<std::string> Gunzip(std::string_view gz) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return absl::InternalError("gunzip: cannot start");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char buf[64 * 1024];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return absl::InvalidArgumentError("not a gzip stream");
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return absl::InvalidArgumentError("truncated gzip stream");
  return out;
}

std::string Redact(std::string text, const std::vector<std::string>& secrets) {
  constexpr std::string_view kMark = "[redacted]";
  for (const auto& s : secrets) {
    if (s.size() < 4) continue;
    for (size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + kMark.size())) {
      text.replace(at, s.size(), kMark);
    }
  }
  static const std::regex* kPatterns = new std::regex(
      R"((sk-(ant-)?[A-Za-z0-9_\-]{8,})|(AIza[0-9A-Za-z_\-]{20,})|(xai-[A-Za-z0-9]{16,})|)"
      R"(([Bb]earer\s+[A-Za-z0-9._~+/=\-]{8,})|(\b[A-Fa-f0-9]{40,}\b)|)"
      R"((\b[A-Za-z0-9+/_\-]{48,}={0,2}))");
  return std::regex_replace(text, *kPatterns, std::string(kMark));
}

}  // namespace agentgate::ctl
