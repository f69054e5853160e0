#include "services/clientconf/env_edit.h"

#include <gtest/gtest.h>

namespace agentgate::clientconf {
namespace {

TEST(EnvEdit, ReadsValues) {
  EnvDoc doc(
      "# my env\n"
      "GEMINI_API_KEY=AIza123\n"
      "export GOOGLE_CLOUD_PROJECT=\"my project\" # note\n"
      "SPACED = 'single'\n"
      "MULTI=\"line one\nline two\"\n"
      "HASH=abc#comment\n");
  EXPECT_EQ(doc.Get("GEMINI_API_KEY"), "AIza123");
  EXPECT_EQ(doc.Get("GOOGLE_CLOUD_PROJECT"), "my project");
  EXPECT_EQ(doc.GetRaw("GOOGLE_CLOUD_PROJECT"), "\"my project\"");
  EXPECT_EQ(doc.Get("SPACED"), "single");
  EXPECT_EQ(doc.Get("MULTI"), "line one\nline two");
  EXPECT_EQ(doc.Get("HASH"), "abc");
  EXPECT_FALSE(doc.Get("NOPE"));
}

TEST(EnvEdit, SetReplacesTheLineInPlace) {
  EnvDoc doc("A=1\nexport GEMINI_API_KEY=old # mine\nB=2\n");
  doc.Set("GEMINI_API_KEY", "new");
  EXPECT_EQ(doc.text(), "A=1\nexport GEMINI_API_KEY=new # mine\nB=2\n");
}

TEST(EnvEdit, SetAppends) {
  EnvDoc doc("A=1");  // no final newline
  doc.Set("GOOGLE_GEMINI_BASE_URL", "http://127.0.0.1:9090");
  EXPECT_EQ(doc.text(), "A=1\nGOOGLE_GEMINI_BASE_URL=http://127.0.0.1:9090\n");
  EnvDoc crlf("A=1\r\n");
  crlf.Set("B", "two words");
  EXPECT_EQ(crlf.text(), "A=1\r\nB=\"two words\"\r\n");
  EnvDoc empty("");
  empty.Set("K", "v");
  EXPECT_EQ(empty.text(), "K=v\n");
}

TEST(EnvEdit, DuplicatesSetTheLastLine) {
  EnvDoc doc("K=1\nX=0\nK=2\n");
  EXPECT_EQ(doc.Get("K"), "2");
  doc.Set("K", "3");
  EXPECT_EQ(doc.text(), "K=1\nX=0\nK=3\n");
  EXPECT_EQ(doc.Get("K"), "3");
  doc.Remove("K");
  EXPECT_EQ(doc.text(), "X=0\n");
}

TEST(EnvEdit, Remove) {
  EnvDoc doc("A=1\nK=\"multi\nline\"\nB=2\nLAST=x");
  doc.Remove("K");
  EXPECT_EQ(doc.text(), "A=1\nB=2\nLAST=x");
  doc.Remove("LAST");
  EXPECT_EQ(doc.text(), "A=1\nB=2");
  doc.Remove("NOPE");
  EXPECT_EQ(doc.text(), "A=1\nB=2");
}

TEST(EnvEdit, Quote) {
  EXPECT_EQ(EnvDoc::Quote("ag_local_AbC-123"), "ag_local_AbC-123");
  EXPECT_EQ(EnvDoc::Quote("http://127.0.0.1:9090"), "http://127.0.0.1:9090");
  EXPECT_EQ(EnvDoc::Quote("a b"), "\"a b\"");
  EXPECT_EQ(EnvDoc::Quote("a#b"), "\"a#b\"");
  EXPECT_EQ(EnvDoc::Quote(""), "\"\"");
}

}  // namespace
}  // namespace agentgate::clientconf
