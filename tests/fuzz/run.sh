#!/usr/bin/env bash
# Builds the protocol fuzzers with clang (preset "fuzz", in build/fuzz) and runs each for
# AGENTGATE_FUZZ_SECONDS (default 20) on a fresh copy of its seed corpus. Fails on any crash,
# sanitizer report, leak or timeout that is not a known, reported bug (known_crashes.txt).
#
#   tests/fuzz/run.sh [target...]   fuzz the given targets (default: all)
#   tests/fuzz/run.sh --crashes     replay tests/fuzz/crashes/<target>/* (known bugs; not part of
#                                   the normal run); exits 0 only when none of them crashes
#
# Work files (grown corpus, crash inputs, logs): build/fuzz/fuzz-work/<target>/.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${AGENTGATE_FUZZ_SECONDS:-20}
all_targets=(fuzz_sse fuzz_chat_request fuzz_messages_request fuzz_responses_request
             fuzz_gemini_request fuzz_chat_stream fuzz_gemini_provider_stream
             fuzz_messages_provider_stream fuzz_json_scan fuzz_http_ingress)
bin_dir="$root/build/fuzz/fuzz"
work="$root/build/fuzz/fuzz-work"
known_file="${AGENTGATE_FUZZ_KNOWN:-$here/known_crashes.txt}"  # override to test the list

replay=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --crashes) replay=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) targets+=("$arg") ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

if ! command -v clang++ >/dev/null 2>&1; then
  echo "skipped: no clang"
  exit 0
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' \
  > "$probe/probe.cc"
if ! clang++ -fsanitize=fuzzer,address,undefined "$probe/probe.cc" -o "$probe/probe" \
     >"$probe/log" 2>&1; then
  echo "skipped: clang++ cannot link -fsanitize=fuzzer (no libFuzzer)"
  exit 0
fi

# ---- build ------------------------------------------------------------------------------
cd "$root" || exit 1
start=$SECONDS
if ! cmake --preset fuzz >"$probe/configure.log" 2>&1; then
  cat "$probe/configure.log"
  echo "FAILED: cmake --preset fuzz"
  echo "0 passed, ${#targets[@]} failed"
  exit 1
fi
if ! cmake --build --preset fuzz --target fuzz_all >"$probe/build.log" 2>&1; then
  tail -n 80 "$probe/build.log"
  echo "FAILED: cmake --build --preset fuzz --target fuzz_all"
  echo "0 passed, ${#targets[@]} failed"
  exit 1
fi
echo "built the fuzzers in $((SECONDS - start)) s (build/fuzz)"

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1"

# The known bug a crash log shows, if any: known_crashes.txt lines are
# "target<TAB>bug-id<TAB>regex[<TAB>regex...]" (target "*" for any); all regexes must match.
known_bug() {
  local target=$1 log=$2 line
  local -a f
  [ -f "$known_file" ] || return 1
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    IFS=$'\t' read -r -a f <<<"$line"
    [ ${#f[@]} -ge 3 ] || continue
    [ "${f[0]}" = "*" ] || [ "${f[0]}" = "$target" ] || continue
    local ok=1 i
    for ((i = 2; i < ${#f[@]}; i++)); do
      grep -qE -- "${f[$i]}" "$log" || { ok=0; break; }
    done
    if [ $ok -eq 1 ]; then echo "${f[1]}"; return 0; fi
  done <"$known_file"
  return 1
}

# ---- replay of saved crash inputs ---------------------------------------------------------
if [ $replay -eq 1 ]; then
  still=0 fixed=0
  for t in "${targets[@]}"; do
    [ -d "$here/crashes/$t" ] || continue
    for f in "$here/crashes/$t"/*; do
      [ -f "$f" ] || continue
      if "$bin_dir/$t" "$f" >"$probe/replay.log" 2>&1; then
        echo "fixed:   $t ${f#"$root"/}"
        fixed=$((fixed + 1))
      else
        echo "crashes: $t ${f#"$root"/}"
        grep -m1 -E "runtime error|ERROR: |Assertion|FUZZ CHECK FAILED" "$probe/replay.log" | sed 's/^/    /'
        bug=$(known_bug "$t" "$probe/replay.log") || bug="NOT listed in known_crashes.txt"
        echo "    known bug: $bug"
        still=$((still + 1))
      fi
    done
  done
  echo "$fixed fixed, $still still crashing"
  [ $still -eq 0 ]
  exit
fi

# ---- fuzzing ------------------------------------------------------------------------------
passed=0 failed=0 known_total=0
report_start='runtime error|==[0-9]+==ERROR|FUZZ CHECK FAILED|Assertion .* failed|ERROR: libFuzzer'
failed_names=() known_lines=()
for t in "${targets[@]}"; do
  bin="$bin_dir/$t"
  if [ ! -x "$bin" ]; then
    echo "FAIL $t: no binary $bin"
    failed=$((failed + 1)); failed_names+=("$t"); continue
  fi
  dir="$work/$t"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp "$here/corpus/$t"/* "$dir/corpus/" 2>/dev/null
  seeds=$(ls "$dir/corpus" | wc -l)
  t_start=$SECONDS
  runs=0 round=0 status=pass known_here=()
  # A known bug stops libFuzzer; start it again (the corpus grows) until the time is used.
  while :; do
    left=$((seconds - (SECONDS - t_start)))
    [ $left -ge 1 ] || break
    round=$((round + 1))
    log="$dir/round$round.log"
    "$bin" "$dir/corpus" -max_total_time=$left -max_len=65536 -timeout=10 -rss_limit_mb=2560 \
      -dict="$here/protocol.dict" -artifact_prefix="$dir/artifacts/" -print_final_stats=1 \
      >"$log" 2>&1
    rc=$?
    n=$(grep -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    runs=$((runs + ${n:-0}))
    [ $rc -eq 0 ] && break
    if bug=$(known_bug "$t" "$log"); then
      known_here+=("$bug")
      [ $round -lt 200 ] && continue
      break
    fi
    status=fail
    break
  done
  corpus_now=$(ls "$dir/corpus" | wc -l)
  summary="$((SECONDS - t_start)) s, $runs runs, corpus $seeds -> $corpus_now"
  if [ $status = pass ]; then
    passed=$((passed + 1))
    if [ ${#known_here[@]} -gt 0 ]; then
      ids=$(printf '%s\n' "${known_here[@]}" | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')
      echo "PASS $t ($summary) -- hit KNOWN bugs: $ids"
      known_total=$((known_total + ${#known_here[@]}))
      known_lines+=("$t: $ids")
    else
      echo "PASS $t ($summary)"
    fi
  else
    failed=$((failed + 1)); failed_names+=("$t")
    echo "FAIL $t ($summary): exit $rc; crash input(s) in ${dir#"$root"/}/artifacts/:"
    ls "$dir/artifacts" | sed 's/^/    /'
    echo "  reproduce: build/fuzz/fuzz/$t ${dir#"$root"/}/artifacts/<file>"
    echo "---- ${log#"$root"/} (from the report)"
    if grep -qE "$report_start" "$log"; then
      sed -n -E "/$report_start/,\$p" "$log" | head -n 100
    else
      tail -n 60 "$log"
    fi
    echo "----"
  fi
done

if [ ${#known_lines[@]} -gt 0 ]; then
  echo "known bugs still present (reported; see tests/fuzz/known_crashes.txt and tests/fuzz/crashes/):"
  printf '  %s\n' "${known_lines[@]}"
fi
[ $failed -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
