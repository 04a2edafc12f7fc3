#!/usr/bin/env bash
# The test suite: sets up .venv (and, in the integration tests, a local Doccano server) by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
