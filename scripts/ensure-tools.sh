#!/usr/bin/env bash
# The programs the tests, the demo and the benches drive besides the servers: Debian's Chromium (the browser tests,
# through playwright-core), ffmpeg (live-streaming's archives, translation's speech) and espeak-ng (translation's real
# speech). npm runs it before `test`, `demo` and `bench`. Installs from apt only what is missing; safe to run again.
set -euo pipefail

declare -A packages=([/usr/bin/chromium]=chromium [ffmpeg]=ffmpeg [espeak-ng]=espeak-ng)
missing=()
for program in "${!packages[@]}"; do
  command -v "$program" >/dev/null || missing+=("${packages[$program]}")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "ensure-tools: chromium, ffmpeg and espeak-ng already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  # Not fatal: everything else still runs, and the tests and proofs that need a program name what is missing.
  echo "ensure-tools: ${missing[*]} missing and apt-get as root is not available; install them to run every test and proof" >&2
  exit 0
fi
echo "ensure-tools: installing ${missing[*]} from apt"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "ensure-tools: installed ${missing[*]}"
