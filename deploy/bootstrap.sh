#!/usr/bin/env bash
# Installs the Debian 12 packages AgentGate needs to build and test its services.
# Idempotent: a package that is already installed is left alone, and `apt-get update` runs only
# when something is missing.
#
#   deploy/bootstrap.sh              services, CLI and tests
#   deploy/bootstrap.sh --desktop    also the Qt 6 packages for agentgate-desktop
#   deploy/bootstrap.sh --check      only report what is missing (exit 1 if anything is)
#
# AGENTGATE_BOOTSTRAP_EXTRA="pkg1 pkg2" adds packages to the list (for experiments and tests).
set -euo pipefail

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

desktop=0
check_only=0
for arg in "$@"; do
  case "$arg" in
    --desktop) desktop=1 ;;
    --check) check_only=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bootstrap.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

say() { printf 'bootstrap: %s\n' "$*"; }
die() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

# Services, agentgatectl and the test suite (clang and its runtime for the libFuzzer targets). Every Recommends of these is already in the list, so
# they install with --no-install-recommends.
base_packages=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libboost1.81-dev libboost-json1.81-dev libabsl-dev
  libsqlite3-dev libssl-dev zlib1g-dev
  libgtest-dev libgmock-dev
  ca-certificates curl openssl
  clang libclang-rt-14-dev
)
# The end-to-end tests run the real clients from npm. Machines that already have a Node.js
# with npm (often newer than Debian's) keep it; others get Debian's.
if ! command -v npm >/dev/null 2>&1; then
  base_packages+=(nodejs npm)
fi
# agentgate-desktop (Qt 6.4 Quick) and a virtual display for its tests. These install with their
# Recommends (the xcb platform plugin and the GL libraries come that way).
desktop_packages=(
  qt6-base-dev qt6-declarative-dev qt6-tools-dev
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-window
  qml6-module-qtquick-layouts qml6-module-qtquick-templates qml6-module-qtqml-workerscript
  qml6-module-qtquick-shapes qml6-module-qt-labs-platform qml6-module-qt-labs-settings
  qml6-module-qttest
  xvfb xauth
  # A CJK font, so the Chinese pages render (on a bare X server, in the screenshot test).
  fonts-wqy-microhei
)
if [[ -n "${AGENTGATE_BOOTSTRAP_EXTRA:-}" ]]; then
  read -r -a extra <<<"$AGENTGATE_BOOTSTRAP_EXTRA"
  base_packages+=("${extra[@]}")
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  die "dpkg-query and apt-get not found: this script supports Debian 12 (bookworm) only"
fi

if [[ -r /etc/os-release ]]; then
  # shellcheck disable=SC1091
  os_id=$(. /etc/os-release && echo "${ID:-}")
  # shellcheck disable=SC1091
  os_version=$(. /etc/os-release && echo "${VERSION_ID:-}")
  if [[ "$os_id" != debian || "$os_version" != 12 ]]; then
    say "warning: this is ${os_id:-unknown} ${os_version:-}, not Debian 12; package names may differ"
  fi
fi

is_installed() {
  local status
  status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
  [[ "$status" == "install ok installed" ]]
}

# Sets the global array `missing` to the packages of "$@" that are not installed.
find_missing() {
  missing=()
  local p
  for p in "$@"; do
    is_installed "$p" || missing+=("$p")
  done
}

find_missing "${base_packages[@]}"
missing_base=("${missing[@]}")
missing_desktop=()
if ((desktop)); then
  find_missing "${desktop_packages[@]}"
  missing_desktop=("${missing[@]}")
fi
wanted=$((${#base_packages[@]} + (desktop ? ${#desktop_packages[@]} : 0)))
total_missing=$((${#missing_base[@]} + ${#missing_desktop[@]}))

if ((total_missing == 0)); then
  say "all $wanted packages are already installed; nothing to do"
  exit 0
fi
say "$((wanted - total_missing)) of $wanted packages already installed"
all_missing=("${missing_base[@]}" "${missing_desktop[@]}")
say "missing: ${all_missing[*]}"
if ((check_only)); then
  exit 1
fi

# Root runs apt-get directly; anyone else goes through sudo (non-interactively when there is no
# terminal to type a password into, so CI fails fast instead of hanging).
sudo_cmd=()
if ((EUID != 0)); then
  command -v sudo >/dev/null 2>&1 ||
    die "not root and sudo is not installed: run this script as root, or install sudo"
  if [[ -t 0 ]]; then
    sudo_cmd=(sudo)
  else
    sudo_cmd=(sudo -n)
  fi
  "${sudo_cmd[@]}" true 2>/dev/null ||
    die "not root and 'sudo' does not work here (no sudo rights, or it needs a password and there is no terminal); run this script as root"
fi

apt_get() {
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get -y -q -o DPkg::Lock::Timeout=300 "$@"
}

say "running apt-get update"
apt_get update || die "apt-get update failed (network or apt sources?)"
if ((${#missing_base[@]})); then
  say "installing: ${missing_base[*]}"
  apt_get install --no-install-recommends "${missing_base[@]}" ||
    die "apt-get install failed for: ${missing_base[*]}"
fi
if ((${#missing_desktop[@]})); then
  say "installing (desktop): ${missing_desktop[*]}"
  apt_get install "${missing_desktop[@]}" ||
    die "apt-get install failed for: ${missing_desktop[*]}"
fi

find_missing "${all_missing[@]}"
((${#missing[@]} == 0)) || die "still not installed after apt-get: ${missing[*]}"
say "installed $total_missing package(s); all $wanted are present now"
