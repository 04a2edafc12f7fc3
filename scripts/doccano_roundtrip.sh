#!/usr/bin/env bash
# Send the shipped gold (annotations/gold.jsonl) through a fresh local Doccano and back with
# govreport's own push / annotate / pull, and fail if a single id, text, offset or label changed.
# To keep the main job short it sends a fixed sample: every row with a character outside the BMP
# (where UTF-16 offsets differ), the first row of every document and every 4th row
# (GOVREPORT_FULL_ROUNDTRIP=1 sends all; scripts/record_*.sh send every row when they make the gold).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
port=${DOCCANO_PORT:-8766}
home=$(mktemp -d /tmp/govreport-doccano-XXXXXX)
export DOCCANO_URL="http://127.0.0.1:$port"
export DOCCANO_USERNAME=${DOCCANO_USERNAME:-annotator1}
export DOCCANO_PASSWORD=${DOCCANO_PASSWORD:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')}
govreport doccano serve --port "$port" --home "$home" --venv "${DOCCANO_VENV:-.doccano/venv}"
trap 'govreport doccano stop --home "$home"; rm -rf "$home"' EXIT
python - "$home/sent.jsonl" <<'PY'
import json, os, sys
rows = [json.loads(l) for l in open("annotations/gold.jsonl", encoding="utf-8")]
full = os.environ.get("GOVREPORT_FULL_ROUNDTRIP") == "1"
seen_docs = set()
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for i, r in enumerate(rows):
        first = r["doc"] not in seen_docs
        seen_docs.add(r["doc"])
        if full or first or i % 4 == 0 or any(ord(c) > 0xFFFF for c in r["text"]):
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
govreport doccano push --project roundtrip --suggestions "$home/sent.jsonl" --sentences "$home/sent.jsonl"
govreport doccano annotate "$home/sent.jsonl" --project roundtrip --strict --rejects "$home/rejects.jsonl"
govreport doccano pull --project roundtrip -o "$home/pulled.jsonl" --sentences "$home/sent.jsonl" --strict \
  --rejects "$home/pull_rejects.jsonl"
python - "$home/sent.jsonl" "$home/pulled.jsonl" <<'PY'
import json, sys
key = lambda r: (r["text"], sorted(r["cats"]), sorted(map(tuple, r["spans"])), r.get("suggested"))
gold = {r["id"]: key(r) for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
pulled = {r["id"]: key(r) for r in map(json.loads, open(sys.argv[2], encoding="utf-8"))}
changed = [i for i in gold if pulled.get(i) != gold[i]]
print(f"Doccano round trip: {len(gold)} gold rows sent, {len(pulled)} pulled back, {len(changed)} changed")
sys.exit(1 if changed or set(pulled) != set(gold) else 0)
PY
