#!/usr/bin/env bash
# The test suite. Sets up by itself: .venv (scripts/setup.sh), Debian's Chromium for the HTML
# report test, and — inside the integration tests — a local Doccano server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1; then
  echo "test: installing Debian's chromium package (the HTML report test opens a report in it)"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
exec .venv/bin/python -m pytest "$@"
