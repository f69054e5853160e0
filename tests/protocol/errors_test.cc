#include "services/protocol/errors.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

namespace agentgate::protocol {
namespace {

boost::json::object ParseError(const std::string& body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  EXPECT_FALSE(ec) << body;
  if (ec || !v.is_object()) return {};
  EXPECT_EQ(v.get_object().size(), 1u) << body;
  const auto* err = v.get_object().if_contains("error");
  EXPECT_NE(err, nullptr) << body;
  if (err == nullptr || !err->is_object()) return {};
  return err->get_object();
}

TEST(OpenAiErrorBodyTest, FieldsWithoutCode) {
  auto err = ParseError(OpenAiErrorBody("no such model", "invalid_request_error"));
  ASSERT_EQ(err.size(), 4u);
  EXPECT_EQ(err.at("message").as_string(), "no such model");
  EXPECT_EQ(err.at("type").as_string(), "invalid_request_error");
  EXPECT_TRUE(err.at("param").is_null());
  EXPECT_TRUE(err.at("code").is_null());
}

TEST(OpenAiErrorBodyTest, FieldsWithCode) {
  auto err = ParseError(OpenAiErrorBody("slow down", "rate_limit_error", "rate_limit_exceeded"));
  EXPECT_EQ(err.at("message").as_string(), "slow down");
  EXPECT_EQ(err.at("type").as_string(), "rate_limit_error");
  EXPECT_TRUE(err.at("param").is_null());
  ASSERT_TRUE(err.at("code").is_string());
  EXPECT_EQ(err.at("code").as_string(), "rate_limit_exceeded");
}

TEST(OpenAiErrorBodyTest, MessageIsEscapedProperly) {
  std::string msg = "quote \" backslash \\ newline \n tab \t unicode \xE4\xB8\xAD ctrl \x01";
  auto err = ParseError(OpenAiErrorBody(msg, "api_error"));
  EXPECT_EQ(err.at("message").as_string(), msg);
}

TEST(OpenAiErrorBodyTest, EmptyMessage) {
  auto err = ParseError(OpenAiErrorBody("", "api_error"));
  EXPECT_EQ(err.at("message").as_string(), "");
}

TEST(OpenAiErrorTypeForStatusTest, Mapping) {
  EXPECT_EQ(OpenAiErrorTypeForStatus(400), "invalid_request_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(401), "authentication_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(403), "permission_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(404), "not_found_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(405), "invalid_request_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(408), "timeout_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(413), "request_too_large");
  EXPECT_EQ(OpenAiErrorTypeForStatus(429), "rate_limit_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(500), "api_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(502), "upstream_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(503), "api_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(504), "upstream_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(599), "api_error");
}

TEST(OpenAiErrorTypeForStatusTest, OtherClientErrors) {
  EXPECT_EQ(OpenAiErrorTypeForStatus(409), "invalid_request_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(422), "invalid_request_error");
  EXPECT_EQ(OpenAiErrorTypeForStatus(499), "invalid_request_error");
}

}  // namespace
}  // namespace agentgate::protocol
