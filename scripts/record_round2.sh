#!/usr/bin/env bash
# Annotation round 2 (issue 15) through a real local Doccano, the way a team works with the model
# in the loop:
#   push the round-2 sentences with the model's suggestions, least certain first
#     (govreport doccano push --suggest annotations/round-2/suggester-model --order uncertain)
#   -> one account per annotator; each sees the suggestion pre-filled as an unconfirmed answer
#     (govreport doccano preannotate)
#   -> the annotators' answers are written under their own accounts, all accounts at the same time
#     (their decisions were made by reading each sentence: annotations/round-2/decisions/, notes/)
#   -> the independent second reading (annotations/round-2/second_reading/) under its own account
#   -> pull (raw export kept) -> correction rates -> agreement.
#
# Which annotator decided which document: annotations/round-2/assignments.json.
# Writes annotations/round-2/{first_pass,second_reading,pulled,gold}.jsonl, pulled.corrections.json,
# doccano_export/ and agreement.json. Passwords are made up for this run and never written down.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
r2=annotations/round-2
port=${DOCCANO_PORT:-8767}
home=${DOCCANO_HOME_DIR:-.doccano/round-2}
project=${DOCCANO_PROJECT:-govreport-round-2}
export DOCCANO_URL="http://127.0.0.1:$port"
new_password() { python3 -c 'import secrets; print(secrets.token_urlsafe(18))'; }
export DOCCANO_USERNAME=lead DOCCANO_PASSWORD=$(new_password)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python scripts/decisions_to_annotations.py $r2/decisions $r2/batches -o $r2/first_pass.jsonl
python scripts/decisions_to_annotations.py $r2/second_reading/decisions $r2/second_reading/batches \
  -o $r2/second_reading.jsonl
# one file of answers per account
python - "$tmp" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
assignments = json.load(open("annotations/round-2/assignments.json", encoding="utf-8"))
for row in map(json.loads, open("annotations/round-2/first_pass.jsonl", encoding="utf-8")):
    with open(out / f"{assignments[row['doc']]}.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
PY
cp $r2/second_reading.jsonl "$tmp/r2_second.jsonl"
accounts=$(cd "$tmp" && ls *.jsonl | sed 's/\.jsonl$//')

rm -rf "$home"   # a fresh database: round 2 comes only from what is recorded now
govreport doccano serve --port "$port" --home "$home" --venv "${DOCCANO_VENV:-.doccano/venv}"
trap 'govreport doccano stop --home "$home"; rm -rf "$tmp"' EXIT
govreport doccano push --project "$project" --sentences $r2/sentences.jsonl \
  --suggest $r2/suggester-model --order uncertain
declare -A password
for name in $accounts; do
  password[$name]=$(new_password)
  DOCCANO_NEW_USER_PASSWORD=${password[$name]} govreport doccano add-user "$name" --project "$project"
done
as() { local name=$1; shift; DOCCANO_USERNAME=$name DOCCANO_PASSWORD=${password[$name]} "$@"; }
for name in $accounts; do  # each annotator sees the suggestions of the documents assigned to them
  doc_args=$(python3 -c "import json,sys; a=json.load(open('$r2/assignments.json')); print(' '.join('--doc '+d for d,n in a.items() if n==sys.argv[1]))" "$name")
  if [ -n "$doc_args" ]; then as "$name" govreport doccano preannotate --project "$project" $doc_args; fi
done
# every annotator writes at the same time, as a team on one server does
start=$(date +%s)
pids=()
for name in $accounts; do
  as "$name" govreport doccano annotate "$tmp/$name.jsonl" --project "$project" --strict \
    --rejects "$tmp/$name.rejects.jsonl" > "$tmp/$name.log" 2>&1 &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
for name in $accounts; do tail -n 1 "$tmp/$name.log"; done
[ "$failed" = 0 ] || { echo "record_round2: an annotator's answers were refused; see above"; exit 1; }
echo "record_round2: $(echo $accounts | wc -w) accounts wrote at the same time in $(( $(date +%s) - start )) s"
# the lead's rulings: every category disagreement of the agreement study, and the first-pass
# answers a new rule changed (annotations/round-2/adjudication.jsonl, each with its reason)
govreport doccano annotate $r2/adjudication.jsonl --project "$project" --strict --rejects "$tmp/lead.rejects.jsonl"

rm -rf $r2/doccano_export
govreport doccano pull --project "$project" -o $r2/pulled.jsonl --sentences $r2/sentences.jsonl \
  --export-dir $r2/doccano_export --strict --rejects "$tmp/pull_rejects.jsonl"
# agreement: the first pass (whoever read the document) against the independent second reading
python - <<'PY'
import json
rows = [json.loads(l) for l in open("annotations/round-2/pulled.jsonl", encoding="utf-8")]
with open("annotations/round-2/pulled_first_vs_second.jsonl", "w", encoding="utf-8") as f:
    for r in rows:
        if r["annotator"] == "lead":
            continue
        r["annotator"] = "second_reading" if r["annotator"] == "r2_second" else "first_pass"
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
govreport agreement $r2/pulled_first_vs_second.jsonl --annotator first_pass --annotator second_reading \
  -o $r2/agreement.json
rm $r2/pulled_first_vs_second.jsonl
# gold: the lead's ruling, else agreed answers, else the first pass (span-boundary differences only)
seniors=$(python3 -c "import json; print(' '.join('--senior '+n for n in sorted(set(json.load(open('$r2/assignments.json')).values()))))")
govreport adjudicate $r2/pulled.jsonl --reviewer lead $seniors -o $r2/gold.jsonl --disagreements $r2/disagreements.jsonl
python scripts/merge_gold.py
