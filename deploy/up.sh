#!/usr/bin/env bash
# The one command that installs, builds and starts AgentGate on this machine: bootstrap the
# packages, build the four services and agentgatectl (release preset), then start the stack in
# the background with `agentgatectl up --detach`.
#
#   deploy/up.sh                          gateway on http://127.0.0.1:9090
#   deploy/up.sh --port 8080              any `agentgatectl up` option is passed through
#   deploy/up.sh --restart                stop a running stack first (to run a fresh build)
#   deploy/up.sh --desktop | --no-desktop also build and open the desktop app (default: when a
#                                         display is there, $DISPLAY or $WAYLAND_DISPLAY)
#   AGENTGATE_HOME=/srv/ag deploy/up.sh   another data folder (default ~/.agentgate)
#
# Works from any directory. Stop the stack with: build/release/bin/agentgatectl down
set -euo pipefail

caller_pwd="$PWD"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

restart=0
desktop=0
[[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]] && desktop=1
up_args=()
for arg in "$@"; do
  case "$arg" in
    --restart) restart=1 ;;
    --desktop) desktop=1 ;;
    --no-desktop) desktop=0 ;;
    -h | --help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) up_args+=("$arg") ;;
  esac
done

say() { printf '\n==> %s\n' "$*"; }

say "packages"
if ((desktop)); then bash deploy/bootstrap.sh --desktop; else bash deploy/bootstrap.sh; fi
say "configure (release preset)"
cmake --preset release
say "build the services and agentgatectl"
targets=(agentgate-edge agentgate-router agentgate-probe agentgate-stats agentgatectl)
((desktop)) && targets+=(agentgate-desktop)
cmake --build --preset release --target "${targets[@]}"

ctl="$root/build/release/bin/agentgatectl"
# How to spell agentgatectl in the hints below: short when run from the repo root.
if [[ "$caller_pwd" == "$root" ]]; then ctl_hint=build/release/bin/agentgatectl; else ctl_hint="$ctl"; fi
home="${AGENTGATE_HOME:-$HOME/.agentgate}"
stack_file="$home/run/stack.json"

# The supervisor pid from run/stack.json when that process is alive, else empty.
running_supervisor() {
  [[ -f "$stack_file" ]] || return 0
  local pid
  pid=$(grep -o '"supervisor_pid":[0-9]*' "$stack_file" | head -n1 | cut -d: -f2 || true)
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
}

if [[ -n "$(running_supervisor)" ]]; then
  if ((restart)); then
    say "stop the running stack"
    "$ctl" down
  else
    say "AgentGate is already running (supervisor pid $(running_supervisor)); leaving it as it is"
    echo "    To restart it on the fresh build: deploy/up.sh --restart"
  fi
fi
if [[ -z "$(running_supervisor)" ]]; then
  say "start the stack"
  "$ctl" up --detach "${up_args[@]}"
fi

if ((desktop)); then
  desktop_bin="$root/build/release/bin/agentgate-desktop"
  if pgrep -x agentgate-desktop >/dev/null 2>&1; then
    say "the desktop app is already open"
  else
    say "open the desktop app ($desktop_bin)"
    mkdir -p "$home/logs"
    AGENTGATE_HOME="$home" nohup "$desktop_bin" >"$home/logs/desktop.log" 2>&1 &
  fi
fi

gateway_url=$(grep -o '"gateway_url":"[^"]*"' "$stack_file" 2>/dev/null | head -n1 | cut -d'"' -f4 || true)
gateway_url="${gateway_url:-http://127.0.0.1:9090}"

cat <<EOF

==> next steps

(With the desktop app: Quick Setup does 1 and 3 for you — paste a key, pick the clients.)

1. Add a provider (--type auto detects most providers from the key's prefix;
   \`$ctl_hint provider types\` lists them all):

     $ctl_hint provider add --type deepseek --key sk-...

2. Make a request through the gateway:

     curl $gateway_url/v1/chat/completions \\
       -H "Authorization: Bearer \$($ctl_hint token)" \\
       -H 'Content-Type: application/json' \\
       -d '{"model":"deepseek-chat","messages":[{"role":"user","content":"say pong"}]}'

3. Point an OpenAI-compatible client (OpenCode, any OpenAI SDK) at $gateway_url/v1
   with the token above as its API key.

Status: $ctl_hint status    Requests: $ctl_hint logs    Stop: $ctl_hint down
EOF
