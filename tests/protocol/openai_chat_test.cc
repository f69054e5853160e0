#include "services/protocol/openai_chat.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>
#include <string>

namespace agentgate::protocol {
namespace {

using ::testing::HasSubstr;

std::string Msg(const absl::Status& st) {
  return std::string(st.message().data(), st.message().size());
}

boost::json::value MustParseJson(std::string_view s) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(s, ec);
  EXPECT_FALSE(ec) << s;
  return v;
}

// ---------------------------------------------------------------------------------------------
// ParseChatRequest

TEST(ParseChatRequestTest, Valid) {
  auto r = ParseChatRequest(
      R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"stream":true})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->model, "gpt-4o");
  EXPECT_TRUE(r->stream);
  const json::Member* messages = json::FindMember(r->members, "messages");
  ASSERT_NE(messages, nullptr);
  EXPECT_EQ(messages->kind, json::Kind::kArray);
}

TEST(ParseChatRequestTest, DefaultsWhenOptionalFieldsAbsent) {
  auto r = ParseChatRequest(R"({"messages":[]})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->model, "");
  EXPECT_FALSE(r->stream);
}

TEST(ParseChatRequestTest, StreamFalse) {
  auto r = ParseChatRequest(R"({"model":"m","messages":[],"stream":false})");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->stream);
}

TEST(ParseChatRequestTest, StreamNullIsAllowed) {
  auto r = ParseChatRequest(R"({"model":"m","messages":[],"stream":null})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->stream);
}

void ExpectInvalid(std::string_view body, std::string_view mentions) {
  auto r = ParseChatRequest(body);
  ASSERT_FALSE(r.ok()) << body;
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << body;
  EXPECT_THAT(Msg(r.status()), HasSubstr(std::string(mentions))) << body;
}

TEST(ParseChatRequestTest, NotJson) {
  ExpectInvalid("", "JSON");
  ExpectInvalid("not json", "JSON");
  ExpectInvalid(R"({"model":"m","messages":[])", "JSON");
  ExpectInvalid(R"({"model":"m","messages":[]} trailing)", "JSON");
}

TEST(ParseChatRequestTest, NotAnObject) {
  ExpectInvalid(R"([{"model":"m"}])", "object");
  ExpectInvalid(R"("string")", "object");
  ExpectInvalid("42", "object");
  ExpectInvalid("null", "object");
}

TEST(ParseChatRequestTest, ModelNotString) {
  ExpectInvalid(R"({"model":42,"messages":[]})", "model");
  ExpectInvalid(R"({"model":null,"messages":[]})", "model");
  ExpectInvalid(R"({"model":["a"],"messages":[]})", "model");
}

TEST(ParseChatRequestTest, MessagesMissingOrNotArray) {
  ExpectInvalid(R"({"model":"m"})", "messages");
  ExpectInvalid(R"({"model":"m","messages":{}})", "messages");
  ExpectInvalid(R"({"model":"m","messages":"hi"})", "messages");
  ExpectInvalid(R"({"model":"m","messages":null})", "messages");
}

TEST(ParseChatRequestTest, StreamNotBool) {
  ExpectInvalid(R"({"model":"m","messages":[],"stream":"true"})", "stream");
  ExpectInvalid(R"({"model":"m","messages":[],"stream":1})", "stream");
  ExpectInvalid(R"({"model":"m","messages":[],"stream":{}})", "stream");
}

// ---------------------------------------------------------------------------------------------
// SpliceModel

TEST(SpliceModelTest, ReplacesModelAndKeepsEverythingElse) {
  const std::string body = R"({
    "model": "gpt-4o",
    "messages": [{"role": "user", "content": "héllo 世界 \ud83d\ude00 \"q\""}],
    "temperature": 0.25,
    "max_tokens": 100,
    "tools": [{"type": "function", "function": {"name": "f", "parameters":
              {"type": "object", "properties": {"x": {"type": "integer"}}}}}],
    "stream_options": {"include_usage": true},
    "x_vendor_extension": {"nested": [1, 2, {"deep": null}], "flag": false},
    "stream": true
  })";
  auto r = ParseChatRequest(body);
  ASSERT_TRUE(r.ok()) << r.status();
  std::string out = SpliceModel(*r, "deepseek-chat").Join();

  boost::json::value got = MustParseJson(out);
  boost::json::value want = MustParseJson(body);
  want.as_object()["model"] = "deepseek-chat";
  EXPECT_EQ(got, want) << out;
  EXPECT_EQ(got.at("messages").at(0).at("content").as_string(),
            "h\xC3\xA9llo \xE4\xB8\x96\xE7\x95\x8C \xF0\x9F\x98\x80 \"q\"");
}

TEST(SpliceModelTest, OnlyTheModelChangesByteForByte) {
  const std::string body =
      "{ \"messages\" : [ {\"role\":\"user\",\"content\":\"{\\\"model\\\":1}\"} ],\n"
      "  \"model\"\t:\t\"gpt-4o\" , \"n\": 1.50 }";
  auto r = ParseChatRequest(body);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->model, "gpt-4o");
  std::string want = body;
  want.replace(want.find("\"gpt-4o\""), 8, "\"ds \\\"v3\\\"\"");
  EXPECT_EQ(SpliceModel(*r, "ds \"v3\"").Join(), want);
}

TEST(SpliceModelTest, EmptyUpstreamModelKeepsClientModel) {
  auto r = ParseChatRequest(R"({"model":"gpt-4o","messages":[]})");
  ASSERT_TRUE(r.ok());
  boost::json::value got = MustParseJson(SpliceModel(*r, "").Join());
  EXPECT_EQ(got.at("model").as_string(), "gpt-4o");
}

TEST(SpliceModelTest, AddsModelWhenAbsent) {
  auto r = ParseChatRequest(R"({"messages":[]})");
  ASSERT_TRUE(r.ok());
  boost::json::value got = MustParseJson(SpliceModel(*r, "deepseek-chat").Join());
  EXPECT_EQ(got.at("model").as_string(), "deepseek-chat");
  EXPECT_TRUE(got.at("messages").is_array());
}

TEST(SpliceModelTest, LargeIntegersSurvive) {
  auto r = ParseChatRequest(
      R"({"model":"m","messages":[],"seed":9007199254740993,"big":18446744073709551615})");
  ASSERT_TRUE(r.ok());
  std::string out = SpliceModel(*r, "n").Join();
  EXPECT_THAT(out, HasSubstr("9007199254740993"));
  EXPECT_THAT(out, HasSubstr("18446744073709551615"));
}

// ---------------------------------------------------------------------------------------------
// Usage

TEST(UsageTest, OpenAiDetails) {
  Usage u = UsageFromChatBody(R"({
    "id": "chatcmpl-1", "choices": [],
    "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150,
              "prompt_tokens_details": {"cached_tokens": 30},
              "completion_tokens_details": {"reasoning_tokens": 20}}})");
  EXPECT_TRUE(u.present);
  EXPECT_EQ(u.input, 100);
  EXPECT_EQ(u.output, 50);
  EXPECT_EQ(u.cached, 30);
  EXPECT_EQ(u.reasoning, 20);
}

TEST(UsageTest, DeepSeekCacheHitTokens) {
  Usage u = UsageFromChatBody(R"({"usage": {"prompt_tokens": 80, "completion_tokens": 5,
      "prompt_cache_hit_tokens": 64, "prompt_cache_miss_tokens": 16}})");
  EXPECT_TRUE(u.present);
  EXPECT_EQ(u.input, 80);
  EXPECT_EQ(u.output, 5);
  EXPECT_EQ(u.cached, 64);
  EXPECT_EQ(u.reasoning, 0);
}

TEST(UsageTest, MinimalUsage) {
  Usage u = UsageFromChatBody(R"({"usage": {"prompt_tokens": 3, "completion_tokens": 4}})");
  EXPECT_TRUE(u.present);
  EXPECT_EQ(u.input, 3);
  EXPECT_EQ(u.output, 4);
  EXPECT_EQ(u.cached, 0);
  EXPECT_EQ(u.reasoning, 0);
}

TEST(UsageTest, NullDetailsAreIgnored) {
  Usage u = UsageFromChatBody(R"({"usage": {"prompt_tokens": 3, "completion_tokens": 4,
      "prompt_tokens_details": null, "completion_tokens_details": null}})");
  EXPECT_TRUE(u.present);
  EXPECT_EQ(u.cached, 0);
  EXPECT_EQ(u.reasoning, 0);
}

TEST(UsageTest, WrongTypedNumbersCountAsZero) {
  Usage u = UsageFromChatBody(R"({"usage": {"prompt_tokens": "3", "completion_tokens": 4.0}})");
  EXPECT_TRUE(u.present);
  EXPECT_EQ(u.input, 0);
  EXPECT_EQ(u.output, 4);
}

TEST(UsageTest, AbsentOrNullUsage) {
  EXPECT_FALSE(UsageFromChatBody(R"({"id":"x"})").present);
  EXPECT_FALSE(UsageFromChatBody(R"({"usage":null})").present);
  EXPECT_FALSE(UsageFromChatBody(R"({"usage":[1,2]})").present);
}

TEST(UsageTest, NotJsonOrNotObject) {
  Usage u = UsageFromChatBody("not json {");
  EXPECT_FALSE(u.present);
  EXPECT_EQ(u.input, 0);
  EXPECT_FALSE(UsageFromChatBody("").present);
  EXPECT_FALSE(UsageFromChatBody("[1]").present);
}

TEST(UsageTest, FromObjectDirectly) {
  EXPECT_FALSE(UsageFromChatObject(boost::json::value(nullptr)).present);
  Usage u = UsageFromChatObject(MustParseJson(R"({"prompt_tokens":1,"completion_tokens":2})"));
  EXPECT_TRUE(u.present);
  EXPECT_EQ(u.input, 1);
  EXPECT_EQ(u.output, 2);
}

// ---------------------------------------------------------------------------------------------
// ChatStreamObserver

const std::string kChatStream =
    "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}],"
    "\"usage\":null}\n\n"
    ": keep-alive\n\n"
    "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"the word "
    "\\\"usage\\\": {\"}}],\"usage\": null}\n\n"
    "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
    "\"usage\":null}\n\n"
    "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,"
    "\"completion_tokens\":7,\"total_tokens\":19,\"prompt_tokens_details\":{\"cached_tokens\":4},"
    "\"completion_tokens_details\":{\"reasoning_tokens\":2}}}\n\n"
    "data: [DONE]\n\n";

void ExpectFullStreamSeen(const ChatStreamObserver& o) {
  EXPECT_TRUE(o.saw_done());
  EXPECT_EQ(o.events(), 5);
  EXPECT_TRUE(o.usage().present);
  EXPECT_EQ(o.usage().input, 12);
  EXPECT_EQ(o.usage().output, 7);
  EXPECT_EQ(o.usage().cached, 4);
  EXPECT_EQ(o.usage().reasoning, 2);
}

TEST(ChatStreamObserverTest, Whole) {
  ChatStreamObserver o;
  o.Feed(kChatStream);
  ExpectFullStreamSeen(o);
}

TEST(ChatStreamObserverTest, ByteByByte) {
  ChatStreamObserver o;
  for (char c : kChatStream) o.Feed(std::string_view(&c, 1));
  ExpectFullStreamSeen(o);
}

TEST(ChatStreamObserverTest, RandomSplitsWithCrLf) {
  std::string crlf;
  for (char c : kChatStream) {
    if (c == '\n') {
      crlf += "\r\n";
    } else {
      crlf.push_back(c);
    }
  }
  std::mt19937 rng(99);
  for (int round = 0; round < 100; ++round) {
    ChatStreamObserver o;
    size_t i = 0;
    while (i < crlf.size()) {
      size_t n = std::min<size_t>(rng() % 17, crlf.size() - i);
      o.Feed(std::string_view(crlf).substr(i, n));
      i += n;
    }
    ExpectFullStreamSeen(o);
    if (HasFailure()) break;
  }
}

TEST(ChatStreamObserverTest, NoUsageNoDone) {
  ChatStreamObserver o;
  o.Feed("data: {\"choices\":[],\"usage\":null}\n\ndata: {\"choices\":[]}\n\n");
  EXPECT_FALSE(o.saw_done());
  EXPECT_FALSE(o.usage().present);
  EXPECT_EQ(o.events(), 2);
}

TEST(ChatStreamObserverTest, UsageBeforeDoneWithoutTrailingBlankLine) {
  ChatStreamObserver o;
  o.Feed("data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\ndata: [DONE]\n");
  EXPECT_TRUE(o.usage().present);
  EXPECT_FALSE(o.saw_done()) << "[DONE] without its blank line is not a complete event";
  o.Feed("\n");
  EXPECT_TRUE(o.saw_done());
}

TEST(ChatStreamObserverTest, MalformedUsageChunkIsIgnored) {
  ChatStreamObserver o;
  o.Feed("data: {\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6}}\n\n");
  o.Feed("data: {\"usage\":{broken\n\n");
  EXPECT_TRUE(o.usage().present);
  EXPECT_EQ(o.usage().input, 5);
  EXPECT_EQ(o.usage().output, 6);
}

TEST(ChatStreamObserverTest, LaterUsageReplacesEarlier) {
  ChatStreamObserver o;
  o.Feed("data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\n");
  o.Feed("data: {\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":8}}\n\n");
  EXPECT_EQ(o.usage().input, 9);
  EXPECT_EQ(o.usage().output, 8);
}

}  // namespace
}  // namespace agentgate::protocol
