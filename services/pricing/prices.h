// Model prices and the cost of a request. Pure: no I/O, no clock.
//
// A built-in table (builtin_prices.cc: current models of DeepSeek, OpenAI, Anthropic, Google,
// Kimi, GLM, MiniMax, Qwen, Mistral and xAI, each with the date its price was read and where)
// plus the user's overrides and custom models, which win. Prices are USD per million tokens.
// A model that is not in the table has no price: its cost is unknown, never guessed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentgate::pricing {

// The prices of one band of requests, USD per 1M tokens. A negative cache price: the provider
// does not bill that kind separately (cache reads then cost `input`, cache writes `input`).
struct Rates {
  double input = 0;         // uncached input tokens
  double output = 0;        // output tokens, reasoning included
  double cache_read = -1;   // input tokens read from the provider's cache
  double cache_write = -1;  // input tokens written to it (Anthropic's 5-minute writes)
};

struct ModelPrice {
  std::string model;   // the id as the provider's API names it, lower case
  std::string vendor;  // deepseek, openai, anthropic, google, kimi, glm, minimax, qwen,
                       // mistral, xai; "custom" for the user's own
  Rates rates;
  // Some models cost more when the prompt (input including cache reads and writes) is over a
  // threshold: then `long_rates` apply to the whole request. 0: one band only.
  int64_t long_above_tokens = 0;
  Rates long_rates;
  std::string taken;                 // the date the price was read, YYYY-MM-DD
  std::string source;                // where (a URL), or "user" for an override
  std::vector<std::string> aliases;  // other ids the same model goes by
};

// The built-in table, in vendor order.
const std::vector<ModelPrice>& BuiltinPrices();

// Token counts of one request, as the edge records them (OpenAI convention: `input` includes
// cache reads and cache writes).
struct Usage {
  int64_t input = 0;
  int64_t output = 0;
  int64_t cache_read = 0;
  int64_t cache_write = 0;
};

// The built-in table with overrides on top (an override replaces the entry of the same model,
// or adds a custom one).
class PriceTable {
 public:
  PriceTable();  // the built-in table alone
  explicit PriceTable(const std::vector<ModelPrice>& overrides);

  // The price of a model id as a request or a provider names it. Matching, in order: the id
  // (lower-cased, without a "models/" prefix or a "vendor/" routing prefix such as OpenRouter's
  // "anthropic/") equal to an entry's model or alias; then the id minus a date or version
  // suffix ("-20250929", "-2025-04-14", "-0905", "-latest", "@20250929"). Nothing else: a
  // model that merely starts like a known one is unknown.
  const ModelPrice* Find(std::string_view model) const;

  const std::vector<ModelPrice>& entries() const { return entries_; }

 private:
  std::vector<ModelPrice> entries_;
};

// The cost in USD of `u` at `p`'s prices.
double Cost(const ModelPrice& p, const Usage& u);

// The cost of a request by the model the provider was sent (or, when that is empty, the one
// the client asked for); nullopt when neither has a price.
std::optional<double> RequestCost(const PriceTable& table, std::string_view model_sent,
                                  std::string_view model_requested, const Usage& u);

}  // namespace agentgate::pricing
