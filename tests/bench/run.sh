#!/usr/bin/env bash
# The benchmark suite: AgentGate side by side with its baselines, measured in the same run, on
# loopback. Prints a table of ratios and writes it, with the command and the machine, into
# docs/benchmarks.md (between the RESULTS markers).
#
#   tests/bench/run.sh [--seconds N] [--no-write]
#
# What runs (all on 127.0.0.1, ports picked at random):
#   static    nginx `return 200` with a fixed Chat Completions body (the fast upstream)
#   fake      agentgate-fake-upstream: a role chunk, 64 content deltas 2 ms apart, usage, [DONE]
#   nginx     nginx as a reverse proxy with upstream keep-alive (the floor for any proxy):
#             to static, and (buffering off) to fake
#   agentgate the stack from build/release, started by agentgatectl in a temporary home, with
#             providers "static" and "stream" pointing at the two upstreams
# Load: wrk (non-streaming, 32 connections for throughput, 1 for latency) and agentgate-bench
# (streaming: time to first event, gap between deltas, deltas held back; memory with 1000 open
# streams). Needs nginx and wrk (installed with apt when missing).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds=8
write=1
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --no-write) write=0; shift ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
if ((${#missing[@]})); then
  echo "==> installing ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

echo "==> building (release)"
cd "$root"
cmake --preset release >/dev/null
cmake --build --preset release --target agentgate-edge agentgate-router agentgate-stats \
  agentgate-probe agentgatectl agentgate-fake-upstream agentgate-bench >/dev/null
bin="$root/build/release/bin"

work="$(mktemp -d /tmp/agentgate-bench-XXXXXX)"
home="$work/home"
pids=()
cleanup() {
  "$bin/agentgatectl" --home "$home" down >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  sleep 0.3
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    ss -ltn "sport = :$p" | grep -q LISTEN || { echo "$p"; return; }
  done
}

"$bin/agentgate-bench" bodies "$work"
answer="$(for i in $(seq 64); do printf 'w%02d ' "$i"; done)"
static_body="$(printf '{"id":"chatcmpl-static","object":"chat.completion","created":1700000000,"model":"static","choices":[{"index":0,"message":{"role":"assistant","content":"pong from the static upstream"},"finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":5,"total_tokens":16}}')"

# ---- upstreams and the nginx proxy
static_port=$(free_port)
proxy_port=$(free_port)
proxy_stream_port=$(free_port)
"$bin/agentgate-fake-upstream" --port 0 --port-file "$work/fake.port" --stream-deltas 64 \
  --stream-interval-ms 2 --answer "$answer" 2>"$work/fake.log" &
pids+=($!)
"$bin/agentgate-fake-upstream" --port 0 --port-file "$work/slow.port" --stream-deltas 64 \
  --stream-interval-ms 150 --answer "$answer" 2>"$work/slow.log" &
pids+=($!)
for f in fake slow; do
  for _ in $(seq 100); do [[ -s "$work/$f.port" ]] && break; sleep 0.05; done
done
fake_port=$(cat "$work/fake.port")
slow_port=$(cat "$work/slow.port")

cat >"$work/nginx.conf" <<EOF
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  client_max_body_size 64m;
  client_body_buffer_size 1m;  # bodies stay in memory (workers may not write the temp folder)
  upstream static_up { server 127.0.0.1:$static_port; keepalive 64; }
  upstream stream_up { server 127.0.0.1:$fake_port; keepalive 64; }
  server {
    listen 127.0.0.1:$static_port;
    location / { default_type application/json; return 200 '$static_body'; }
  }
  server {
    listen 127.0.0.1:$proxy_port;
    location / {
      proxy_pass http://static_up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
  server {
    listen 127.0.0.1:$proxy_stream_port;
    location / {
      proxy_pass http://stream_up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
EOF
/usr/sbin/nginx -c "$work/nginx.conf" -p "$work" 2>"$work/nginx-start.log" ||
  { cat "$work/nginx-start.log"; exit 1; }

# ---- the stack (no scheduled backup in the middle of a measurement)
AGENTGATE_BACKUP_EVERY=0 "$bin/agentgatectl" --home "$home" up --detach --port 0 --admin-port 0 --probe-port 0 \
  --stats-port 0 >/dev/null
ctl=("$bin/agentgatectl" --home "$home")
"${ctl[@]}" provider add --name static --type custom_openai_compatible \
  --base-url "http://127.0.0.1:$static_port" --key k --model static >/dev/null
"${ctl[@]}" provider add --name stream --type custom_openai_compatible \
  --base-url "http://127.0.0.1:$fake_port" --key k --model stream >/dev/null
"${ctl[@]}" provider add --name slow --type custom_openai_compatible \
  --base-url "http://127.0.0.1:$slow_port" --key k --model slow >/dev/null
token="$("${ctl[@]}" token)"
edge_port="$(sed -n 's/.*"gateway_url":"http:\/\/127.0.0.1:\([0-9]*\)".*/\1/p' "$home/run/stack.json")"
sleep 1

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# Proportional set size: each shared page divided among the processes that map it. The four
# services map the same gRPC/protobuf/abseil/Boost libraries (about 15 MB each in RSS), so the
# sum of their RSS counts those pages four times; the sum of their PSS counts them once.
pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
service_pid() { pgrep -f -- "bin/agentgate-$1 .*$home" | head -1; }
idle_total=0
idle_pss_total=0
declare -A idle idle_pss
for s in edge router stats probe; do
  idle[$s]=$(rss_kb "$(service_pid "$s")")
  idle_pss[$s]=$(pss_kb "$(service_pid "$s")")
  idle_total=$((idle_total + idle[$s]))
  idle_pss_total=$((idle_pss_total + idle_pss[$s]))
done

# ---- non-streaming: wrk
cat >"$work/post.lua" <<'EOF'
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")
wrk.headers["x-api-key"] = os.getenv("TOKEN") or ""
EOF

# wrk_rps URL BODY CONNECTIONS -> requests/s (fails on any non-2xx)
wrk_run() {
  BODY="$2" TOKEN="$token" wrk -t "$(($3 < 2 ? 1 : 2))" -c "$3" -d "${seconds}s" --latency \
    -s "$work/post.lua" "$1" 2>&1
}
rps_of() { awk '/^Requests\/sec/ {print $2}' <<<"$1"; }
p50_us_of() {
  awk '$1 == "50%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
       if (u == "ms") v *= 1000; else if (u == "s") v *= 1000000; print v }' <<<"$1"
}
check_ok() {
  if grep -q "Non-2xx" <<<"$1"; then
    echo "error: non-2xx answers in $2:" >&2
    echo "$1" >&2
    exit 1
  fi
}

declare -A rps p50
run_rps() {  # NAME URL BODY
  local out
  out="$(wrk_run "$2" "$work/$3" 32)"
  check_ok "$out" "$1"
  rps[$1]=$(rps_of "$out")
  printf '    %-28s %10s req/s\n' "$1" "${rps[$1]}"
}
run_p50() {  # NAME URL BODY
  local out
  out="$(wrk_run "$2" "$work/$3" 1)"
  check_ok "$out" "$1"
  p50[$1]=$(p50_us_of "$out")
  printf '    %-28s %10s µs median\n' "$1" "${p50[$1]}"
}

direct="http://127.0.0.1:$static_port"
proxy="http://127.0.0.1:$proxy_port"
gate="http://127.0.0.1:$edge_port"
echo "==> non-streaming throughput, 32 connections, ${seconds}s each"
for size in small large; do
  run_rps "direct/$size" "$direct/v1/chat/completions" "chat_${size}.json"
  run_rps "nginx/$size" "$proxy/v1/chat/completions" "chat_${size}.json"
  run_rps "agentgate/$size" "$gate/v1/chat/completions" "chat_${size}.json"
  run_rps "messages->chat/$size" "$gate/v1/messages" "messages_${size}.json"
  run_rps "responses->chat/$size" "$gate/v1/responses" "responses_${size}.json"
done
echo "==> non-streaming latency, 1 connection"
run_p50 "direct" "$direct/v1/chat/completions" chat_small.json
run_p50 "nginx" "$proxy/v1/chat/completions" chat_small.json
run_p50 "agentgate" "$gate/v1/chat/completions" chat_small.json

# ---- streaming: agentgate-bench
declare -A st
run_stream() {  # NAME PORT PATH BODY
  local out
  out="$("$bin/agentgate-bench" stream --port "$2" --path "$3" --body "$work/$4" \
    --header "authorization: Bearer $token" --header "x-api-key: $token" \
    --connections 4 --requests 160)" || { echo "error: $1: $out" >&2; exit 1; }
  st[$1]="$out"
  printf '    %-28s %s\n' "$1" "$out"
}
echo "==> streaming: 64 deltas 2 ms apart, 4 connections, 160 streams"
run_stream "direct" "$fake_port" /v1/chat/completions chat_small_stream.json
run_stream "nginx" "$proxy_stream_port" /v1/chat/completions chat_small_stream.json
run_stream "agentgate" "$edge_port" /v1/chat/completions chat_small_stream.json
run_stream "messages->chat" "$edge_port" /v1/messages messages_small_stream.json
jfield() { sed -n "s/.*\"$2\":{[^}]*\"$3\":\([0-9.e+-]*\).*/\1/p" <<<"${st[$1]}"; }
jtop() { sed -n "s/.*\"$2\":\([0-9.e+-]*\).*/\1/p" <<<"${st[$1]}"; }

# ---- memory with 1000 open streams
echo "==> memory: 1000 open streams through the edge"
sed 's/"model":"stream"/"model":"slow"/' "$work/chat_small_stream.json" >"$work/slow.json"
"$bin/agentgate-bench" stream --port "$edge_port" --path /v1/chat/completions \
  --body "$work/slow.json" --header "authorization: Bearer $token" --connections 1000 \
  --requests 1000 --ready-file "$work/ready" >"$work/hold.out" &
hold_pid=$!
for _ in $(seq 300); do [[ -f "$work/ready" ]] && break; sleep 0.1; done
[[ -f "$work/ready" ]] || { echo "error: 1000 streams did not all start" >&2; exit 1; }
sleep 1
edge_streams_kb=$(rss_kb "$(service_pid edge)")
wait "$hold_pid" || { echo "error: the 1000-stream run failed: $(cat "$work/hold.out")" >&2; exit 1; }
printf '    edge RSS with 1000 open streams: %d KB; all four services idle: %d KB PSS, %d KB RSS\n' \
  "$edge_streams_kb" "$idle_pss_total" "$idle_total"

# ---- the table
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
diff_us() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.0f", a - b }'; }
pass() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN {
  ok = (dir == "ge") ? (v >= t) : (v <= t); print ok ? "met" : "**missed**" }'; }

table="$(
  echo "| measure | AgentGate | baseline | ratio / added | target | |"
  echo "|---|---|---|---|---|---|"
  for size in small large; do
    r=$(ratio "${rps[agentgate/$size]}" "${rps[nginx/$size]}")
    echo "| pass-through Chat, $size body, 32 conns | ${rps[agentgate/$size]} req/s | nginx ${rps[nginx/$size]} req/s (direct ${rps[direct/$size]}) | ${r}× nginx | ≥ 0.8× | $(pass "$r" 0.8 ge) |"
  done
  for conv in messages responses; do
    for size in small large; do
      r=$(ratio "${rps[$conv->chat/$size]}" "${rps[nginx/$size]}")
      echo "| ${conv} → Chat, $size body, 32 conns | ${rps[$conv->chat/$size]} req/s | nginx ${rps[nginx/$size]} req/s | ${r}× nginx | ≥ 0.5× | $(pass "$r" 0.5 ge) |"
    done
  done
  a=$(diff_us "${p50[agentgate]}" "${p50[direct]}")
  echo "| added median latency, 1 conn | ${p50[agentgate]} µs | direct ${p50[direct]} µs (nginx ${p50[nginx]} µs) | ${a} µs | ≤ 50 µs | $(pass "$a" 50 le) |"
  for m in agentgate "messages->chat"; do
    t99=$(jfield "$m" ttfb_us p99)
    d99=$(jfield direct ttfb_us p99)
    a=$(diff_us "$t99" "$d99")
    echo "| streaming ($m): time to first event p99 | ${t99} µs | direct ${d99} µs (nginx $(jfield nginx ttfb_us p99) µs) | ${a} µs | ≤ 200 µs | $(pass "$a" 200 le) |"
    g=$(jfield "$m" gap_us mean)
    dg=$(jfield direct gap_us mean)
    a=$(diff_us "$g" "$dg")
    echo "| streaming ($m): mean gap between deltas | ${g} µs | direct ${dg} µs (nginx $(jfield nginx gap_us mean) µs) | ${a} µs | ≤ 10 µs | $(pass "$a" 10 le) |"
    b=$(jtop "$m" delta_reads_min)
    echo "| streaming ($m): fewest separate arrivals of the 64 deltas in a stream | ${b} | direct $(jtop direct delta_reads_min) | | 64: none held back | $(pass "$b" 64 ge) |"
  done
  echo "| memory: all four services idle (PSS: shared libraries counted once) | $((idle_pss_total / 1024)) MB | | edge $((idle_pss[edge] / 1024)), router $((idle_pss[router] / 1024)), stats $((idle_pss[stats] / 1024)), probe $((idle_pss[probe] / 1024)) MB | ≤ 80 MB | $(pass "$((idle_pss_total / 1024))" 80 le) |"
  echo "| memory: all four services idle (sum of RSS: shared libraries counted four times) | $((idle_total / 1024)) MB | | edge $((idle[edge] / 1024)), router $((idle[router] / 1024)), stats $((idle[stats] / 1024)), probe $((idle[probe] / 1024)) MB | ≤ 80 MB | $(pass "$((idle_total / 1024))" 80 le) |"
  echo "| memory: edge with 1000 open streams | $((edge_streams_kb / 1024)) MB | | | ≤ 150 MB | $(pass "$((edge_streams_kb / 1024))" 150 le) |"
)"
echo
echo "$table"

if ((write)); then
  machine="$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
  versions="$(/usr/sbin/nginx -v 2>&1 | sed 's/nginx version: //'), wrk $(wrk -v 2>&1 | awk 'NR==1 {print $2}'), AgentGate $(git -C "$root" rev-parse --short HEAD)"
  {
    echo "<!-- RESULTS: written by tests/bench/run.sh; do not edit by hand -->"
    echo "Command: \`tests/bench/run.sh --seconds $seconds\` on $(date -u +%Y-%m-%d)."
    echo "Machine: $machine. Versions: $versions."
    echo
    echo "$table"
    echo "<!-- /RESULTS -->"
  } >"$work/results.md"
  doc="$root/docs/benchmarks.md"
  if [[ -f "$doc" ]] && grep -q '<!-- RESULTS' "$doc"; then
    awk -v f="$work/results.md" '
      /<!-- RESULTS/ { while ((getline l < f) > 0) print l; skip = 1; next }
      /<!-- \/RESULTS -->/ { skip = 0; next }
      !skip { print }' "$doc" >"$work/doc.md"
    cp "$work/doc.md" "$doc"
  else
    mkdir -p "$root/docs"
    { echo "# Benchmarks"; echo; cat "$work/results.md"; } >"$doc"
  fi
  echo "==> written to docs/benchmarks.md"
fi
