#!/usr/bin/env bash
# The main job, end to end, on the corpus and annotations this repository ships.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"

govreport corpus --raw corpus/raw --out corpus
