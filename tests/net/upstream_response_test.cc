#include "services/net/upstream_response.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace agentgate::net {
namespace {

std::string Compress(const std::string& text, int window_bits) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(ClassifyStatusTest, EveryClass) {
  EXPECT_EQ(ClassifyStatus(100), UpstreamStatus::kInterim);
  EXPECT_EQ(ClassifyStatus(103), UpstreamStatus::kInterim);
  EXPECT_EQ(ClassifyStatus(101), UpstreamStatus::kSwitching);
  for (int s : {200, 201, 202, 203}) EXPECT_EQ(ClassifyStatus(s), UpstreamStatus::kAnswer) << s;
  for (int s : {204, 205, 206, 299}) EXPECT_EQ(ClassifyStatus(s), UpstreamStatus::kEmpty) << s;
  for (int s : {300, 301, 302, 304, 307, 308}) {
    EXPECT_EQ(ClassifyStatus(s), UpstreamStatus::kRedirect) << s;
  }
  for (int s : {400, 429, 500, 599}) EXPECT_EQ(ClassifyStatus(s), UpstreamStatus::kError) << s;
  for (int s : {0, 99, 600, 999}) EXPECT_EQ(ClassifyStatus(s), UpstreamStatus::kInvalid) << s;
}

TEST(ParseCodingTest, KnownAndUnknown) {
  EXPECT_EQ(ParseCoding(""), Coding::kIdentity);
  EXPECT_EQ(ParseCoding(" Identity "), Coding::kIdentity);
  EXPECT_EQ(ParseCoding("gzip"), Coding::kGzip);
  EXPECT_EQ(ParseCoding("X-GZIP"), Coding::kGzip);
  EXPECT_EQ(ParseCoding("deflate"), Coding::kDeflate);
  EXPECT_EQ(ParseCoding("br"), Coding::kUnsupported);
  EXPECT_EQ(ParseCoding("zstd"), Coding::kUnsupported);
  EXPECT_EQ(ParseCoding("gzip, br"), Coding::kUnsupported);
}

TEST(InflaterTest, GzipInAnyPieces) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "data: {\"delta\":" + std::to_string(i) + "}\n\n";
  std::string gz = Compress(text, 15 + 16);
  for (size_t piece : {size_t{1}, size_t{7}, size_t{4096}, gz.size()}) {
    Inflater inf(Coding::kGzip);
    std::string out;
    for (size_t off = 0; off < gz.size(); off += piece) {
      ASSERT_TRUE(inf.Feed(std::string_view(gz).substr(off, piece), &out, SIZE_MAX).ok());
    }
    EXPECT_EQ(out, text) << piece;
    EXPECT_TRUE(inf.finished());
  }
}

TEST(InflaterTest, DeflateWithAndWithoutZlibHeader) {
  const std::string text = R"({"choices":[{"message":{"content":"pong"}}]})";
  for (int bits : {15, -15}) {
    Inflater inf(Coding::kDeflate);
    std::string out;
    ASSERT_TRUE(inf.Feed(Compress(text, bits), &out, SIZE_MAX).ok()) << bits;
    EXPECT_EQ(out, text) << bits;
  }
}

TEST(InflaterTest, CorruptAndBombsAreRefused) {
  Inflater corrupt(Coding::kGzip);
  std::string out;
  EXPECT_TRUE(absl::IsDataLoss(corrupt.Feed("this is not gzip at all", &out, SIZE_MAX)));
  // 10 MB of zeros compresses to ~10 KB: refused at the limit, not held.
  std::string gz = Compress(std::string(10 << 20, '\0'), 15 + 16);
  Inflater bomb(Coding::kGzip);
  std::string held;
  absl::Status st = bomb.Feed(gz, &held, 1 << 20);
  EXPECT_TRUE(absl::IsResourceExhausted(st)) << st;
  EXPECT_LE(held.size(), size_t{1} << 20);
}

}  // namespace
}  // namespace agentgate::net
