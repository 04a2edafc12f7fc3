#!/usr/bin/env bash
# Record the annotators' decisions in Doccano through its API and pull the gold back: the path a
# real annotation team uses (annotate in Doccano, `govreport doccano pull`). Writes:
#   annotations/work/first_pass.jsonl   decisions with offsets + the suggestion each annotator saw
#   annotations/doccano_export/         the raw Doccano export (one USERNAME.jsonl per annotator)
#   annotations/gold.jsonl              the pulled gold, one row per sentence
# Credentials come from the environment (DOCCANO_USERNAME / DOCCANO_PASSWORD) or are made up for
# this run; they are never written to a file.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
port=${DOCCANO_PORT:-8765}
home=${DOCCANO_HOME_DIR:-.doccano/gold}
export DOCCANO_URL="http://127.0.0.1:$port"
export DOCCANO_USERNAME=${DOCCANO_USERNAME:-annotator1}
export DOCCANO_PASSWORD=${DOCCANO_PASSWORD:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')}
project=${DOCCANO_PROJECT:-govreport-gold-round1}

python scripts/decisions_to_annotations.py annotations/work/decisions annotations/work/batches \
  -o annotations/work/first_pass.jsonl
rm -rf "$home"   # a fresh database: the gold must come only from what is recorded now
govreport doccano serve --port "$port" --home "$home" --venv "${DOCCANO_VENV:-.doccano/venv}"
trap 'govreport doccano stop --home "$home"' EXIT
govreport doccano push --project "$project" --suggestions annotations/work/first_pass.jsonl
govreport doccano annotate annotations/work/first_pass.jsonl --project "$project" --strict
# Disagreements of the agreement study, decided by the lead: the adjudicated answer replaces the first one.
govreport doccano annotate annotations/adjudication.jsonl --project "$project" --strict
rm -rf annotations/doccano_export
govreport doccano pull --project "$project" -o annotations/gold.jsonl --export-dir annotations/doccano_export --strict
govreport annotations stats --gold annotations/gold.jsonl
