#!/usr/bin/env bash
# Renders every page of agentgate-desktop in both themes and both languages, and every pet in
# every state, against a running stack with a fake upstream, on a virtual X display. Fails when
# a page does not load or QML prints any warning (agentgate-desktop --screenshots checks both).
#
#   tests/desktop/screenshots.sh BIN_DIR OUT_DIR            the test (ctest desktop.screenshots)
#   tests/desktop/screenshots.sh BIN_DIR --gallery          regenerate docs/screenshots (README)
#
# The stack gets two providers: `fake` (the fake upstream, priced) and `offline` (a closed
# port, first in the chat chain), so the pages show successes, a failover path and errors.
set -euo pipefail

bin_dir="$(cd "${1:?usage: screenshots.sh BIN_DIR OUT_DIR|--gallery}" && pwd)"
out="${2:?usage: screenshots.sh BIN_DIR OUT_DIR|--gallery}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scale=1
if [[ "$out" == --gallery ]]; then
  out="$root/docs/screenshots"
  scale=0.6
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"

work="$(mktemp -d /tmp/agentgate-shots.XXXXXX)"
home="$work/home"
fake_pid=""
cleanup() {
  "$bin_dir/agentgatectl" --home "$home" down >/dev/null 2>&1 || true
  [[ -n "$fake_pid" ]] && kill "$fake_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ctl=("$bin_dir/agentgatectl" --home "$home")
"$bin_dir/agentgate-fake-upstream" --port 0 --port-file "$work/fake.port" \
  --chatgpt-accounts acct-main=tok-main,acct-spare=tok-spare 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do [[ -s "$work/fake.port" ]] && break; sleep 0.05; done
AGENTGATE_AUTO_TEST=off "${ctl[@]}" up --detach --port 0 --admin-port 0 --probe-port 0 \
  --stats-port 0 >/dev/null
gateway="$(sed -n 's/.*"gateway_url":"\([^"]*\)".*/\1/p' "$home/run/stack.json")"
token="$("${ctl[@]}" token)"

"${ctl[@]}" provider add --name fake --type openai --base-url "http://127.0.0.1:$(cat "$work/fake.port")/v1" \
  --key sk-screenshot-0000000000001234 --model fake-model >/dev/null
"${ctl[@]}" provider add --name offline --type deepseek --base-url "http://127.0.0.1:9/v1" \
  --key sk-screenshot-0000000000005678 --model deepseek-chat >/dev/null
"${ctl[@]}" price set fake-model --input 15 --output 75 >/dev/null
"${ctl[@]}" route set chat --chain offline,fake >/dev/null
"${ctl[@]}" route add offline-only --client chat --chain offline >/dev/null
"${ctl[@]}" budget set 5 --mode notify >/dev/null
# Two official accounts on the fake's ChatGPT backend, so the Accounts page has a pool to show.
for id in main spare; do
  printf '{"auth_mode":"chatgpt","tokens":{"access_token":"tok-%s","refresh_token":"rt-%s","account_id":"acct-%s"}}' \
    "$id" "$id" "$id" >"$work/auth-$id.json"
  "${ctl[@]}" account import "$work/auth-$id.json" >/dev/null
done
"${ctl[@]}" provider update chatgpt \
  --base-url "http://127.0.0.1:$(cat "$work/fake.port")/backend-api/codex" >/dev/null
"${ctl[@]}" route set codex --chain chatgpt >/dev/null

request() {  # request [ROUTE]
  local route_header=()
  [[ -n "${1:-}" ]] && route_header=(-H "x-agentgate-route: $1")
  curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    "${route_header[@]}" -d '{"model":"fake-model","messages":[{"role":"user","content":"hi"}]}' \
    "$gateway/v1/chat/completions" || true
}
for _ in 1 2 3 4 5; do request; done
request offline-only
request offline-only
"${ctl[@]}" provider test fake >/dev/null || true
curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"model":"gpt-6-astra","input":"hi","stream":false,"store":false}' \
  "$gateway/v1/responses" || true

export AGENTGATE_HOME="$home"
export AGENTGATE_DESKTOP_CONFIG="$work/desktop.conf"
export XDG_CONFIG_HOME="$work/config"
# A home of its own: the Clients page reads the clients' config files under it, and the
# screenshots then show the same paths on every machine.
export HOME="$work/user"
mkdir -p "$HOME"
# MCP servers and a skill for the MCP & Skills page, written into this home's Codex and Claude
# Code folders (made here, so those two count as configured).
mkdir -p "$HOME/.codex" "$HOME/.claude" "$work/skill/pdf-tools"
printf -- '---\nname: pdf-tools\ndescription: Extract text and tables from PDF files.\n---\n# PDF tools\n' \
  >"$work/skill/pdf-tools/SKILL.md"
PATH=/usr/bin:/bin "${ctl[@]}" mcp add github --env GITHUB_TOKEN=ghp_screenshot \
  -- npx -y @modelcontextprotocol/server-github >/dev/null
PATH=/usr/bin:/bin "${ctl[@]}" mcp add docs --url https://mcp.example.com/mcp --clients claude,gemini \
  >/dev/null
PATH=/usr/bin:/bin "${ctl[@]}" skill add "$work/skill/pdf-tools" >/dev/null
export QT_QPA_PLATFORM=xcb
export XDG_RUNTIME_DIR="$work/runtime"
mkdir -m 0700 -p "$XDG_RUNTIME_DIR"
args=(--screenshots "$out")
[[ "$scale" != 1 ]] && args+=(--scale "$scale")
echo "==> rendering into $out"
xvfb-run -a -s "-screen 0 1400x900x24" "$bin_dir/agentgate-desktop" "${args[@]}"
echo "==> $(find "$out" -name '*.png' | wc -l) screenshots"

if [[ "$scale" != 1 ]]; then
  # The gallery page the README links to.
  {
    echo "# Screenshots"
    echo
    echo "Every page of agentgate-desktop in both themes and both languages, and every pet in"
    echo "every state, rendered against a running stack with a fake provider. Regenerate with:"
    echo
    echo '```sh'
    echo 'tests/desktop/screenshots.sh build/release/bin --gallery'
    echo '```'
    echo
    echo "| Page | Dark | Light | 深色 (中文) | 浅色 (中文) |"
    echo "|---|---|---|---|---|"
    for page in overview setup providers accounts routes gateway clients toolbox logs diagnostics \
      settings; do
      row="| $page "
      for v in dark-en light-en dark-zh_CN light-zh_CN; do
        row+="| ![$page $v](page-$page-$v.png) "
      done
      echo "$row|"
    done
    echo
    echo "## The pets"
    echo
    echo "Idle, active, error and sleep, left to right:"
    echo
    echo "![every pet in every state](pets.png)"
  } >"$out/README.md"
fi
