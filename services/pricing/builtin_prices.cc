// The built-in price table (see prices.h). USD per 1M tokens, read in November 2026 from the
// stored copies of the vendors' pages (no live fetch was possible).
//
// Conventions used throughout:
//  - `taken` is the date the source states (checked / updated / published). Where the official
//    page is undated, the comment says which dated event the date is (release or price change).
//  - A cache price of -1: not billed separately, or not published (said per entry).
//  - Anthropic cache_write is the 5-minute write price; 1-hour writes (2x input) are not
//    modelled by the struct.
//  - Promotions and off-peak discounts are NOT applied: the regular (full / list / peak) price is
//    used and the discount window is stated in a comment, so costs read as an upper bound until
//    the discount ends rather than as an understatement after it ends.
//  - "third-party" in a comment: the numbers were read from a non-vendor page that quotes the
//    vendor's price (no stored copy of the vendor's own page carried them).
#include "services/pricing/prices.h"

namespace agentgate::pricing {
namespace {

std::vector<ModelPrice> Make() {
  std::vector<ModelPrice> t;

  // --- DeepSeek (official: api-docs.deepseek.com/quick_start/pricing, undated page listing
  // DeepSeek-V4.1-Flash-1017 and DeepSeek-V4-Pro-0813) ---
  // Time-of-day pricing (since 2026-08-16): the PEAK price is used here. Off-peak is exactly half
  // of every rate. Peak = 01:00-04:00 and 06:00-10:00 UTC (09:00-12:00, 14:00-18:00 Beijing),
  // Monday-Friday except Chinese public holidays; all other hours, weekends and holidays are
  // off-peak. The struct cannot express this; a later change can halve the rates off-peak.
  // No separate cache-write price: writes are billed as cache-miss input (-1).
  // taken = 2026-10-17, the release of V4.1-Flash-1017 that the page names (page itself undated).
  // The legacy ids deepseek-v4-flash / deepseek-v4-flash-vision-exp are still accepted and billed
  // at the Flash price (page footnote). deepseek-chat / deepseek-reasoner were retired 2026-07-24.
  t.push_back(ModelPrice{"deepseek-flash",
                         "deepseek",
                         Rates{0.30, 1.20, 0.006, -1},
                         0,
                         Rates{},
                         "2026-10-17",
                         "https://api-docs.deepseek.com/quick_start/pricing",
                         {"deepseek-v4-flash", "deepseek-v4-flash-vision-exp"}});
  t.push_back(ModelPrice{"deepseek-v4-pro",
                         "deepseek",
                         Rates{1.32, 3.96, 0.044, -1},
                         0,
                         Rates{},
                         "2026-10-17",
                         "https://api-docs.deepseek.com/quick_start/pricing",
                         {}});

  // --- OpenAI (developers.openai.com/api/docs) ---
  // OpenAI rule (stated on the gpt-6.2-sol and gpt-6-luna model pages): for requests with more
  // than 272K input tokens, input and cache rates double and output costs 1.5x, for the whole
  // request. cache_write is the 30-minute cache write (1.25x input); 12-hour writes ($5/M on
  // gpt-6.2-sol) are not modelled.
  // gpt-6.2-astra: THIRD-PARTY. $8/$40 from LaoZhang (verified 2026-11-18, "same as OpenAI's
  // Standard rates") and apidog (OpenAI model page checked 2026-11-18); cached input "60% cheaper"
  // than GPT-6 Astra's $1.00 (LiteLLM #52347) = $0.40. The cache-write price was not found for
  // this model: -1 (writes then cost input). Long band: OpenAI's family rule, not confirmed on an
  // Astra page.
  t.push_back(ModelPrice{"gpt-6.2-astra",
                         "openai",
                         Rates{8.00, 40.00, 0.40, -1},
                         272000,
                         Rates{16.00, 60.00, 0.80, -1},
                         "2026-11-18",
                         "https://docs.laozhang.ai/en/announcements/gpt-6-2-2026-11",
                         {}});
  // gpt-6.2-sol: official model page (released 2026-11-17; page undated).
  t.push_back(ModelPrice{"gpt-6.2-sol",
                         "openai",
                         Rates{2.00, 10.00, 0.10, 2.50},
                         272000,
                         Rates{4.00, 15.00, 0.20, 5.00},
                         "2026-11-17",
                         "https://developers.openai.com/api/docs/models/gpt-6.2-sol",
                         {}});
  // gpt-6.1-sol (Codex's default in many agents): THIRD-PARTY. $2/$10, cached $0.10 (LaoZhang,
  // verified 2026-10-13, "match the Standard rates on OpenAI's pricing page"); cache write $2.50
  // (PromptFuel v1.0.22). Long band: OpenAI's family rule.
  t.push_back(ModelPrice{"gpt-6.1-sol",
                         "openai",
                         Rates{2.00, 10.00, 0.10, 2.50},
                         272000,
                         Rates{4.00, 15.00, 0.20, 5.00},
                         "2026-10-13",
                         "https://docs.laozhang.ai/en/announcements/gpt-6-1-sol-2026-10",
                         {}});
  // gpt-6-luna: official model page (released 2026-09-22; page undated; still listed at these
  // rates in a read of the pricing page dated 2026-11-05).
  t.push_back(ModelPrice{"gpt-6-luna",
                         "openai",
                         Rates{0.10, 0.50, 0.01, 0.125},
                         272000,
                         Rates{0.20, 0.75, 0.02, 0.25},
                         "2026-09-22",
                         "https://developers.openai.com/api/docs/models/gpt-6-luna",
                         {}});

  // --- Anthropic (official: platform.claude.com/docs/en/about-claude/pricing and the per-model
  // overview pages, which are undated) ---
  // cache_write = 5-minute write (1.25x input). 1-hour writes (2x input) are not modelled.
  // No long-context surcharge on these models except Haiku 5.5 (prompt over 100,000 tokens,
  // counting input + cache reads + cache writes, bills every token of the request at the
  // higher band, output included).
  // claude-fable-5-1: released 2026-09-01; cache hits $0.25 (0.025x input).
  t.push_back(ModelPrice{"claude-fable-5-1",
                         "anthropic",
                         Rates{10.00, 50.00, 0.25, 12.50},
                         0,
                         Rates{},
                         "2026-09-01",
                         "https://platform.claude.com/docs/en/about-claude/pricing",
                         {"claude-fable-5.1"}});
  // claude-opus-5-5: released 2026-09-22 (overview page: $4/$20, 5m write $5, cache read $0.20).
  t.push_back(ModelPrice{"claude-opus-5-5",
                         "anthropic",
                         Rates{4.00, 20.00, 0.20, 5.00},
                         0,
                         Rates{},
                         "2026-09-22",
                         "https://platform.claude.com/docs/en/models/opus-5-5/overview",
                         {"claude-opus-5.5"}});
  // claude-sonnet-5-5: $2/$10, 5m write $2.50 from the official overview (released 2026-09-28).
  // Cache read: the stored official copy still shows $0.20 (pre-change snapshot); Anthropic cut it
  // to $0.10 on 2026-10-07 per THIRD-PARTY trackers (claudit v1.9.2, re-checked against the live
  // pricing page 2026-10-24; PromptFuel v1.0.23). $0.10 is used.
  t.push_back(ModelPrice{"claude-sonnet-5-5",
                         "anthropic",
                         Rates{2.00, 10.00, 0.10, 2.50},
                         0,
                         Rates{},
                         "2026-10-24",
                         "https://platform.claude.com/docs/en/models/sonnet-5-5/overview",
                         {"claude-sonnet-5.5"}});
  // claude-haiku-5-5: released 2026-10-07; two bands split at 100,000 prompt tokens.
  t.push_back(ModelPrice{"claude-haiku-5-5",
                         "anthropic",
                         Rates{0.10, 0.50, 0.01, 0.125},
                         100000,
                         Rates{0.50, 2.50, 0.05, 0.625},
                         "2026-10-07",
                         "https://platform.claude.com/docs/en/models/haiku-5-5/overview",
                         {"claude-haiku-5.5"}});

  // --- Google Gemini (official: ai.google.dev/gemini-api/docs/pricing) ---
  // cache_write -1: Gemini bills cache creation as normal input; explicit-cache storage is billed
  // per token-hour, which is not a per-token write price and is not modelled. Implicit caching
  // has no storage fee.
  // gemini-4-argon / gemini-4-carbon: PROMOTION NOT APPLIED. Through 2026-11-30 Google bills the
  // introductory $2 in / $10 out / $0.10 cached; from 2026-12-01 the regular $4 / $20 / $0.20,
  // which is what is used here. No long-context tier. Argon in/out and both price steps: official
  // latest-model page; cached-input figures: THIRD-PARTY (LiteLLM #46238, TokenMeter v0.13.1).
  // Carbon (GA 2026-11-10, "same price as Argon"): THIRD-PARTY (LaoZhang, checked 2026-11-11;
  // LiteLLM #50970). Argon taken = 2026-10-13, the date those trackers recorded the price
  // (the official page is undated).
  t.push_back(ModelPrice{"gemini-4-argon",
                         "google",
                         Rates{4.00, 20.00, 0.20, -1},
                         0,
                         Rates{},
                         "2026-10-13",
                         "https://ai.google.dev/gemini-api/docs/generate-content/latest-model",
                         {}});
  t.push_back(ModelPrice{"gemini-4-carbon",
                         "google",
                         Rates{4.00, 20.00, 0.20, -1},
                         0,
                         Rates{},
                         "2026-11-11",
                         "https://docs.laozhang.ai/en/announcements/gemini-4-carbon-2026-11",
                         {}});
  // gemini-3.8-flash: PROMOTION NOT APPLIED. Through 2026-12-31 the page bills $0.75 / $3.75 /
  // $0.075 cached; the published regular rate from 2027-01-01 is $1.50 / $7.50 / $0.15 (used).
  // Pricing page read 2026-10-07 (api-evangelist transcript of the official page; cache figures
  // via models.dev citing the same page).
  t.push_back(ModelPrice{"gemini-3.8-flash",
                         "google",
                         Rates{1.50, 7.50, 0.15, -1},
                         0,
                         Rates{},
                         "2026-10-07",
                         "https://ai.google.dev/gemini-api/docs/pricing",
                         {}});
  // gemini-3.5-flash-lite: $0.30 / $2.50 from the official page (read 2026-10-07); cached $0.03
  // is THIRD-PARTY (APIYI, "same as official").
  t.push_back(ModelPrice{"gemini-3.5-flash-lite",
                         "google",
                         Rates{0.30, 2.50, 0.03, -1},
                         0,
                         Rates{},
                         "2026-10-07",
                         "https://ai.google.dev/gemini-api/docs/pricing",
                         {}});

  // --- Kimi / Moonshot (official page platform.kimi.ai/docs/pricing; no stored copy carried the
  // numbers, so all Kimi entries are THIRD-PARTY) ---
  // kimi-k3.1-pro / -highspeed (released 2026-10-23): APIYI ("configured rates match official
  // prices", tested 2026-10-25) and apidog (Moonshot pricing page read 2026-10-24).
  // cache_write = 5-minute write; 1-hour writes ($4 / $8) are not modelled.
  t.push_back(ModelPrice{"kimi-k3.1-pro",
                         "kimi",
                         Rates{2.00, 10.00, 0.20, 2.00},
                         0,
                         Rates{},
                         "2026-10-24",
                         "https://docs.apiyi.com/en/api-capabilities/kimi-k3-1/overview",
                         // Kimi Code's one model id (a subscription: the K3.1 Pro list price is
                         // what the same tokens would cost, kimi.com/code/docs; which model it
                         // tracks is not stated, THIRD-PARTY reports say the newest flagship).
                         {"kimi-for-coding"}});
  t.push_back(ModelPrice{"kimi-k3.1-pro-highspeed",
                         "kimi",
                         Rates{4.00, 20.00, 0.20, 4.00},
                         0,
                         Rates{},
                         "2026-10-24",
                         "https://docs.apiyi.com/en/api-capabilities/kimi-k3-1/overview",
                         {}});
  // kimi-k3 (2026-07-16): $3 miss / $0.30 hit / $15 out, quoted from
  // platform.kimi.ai/docs/pricing/chat-k3 in codeburn PR #709 (2026-07-18). No cache-write price
  // published (automatic caching): -1.
  t.push_back(ModelPrice{"kimi-k3",
                         "kimi",
                         Rates{3.00, 15.00, 0.30, -1},
                         0,
                         Rates{},
                         "2026-07-18",
                         "https://github.com/getagentseal/codeburn/pull/709",
                         {}});

  // --- GLM / Z.ai (official page docs.z.ai/guides/overview/pricing; the stored copy predates
  // GLM-5.3, so both entries are THIRD-PARTY) ---
  // Z.ai caching is implicit: no write price (-1); "cached input storage" is free.
  // glm-5.3: $1.40 / $4.40 as published by Z.AI for pay-per-use from 2026-08-19 (Codeep v2.20.0);
  // cache read $0.26 (OpenRouter, Z.ai provider).
  t.push_back(ModelPrice{"glm-5.3",
                         "glm",
                         Rates{1.40, 4.40, 0.26, -1},
                         0,
                         Rates{},
                         "2026-08-20",
                         "https://github.com/VladoIvankovic/Codeep/releases/tag/v2.20.0",
                         // Fireworks writes the version as 5p3 (same $1.40 / $4.40, docs.sim.ai/
                         // models/fireworks, THIRD-PARTY); Together serves zai-org/GLM-5.3.
                         {"glm-5p3"}});
  // glm-5.3-flash: list $0.15 / $0.50 (Codeep v2.25.0, 2026-08-28), cached $0.03 (APIYI list).
  // PROMOTION NOT APPLIED: a 50% launch promotion ($0.075 / $0.25 / $0.015, as OpenRouter shows)
  // ran at launch; its end date was not found.
  t.push_back(ModelPrice{"glm-5.3-flash",
                         "glm",
                         Rates{0.15, 0.50, 0.03, -1},
                         0,
                         Rates{},
                         "2026-08-28",
                         "https://github.com/VladoIvankovic/Codeep/releases/tag/v2.25.0",
                         {}});

  // --- MiniMax (official page platform.minimax.io/docs/guides/pricing-paygo; numbers via
  // THIRD-PARTY pages) ---
  // The API ids are MiniMax-M3 / MiniMax-M3.1-Flash (the table is lower case).
  // minimax-m3: global Standard tier "active rates" on 2026-09-11 (MiniMax labels them a
  // permanent 50% discount, so they are the price): up to 512K (524,288) input tokens $0.30 /
  // $1.20 / $0.06 cached; above that $0.60 / $2.40 / $0.12. Cache-write price not published for
  // M3 (M2.7 had one): -1.
  t.push_back(ModelPrice{"minimax-m3",
                         "minimax",
                         Rates{0.30, 1.20, 0.06, -1},
                         524288,
                         Rates{0.60, 2.40, 0.12, -1},
                         "2026-09-11",
                         "https://dev.to/aiwave/minimax-m3-api-complete-integration-guide-1lba",
                         {}});
  // minimax-m3.1-flash: $0.15 / $0.60, cache reads $0.015 on the pay-per-use API (Codeep
  // v3.14.0, 2026-10-20). The retired MiniMax-M3.1-Flash-Preview name is served by this model.
  // No long band or cache-write price found: single band, -1.
  t.push_back(ModelPrice{"minimax-m3.1-flash",
                         "minimax",
                         Rates{0.15, 0.60, 0.015, -1},
                         0,
                         Rates{},
                         "2026-10-20",
                         "https://github.com/VladoIvankovic/Codeep/releases/tag/v3.14.0",
                         {"minimax-m3.1-flash-preview"}});

  // --- Qwen / Alibaba Cloud Model Studio, international (USD) pricing; THIRD-PARTY ---
  // Model Studio's general cache rules (official context-cache page): implicit cache hits 20% of
  // input, explicit cache hits 10% and explicit cache creation 125%. No per-model cache price for
  // the 3.8 models was found, so cache prices are -1 (cached tokens then cost input).
  // qwen3.8-max (released 2026-08-03): $2 / $6 flat across the 1M context (APIYI launch note and
  // apidog, citing Alibaba's announcement and Model Studio docs; Vercel lists the same for the
  // qwen3.8-max-0902 snapshot, which the date-suffix rule maps here).
  t.push_back(ModelPrice{"qwen3.8-max",
                         "qwen",
                         Rates{2.00, 6.00, -1, -1},
                         0,
                         Rates{},
                         "2026-08-03",
                         "https://docs.apiyi.com/en/news/qwen-3-8-max-launch",
                         {}});
  // qwen3.8-flash (released 2026-08-26): $0.15 / $0.47 international (Vercel AI Gateway,
  // provider alibaba; LiteLLM lists the same). No long band found.
  t.push_back(ModelPrice{"qwen3.8-flash",
                         "qwen",
                         Rates{0.15, 0.47, -1, -1},
                         0,
                         Rates{},
                         "2026-09-03",
                         "https://vercel.com/ai-gateway/models/qwen3.8-flash.md",
                         {}});

  // --- Mistral (official pages docs.mistral.ai/models/...; numbers via models.dev, which cites
  // them with access dates: THIRD-PARTY transcription) ---
  // mistral-large-4: list $1.36 / $4.18 / $0.14 cached (docs.mistral.ai/models/mistral-large-4-0,
  // accessed 2026-10-06). PROMOTION NOT APPLIED: a 50%-off public-preview price ($0.68 / $2.09 /
  // $0.07) was running, reported to end around 2026-10-20. No cache-write price: -1.
  t.push_back(ModelPrice{"mistral-large-4",
                         "mistral",
                         Rates{1.36, 4.18, 0.14, -1},
                         0,
                         Rates{},
                         "2026-10-06",
                         "https://docs.mistral.ai/models/mistral-large-4-0",
                         {"mistral-large-4-0"}});
  // devstral-2512 (Devstral 2, coding agent): $0.40 / $2.00 (docs.mistral.ai/models/
  // devstral-2-25-12, accessed 2026-08-27); mistral-code-agent-latest is documented as its alias.
  // No cache prices published: -1.
  t.push_back(ModelPrice{"devstral-2512",
                         "mistral",
                         Rates{0.40, 2.00, -1, -1},
                         0,
                         Rates{},
                         "2026-08-27",
                         "https://docs.mistral.ai/models/devstral-2-25-12",
                         {"mistral-code-agent-latest"}});

  // --- xAI / SpaceXAI (official: docs.x.ai/developers/models and /pricing) ---
  // Long band: requests with 200K prompt tokens or more pay the higher rates on all tokens
  // ("at or above", hence the threshold 199,999). Caching is automatic: no write price (-1).
  // grok-4.7 (released 2026-09-21): $2 / $6 from the official model page; cached $0.50 and the
  // 200K+ band $4 / $12 / $1.00 are THIRD-PARTY (apidog 2026-09-29, LiteLLM #42287, models.dev
  // citing docs.x.ai/developers/pricing).
  t.push_back(ModelPrice{"grok-4.7",
                         "xai",
                         Rates{2.00, 6.00, 0.50, -1},
                         199999,
                         Rates{4.00, 12.00, 1.00, -1},
                         "2026-09-29",
                         "https://docs.x.ai/developers/grok-4-7",
                         {}});
  // grok-build-0.1 (coding model): $1 / $2, cached $0.20; 200K+ prompts $2 / $4 on all tokens
  // (xAI models page as observed 2026-09-25, quoted by whatmodel.sh: THIRD-PARTY transcription).
  // The cached price above 200K is not published: -1 in the long band (cached tokens then cost
  // the long input rate).
  t.push_back(ModelPrice{"grok-build-0.1",
                         "xai",
                         Rates{1.00, 2.00, 0.20, -1},
                         199999,
                         Rates{2.00, 4.00, -1, -1},
                         "2026-09-25",
                         "https://docs.x.ai/developers/models",
                         {}});

  // --- Open-weight models as resold by inference hosts (the table is keyed by model: where two
  // hosts charge differently for one id, the entry is the preset's host and an override in
  // `agentgatectl price set` fits the other) ---
  // gpt-oss-120b on Groq (the Groq preset's default): $0.15 / $0.60, cached input at half price.
  // THIRD-PARTY: console.groq.com/docs/models as quoted in braintrust-proxy #925 / PR #576
  // (2026-05-19); Cerebras charges $0.35 / $0.75 for the same id
  // (inference-docs.cerebras.ai/models/openai-oss, 2026-08-27).
  t.push_back(ModelPrice{"gpt-oss-120b",
                         "openai",
                         Rates{0.15, 0.60, 0.075, -1},
                         0,
                         Rates{},
                         "2026-05-19",
                         "https://console.groq.com/docs/models",
                         {}});
  // --- Volcengine Ark (Doubao) ---
  // doubao-seed-2-1-pro: about $0.822 / $4.11 (the CNY list price of the first band, <= 32K
  // input, converted). THIRD-PARTY: the Tokuse catalog on dev.to (2026-11-16). The CNY list has
  // three bands (<= 32K ¥3.25 / ¥16.5, <= 128K ¥4.85 / ¥24.5, above ¥9.65 / ¥48.5, wcode.net);
  // the struct holds two, so the second band is used above 32K (an understatement above 128K).
  t.push_back(ModelPrice{"doubao-seed-2-1-pro",
                         "volcengine",
                         Rates{0.822, 4.11, -1, -1},
                         32768,
                         Rates{1.227, 6.20, -1, -1},
                         "2026-11-16",
                         "https://www.volcengine.com/docs/82379/1544106",
                         {}});

  return t;
}

}  // namespace

const std::vector<ModelPrice>& BuiltinPrices() {
  static const auto* kTable = new std::vector<ModelPrice>(Make());
  return *kTable;
}

}  // namespace agentgate::pricing
