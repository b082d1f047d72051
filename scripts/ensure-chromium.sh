#!/usr/bin/env bash
# The medical-vitals browser test drives Debian's Chromium through playwright-core (DESIGN §8).
# Installs it from apt only when /usr/bin/chromium is missing; safe to run again.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "ensure-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  # Not fatal: every other test still runs, and the browser test names what is missing.
  echo "ensure-chromium: /usr/bin/chromium is missing and apt-get as root is not available; install Chromium to run the browser test" >&2
  exit 0
fi
echo "ensure-chromium: installing chromium from apt"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "ensure-chromium: $(/usr/bin/chromium --version)"
