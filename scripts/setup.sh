#!/usr/bin/env bash
# Create .venv and install govreport with its pinned dependencies and test tools.
# Idempotent: reinstalls only when pyproject.toml changed. Needs only python3 (>=3.10) and pip access.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.govreport-installed
want=$(sha1sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing govreport and its dependencies into .venv (about 1 minute)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test]"
  echo "$want" > "$stamp"
fi
