#!/usr/bin/env bash
# The programs some tests drive besides the servers: Debian's Chromium (the browser tests, through playwright-core,
# DESIGN §8), ffmpeg (live-streaming's archives, translation's speech) and espeak-ng (translation's real speech).
# Installs from apt only what is missing; safe to run again.
set -euo pipefail

declare -A packages=([/usr/bin/chromium]=chromium [ffmpeg]=ffmpeg [espeak-ng]=espeak-ng)
missing=()
for program in "${!packages[@]}"; do
  command -v "$program" >/dev/null || missing+=("${packages[$program]}")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "ensure-test-tools: chromium, ffmpeg and espeak-ng already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  # Not fatal: every other test still runs, and the tests that need a program name what is missing.
  echo "ensure-test-tools: ${missing[*]} missing and apt-get as root is not available; install them to run every test" >&2
  exit 0
fi
echo "ensure-test-tools: installing ${missing[*]} from apt"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "ensure-test-tools: installed ${missing[*]}"
