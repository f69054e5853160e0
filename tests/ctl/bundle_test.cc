#include "services/ctl/bundle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "tests/common/temp_dir.h"

namespace agentgate::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(TarWriterTest, RoundTripsAndSystemTarReadsIt) {
  TarWriter tar;
  std::string big(1500, 'x');
  tar.Add("bundle/a.txt", "hello\n", 1'700'000'000);
  tar.Add("bundle/empty", "", 1'700'000'000);
  tar.Add("bundle/logs/big.log", big, 1'700'000'000);
  std::string bytes = tar.Finish();
  EXPECT_EQ(bytes.size() % 512, 0u);
  EXPECT_THAT(ReadTar(bytes), ElementsAre(Pair("bundle/a.txt", "hello\n"), Pair("bundle/empty", ""),
                                          Pair("bundle/logs/big.log", big)));
  auto gz = Gzip(bytes);
  ASSERT_TRUE(gz.ok());
  EXPECT_LT(gz->size(), bytes.size());
  auto back = Gunzip(*gz);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, bytes);
  EXPECT_FALSE(Gunzip("not gzip").ok());
  EXPECT_FALSE(Gunzip(gz->substr(0, gz->size() / 2)).ok());

  // The stock tar reads it (checksums, ustar magic).
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.File("b.tar.gz");
  std::ofstream(path, std::ios::binary) << *gz;
  std::string cmd = "tar -tzvf " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string listing;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, p)) listing.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << listing;
  EXPECT_NE(listing.find("bundle/logs/big.log"), std::string::npos) << listing;
  EXPECT_NE(listing.find("-rw-------"), std::string::npos) << listing;
}

TEST(RedactTest, SecretsAndKeyShapedTextGo) {
  std::vector<std::string> secrets = {"agt_local-token-value", "abc"};
  std::string text =
      "token agt_local-token-value twice agt_local-token-value; short abc stays\n"
      "openai sk-proj-AbCdEf0123456789 anthropic sk-ant-api03-xyzXYZ012345\n"
      "google AIzaSyA1234567890abcdefghijklmn xai xai-0123456789abcdefghij\n"
      "Authorization: Bearer eyJhbGciOi.JIUzI1NiJ9\n"
      "sha 0123456789abcdef0123456789abcdef01234567 base64 "
      "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU2Nzg5YWJjZGVm==\n"
      "keeps: provider deepseek model deepseek-chat status 429 req_01HZX5";
  std::string out = Redact(text, secrets);
  for (const char* gone :
       {"agt_local-token-value", "sk-proj-AbCdEf0123456789", "sk-ant-api03-xyzXYZ012345",
        "AIzaSyA1234567890abcdefghijklmn", "xai-0123456789abcdefghij", "eyJhbGciOi",
        "0123456789abcdef0123456789abcdef01234567", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVow"}) {
    EXPECT_EQ(out.find(gone), std::string::npos) << gone << "\n" << out;
  }
  EXPECT_NE(out.find("short abc stays"), std::string::npos) << "secrets under 4 bytes stay";
  EXPECT_NE(out.find("keeps: provider deepseek model deepseek-chat status 429 req_01HZX5"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("[redacted]"), std::string::npos);
}

}  // namespace
}  // namespace agentgate::ctl
