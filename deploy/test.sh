#!/usr/bin/env bash
# The one command that installs, builds and tests AgentGate on a fresh Debian 12 machine:
# bootstrap the packages (the desktop app's Qt 6 and Xvfb included: its tests render every page
# on a virtual display), configure and build the "release" preset, run every test with ctest.
#
#   deploy/test.sh
#   AGENTGATE_TEST_ARGS="-R store --repeat until-fail:3" deploy/test.sh   extra ctest arguments
#   AGENTGATE_SKIP_BOOTSTRAP=1 deploy/test.sh                            skip the package check
#
# Works from any directory. Exits non-zero when any step fails; the last line says which.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

started=$SECONDS
step() {
  local name="$1"
  shift
  printf '\n==> %s: %s\n' "$name" "$*"
  local rc=0
  "$@" || rc=$?
  if ((rc != 0)); then
    printf '\ndeploy/test.sh: FAILED at %s (exit %d) after %ds\n' "$name" "$rc" "$((SECONDS - started))" >&2
    exit "$rc"
  fi
}

ctest_args=()
if [[ -n "${AGENTGATE_TEST_ARGS:-}" ]]; then
  read -r -a ctest_args <<<"$AGENTGATE_TEST_ARGS"
fi

if [[ "${AGENTGATE_SKIP_BOOTSTRAP:-0}" != 1 ]]; then
  step bootstrap bash deploy/bootstrap.sh --desktop
fi
step configure cmake --preset release
step build cmake --build --preset release
step test ctest --preset release "${ctest_args[@]}"

if ((${#ctest_args[@]})); then what="build and tests, ctest ${ctest_args[*]}"; else what="build and all tests"; fi
printf '\ndeploy/test.sh: PASSED (%s) in %ds\n' "$what" "$((SECONDS - started))"
