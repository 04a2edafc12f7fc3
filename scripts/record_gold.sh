#!/usr/bin/env bash
# Record every annotator's answers in Doccano through its API and make the gold the way a real
# annotation team does: push (with the suggestion each annotator was shown) -> each annotator
# answers under their own account -> the lead's adjudication -> pull -> agreement -> adjudicate.
#
#   annotator1  first pass over every sentence      annotations/round-1/work/decisions/ (+ batches/)
#   annotator2  independent second pass (sample)    annotations/round-1/work/second_pass/second_pass.jsonl, second_pass_city.jsonl
#   annotator3  independent third reading (sample)  annotations/round-1/work/second_pass/second_pass_b.jsonl
#   lead        adjudication (admin)                annotations/round-1/adjudication.jsonl
#
# Writes annotations/round-1/pulled.jsonl (one row per sentence per annotator), annotations/round-1/doccano_export/
# (the raw export: one USERNAME.jsonl each), annotations/round-1/agreement.json (annotator1 vs annotator2),
# annotations/round-1/agreement_three.json (all three on the sentences all three read) and
# annotations/round-1/gold.jsonl (lead's decision, else agreed answers, else annotator1's), merged with the
# other rounds into annotations/gold.jsonl by scripts/merge_gold.py.
# Passwords are made up for this run and never written to a file.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
port=${DOCCANO_PORT:-8765}
home=${DOCCANO_HOME_DIR:-.doccano/gold}
project=${DOCCANO_PROJECT:-govreport-gold-round1}
export DOCCANO_URL="http://127.0.0.1:$port"
new_password() { python3 -c 'import secrets; print(secrets.token_urlsafe(18))'; }
export DOCCANO_USERNAME=lead DOCCANO_PASSWORD=$(new_password)
declare -A password=([annotator1]=$(new_password) [annotator2]=$(new_password) [annotator3]=$(new_password))
work=annotations/round-1/work
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python scripts/decisions_to_annotations.py $work/decisions $work/batches -o $work/first_pass.jsonl
if [ -s $work/second_pass/decisions_city.jsonl ]; then  # the city sample of the second pass
  mkdir -p "$tmp/decisions" "$tmp/batches"
  cp $work/second_pass/decisions_city.jsonl "$tmp/decisions/city.jsonl"
  cp $work/second_pass/input_city.jsonl "$tmp/batches/city.jsonl"
  python scripts/decisions_to_annotations.py "$tmp/decisions" "$tmp/batches" -o $work/second_pass/second_pass_city.jsonl
fi

rm -rf "$home"   # a fresh database: the gold must come only from what is recorded now
govreport doccano serve --port "$port" --home "$home" --venv "${DOCCANO_VENV:-.doccano/venv}"
trap 'govreport doccano stop --home "$home"; rm -rf "$tmp"' EXIT
govreport doccano push --project "$project" --suggestions $work/first_pass.jsonl
for name in annotator1 annotator2 annotator3; do
  DOCCANO_NEW_USER_PASSWORD=${password[$name]} govreport doccano add-user "$name" --project "$project"
done
as() { local name=$1; shift; DOCCANO_USERNAME=$name DOCCANO_PASSWORD=${password[$name]} "$@"; }
as annotator1 govreport doccano annotate $work/first_pass.jsonl --project "$project" --strict
second=$work/second_pass/second_pass.jsonl
if [ -s $work/second_pass/second_pass_city.jsonl ]; then
  second=$tmp/second.jsonl; cat $work/second_pass/second_pass.jsonl $work/second_pass/second_pass_city.jsonl > "$second"
fi
as annotator2 govreport doccano annotate "$second" --project "$project" --strict
as annotator3 govreport doccano annotate $work/second_pass/second_pass_b.jsonl --project "$project" --strict
# The lead's rulings on disagreements and on first-pass answers that contradicted a project rule.
govreport doccano annotate annotations/round-1/adjudication.jsonl --project "$project" --strict

rm -rf annotations/round-1/doccano_export
govreport doccano pull --project "$project" -o annotations/round-1/pulled.jsonl --export-dir annotations/round-1/doccano_export --strict
govreport agreement annotations/round-1/pulled.jsonl --annotator annotator1 --annotator annotator2 -o annotations/round-1/agreement.json
govreport agreement annotations/round-1/pulled.jsonl --annotator annotator1 --annotator annotator2 --annotator annotator3 \
  -o annotations/round-1/agreement_three.json
govreport adjudicate annotations/round-1/pulled.jsonl --reviewer lead --senior annotator1 -o annotations/round-1/gold.jsonl \
  --disagreements annotations/round-1/disagreements.jsonl
python scripts/merge_gold.py
govreport annotations stats --gold annotations/gold.jsonl
