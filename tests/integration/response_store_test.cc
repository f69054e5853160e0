// The Responses store through the real services: previous_response_id chains and GET/DELETE
// /v1/responses/{id} for a Responses client whose provider is reached by conversion.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/fakes/fake_upstream.h"
#include "tests/integration/harness.h"

namespace agentgate::testing {
namespace {

using fakes::FakeUpstream;

class ResponseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Start();
    stack_.AddProvider("local", upstream_.base_url(), "k", "m");
  }
  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = {}) {
    return HttpRequest(stack_.edge_port(), method, target, body,
                       {{"authorization", "Bearer " + stack_.token()}});
  }
  // The body the provider got that carries `text` (the router's own test of a new provider may
  // reach it too, at any moment).
  boost::json::value SentWith(const std::string& text) {
    for (const auto& r : upstream_.Received()) {
      if (r.body.find(text) != std::string::npos) return boost::json::parse(r.body);
    }
    ADD_FAILURE() << "no request with " << text;
    return boost::json::object{{"messages", boost::json::array{}}};
  }
  std::string Post(const std::string& body) {
    HttpResponse r = Call("POST", "/v1/responses", body);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    return std::string(boost::json::parse(r.body).at("id").as_string());
  }
  FakeUpstream upstream_;
  Stack stack_;
};

TEST_F(ResponseStoreTest, TurnsChainByPreviousResponseId) {
  const std::string first = Post(R"({"model":"m","input":"my name is Ada"})");
  ASSERT_FALSE(first.empty());
  upstream_.ClearReceived();
  const std::string second =
      Post(R"({"model":"m","previous_response_id":")" + first + R"(","input":"and then?"})");
  ASSERT_FALSE(second.empty());
  auto sent = SentWith("and then?");
  const auto& msgs = sent.at("messages").as_array();
  // The earlier turn, its answer, and the new input: what OpenAI would have put together.
  ASSERT_EQ(msgs.size(), 3u) << sent;
  EXPECT_EQ(msgs[0].at("content"), "my name is Ada");
  EXPECT_EQ(msgs[1].at("role"), "assistant");
  EXPECT_EQ(msgs[1].at("content"), "pong from m");
  EXPECT_EQ(msgs[2].at("content"), "and then?");

  // A third turn on the second: the whole chain.
  upstream_.ClearReceived();
  ASSERT_FALSE(
      Post(R"({"model":"m","previous_response_id":")" + second + R"(","input":"more"})").empty());
  EXPECT_EQ(SentWith("more").at("messages").as_array().size(), 5u);

  // Read back and deleted.
  HttpResponse got = Call("GET", "/v1/responses/" + first);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(boost::json::parse(got.body).at("id").as_string(), first);
  EXPECT_EQ(boost::json::parse(got.body).at("status"), "completed");
  HttpResponse del = Call("DELETE", "/v1/responses/" + first);
  ASSERT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(boost::json::parse(del.body).at("deleted"), true);
  EXPECT_EQ(Call("GET", "/v1/responses/" + first).status, 404);
}

TEST_F(ResponseStoreTest, UnknownOrUnstoredResponsesAreRefusedAsOpenAiRefusesThem) {
  HttpResponse r =
      Call("POST", "/v1/responses",
           R"({"model":"m","previous_response_id":"resp_nope","input":"chained turn"})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("Previous response with id 'resp_nope' not found."), std::string::npos)
      << r.body;
  for (const auto& got : upstream_.Received()) {
    EXPECT_EQ(got.body.find("chained turn"), std::string::npos) << "the provider was asked";
  }

  const std::string unstored = Post(R"({"model":"m","store":false,"input":"hi"})");
  EXPECT_EQ(Call("GET", "/v1/responses/" + unstored).status, 404);
  HttpResponse missing = Call("GET", "/v1/responses/resp_missing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("not found"), std::string::npos) << missing.body;
  // Another client's token reads nothing (and a wrong token is refused before that).
  EXPECT_EQ(HttpRequest(stack_.edge_port(), "GET", "/v1/responses/" + unstored, "",
                        {{"authorization", "Bearer wrong"}})
                .status,
            401);
}

TEST_F(ResponseStoreTest, AStreamedAnswerIsStoredToo) {
  HttpResponse r = Call("POST", "/v1/responses", R"({"model":"m","stream":true,"input":"hi"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const size_t at = r.body.find("\"id\":\"resp_");
  ASSERT_NE(at, std::string::npos) << r.body;
  const std::string id = r.body.substr(at + 6, r.body.find('"', at + 6) - (at + 6));
  HttpResponse got = Call("GET", "/v1/responses/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_NE(got.body.find("pong from m"), std::string::npos) << got.body;
}

}  // namespace
}  // namespace agentgate::testing
